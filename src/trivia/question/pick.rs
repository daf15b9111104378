//! Choosing a game's questions: from the knowledge base, a teacher's pack or both, filtered, with no fact asked twice
//! and a server's history (reports, recent questions, difficulty from play) taken into account.

use super::*;

/// Missions tried for a generated kind before the picker moves on: most missions fit only some kinds.
const MISSION_TRIES: usize = 12;

/// What a server's play has taught about the questions: which are kept out after reports, which it asked recently,
/// and how hard each turned out. Empty for a new server, or without a store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Questions kept out of games (reported three times or more, not cleared).
    pub blocked: HashSet<String>,
    /// Questions this server asked recently: avoided while others fit.
    pub recent: HashSet<String>,
    /// Difficulty shown by play, for questions with enough answers.
    pub calibration: HashMap<String, Difficulty>,
}

/// The questions for a new server's game: [`pick_questions_with`] and no history.
pub fn pick_questions(kb: &KnowledgeBase, filter: &Filter, n: usize, rng: &mut impl Rng) -> Vec<Question> {
    pick_questions_with(kb, filter, n, rng, &History::default())
}

/// The questions for a game: curated and generated mixed (about a third curated), filtered by category and
/// difficulty (as play has shown it, where it has), and:
/// - no fact twice: a question's facts (stem and explanation) are asked once in the game;
/// - no mission the subject of more than two questions in ten, and none of both a curated and a generated question;
/// - no question kept out after reports; the server's recent questions only once nothing else fits.
pub fn pick_questions_with(
    kb: &KnowledgeBase,
    filter: &Filter,
    n: usize,
    rng: &mut impl Rng,
    history: &History,
) -> Vec<Question> {
    pick_questions_from(kb, Source::Knowledge, filter, n, rng, history)
}

