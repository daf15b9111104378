//! Generated questions, one function per kind, each about one mission. Every question is checked against the
//! knowledge base as it is made: exactly one option is right, and no two options read the same.

use super::{mission_tags, QKind, Question};
use crate::kb::{Agency, AgencyId, Difficulty, Entity, KnowledgeBase, Mission, MissionKind};
use crate::text::fold;
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::HashSet;

fn label(a: &Agency) -> String {
    match &a.acronym {
        Some(ac) => ac.clone(),
        None => a.name.clone(),
    }
}

fn agency_accept(a: &Agency) -> Vec<String> {
    let mut v = vec![a.name.clone()];
    v.extend(a.acronym.clone());
    v.extend(a.aliases.iter().cloned());
    v
}

/// Agencies that did not take part in `m`, plausible ones (same kind of organisation, active in the era) first.
fn outsider_agencies<'a>(
    kb: &'a KnowledgeBase,
    m: &Mission,
    like: &Agency,
    rng: &mut impl Rng,
    n: usize,
) -> Option<Vec<&'a Agency>> {
    let year = m.launch.map(|d| d.year);
    let active = |a: &Agency| match year {
        Some(y) => a.founded.is_none_or(|f| f.year <= y + 2) && a.dissolved.is_none_or(|d| d.year >= y - 2),
        None => a.dissolved.is_none(),
    };
    // By preference: the same kind and active, the same kind, active, any; at random within each.
    let mut tiers: [Vec<&Agency>; 4] = Default::default();
    for a in kb.agencies.iter().filter(|a| !m.involves(&a.id)) {
        tiers[usize::from(a.kind != like.kind) * 2 + usize::from(!active(a))].push(a);
    }
    let mut picked: Vec<&Agency> = Vec::with_capacity(n);
    for tier in &tiers {
        picked.extend(tier.choose_multiple(rng, n - picked.len()).copied());
    }
    (picked.len() == n).then_some(picked)
}

/// Up to `n` different items, at random, of the `count` candidates `at(0)`, … `at(count - 1)` that pass `ok`. A big
/// list is sampled: when most candidates pass, a few random draws find `n` without looking at the rest. A small
/// list, or one where the draws came up short, is scanned whole. Either way every passing candidate is as likely
/// to be chosen as any other.
fn sample_where(
    count: usize,
    at: impl Fn(usize) -> usize,
    n: usize,
    ok: impl Fn(usize) -> bool,
    rng: &mut impl Rng,
) -> Vec<usize> {
    const SCAN_BELOW: usize = 64;
    if n == 0 {
        return Vec::new();
    }
    if count >= SCAN_BELOW {
        let mut got = Vec::with_capacity(n);
        for _ in 0..8 * n + 16 {
            let c = at(rng.gen_range(0..count));
            if !got.contains(&c) && ok(c) {
                got.push(c);
                if got.len() == n {
                    return got;
                }
            }
        }
    }
    let passing: Vec<usize> = (0..count).map(at).filter(|&c| ok(c)).collect();
    passing.choose_multiple(rng, n).copied().collect()
}

/// Up to `n` other missions that pass `ok`, at random, of the same kind as `kind` when there are enough.
fn missions_where(
    kb: &KnowledgeBase,
    kind: MissionKind,
    n: usize,
    ok: impl Fn(usize) -> bool,
    rng: &mut impl Rng,
) -> Vec<usize> {
    let same = kb.missions_of_kind(kind);
    let mut got = sample_where(same.len(), |i| same[i], n, &ok, rng);
    if got.len() < n {
        // Every same-kind mission that passes is in `got` already.
        let others = sample_where(
            kb.missions.len(),
            |i| i,
            n - got.len(),
            |o| kb.missions[o].kind != kind && ok(o),
            rng,
        );
        got.extend(others);
    }
    got
}

fn with_options(correct: String, wrong: Vec<String>, rng: &mut impl Rng) -> Option<(Vec<String>, usize)> {
    let mut seen = HashSet::new();
    seen.insert(fold(&correct));
    for w in &wrong {
        if !seen.insert(fold(w)) {
            return None;
        }
    }
    let mut options = wrong;
    options.push(correct.clone());
    options.shuffle(rng);
    let i = options.iter().position(|o| *o == correct)?;
    Some((options, i))
}

fn first_source(m: &Mission) -> String {
    m.sources.first().cloned().unwrap_or_default()
}

