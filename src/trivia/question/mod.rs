//! Questions: generated from the knowledge base (eight kinds) or curated in `data/`, filtered by category and
//! difficulty, and picked for a game so that no fact is asked twice. Randomness comes in as an argument: the same
//! seed gives the same questions.
//!
//! # Layout
//! - this file: [`Question`], the categories and filters, what the kinds have in common (which agencies are space
//!   agencies, which missions have launched, which kinds of mission and destination go together, difficulty from
//!   evidence, calibration from play).
//! - `pick`: [`pick_questions_with`], which chooses a game's questions from the knowledge base, a pack or both.
//! - `generate`: one function per generated kind, by the item-writing rules its module comment lists.
//! - `phrase`: names, places, dates and tenses as a sentence needs them.

mod generate;
pub mod phrase;
mod pick;

pub use generate::{generate, generate_about};
pub use pick::{pick_questions, pick_questions_from, pick_questions_with, History, Source};

use crate::kb::{
    Agency, AgencyKind, CuratedQuestion, DestinationKind, Difficulty, Entity, KnowledgeBase, Mission, MissionKind,
    Renown, Status,
};
use crate::text::fold;
use rand::seq::SliceRandom;
use rand::Rng;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

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
    /// From a teacher's question pack.
    Pack,
}

impl QKind {
    /// How the kind is named in answer keys and reports (`curated`, `lead`, `launch-year`, …).
    pub fn label(self) -> &'static str {
        match self {
            QKind::Lead => "lead",
            QKind::Partner => "partner",
            QKind::NotPartner => "not-partner",
            QKind::LaunchYear => "launch-year",
            QKind::Destination => "destination",
            QKind::WhichMission => "which-mission",
            QKind::SharedMission => "shared-mission",
            QKind::TrueFalse => "true-false",
            QKind::Curated => "curated",
            QKind::Pack => "pack",
        }
    }

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
    /// Stable and short: `c:<curated id>`, `g:<kind>:<mission>:<n>`, or `p:<hash>` for a pack's question.
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
    /// The ids of the missions and agencies the question is about.
    pub missions: Vec<String>,
    pub agencies: Vec<String>,
    /// The facts the question uses, in its stem and its explanation (`launch:hubble`, `lead:hubble`): a game asks
    /// each at most once, so no question gives another's answer away.
    pub facts: Vec<String>,
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
    /// The filter of `category` and `difficulty` values as options carry them, or what is wrong with them.
    pub fn from_values(category: Option<&str>, difficulty: Option<&str>) -> Result<Filter, String> {
        let difficulty = match difficulty {
            None => None,
            Some(d) => match Difficulty::ALL.iter().find(|(n, _)| *n == d) {
                Some((_, v)) => Some(*v),
                None => return Err("`difficulty` is easy, medium or hard.".into()),
            },
        };
        if category.is_some_and(|c| !CATEGORIES.iter().any(|(_, v)| *v == c)) {
            return Err("That category is not one I know: pick one from the list.".into());
        }
        Ok(Filter {
            category: category.map(String::from),
            difficulty,
        })
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
        missions: c.missions.iter().map(|m| m.to_string()).collect(),
        agencies: c.agencies.iter().map(|a| a.to_string()).collect(),
        facts: vec![format!("curated:{}", c.id)],
    }
}

/// A pack's question, ready to ask: its id is `id` ([`crate::packs::question_id`]); its text and explanation are
/// shown as the teacher wrote them (markdown escaped); "Learn more" shows a mission or agency the knowledge base has
/// that it lists (`missions`, `agencies`), or else that its question or answer names, and none otherwise.
pub fn pack_question(kb: &KnowledgeBase, c: &CuratedQuestion, id: String, order: Option<Vec<usize>>) -> Question {
    let mut q = curated_in_order(kb, c, order);
    q.kind = QKind::Pack;
    q.facts = vec![format!("pack:{id}")];
    q.id = id;
    q.text = crate::text::escape_markdown(&c.question);
    q.explanation = crate::text::escape_markdown(&c.explanation);
    if q.about.is_none() {
        q.about = named_in(kb, &format!("{} {}", c.question, c.answer));
    }
    q
}

/// The first mission, else agency, of the knowledge base that `text` names: a name or alias (whole words, any case
/// and accents), or an acronym written in capitals (`ESA`, not "esa").
pub fn named_in(kb: &KnowledgeBase, text: &str) -> Option<Entity> {
    let folded = fold(text);
    let names = |n: &str| {
        let f = fold(n);
        f.len() >= 3 && contains_words(&folded, &f)
    };
    (0..kb.missions.len())
        .find(|&i| kb.folded_names(i).any(|f| f.len() >= 3 && contains_words(&folded, f)))
        .map(Entity::Mission)
        .or_else(|| {
            kb.agencies
                .iter()
                .position(|a| {
                    names(&a.name)
                        || a.aliases.iter().any(|al| names(al))
                        || a.acronym
                            .as_ref()
                            .is_some_and(|ac| text.split(|c: char| !c.is_alphanumeric()).any(|w| w == ac.as_str()))
                })
                .map(Entity::Agency)
        })
}

