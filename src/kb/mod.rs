//! The knowledge base: plain data (`model`), loading with every problem reported (`load`), and the index that
//! answers lookups, autocomplete and search.

pub mod load;
pub mod model;

pub use load::{load_dir, load_files, LoadError, Problem};
pub use model::*;

use crate::text::{edit_distance, fold, words};
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

#[derive(Clone, Debug)]
struct NameEntry {
    folded: String,
    display: String,
    entity: Entity,
    /// True for the canonical name, false for acronyms and aliases.
    canonical: bool,
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

/// The name indexes of a knowledge base.
#[derive(Clone, Debug)]
struct NameIndex {
    /// Every name, acronym, alias and id, agencies first.
    entries: Vec<NameEntry>,
    /// Folded name (and folded name without spaces) to its owner.
    exact: Map<String, Entity>,
    /// Positions in `entries`, sorted by folded name (prefix search).
    by_folded: Vec<usize>,
    /// (word, position in `entries`) for every word after the first, sorted (word-prefix search).
    words: Vec<(String, usize)>,
    /// Positions of canonical names, sorted by name (suggestions for an empty query).
    canonical_sorted: Vec<usize>,
    /// Every folded name, one per line, and where each starts: a substring search runs over all names at once.
    all_folded: String,
    folded_starts: Vec<usize>,
    /// Position in `entries` of each mission's name; its aliases follow it.
    mission_names: Vec<usize>,
}

impl NameIndex {
    fn build(agencies: &[Agency], missions: &[Mission]) -> NameIndex {
        let mut names = Vec::new();
        for (i, a) in agencies.iter().enumerate() {
            let e = Entity::Agency(i);
            names.push((a.name.as_str(), e, true));
            names.extend(a.acronym.iter().map(|s| (s.as_str(), e, false)));
            names.extend(a.aliases.iter().map(|s| (s.as_str(), e, false)));
            names.push((a.id.as_str(), e, false));
        }
        let mut mission_names = Vec::with_capacity(missions.len());
        for (i, m) in missions.iter().enumerate() {
            let e = Entity::Mission(i);
            mission_names.push(names.len());
            names.push((m.name.as_str(), e, true));
            names.extend(m.aliases.iter().map(|s| (s.as_str(), e, false)));
            names.push((m.id.as_str(), e, false));
        }
        let mut exact = Map::with_capacity_and_hasher(names.len() * 2, Default::default());
        let mut entries = Vec::with_capacity(names.len());
        for (display, entity, canonical) in names {
            let folded = fold(display);
            if folded.contains(' ') {
                exact.entry(folded.replace(' ', "")).or_insert(entity);
            }
            exact.entry(folded.clone()).or_insert(entity);
            entries.push(NameEntry {
                folded,
                display: display.to_string(),
                entity,
                canonical,
            });
        }
        // Sorted as (text, position) pairs: comparing reaches the text in one step, not through the entry.
        let mut by_folded: Vec<(&str, usize)> = entries
            .iter()
            .enumerate()
            .map(|(i, n)| (n.folded.as_str(), i))
            .collect();
        by_folded.sort_unstable();
        let by_folded = by_folded.into_iter().map(|(_, i)| i).collect();
        let mut word_refs: Vec<(&str, usize)> = entries
            .iter()
            .enumerate()
            .flat_map(|(i, n)| words(&n.folded).skip(1).map(move |w| (w, i)))
            .collect();
        word_refs.sort_unstable();
        let words = word_refs.into_iter().map(|(w, i)| (w.to_string(), i)).collect();
        let mut canonical_sorted: Vec<(&str, usize)> = entries
            .iter()
            .enumerate()
            .filter(|(_, n)| n.canonical)
            .map(|(i, n)| (n.display.as_str(), i))
            .collect();
        canonical_sorted.sort_unstable();
        let canonical_sorted = canonical_sorted.into_iter().map(|(_, i)| i).collect();
        // Folded names hold letters, digits and single spaces only, so a newline cannot be part of a match.
        let mut all_folded = String::with_capacity(entries.iter().map(|n| n.folded.len() + 1).sum());
        let mut folded_starts = Vec::with_capacity(entries.len());
        for n in &entries {
            folded_starts.push(all_folded.len());
            all_folded.push_str(&n.folded);
            all_folded.push('\n');
        }
        NameIndex {
            entries,
            exact,
            by_folded,
            words,
            canonical_sorted,
            all_folded,
            folded_starts,
            mission_names,
        }
    }
}

/// The id and mission indexes of a knowledge base.
#[derive(Clone, Debug)]
struct IdIndex {
    agency_ix: Map<AgencyId, usize>,
    mission_ix: Map<MissionId, usize>,
    /// Missions sorted by launch date (undated last).
    by_launch: Vec<usize>,
    /// Each mission's destination, folded (question generation compares destinations a lot).
    dest_folded: Vec<String>,
    /// Per mission, the positions of its agencies (lead first), so counting partners needs no hashing.
    mission_agencies: Vec<Vec<usize>>,
    /// Per agency, the missions it took part in (led or partnered), by launch date.
    agency_missions: Vec<Vec<usize>>,
    /// Per kind of mission (`MissionKind as usize`), its missions.
    by_kind: Vec<Vec<usize>>,
    /// One mission per destination (destinations the same once folded count once), by destination.
    destinations: Vec<usize>,
    /// Per mission, its destination's position in `KnowledgeBase::destinations`.
    mission_destination: Vec<usize>,
}

impl IdIndex {
    fn build(agencies: &[Agency], missions: &[Mission], places: &[Destination]) -> IdIndex {
        let place_ix: Map<&str, usize> = places.iter().enumerate().map(|(i, d)| (d.name.as_str(), i)).collect();
        // Every destination is declared (checked when loaded).
        let mission_destination = missions
            .iter()
            .map(|m| place_ix.get(m.destination.as_str()).copied().unwrap_or(0))
            .collect();
        let agency_ix: Map<AgencyId, usize> = agencies.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        let mission_ix = missions.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
        let mut by_launch: Vec<usize> = (0..missions.len()).collect();
        // By reference: a key function would clone a name for every comparison.
        let launch_key = |m: &Mission| (m.launch.is_none(), m.launch.map(|d| d.sort_key()));
        by_launch.sort_by(|&a, &b| {
            let (ma, mb): (&Mission, &Mission) = (&missions[a], &missions[b]);
            launch_key(ma).cmp(&launch_key(mb)).then_with(|| ma.name.cmp(&mb.name))
        });
        let dest_folded: Vec<String> = missions.iter().map(|m| fold(&m.destination)).collect();
        let mut by_kind: Vec<Vec<usize>> = vec![Vec::new(); MissionKind::ALL.len()];
        for (i, m) in missions.iter().enumerate() {
            by_kind[m.kind as usize].push(i);
        }
        let mut destinations: Vec<usize> = (0..missions.len()).collect();
        destinations.sort_by(|&a, &b| (&dest_folded[a], a).cmp(&(&dest_folded[b], b)));
        destinations.dedup_by(|a, b| dest_folded[*a] == dest_folded[*b]);
        destinations.sort_by(|&a, &b| missions[a].destination.cmp(&missions[b].destination));
        let ix = |id: &AgencyId| agency_ix.get(id).copied();
        let mission_agencies: Vec<Vec<usize>> =
            missions.iter().map(|m| m.agencies().filter_map(ix).collect()).collect();
        let mut agency_missions: Vec<Vec<usize>> = vec![Vec::new(); agencies.len()];
        for &mi in &by_launch {
            for &ai in &mission_agencies[mi] {
                agency_missions[ai].push(mi);
            }
        }
        IdIndex {
            agency_ix,
            mission_ix,
            by_launch,
            dest_folded,
            mission_agencies,
            agency_missions,
            by_kind,
            destinations,
            mission_destination,
        }
    }
}

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