/// The mission a question is about, and what every kind needs of it.
struct Subject<'a> {
    kb: &'a KnowledgeBase,
    m: &'a Mission,
    mi: usize,
    lead: &'a Agency,
}

impl Subject<'_> {
    /// A question about this mission, tagged with its categories, its source the mission's first.
    #[allow(clippy::too_many_arguments)]
    fn question(
        &self,
        kind: QKind,
        id: String,
        text: String,
        options: Vec<String>,
        correct: usize,
        answer: String,
        explanation: String,
        difficulty: Difficulty,
    ) -> Question {
        Question {
            id,
            kind,
            text,
            options,
            correct,
            answer,
            accept: Vec::new(),
            explanation,
            source: first_source(self.m),
            difficulty,
            tags: mission_tags(self.m),
            about: Some(Entity::Mission(self.mi)),
            missions: vec![self.m.id.to_string()],
            agencies: self.m.agencies().map(|a| a.to_string()).collect(),
        }
    }
}

/// Generate one question of `kind` about a random fitting mission; `None` when the knowledge base has nothing
/// that fits (the caller tries another kind).
pub fn generate(kb: &KnowledgeBase, kind: QKind, rng: &mut impl Rng) -> Option<Question> {
    if kb.missions.is_empty() {
        return None;
    }
    let mi = rng.gen_range(0..kb.missions.len());
    // Tagged with the mission's categories by `generate_about`.
    generate_about(kb, kind, mi, rng)
}

/// Generate a question of `kind` about mission `mi`.
pub fn generate_about(kb: &KnowledgeBase, kind: QKind, mi: usize, rng: &mut impl Rng) -> Option<Question> {
    let m = &kb.missions[mi];
    let s = Subject {
        kb,
        m,
        mi,
        lead: kb.agency(&m.lead)?,
    };
    match kind {
        QKind::Lead => lead(&s, rng),
        QKind::Partner => partner(&s, rng),
        QKind::NotPartner => not_partner(&s, rng),
        QKind::LaunchYear => launch_year(&s, rng),
        QKind::Destination => destination(&s, rng),
        QKind::WhichMission => which_mission(&s, rng),
        QKind::SharedMission => shared_mission(&s, rng),
        QKind::TrueFalse => true_false(&s, rng),
        QKind::Curated => None,
    }
}

/// Which agency led X?
fn lead(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi, lead) = (s.kb, s.m, s.mi, s.lead);
    let _ = (kb, mi, lead);
    let base = |id, text, options, correct, answer, explanation, difficulty| {
        s.question(QKind::Lead, id, text, options, correct, answer, explanation, difficulty)
    };
    let wrong = outsider_agencies(kb, m, lead, rng, 3)?;
    let (options, correct) = with_options(label(lead), wrong.iter().map(|a| label(a)).collect(), rng)?;
    let mut q = base(
        format!("g:lead:{}", m.id),
        format!("Which agency led **{}**?", m.name),
        options,
        correct,
        label(lead),
        format!(
            "{} was led by {}, which {}.",
            m.name,
            lead.name,
            m.lead_role.as_deref().unwrap_or("led the mission")
        ),
        Difficulty::Easy,
    );
    q.accept = agency_accept(lead);
    Some(q)
}

/// Which of these took part in X?
fn partner(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi, lead) = (s.kb, s.m, s.mi, s.lead);
    let _ = (kb, mi, lead);
    let base = |id, text, options, correct, answer, explanation, difficulty| {
        s.question(
            QKind::Partner,
            id,
            text,
            options,
            correct,
            answer,
            explanation,
            difficulty,
        )
    };
    let p = m.partners.choose(rng)?;
    let pa = kb.agency(&p.agency)?;
    let wrong = outsider_agencies(kb, m, pa, rng, 3)?;
    let (options, correct) = with_options(label(pa), wrong.iter().map(|a| label(a)).collect(), rng)?;
    let mut q = base(
        format!("g:partner:{}:{}", m.id, pa.id),
        format!("Which of these took part in **{}**?", m.name),
        options,
        correct,
        label(pa),
        format!("{} was a partner in {}: it {}.", pa.name, m.name, p.role),
        Difficulty::Medium,
    );
    q.accept = agency_accept(pa);
    Some(q)
}