/// Whether an organisation is a space agency (national or intergovernmental): only these are offered as agencies.
pub fn is_space_agency(a: &Agency) -> bool {
    matches!(a.kind, AgencyKind::NationalAgency | AgencyKind::Intergovernmental)
}

/// Whether an organisation is known to have existed in `year` (founded by then, not yet dissolved); one whose
/// founding the data does not give is never offered as existing.
pub fn existed_in(a: &Agency, year: i32) -> bool {
    a.founded.is_some_and(|f| f.year <= year) && a.dissolved.is_none_or(|d| d.year >= year)
}

/// Whether two organisations are one, or one took the other over (`successor`, followed both ways).
pub fn related(kb: &KnowledgeBase, a: &Agency, b: &Agency) -> bool {
    match (kb.agency_index(&a.id), kb.agency_index(&b.id)) {
        (Some(a), Some(b)) => kb.agencies_related(a, b),
        _ => a.id == b.id,
    }
}

/// Whether a mission has launched, by the data's `as_of` date: launches, destinations and "which mission" questions
/// are only about these.
pub fn has_launched(kb: &KnowledgeBase, m: &Mission) -> bool {
    matches!(m.status, Status::Active | Status::Completed | Status::Failed)
        && m.launch.is_some_and(|l| l.year <= kb.meta.as_of.year)
}

/// The year a mission's agencies are judged in: its launch, or the data's `as_of` year for one not yet launched.
pub fn reference_year(kb: &KnowledgeBase, m: &Mission) -> i32 {
    m.launch.map_or(kb.meta.as_of.year, |l| l.year.min(kb.meta.as_of.year))
}

/// Missions asked about together: spacecraft with spacecraft of the same kind of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    Telescope,
    Crewed,
    Robotic,
    Satellite,
    Programme,
    Ground,
}

impl Group {
    /// Whether missions of this group are spacecraft that launch (programmes and ground telescopes do not).
    pub fn is_spacecraft(self) -> bool {
        !matches!(self, Group::Programme | Group::Ground)
    }
}

/// The group of a kind of mission.
pub fn group_of(kind: MissionKind) -> Group {
    match kind {
        MissionKind::SpaceTelescope => Group::Telescope,
        MissionKind::CrewedFlight | MissionKind::Station => Group::Crewed,
        MissionKind::Satellite => Group::Satellite,
        MissionKind::Programme => Group::Programme,
        MissionKind::GroundTelescope => Group::Ground,
        MissionKind::Orbiter
        | MissionKind::Lander
        | MissionKind::Rover
        | MissionKind::Flyby
        | MissionKind::Probe
        | MissionKind::SampleReturn
        | MissionKind::Impactor => Group::Robotic,
    }
}

/// Destinations offered side by side: worlds (the Moon, the planets and their moons, the Sun) or small bodies.
/// `None` for the rest (a journey to interstellar space has no like).
pub fn destination_class(kind: DestinationKind) -> Option<u8> {
    match kind {
        DestinationKind::Moon | DestinationKind::Planet | DestinationKind::PlanetaryMoon | DestinationKind::Sun => {
            Some(0)
        }
        DestinationKind::SmallBody => Some(1),
        _ => None,
    }
}

/// A generated question's difficulty from evidence: the kind's own (`base`: 0 for the easiest kinds), how well
/// known the mission is, and whether the options are close (years a year apart).
pub fn difficulty_from(base: i32, renown: Renown, close: bool) -> Difficulty {
    let known = match renown {
        Renown::High => -1,
        Renown::Medium => 0,
        Renown::Low => 1,
    };
    match base + known + i32::from(close) {
        ..=0 => Difficulty::Easy,
        1 => Difficulty::Medium,
        _ => Difficulty::Hard,
    }
}

/// Answers a question needs before play decides its difficulty.
pub const CALIBRATE_AFTER: u32 = 20;

/// The difficulty play has shown: easy when 70% or more answered right, hard under 35%, medium between; `None`
/// until the question has [`CALIBRATE_AFTER`] answers.
pub fn calibrated(answers: u32, right: u32) -> Option<Difficulty> {
    if answers < CALIBRATE_AFTER {
        return None;
    }
    let rate = f64::from(right) / f64::from(answers);
    Some(if rate >= 0.70 {
        Difficulty::Easy
    } else if rate < 0.35 {
        Difficulty::Hard
    } else {
        Difficulty::Medium
    })
}

/// Whole-word containment on folded text.
pub(crate) fn contains_words(haystack: &str, needle: &str) -> bool {
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