    /// A mission's name and aliases, folded.
    pub fn folded_names(&self, mission: usize) -> impl Iterator<Item = &str> {
        let first = self.ix.mission_names[mission];
        let count = 1 + self.missions[mission].aliases.len();
        self.ix.entries[first..first + count].iter().map(|n| n.folded.as_str())
    }

    /// Positions in `names` of the names containing `q` (folded, not empty), in order: one substring search over
    /// all the names, not one per name.
    fn containing<'a>(&'a self, q: &'a str) -> impl Iterator<Item = usize> + 'a {
        let mut last = None;
        memchr::memmem::find_iter(self.ix.all_folded.as_bytes(), q.as_bytes()).filter_map(move |at| {
            let i = self.ix.folded_starts.partition_point(|&s| s <= at) - 1;
            (last != Some(i)).then(|| {
                last = Some(i);
                i
            })
        })
    }

    /// Missions sorted by launch date, undated ones last.
    pub fn missions_by_launch(&self) -> impl Iterator<Item = &Mission> {
        self.id.by_launch.iter().map(|&i| &self.missions[i])
    }

    /// Resolve what a person typed (a name, acronym, alias or id) forgivingly.
    pub fn resolve(&self, query: &str, want: Want) -> Resolved {
        let q = fold(query);
        if q.is_empty() {
            return Resolved::NotFound(Vec::new());
        }
        for key in [q.clone(), q.replace(' ', "")] {
            if let Some(&e) = self.ix.exact.get(&key) {
                if want.admits(e) {
                    return Resolved::Found(e);
                }
            }
        }
        // A prefix that only one entity's names start with.
        let mut prefixed: Vec<Entity> = self
            .starting_with(&q)
            .map(|i| &self.ix.entries[i])
            .filter(|n| want.admits(n.entity))
            .map(|n| n.entity)
            .collect();
        prefixed.sort();
        prefixed.dedup();
        if prefixed.len() == 1 && q.len() >= 3 {
            return Resolved::Found(prefixed[0]);
        }
        // A close spelling of one name (a typo), when letters alone differ.
        let limit = typo_limit(&q);
        let mut close: Vec<(usize, Entity)> = self
            .ix
            .entries
            .iter()
            .filter(|n| want.admits(n.entity) && same_digits(&n.folded, &q))
            .map(|n| (edit_distance(&n.folded, &q, limit), n.entity))
            .filter(|(d, _)| *d <= limit)
            .collect();
        close.sort();
        if let Some(&(best, e)) = close.first() {
            let rivals = close.iter().filter(|(d, o)| *d == best && *o != e).count();
            if rivals == 0 {
                return Resolved::Found(e);
            }
        }
        let mut close: Vec<String> = self.autocomplete(query, want, 3).into_iter().map(|c| c.name).collect();
        if close.is_empty() {
            close = self.word_matches(&q, want, 3);
        }
        Resolved::NotFound(close)
    }

