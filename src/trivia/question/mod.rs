//! Questions: generated from the knowledge base (eight kinds and more) or curated in `data/`, and filtered by
//! category and difficulty. Randomness comes in as an argument: the same seed gives the same questions.
//!
//! Every generated question is checked against the knowledge base before it is used: exactly one option is right
//! (a "which took part" question never offers a second participant), and no two options read the same.

mod generate;

pub use generate::{generate, generate_about};

use crate::kb::{CuratedQuestion, Difficulty, Entity, KnowledgeBase, Mission, MissionKind};
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
    /// The ids of the missions and agencies the question is about.
    pub missions: Vec<String>,
    pub agencies: Vec<String>,
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
    }
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