/// Where a game's questions come from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// The knowledge base: curated and generated questions.
    Knowledge,
    /// A teacher's pack alone: its questions in a random order (the server's recent ones last).
    Pack(&'a [CuratedQuestion]),
    /// A pack mixed with the knowledge base: about half the questions from each.
    Mixed(&'a [CuratedQuestion]),
}

impl<'a> Source<'a> {
    /// The source of a game with a pack's questions (if it has a pack), alone or `mix`ed.
    pub fn of(pack: Option<&'a [CuratedQuestion]>, mix: bool) -> Source<'a> {
        match pack {
            None => Source::Knowledge,
            Some(p) if mix => Source::Mixed(p),
            Some(p) => Source::Pack(p),
        }
    }
}

/// [`pick_questions_with`] from `source`. The knowledge base alone draws exactly as it always has, so a seed asks
/// the same questions as before packs existed.
pub fn pick_questions_from(
    kb: &KnowledgeBase,
    source: Source<'_>,
    filter: &Filter,
    n: usize,
    rng: &mut impl Rng,
    history: &History,
) -> Vec<Question> {
    let difficulty_of = |id: &str, own: Difficulty| history.calibration.get(id).copied().unwrap_or(own);
    // A pack's questions that fit, each with its id and option order drawn now; built only when asked.
    fn pool_of<'p, R: Rng>(
        pack: &'p [CuratedQuestion],
        rng: &mut R,
        keep: impl Fn(&CuratedQuestion, &str) -> bool,
    ) -> Vec<(&'p CuratedQuestion, String, Option<Vec<usize>>)> {
        let mut pool: Vec<(&CuratedQuestion, String, Option<Vec<usize>>)> = pack
            .iter()
            .map(|c| (c, crate::packs::question_id(c), option_order(c, rng)))
            .filter(|(c, id, _)| keep(c, id))
            .collect();
        pool.shuffle(rng);
        pool
    }
    let keep = |c: &CuratedQuestion, id: &str| {
        filter.category.as_deref().is_none_or(|cat| curated_in(c, cat))
            && filter.difficulty.is_none_or(|d| difficulty_of(id, c.difficulty) == d)
            && !history.blocked.contains(id)
    };
    let build = |(c, id, order): (&CuratedQuestion, String, Option<Vec<usize>>)| {
        let mut q = pack_question(kb, c, id, order);
        q.difficulty = difficulty_of(&q.id, q.difficulty);
        q
    };
    let mut mixed = match source {
        Source::Knowledge => None,
        Source::Pack(pack) => {
            let pool = pool_of(pack, rng, keep);
            // The server's recent questions come last: asked only when the rest are used up.
            let (fresh, recent): (Vec<_>, Vec<_>) =
                pool.into_iter().partition(|(_, id, _)| !history.recent.contains(id));
            return fresh.into_iter().chain(recent).take(n).map(build).collect();
        }
        Source::Mixed(pack) => Some(pool_of(pack, rng, keep)),
    };
    let mut out: Vec<Question> = Vec::new();
    // The curated questions that fit, each with its option order drawn now; a question is built only when asked.
    let mut curated_pool: Vec<(&CuratedQuestion, Option<Vec<usize>>)> = kb
        .questions
        .iter()
        .map(|c| (c, option_order(c, rng)))
        .filter(|(c, _)| {
            let id = format!("c:{}", c.id);
            filter.category.as_deref().is_none_or(|cat| curated_in(c, cat))
                && filter.difficulty.is_none_or(|d| difficulty_of(&id, c.difficulty) == d)
                && !history.blocked.contains(&id)
        })
        .collect();
    curated_pool.shuffle(rng);
    let per_mission = 2 * n.div_ceil(10).max(1);
    // No generated kind more than three times in ten.
    let per_kind = (3 * n).div_ceil(10).max(2);
    let mut kinds: HashMap<QKind, usize> = HashMap::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut used_facts: HashSet<String> = HashSet::new();
    let mut per: HashMap<String, usize> = HashMap::new();
    let mut curated_about: HashSet<String> = HashSet::new();
    let mut generated_about: HashSet<String> = HashSet::new();
    let budget = n * 80 + 200;
    let mut attempts = 0;
    while out.len() < n && attempts < budget {
        attempts += 1;
        let from_pack = mixed.as_ref().is_some_and(|p| !p.is_empty()) && rng.gen_bool(0.5);
        let q = if from_pack {
            mixed.as_mut().and_then(Vec::pop).map(build)
        } else if rng.gen_bool(0.35) && !curated_pool.is_empty() {
            curated_pool.pop().map(|(c, order)| curated_in_order(kb, c, order))
        } else {
            // A kind not yet asked its share; a few missions are tried, since most fit only some kinds.
            let kind = QKind::GENERATED[rng.gen_range(0..QKind::GENERATED.len())];
            if kinds.get(&kind).copied().unwrap_or(0) >= per_kind {
                continue;
            }
            (0..MISSION_TRIES).find_map(|_| generate(kb, kind, rng))
        };
        let Some(mut q) = q else { continue };
        q.difficulty = difficulty_of(&q.id, q.difficulty);
        let curated = matches!(q.kind, QKind::Curated | QKind::Pack);
        if !filter.admits(&q)
            || history.blocked.contains(&q.id)
            || used_ids.contains(&q.id)
            || q.facts.iter().any(|f| used_facts.contains(f))
            // The server's recent questions come back only when the rest has been tried for half the budget.
            || (history.recent.contains(&q.id) && attempts < budget / 2)
            || q.missions.iter().any(|m| {
                per.get(m).copied().unwrap_or(0) >= per_mission
                    || if curated { generated_about.contains(m) } else { curated_about.contains(m) }
            })
        {
            continue;
        }
        used_ids.insert(q.id.clone());
        used_facts.extend(q.facts.iter().cloned());
        if !curated {
            *kinds.entry(q.kind).or_insert(0) += 1;
        }
        for m in &q.missions {
            *per.entry(m.clone()).or_insert(0) += 1;
            if curated {
                curated_about.insert(m.clone());
            } else {
                generated_about.insert(m.clone());
            }
        }
        out.push(q);
    }
    out
}