    /// Positions in `names` of the names that start with `q` (folded), in folded order: a binary search, then a run.
    fn starting_with<'a>(&'a self, q: &'a str) -> impl Iterator<Item = usize> + 'a {
        let from = self
            .ix
            .by_folded
            .partition_point(|&i| self.ix.entries[i].folded.as_str() < q);
        self.ix.by_folded[from..]
            .iter()
            .copied()
            .take_while(move |&i| self.ix.entries[i].folded.starts_with(q))
    }

    /// Names sharing the most words with the query, each word allowed a typo: for "did you mean".
    fn word_matches(&self, q: &str, want: Want, max: usize) -> Vec<String> {
        let qwords: Vec<&str> = words(q).filter(|w| w.len() >= 3).collect();
        let mut scored: Vec<(usize, Entity)> = Vec::new();
        for n in self.ix.entries.iter().filter(|n| want.admits(n.entity)) {
            let hits = qwords
                .iter()
                .filter(|qw| {
                    let limit = typo_limit(qw);
                    words(&n.folded).any(|w| same_digits(w, qw) && edit_distance(w, qw, limit) <= limit)
                })
                .count();
            if hits > 0 {
                scored.push((hits, n.entity));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| self.name_of(a.1).cmp(self.name_of(b.1))));
        let mut out: Vec<String> = Vec::new();
        for (_, e) in scored {
            let name = self.name_of(e).to_string();
            if !out.contains(&name) {
                out.push(name);
            }
            if out.len() >= max {
                break;
            }
        }
        out
    }

