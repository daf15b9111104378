//! Questions: generated from the knowledge base (eight kinds and more) or curated in `data/`, and filtered by
//! category and difficulty. Randomness comes in as an argument: the same seed gives the same questions.
//!
//! Every generated question is checked against the knowledge base before it is used: exactly one option is right
//! (a "which took part" question never offers a second participant), and no two options read the same.

use crate::kb::{Agency, AgencyId, CuratedQuestion, Difficulty, Entity, KnowledgeBase, Mission, MissionKind};
use crate::text::fold;
use rand::seq::SliceRandom;
use rand::Rng;
use serde::Serialize;
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QKind {
    /// Which agency led X?
    Lead,
    /// Which of these took part in X?
    Partner,
    /// Which of these did NOT take part in X?
    NotPartner,
    /// In which year did X launch?
    LaunchYear,
    /// What was X's destination?
    Destination,
    /// Which mission did this? (from a fact)
    WhichMission,
    /// Which mission did A and B fly together?
    SharedMission,
    /// True or false?
    TrueFalse,
    /// Written by a person, in data/.
    Curated,
}

impl QKind {
    pub const GENERATED: [QKind; 8] = [
        QKind::Lead,
        QKind::Partner,
        QKind::NotPartner,
        QKind::LaunchYear,
        QKind::Destination,
        QKind::WhichMission,
        QKind::SharedMission,
        QKind::TrueFalse,
    ];
}

/// A question ready to ask.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// Stable and short: `c:<curated id>` or `g:<kind>:<mission>:<n>`.
    pub id: String,
    pub kind: QKind,
    pub text: String,
    /// Button options; empty for a typed answer (`/answer`).
    pub options: Vec<String>,
    /// Index of the right option (0 for typed questions).
    pub correct: usize,
    /// The canonical answer, as shown at the reveal.
    pub answer: String,
    /// Other typed answers that count.
    pub accept: Vec<String>,
    /// One sentence that teaches.
    pub explanation: String,
    pub source: String,
    pub difficulty: Difficulty,
    /// Categories this question belongs to.
    pub tags: Vec<String>,
    /// What "Learn more" shows.
    pub about: Option<Entity>,
}

impl Question {
    pub fn is_typed(&self) -> bool {
        self.options.is_empty()
    }
}

/// The categories a game can be restricted to (tags on curated questions, derived ones on generated questions).
pub const CATEGORIES: [(&str, &str); 16] = [
    ("Human spaceflight", "human-spaceflight"),
    ("Space telescopes and observatories", "astronomy"),
    ("Mars", "mars"),
    ("The Moon", "moon"),
    ("Outer planets", "outer-planets"),
    ("Comets and asteroids", "small-bodies"),
    ("The Sun", "sun"),
    ("Earth observation", "earth"),
    ("Agencies", "agencies"),
    ("History (before 1990)", "history"),
    ("NASA", "nasa"),
    ("ESA", "esa"),
    ("JAXA", "jaxa"),
    ("Roscosmos and the Soviet programme", "roscosmos"),
    ("ISRO", "isro"),
    ("China (CNSA and CMSA)", "china"),
];

/// The categories a mission falls in.
pub fn mission_tags(m: &Mission) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let d = fold(&m.destination);
    let has = |w: &[&str]| w.iter().any(|x| d.split(' ').any(|y| y == *x) || d.contains(x));
    if matches!(m.kind, MissionKind::Station | MissionKind::CrewedFlight) {
        tags.push("human-spaceflight".into());
    }
    if matches!(m.kind, MissionKind::SpaceTelescope | MissionKind::GroundTelescope) {
        tags.push("astronomy".into());
    }
    if has(&["mars", "phobos", "deimos"]) {
        tags.push("mars".into());
    }
    if has(&["moon"]) && !has(&["moons"]) {
        tags.push("moon".into());
    }
    if has(&[
        "jupiter",
        "saturn",
        "titan",
        "europa",
        "pluto",
        "uranus",
        "neptune",
        "interstellar",
        "ganymede",
    ]) {
        tags.push("outer-planets".into());
    }
    if has(&[
        "comet", "asteroid", "didymos", "bennu", "ryugu", "itokawa", "ceres", "vesta", "halley", "apophis", "arrokoth",
    ]) {
        tags.push("small-bodies".into());
    }
    if has(&["sun"]) && !has(&["l2"]) {
        tags.push("sun".into());
    }
    if has(&["earth"])
        && !matches!(
            m.kind,
            MissionKind::Station
                | MissionKind::CrewedFlight
                | MissionKind::SpaceTelescope
                | MissionKind::GroundTelescope
        )
    {
        tags.push("earth".into());
    }
    if m.launch.is_some_and(|l| l.year < 1990) {
        tags.push("history".into());
    }
    for a in m.agencies() {
        let t = agency_category(a.as_str());
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    tags
}

/// The category an agency's questions count toward: predecessors and siblings join their family.
pub fn agency_category(id: &str) -> &str {
    match id {
        "ussr" | "roscosmos" => "roscosmos",
        "cnsa" | "cmsa" => "china",
        "isas" | "nasda" => "jaxa",
        other => other,
    }
}

/// What a game asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Filter {
    pub category: Option<String>,
    pub difficulty: Option<Difficulty>,
}

impl Filter {
    /// The filter a command asked for with its `category:` and `difficulty:` options, or what was wrong with them.
    pub fn from_request(req: &crate::commands::Request) -> Result<Filter, String> {
        let difficulty = match req.str("difficulty") {
            None => None,
            Some(d) => match Difficulty::ALL.iter().find(|(n, _)| *n == d) {
                Some((_, v)) => Some(*v),
                None => return Err("`difficulty` is easy, medium or hard.".into()),
            },
        };
        let category = req.str("category").map(String::from);
        if category
            .as_ref()
            .is_some_and(|c| !CATEGORIES.iter().any(|(_, v)| v == c))
        {
            return Err("That category is not one I know: pick one from the list.".into());
        }
        Ok(Filter { category, difficulty })
    }