/// Which of these did NOT take part in X?
fn not_partner(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi, lead) = (s.kb, s.m, s.mi, s.lead);
    let _ = (kb, mi, lead);
    let base = |id, text, options, correct, answer, explanation, difficulty| {
        s.question(
            QKind::NotPartner,
            id,
            text,
            options,
            correct,
            answer,
            explanation,
            difficulty,
        )
    };
    let involved: Vec<&AgencyId> = m.agencies().collect();
    if involved.len() < 3 {
        return None;
    }
    let mut picked: Vec<&AgencyId> = involved.choose_multiple(rng, 3).copied().collect();
    picked.sort();
    let ins: Vec<&Agency> = picked.iter().filter_map(|id| kb.agency(id)).collect();
    let out = *outsider_agencies(kb, m, ins[0], rng, 1)?.first()?;
    let (options, correct) = with_options(label(out), ins.iter().map(|a| label(a)).collect(), rng)?;
    let mut q = base(
        format!("g:notpartner:{}:{}", m.id, out.id),
        format!("Which of these did **not** take part in **{}**?", m.name),
        options,
        correct,
        label(out),
        format!(
            "{} was flown by {}; {} had no part in it.",
            m.name,
            ins.iter().map(|a| label(a)).collect::<Vec<_>>().join(", "),
            out.name
        ),
        Difficulty::Hard,
    );
    q.accept = agency_accept(out);
    Some(q)
}

/// In which year did X launch?
fn launch_year(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi, lead) = (s.kb, s.m, s.mi, s.lead);
    let _ = (kb, mi, lead);
    let base = |id, text, options, correct, answer, explanation, difficulty| {
        s.question(
            QKind::LaunchYear,
            id,
            text,
            options,
            correct,
            answer,
            explanation,
            difficulty,
        )
    };
    let launch = m.launch?;
    let y = launch.year;
    let mut offsets: Vec<i32> = (-6..=6).filter(|d| *d != 0).collect();
    offsets.shuffle(rng);
    let wrong: Vec<String> = offsets
        .into_iter()
        .map(|d| y + d)
        .filter(|w| *w >= 1957 && *w <= 2030)
        .take(3)
        .map(|w| w.to_string())
        .collect();
    if wrong.len() < 3 {
        return None;
    }
    let mut wrong = wrong;
    wrong.sort();
    let mut options = wrong;
    options.push(y.to_string());
    options.sort();
    let correct = options.iter().position(|o| *o == y.to_string())?;
    let verb = if matches!(m.kind, MissionKind::GroundTelescope) {
        "open"
    } else {
        "launch"
    };
    Some(base(
        format!("g:year:{}", m.id),
        format!("In which year did **{}** {verb}?", m.name),
        options,
        correct,
        y.to_string(),
        format!(
            "{} {}ed on {launch}.",
            m.name,
            if verb == "open" { "open" } else { "launch" }
        ),
        if y < 1990 { Difficulty::Hard } else { Difficulty::Medium },
    ))
}

/// Where was X bound?
fn destination(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi, lead) = (s.kb, s.m, s.mi, s.lead);
    let _ = (kb, mi, lead);
    let base = |id, text, options, correct, answer, explanation, difficulty| {
        s.question(
            QKind::Destination,
            id,
            text,
            options,
            correct,
            answer,
            explanation,
            difficulty,
        )
    };
    let right = kb.folded_destination(mi);
    let right_words: Vec<&str> = right.split(' ').filter(|w| w.len() > 2).collect();
    // Other destinations, none sharing a word with this one ("Mars orbit" is not wrong for "Mars").
    let dests = kb.destination_missions();
    let picked = sample_where(
        dests.len(),
        |i| dests[i],
        3,
        |o| {
            let f = kb.folded_destination(o);
            f != right && !f.split(' ').any(|w| w.len() > 2 && right_words.contains(&w))
        },
        rng,
    );
    if picked.len() < 3 {
        return None;
    }
    let wrong: Vec<String> = picked.into_iter().map(|o| kb.missions[o].destination.clone()).collect();
    let (options, correct) = with_options(m.destination.clone(), wrong, rng)?;
    Some(base(
        format!("g:dest:{}", m.id),
        format!("Where was **{}** bound?", m.name),
        options,
        correct,
        m.destination.clone(),
        format!("{}'s destination was {}: {}", m.name, m.destination, m.summary),
        Difficulty::Easy,
    ))
}

