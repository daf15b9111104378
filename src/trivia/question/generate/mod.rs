//! Generated questions, one function per kind, each about one mission, built by the rules of multiple-choice item
//! writing (Haladyna, Downing and Rodriguez 2002; `../shared/QUESTIONS.md`):
//! - **Grammar by construction.** Names, places, dates and tenses come from [`phrase`](super::phrase); "Which mission
//!   is this?" uses only the clues the data gives (`clue`, checked when loaded to hide the name), never a mask.
//! - **Options of one kind.** Agencies with space agencies (no companies, no programmes) that existed at the time;
//!   spacecraft with spacecraft of the same group and era; destinations with destinations of the same class; years
//!   close to the key and never after the data's `as_of` year. Launch, destination and "which mission" questions only
//!   about missions that have launched; "bound for" only for journeys beyond Earth's neighbourhood.
//! - **A distractor is known to be wrong.** "Which took part", "which did NOT take part" and "which did both fly"
//!   offer as wrong only what a partner list marked complete (`partners_complete`) leaves out, or an agency that did
//!   not exist then; an agency and its successors count as one.
//! - **No clue in the stem.** A question whose stem already says a word of its answer (a destination in a mission's
//!   name, an agency's acronym) is not asked.
//! - **The explanation teaches the truth**: the real lead and partners, the date in words, the fact from the data.
//!
//! Each question lists the facts it uses (`facts`), so a game never asks one fact twice or gives one answer away in
//! another question's explanation.

mod agencies;
mod missions;

use super::phrase as say;
use super::{is_space_agency, mission_tags, Group, QKind, Question};
use crate::kb::{Agency, Difficulty, Entity, KnowledgeBase, Mission, MissionKind};
use crate::text::fold;
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::HashSet;

/// Generate one question of `kind` about a random fitting mission; `None` when the mission drawn does not fit the
/// kind (the caller draws again).
pub fn generate(kb: &KnowledgeBase, kind: QKind, rng: &mut impl Rng) -> Option<Question> {
    if kb.missions.is_empty() {
        return None;
    }
    let mi = rng.gen_range(0..kb.missions.len());
    generate_about(kb, kind, mi, rng)
}

/// Generate a question of `kind` about mission `mi`.
pub fn generate_about(kb: &KnowledgeBase, kind: QKind, mi: usize, rng: &mut impl Rng) -> Option<Question> {
    let m = &kb.missions[mi];
    // The lead comes first among the mission's agencies (positions, found once when the data was loaded).
    let lead = &kb.agencies[*kb.mission_agency_ix(mi).first()?];
    if lead.id != m.lead {
        return None;
    }
    let s = Subject { kb, m, mi, lead };
    match kind {
        QKind::Lead => agencies::lead(&s, rng),
        QKind::Partner => agencies::partner(&s, rng),
        QKind::NotPartner => agencies::not_partner(&s, rng),
        QKind::SharedMission => agencies::shared_mission(&s, rng),
        QKind::LaunchYear => missions::launch_year(&s, rng),
        QKind::Destination => missions::destination(&s, rng),
        QKind::WhichMission => missions::which_mission(&s, rng),
        QKind::TrueFalse => missions::true_false(&s, rng),
        QKind::Curated | QKind::Pack => None,
    }
}

/// The mission a question is about, and what every kind needs of it.
struct Subject<'a> {
    kb: &'a KnowledgeBase,
    m: &'a Mission,
    mi: usize,
    lead: &'a Agency,
}

/// What a kind puts together; [`Subject::question`] makes the question of it.
struct Draft {
    kind: QKind,
    /// What tells this question from the mission's others of its kind (an agency id, a fact's number).
    variant: String,
    text: String,
    options: Vec<String>,
    correct: usize,
    explanation: String,
    difficulty: Difficulty,
    /// The facts it uses, stem and explanation together.
    facts: Vec<String>,
    /// The agencies it is about, besides the mission's own.
    agencies: Vec<String>,
    source: Option<String>,
}

