//! The knowledge base: plain data (`model`), loading with every problem reported (`load`), and the index that
//! answers lookups, autocomplete and search.

mod index;
pub mod load;
pub mod model;
mod search;

pub use load::{load_dir, load_files, LoadError, Problem, ReloadError};
pub use model::*;
pub use search::typo_limit;

use index::{IdIndex, NameIndex};

use std::collections::HashMap;

/// An agency or a mission, by position in the knowledge base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Entity {
    Agency(usize),
    Mission(usize),
}

/// Which kinds of entity a lookup may return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    Agency,
    Mission,
    Any,
}

impl Want {
    fn admits(self, e: Entity) -> bool {
        matches!(
            (self, e),
            (Want::Any, _) | (Want::Agency, Entity::Agency(_)) | (Want::Mission, Entity::Mission(_))
        )
    }
}

/// The result of resolving a name someone typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    Found(Entity),
    /// Nothing matched well enough; the closest names, best first (may be empty).
    NotFound(Vec<String>),
}

/// One autocomplete suggestion: what the user sees and the value sent back.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Choice {
    pub name: String,
    pub value: String,
}

/// One search hit, best first.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub entity: Entity,
    pub score: u32,
    /// The fact or summary text that matched, when the match was not on a name.
    pub snippet: Option<String>,
}

/// The checked knowledge base and its indexes. Built only by `load`.
#[derive(Clone, Debug)]
pub struct KnowledgeBase {
    pub agencies: Vec<Agency>,
    pub missions: Vec<Mission>,
    pub questions: Vec<CuratedQuestion>,
    /// Where missions go, each once.
    pub destinations: Vec<Destination>,
    pub meta: Meta,
    /// Names: exact, prefix, word and substring lookups.
    ix: NameIndex,
    /// Ids, and what belongs to each mission and agency.
    id: IdIndex,
}

/// A hash map keyed by our own data (ids and names from the data files, never from users): a fast hasher.
pub(crate) type Map<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

impl KnowledgeBase {
    /// The knowledge base of checked entries, or None when `check` finds a problem. The name indexes (folding and
    /// sorting every name is most of the work) are built on a second thread while `check` and then the id and
    /// mission indexes run on this one.
    pub(crate) fn new_checked(
        agencies: Vec<Agency>,
        missions: Vec<Mission>,
        questions: Vec<CuratedQuestion>,
        destinations: Vec<Destination>,
        meta: Meta,
        check: impl FnOnce(&[Agency], &[Mission], &[CuratedQuestion], &[Destination]) -> bool,
    ) -> Option<KnowledgeBase> {
        let (names, ids) = std::thread::scope(|scope| {
            let names = scope.spawn(|| NameIndex::build(&agencies, &missions));
            let ids = check(&agencies, &missions, &questions, &destinations)
                .then(|| IdIndex::build(&agencies, &missions, &destinations));
            (names.join().expect("building the name index does not panic"), ids)
        });
        Some(KnowledgeBase {
            agencies,
            missions,
            questions,
            destinations,
            meta,
            ix: names,
            id: ids?,
        })
    }

    /// "92 missions, 37 agencies, 540 facts, 304 curated questions (data as of 2025-06-01)".
    pub fn summary(&self) -> String {
        format!(
            "{} missions, {} agencies, {} facts, {} curated questions (data as of {})",
            self.missions.len(),
            self.agencies.len(),
            self.fact_count(),
            self.questions.len(),
            self.meta.as_of
        )
    }

    pub fn agency(&self, id: &AgencyId) -> Option<&Agency> {
        self.id.agency_ix.get(id).map(|&i| &self.agencies[i])
    }

    pub fn mission(&self, id: &MissionId) -> Option<&Mission> {
        self.id.mission_ix.get(id).map(|&i| &self.missions[i])
    }

    pub fn agency_index(&self, id: &AgencyId) -> Option<usize> {
        self.id.agency_ix.get(id).copied()
    }

    pub fn mission_index(&self, id: &MissionId) -> Option<usize> {
        self.id.mission_ix.get(id).copied()
    }

    /// A short display name for an agency id: the acronym when there is one.
    pub fn agency_label(&self, id: &AgencyId) -> String {
        match self.agency(id) {
            Some(a) => a.acronym.clone().unwrap_or_else(|| a.name.clone()),
            None => id.to_string(),
        }
    }

    /// The canonical name of an entity.
    pub fn name_of(&self, e: Entity) -> &str {
        match e {
            Entity::Agency(i) => &self.agencies[i].name,
            Entity::Mission(i) => &self.missions[i].name,
        }
    }

    /// The id of an entity, as a string.
    pub fn id_of(&self, e: Entity) -> &str {
        match e {
            Entity::Agency(i) => self.agencies[i].id.as_str(),
            Entity::Mission(i) => self.missions[i].id.as_str(),
        }
    }