/// Which mission is this? (a fact with the name masked)
fn which_mission(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi, lead) = (s.kb, s.m, s.mi, s.lead);
    let _ = (kb, mi, lead);
    let base = |id, text, options, correct, answer, explanation, difficulty| {
        s.question(
            QKind::WhichMission,
            id,
            text,
            options,
            correct,
            answer,
            explanation,
            difficulty,
        )
    };
    let names: Vec<String> = std::iter::once(m.name.clone())
        .chain(m.aliases.iter().cloned())
        .collect();
    let mut facts: Vec<&crate::kb::Fact> = m.facts.iter().collect();
    facts.shuffle(rng);
    for f in facts {
        let Some(masked) = mask(&f.text, &names) else { continue };
        // Distractors: other missions whose names do not appear in the fact, of a different destination.
        let text_folded = fold(&f.text);
        let dest = kb.folded_destination(mi);
        // Preferably of the same kind of mission.
        let picked = missions_where(
            kb,
            m.kind,
            3,
            |o| {
                o != mi
                    && kb.folded_destination(o) != dest
                    && kb.folded_names(o).all(|n| !contains_words(&text_folded, n))
            },
            rng,
        );
        if picked.len() < 3 {
            return None;
        }
        let wrong: Vec<String> = picked.into_iter().map(|o| kb.missions[o].name.clone()).collect();
        let (options, correct) = with_options(m.name.clone(), wrong, rng)?;
        let mut q = base(
            format!("g:which:{}:{}", m.id, m.facts.iter().position(|x| x == f).unwrap_or(0)),
            format!("Which mission is this? “{masked}”"),
            options,
            correct,
            m.name.clone(),
            f.text.clone(),
            Difficulty::Hard,
        );
        q.source = f.source.clone();
        q.accept = m.aliases.clone();
        return Some(q);
    }
    None
}

/// Which mission did A and B fly together?
fn shared_mission(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi, lead) = (s.kb, s.m, s.mi, s.lead);
    let _ = (kb, mi, lead);
    let base = |id, text, options, correct, answer, explanation, difficulty| {
        s.question(
            QKind::SharedMission,
            id,
            text,
            options,
            correct,
            answer,
            explanation,
            difficulty,
        )
    };
    let involved: Vec<&AgencyId> = m.agencies().collect();
    if involved.len() < 2 {
        return None;
    }
    let pair: Vec<&AgencyId> = involved.choose_multiple(rng, 2).copied().collect();
    let (a, b) = (kb.agency(pair[0])?, kb.agency(pair[1])?);
    let picked = missions_where(
        kb,
        m.kind,
        3,
        |o| {
            let o = &kb.missions[o];
            !(o.involves(&a.id) && o.involves(&b.id))
        },
        rng,
    );
    if picked.len() < 3 {
        return None;
    }
    let wrong: Vec<String> = picked.into_iter().map(|o| kb.missions[o].name.clone()).collect();
    let (options, correct) = with_options(m.name.clone(), wrong, rng)?;
    let mut q = base(
        format!("g:shared:{}:{}:{}", m.id, a.id, b.id),
        format!(
            "Which of these missions did **{}** and **{}** fly together?",
            label(a),
            label(b)
        ),
        options,
        correct,
        m.name.clone(),
        format!(
            "In {}, {} {} and {} {}.",
            m.name,
            label(a),
            m.role_of(&a.id).unwrap_or("took part"),
            label(b),
            m.role_of(&b.id).unwrap_or("took part")
        ),
        Difficulty::Hard,
    );
    q.accept = m.aliases.clone();
    Some(q)
}

/// True or false: a launch year, a lead, or a fact.
fn true_false(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi, lead) = (s.kb, s.m, s.mi, s.lead);
    let _ = (kb, mi, lead);
    let base = |id, text, options, correct, answer, explanation, difficulty| {
        s.question(
            QKind::TrueFalse,
            id,
            text,
            options,
            correct,
            answer,
            explanation,
            difficulty,
        )
    };
    let truth = rng.gen_bool(0.5);
    let (statement, explanation) = match rng.gen_range(0..3) {
        0 if m.launch.is_some() => {
            let y = m.launch?.year;
            let shown = if truth {
                y
            } else {
                y + [-3, -2, 2, 3][rng.gen_range(0..4)]
            };
            (
                format!("{} launched in {shown}.", m.name),
                format!("{} launched on {}.", m.name, m.launch?),
            )
        }
        1 => {
            let shown = if truth {
                lead
            } else {
                *outsider_agencies(kb, m, lead, rng, 1)?.first()?
            };
            (
                format!("{} led {}.", shown.name, m.name),
                format!("{} was led by {}.", m.name, lead.name),
            )
        }
        _ => {
            if truth {
                let f = m.facts.choose(rng)?;
                (f.text.clone(), f.text.clone())
            } else {
                let dest = kb.folded_destination(mi);
                let dests = kb.destination_missions();
                let other = sample_where(dests.len(), |i| dests[i], 1, |o| kb.folded_destination(o) != dest, rng)
                    .first()
                    .map(|&o| kb.missions[o].destination.clone())?;
                (
                    format!("{}'s destination was {other}.", m.name),
                    format!("{}'s destination was {}, not {other}.", m.name, m.destination),
                )
            }
        }
    };
    let options = vec!["True".to_string(), "False".to_string()];
    let correct = if truth { 0 } else { 1 };
    let mut q = base(
        format!("g:tf:{}:{}", m.id, fold(&statement).len()),
        format!("True or false: {statement}"),
        options,
        correct,
        if truth { "True".into() } else { "False".into() },
        explanation,
        Difficulty::Easy,
    );
    q.accept = vec![if truth { "yes".into() } else { "no".into() }];
    Some(q)
}