impl Subject<'_> {
    fn question(&self, d: Draft) -> Question {
        let answer = d.options.get(d.correct).cloned().unwrap_or_default();
        let mut agencies: Vec<String> = self.m.agencies().map(|a| a.to_string()).collect();
        for a in d.agencies {
            if !agencies.contains(&a) {
                agencies.push(a);
            }
        }
        Question {
            id: question_id(d.kind, self.m.id.as_str(), &d.variant),
            kind: d.kind,
            text: d.text,
            options: d.options,
            correct: d.correct,
            answer,
            accept: Vec::new(),
            explanation: d.explanation,
            source: d
                .source
                .unwrap_or_else(|| self.m.sources.first().cloned().unwrap_or_default()),
            difficulty: d.difficulty,
            tags: mission_tags(self.m),
            about: Some(Entity::Mission(self.mi)),
            missions: vec![self.m.id.to_string()],
            agencies,
            facts: d.facts,
        }
    }

    /// "the Hubble Space Telescope".
    fn name(&self) -> String {
        say::mission(self.m)
    }

    /// A fact key about this mission: `lead:hubble`.
    fn key(&self, what: &str) -> String {
        format!("{what}:{}", self.m.id)
    }

    /// The agencies that took part (lead first) that are space agencies.
    fn space_agencies(&self) -> Vec<&Agency> {
        self.kb
            .mission_agency_ix(self.mi)
            .iter()
            .map(|&i| &self.kb.agencies[i])
            .filter(|a| is_space_agency(a))
            .collect()
    }

    /// Whether a word of `label` (an agency's acronym or name) stands in the mission's name: the stem would give it
    /// away.
    fn name_says(&self, label: &str) -> bool {
        let name = fold(&self.m.name);
        let words: HashSet<&str> = name.split(' ').collect();
        fold(label).split(' ').any(|w| w.len() >= 3 && words.contains(w))
    }
}

/// A question's stable id: `g:<kind>:<mission>:<variant>`, short enough for a Report button's id (a long variant is
/// replaced by its hash).
fn question_id(kind: QKind, mission: &str, variant: &str) -> String {
    let full = if variant.is_empty() {
        format!("g:{}:{mission}", kind.label())
    } else {
        format!("g:{}:{mission}:{variant}", kind.label())
    };
    if full.len() <= 80 {
        return full;
    }
    // FNV-1a, 64 bits: stable across builds and platforms.
    let hash = variant.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let short: String = mission.chars().take(44).collect();
    format!("g:{}:{short}:{hash:016x}", kind.label())
}

/// Up to `n` different items, at random, of the `count` candidates `at(0)`, … `at(count - 1)` that pass `ok`. A big
/// list is sampled: when most candidates pass, a few random draws find `n` without looking at the rest. A small
/// list, or one where the draws came up short, is scanned whole. Either way every passing candidate is as likely
/// to be chosen as any other.
pub(super) fn sample_where(
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

/// Up to `n` missions of `group` that pass `ok`, at random.
fn missions_in(
    kb: &KnowledgeBase,
    group: Group,
    n: usize,
    ok: impl Fn(usize) -> bool,
    rng: &mut impl Rng,
) -> Vec<usize> {
    let lists: Vec<&[usize]> = group.kinds().iter().map(|k| kb.missions_of_kind(*k)).collect();
    let count: usize = lists.iter().map(|l| l.len()).sum();
    let at = |mut i: usize| {
        for l in &lists {
            if i < l.len() {
                return l[i];
            }
            i -= l.len();
        }
        0
    };
    sample_where(count, at, n, ok, rng)
}

/// The options, shuffled, and where the right one went; `None` when two would read the same.
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

/// Whether two names share a word, or the start of one (`Jupiter` and `Jupiter's icy moons`).
fn shares_a_word(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    a.split(' ').filter(|w| w.len() > 2).any(|x| {
        b.split(' ')
            .filter(|w| w.len() > 2)
            .any(|y| x == y || (x.len() >= 4 && y.starts_with(x)) || (y.len() >= 4 && x.starts_with(y)))
    })
}

/// What a typed answer naming an agency may say: its name, acronym or aliases.
fn agency_accept(a: &Agency) -> Vec<String> {
    let mut v = vec![a.name.clone()];
    v.extend(a.acronym.clone());
    v.extend(a.aliases.iter().cloned());
    v
}

/// The mission kinds asked about together.
impl Group {
    pub(super) fn kinds(self) -> &'static [MissionKind] {
        match self {
            Group::Telescope => &[MissionKind::SpaceTelescope],
            Group::Crewed => &[MissionKind::CrewedFlight, MissionKind::Station],
            Group::Robotic => &[
                MissionKind::Orbiter,
                MissionKind::Lander,
                MissionKind::Rover,
                MissionKind::Flyby,
                MissionKind::Probe,
                MissionKind::SampleReturn,
                MissionKind::Impactor,
            ],
            Group::Satellite => &[MissionKind::Satellite],
            Group::Programme => &[MissionKind::Programme],
            Group::Ground => &[MissionKind::GroundTelescope],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{question_id, sample_where};
    use crate::trivia::question::QKind;
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

    #[test]
    fn question_ids_stay_short_enough_for_a_button() {
        assert_eq!(question_id(QKind::Lead, "hubble", ""), "g:lead:hubble");
        assert_eq!(question_id(QKind::Partner, "iss", "esa"), "g:partner:iss:esa");
        let long = question_id(
            QKind::SharedMission,
            &"m".repeat(48),
            &format!("{}:{}", "a".repeat(48), "b".repeat(48)),
        );
        assert!(long.len() <= 80, "{long}");
        assert_eq!(
            long,
            question_id(
                QKind::SharedMission,
                &"m".repeat(48),
                &format!("{}:{}", "a".repeat(48), "b".repeat(48))
            )
        );
    }
}