    /// The missions of a kind.
    pub fn missions_of_kind(&self, kind: MissionKind) -> &[usize] {
        &self.id.by_kind[kind as usize]
    }

    /// One mission for each destination (the first, by position, of those going there), ordered by destination.
    pub fn destination_missions(&self) -> &[usize] {
        &self.id.destinations
    }

    /// Where a mission goes.
    pub fn destination_of(&self, mission: usize) -> &Destination {
        &self.destinations[self.id.mission_destination[mission]]
    }

    /// A mission's destination, folded.
    pub fn folded_destination(&self, mission: usize) -> &str {
        &self.id.dest_folded[mission]
    }

    /// The positions of a mission's agencies, lead first.
    pub fn mission_agency_ix(&self, mission: usize) -> &[usize] {
        &self.id.mission_agencies[mission]
    }

    /// Whether two agencies (positions) are one organisation over time: one is the other's successor, or its
    /// successor's, and so on.
    pub fn agencies_related(&self, a: usize, b: usize) -> bool {
        self.id.agency_chain[a].contains(&b) || self.id.agency_chain[b].contains(&a)
    }

    /// The agencies (positions, ascending) whose name or acronym appears as whole words in `folded`, a folded text.
    pub fn agencies_named_in(&self, folded: &str) -> Vec<usize> {
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let mut found = Vec::new();
        let mut term = String::new();
        for start in 0..words.len() {
            term.clear();
            for (n, w) in words[start..].iter().take(self.ix.agency_term_words).enumerate() {
                if n > 0 {
                    term.push(' ');
                }
                term.push_str(w);
                if let Some(list) = self.ix.agency_terms.get(term.as_str()) {
                    found.extend_from_slice(list);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// A mission's name and aliases, folded.
    pub fn folded_names(&self, mission: usize) -> impl Iterator<Item = &str> {
        let first = self.ix.mission_names[mission];
        let count = 1 + self.missions[mission].aliases.len();
        self.ix.entries[first..first + count].iter().map(|n| n.folded.as_str())
    }

    /// Missions sorted by launch date, undated ones last.
    pub fn missions_by_launch(&self) -> impl Iterator<Item = &Mission> {
        self.id.by_launch.iter().map(|&i| &self.missions[i])
    }

    /// The missions an agency took part in, by launch date (none for an id the data does not know).
    fn involving(&self, agency: &AgencyId) -> impl Iterator<Item = &Mission> {
        let list = match self.agency_index(agency) {
            Some(ai) => self.id.agency_missions[ai].as_slice(),
            None => &[],
        };
        list.iter().map(|&mi| &self.missions[mi])
    }

    /// All missions an agency led, and all it took part in as a partner.
    pub fn missions_of(&self, agency: &AgencyId) -> (Vec<&Mission>, Vec<&Mission>) {
        let led = self.involving(agency).filter(|m| &m.lead == agency).collect();
        let partnered = self
            .involving(agency)
            .filter(|m| m.partners.iter().any(|p| &p.agency == agency))
            .collect();
        (led, partnered)
    }

    /// The agencies that flew most often with `agency`, with how many missions they share, most first.
    pub fn frequent_partners(&self, agency: &AgencyId) -> Vec<(&Agency, usize)> {
        let Some(me) = self.agency_index(agency) else {
            return Vec::new();
        };
        let mut counts = vec![0usize; self.agencies.len()];
        for &mi in &self.id.agency_missions[me] {
            for &ai in self.id.mission_agencies[mi].iter().filter(|&&ai| ai != me) {
                counts[ai] += 1;
            }
        }
        let mut out: Vec<(&Agency, usize)> = counts
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(ai, n)| (&self.agencies[ai], n))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
        out
    }

    /// Missions in which both agencies took part, by launch date.
    pub fn shared_missions(&self, a: &AgencyId, b: &AgencyId) -> Vec<&Mission> {
        self.involving(a).filter(|m| m.involves(b)).collect()
    }

    /// Every fact in the knowledge base with what it is about.
    pub fn all_facts(&self) -> impl Iterator<Item = (Entity, &Fact)> {
        let a = self
            .agencies
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.facts.iter().map(move |f| (Entity::Agency(i), f)));
        let m = self
            .missions
            .iter()
            .enumerate()
            .flat_map(|(i, m)| m.facts.iter().map(move |f| (Entity::Mission(i), f)));
        a.chain(m)
    }

    pub fn facts_of(&self, e: Entity) -> &[Fact] {
        match e {
            Entity::Agency(i) => &self.agencies[i].facts,
            Entity::Mission(i) => &self.missions[i].facts,
        }
    }

    pub fn fact_count(&self) -> usize {
        self.agencies.iter().map(|a| a.facts.len()).sum::<usize>()
            + self.missions.iter().map(|m| m.facts.len()).sum::<usize>()
    }
}