/// Whole-word containment on folded text.
fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let bytes = haystack.as_bytes();
    let mut from = 0;
    while let Some(found) = haystack[from..].find(needle) {
        let at = from + found;
        let end = at + needle.len();
        if (at == 0 || bytes[at - 1] == b' ') && (end == bytes.len() || bytes[end] == b' ') {
            return true;
        }
        // Matches may overlap: look again from the next character.
        from = at + haystack[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Replace every mention of the mission's names in a fact with "this mission"; `None` when the fact names none
/// of them (it would not be about the mission clearly enough) or still names one after masking.
fn mask(text: &str, names: &[String]) -> Option<String> {
    let mut out = text.to_string();
    let mut changed = false;
    let mut names: Vec<&String> = names.iter().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for n in names {
        if n.chars().count() < 3 {
            continue;
        }
        let lower = out.to_lowercase();
        let nl = n.to_lowercase();
        let mut result = String::new();
        let mut last = 0;
        for (i, _) in lower.match_indices(&nl) {
            if i < last {
                continue;
            }
            let before_ok = lower[..i].chars().last().is_none_or(|c| !c.is_alphanumeric());
            let after_ok = lower[i + nl.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok && out.is_char_boundary(i) && out.is_char_boundary(i + nl.len()) {
                result.push_str(&out[last..i]);
                result.push_str("this mission");
                last = i + nl.len();
                changed = true;
            }
        }
        result.push_str(&out[last..]);
        out = result;
    }
    if !changed {
        return None;
    }
    // "this mission's" reads fine; a sentence starting with it needs a capital.
    let mut chars = out.chars();
    let out = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => out,
    };
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::sample_where;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn sampling_finds_exactly_the_passing_candidates_when_there_are_few() {
        let mut rng = StdRng::seed_from_u64(1);
        // 1,000 candidates, two pass: the draws miss them, the scan finds both.
        let mut got = sample_where(1_000, |i| i, 3, |c| c == 17 || c == 980, &mut rng);
        got.sort();
        assert_eq!(got, [17, 980]);
        // A small list is scanned whole.
        let mut got = sample_where(10, |i| i * 2, 5, |c| c % 4 == 0, &mut rng);
        got.sort();
        assert_eq!(got.len(), 5);
        assert!(got.iter().all(|c| c % 4 == 0 && *c < 20));
        assert!(sample_where(500, |i| i, 0, |_| true, &mut rng).is_empty());
    }

    #[test]
    fn sampling_gives_distinct_passing_candidates_each_about_as_often() {
        let mut rng = StdRng::seed_from_u64(2);
        let mut seen = [0u32; 200];
        for _ in 0..10_000 {
            let got = sample_where(200, |i| i, 3, |c| c % 2 == 0, &mut rng);
            assert_eq!(got.len(), 3);
            assert!(got.iter().all(|c| c % 2 == 0));
            assert!(got[0] != got[1] && got[1] != got[2] && got[0] != got[2], "{got:?}");
            for c in got {
                seen[c] += 1;
            }
        }
        // 30,000 picks over 100 passing candidates: 300 each expected.
        let evens: Vec<u32> = seen.iter().step_by(2).copied().collect();
        assert!(evens.iter().all(|&n| (200..400).contains(&n)), "{evens:?}");
        assert!(seen.iter().skip(1).step_by(2).all(|&n| n == 0));
    }
}