    pub fn admits(&self, q: &Question) -> bool {
        self.category.as_ref().is_none_or(|c| q.tags.iter().any(|t| t == c))
            && self.difficulty.is_none_or(|d| q.difficulty == d)
    }
}

/// A curated question from the data, ready to ask (options shuffled).
pub fn curated(kb: &KnowledgeBase, c: &CuratedQuestion, rng: &mut impl Rng) -> Question {
    let order = option_order(c, rng);
    curated_in_order(kb, c, order)
}

/// The order a game shows a curated question's options in: True before False, others shuffled (drawing from `rng`
/// exactly as shuffling the options themselves would).
fn option_order(c: &CuratedQuestion, rng: &mut impl Rng) -> Option<Vec<usize>> {
    let options = &c.options;
    let true_false = options.len() == 2 && options.iter().any(|o| o == "True") && options.iter().any(|o| o == "False");
    if true_false {
        return None;
    }
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.shuffle(rng);
    Some(order)
}

/// Whether a curated question is in `category`: one of its tags or agencies, or an agency's category.
fn curated_in(c: &CuratedQuestion, category: &str) -> bool {
    c.tags
        .iter()
        .map(String::as_str)
        .chain(c.agencies.iter().map(|a| a.as_str()))
        .any(|t| t == category || agency_category(t) == category)
}

fn curated_in_order(kb: &KnowledgeBase, c: &CuratedQuestion, order: Option<Vec<usize>>) -> Question {
    let options: Vec<String> = match order {
        None => vec!["True".into(), "False".into()],
        Some(order) => order.into_iter().map(|i| c.options[i].clone()).collect(),
    };
    let correct = options.iter().position(|o| *o == c.answer).unwrap_or(0);
    let mut tags: Vec<String> = Vec::new();
    for t in c
        .tags
        .iter()
        .map(String::as_str)
        .chain(c.agencies.iter().map(|a| a.as_str()))
    {
        for t in [t, agency_category(t)] {
            if !tags.iter().any(|x| x == t) {
                tags.push(t.to_string());
            }
        }
    }
    let about = c
        .missions
        .first()
        .and_then(|m| kb.mission_index(m).map(Entity::Mission))
        .or_else(|| c.agencies.first().and_then(|a| kb.agency_index(a).map(Entity::Agency)));
    Question {
        id: format!("c:{}", c.id),
        kind: QKind::Curated,
        text: c.question.clone(),
        options,
        correct,
        answer: c.answer.clone(),
        accept: c.accept.clone(),
        explanation: c.explanation.clone(),
        source: c.source.clone(),
        difficulty: c.difficulty,
        tags,
        about,
    }
}

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
    let lead = kb.agency(&m.lead)?;
    let base = |id: String,
                text: String,
                options: Vec<String>,
                correct: usize,
                answer: String,
                explanation: String,
                difficulty: Difficulty| Question {
        id,
        kind,
        text,
        options,
        correct,
        answer,
        accept: Vec::new(),
        explanation,
        source: first_source(m),
        difficulty,
        tags: mission_tags(m),
        about: Some(Entity::Mission(mi)),
    };
    match kind {
        QKind::Lead => {
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
        QKind::Partner => {
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
        QKind::NotPartner => {
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
        QKind::LaunchYear => {
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
        QKind::Destination => {
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
        QKind::WhichMission => {
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
        QKind::SharedMission => {
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
        QKind::TrueFalse => {
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
                        let other =
                            sample_where(dests.len(), |i| dests[i], 1, |o| kb.folded_destination(o) != dest, rng)
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
        QKind::Curated => None,
    }
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

/// The questions for a game: curated and generated mixed, no question (or mission) twice, filtered.
pub fn pick_questions(kb: &KnowledgeBase, filter: &Filter, n: usize, rng: &mut impl Rng) -> Vec<Question> {
    let mut out: Vec<Question> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut used_about: HashSet<Entity> = HashSet::new();
    // The curated questions that fit, each with its option order drawn now; a question is built only when asked.
    let mut curated_pool: Vec<(&CuratedQuestion, Option<Vec<usize>>)> = kb
        .questions
        .iter()
        .map(|c| (c, option_order(c, rng)))
        .filter(|(c, _)| {
            filter.category.as_deref().is_none_or(|cat| curated_in(c, cat))
                && filter.difficulty.is_none_or(|d| c.difficulty == d)
        })
        .collect();
    curated_pool.shuffle(rng);
    let mut attempts = 0;
    while out.len() < n && attempts < n * 60 + 100 {
        attempts += 1;
        // About a third curated, when there are any.
        let q = if rng.gen_bool(0.35) && !curated_pool.is_empty() {
            curated_pool.pop().map(|(c, order)| curated_in_order(kb, c, order))
        } else {
            let kind = QKind::GENERATED[rng.gen_range(0..QKind::GENERATED.len())];
            generate(kb, kind, rng).filter(|q| filter.admits(q))
        };
        let Some(q) = q else { continue };
        if used_ids.contains(&q.id) || q.about.is_some_and(|a| used_about.contains(&a) && attempts < n * 30) {
            continue;
        }
        used_ids.insert(q.id.clone());
        if let Some(a) = q.about {
            used_about.insert(a);
        }
        out.push(q);
    }
    out
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