    /// Up to `max` suggestions for a partial name, best first: exact, prefix, word prefix, substring, then close
    /// spellings. One suggestion per entity; the value is the entity's id.
    pub fn autocomplete(&self, partial: &str, want: Want, max: usize) -> Vec<Choice> {
        let q = fold(partial);
        // Each stage adds candidates from an index; later (slower) stages run only while there are too few.
        let enough = max.saturating_mul(4).max(8);
        let mut scored: Vec<(u32, usize)> = Vec::new();
        let push = |scored: &mut Vec<(u32, usize)>, rank: u32, i: usize| {
            let n = &self.ix.entries[i];
            if want.admits(n.entity) {
                scored.push((rank + u32::from(!n.canonical), i));
            }
        };
        if q.is_empty() {
            for &i in self.ix.canonical_sorted.iter() {
                push(&mut scored, 50, i);
                if scored.len() >= enough {
                    break;
                }
            }
        } else {
            // Names that start with the query (exact ones first), by binary search over the sorted names.
            for i in self.starting_with(&q) {
                let f = &self.ix.entries[i].folded;
                push(&mut scored, if *f == q { 0 } else { 10 }, i);
                if scored.len() >= enough {
                    break;
                }
            }
            // Names with a later word that starts with the query.
            if scored.len() < enough {
                let from = self.ix.words.partition_point(|(w, _)| w.as_str() < q.as_str());
                for (w, i) in self.ix.words[from..].iter() {
                    if !w.starts_with(&q) {
                        break;
                    }
                    push(&mut scored, 20, *i);
                    if scored.len() >= enough {
                        break;
                    }
                }
            }
            // Names containing the query anywhere, then close spellings: scans, only when still short.
            if scored.len() < max {
                for i in self.containing(&q) {
                    push(&mut scored, 30, i);
                }
            }
            // With no typo allowed (up to three letters), a close head is an equal one: the prefix stage found those.
            let limit = typo_limit(&q);
            if scored.len() < max && q.chars().count() >= 3 && limit > 0 {
                let qlen = q.chars().count();
                for (i, n) in self.ix.entries.iter().enumerate() {
                    let head = match n.folded.char_indices().nth(qlen) {
                        Some((end, _)) => &n.folded[..end],
                        None => n.folded.as_str(),
                    };
                    let d = edit_distance(head, &q, limit);
                    if d <= limit {
                        push(&mut scored, 40 + d as u32, i);
                    }
                }
            }
        }
        scored.sort_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| {
                self.name_of(self.ix.entries[a.1].entity)
                    .cmp(self.name_of(self.ix.entries[b.1].entity))
            })
        });
        let mut out: Vec<Choice> = Vec::new();
        let mut seen = Vec::new();
        for (_, i) in scored {
            let n = &self.ix.entries[i];
            if seen.contains(&n.entity) {
                continue;
            }
            seen.push(n.entity);
            let canonical = self.name_of(n.entity);
            let name = if n.canonical || fold(canonical).contains(&n.folded) || n.display == self.id_of(n.entity) {
                canonical.to_string()
            } else {
                format!("{canonical} ({})", n.display)
            };
            out.push(Choice {
                name: crate::text::truncate(&name, 100),
                value: self.id_of(n.entity).to_string(),
            });
            if out.len() >= max {
                break;
            }
        }
        out
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

    /// Ranked matches for free text across names, summaries and facts.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let q = fold(query);
        let terms: Vec<&str> = words(&q).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = Vec::new();
        let mut consider = |entity: Entity, names: Vec<&str>, summary: &str, facts: &[Fact]| {
            let mut score = 0u32;
            let mut snippet = None;
            for n in &names {
                let f = fold(n);
                if f == q {
                    score += 1000;
                } else if f.starts_with(&q) {
                    score += 400;
                } else if terms.iter().all(|t| words(&f).any(|w| w.starts_with(t))) {
                    score += 200;
                }
            }
            let text_score = |text: &str| -> u32 {
                let f = fold(text);
                let ws: Vec<&str> = words(&f).collect();
                let matched = terms
                    .iter()
                    .filter(|t| ws.iter().any(|w| w == *t || (t.len() >= 4 && w.starts_with(*t))))
                    .count();
                if matched == terms.len() {
                    20 * matched as u32 + if f.contains(&q) { 30 } else { 0 }
                } else {
                    0
                }
            };
            let s = text_score(summary);
            if s > 0 {
                score += s;
            }
            let mut best_fact = 0;
            for fact in facts {
                let s = text_score(&fact.text);
                if s > best_fact {
                    best_fact = s;
                    snippet = Some(fact.text.clone());
                }
            }
            score += best_fact;
            if score == 0 {
                return;
            }
            if score < 200 && snippet.is_none() {
                snippet = Some(summary.to_string());
            }
            if score >= 200 {
                snippet = None;
            }
            hits.push(Hit { entity, score, snippet });
        };
        for (i, a) in self.agencies.iter().enumerate() {
            let mut names: Vec<&str> = vec![&a.name];
            names.extend(a.acronym.as_deref());
            names.extend(a.aliases.iter().map(|s| s.as_str()));
            consider(Entity::Agency(i), names, &a.summary, &a.facts);
        }
        for (i, m) in self.missions.iter().enumerate() {
            let mut names: Vec<&str> = vec![&m.name];
            names.extend(m.aliases.iter().map(|s| s.as_str()));
            consider(Entity::Mission(i), names, &m.summary, &m.facts);
        }
        hits.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| self.name_of(a.entity).cmp(self.name_of(b.entity)))
        });
        hits
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

/// How many letters a typo may change: 0 up to 3 letters, 1 up to 7, 2 beyond.
pub fn typo_limit(folded: &str) -> usize {
    match folded.chars().filter(|c| c.is_alphabetic()).count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// True when both strings carry the same digits in the same order: "Apollo 12" is never a typo of "Apollo 11".
fn same_digits(a: &str, b: &str) -> bool {
    let numbered = |w: &&str| w.bytes().any(|c| c.is_ascii_digit());
    words(a).filter(numbered).eq(words(b).filter(numbered))
}
