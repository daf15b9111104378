//! The indexes a knowledge base builds once, when it is loaded: every name folded for exact, prefix, word and
//! substring lookups; ids; and what belongs to each mission and agency.

use super::{Agency, AgencyId, Destination, Entity, Map, Mission, MissionId, MissionKind};
use crate::text::{fold, words};

#[derive(Clone, Debug)]
pub(super) struct NameEntry {
    pub(super) folded: String,
    pub(super) display: String,
    pub(super) entity: Entity,
    /// True for the canonical name, false for acronyms and aliases.
    pub(super) canonical: bool,
}

/// The name indexes of a knowledge base.
#[derive(Clone, Debug)]
pub(super) struct NameIndex {
    /// Every name, acronym, alias and id, agencies first.
    pub(super) entries: Vec<NameEntry>,
    /// Folded name (and folded name without spaces) to its owner.
    pub(super) exact: Map<String, Entity>,
    /// Positions in `entries`, sorted by folded name (prefix search).
    pub(super) by_folded: Vec<usize>,
    /// (word, position in `entries`) for every word after the first, sorted (word-prefix search).
    pub(super) words: Vec<(String, usize)>,
    /// Positions of canonical names, sorted by name (suggestions for an empty query).
    pub(super) canonical_sorted: Vec<usize>,
    /// Every folded name, one per line, and where each starts: a substring search runs over all names at once.
    pub(super) all_folded: String,
    pub(super) folded_starts: Vec<usize>,
    /// Position in `entries` of each mission's name; its aliases follow it.
    pub(super) mission_names: Vec<usize>,
    /// Each agency's folded name and acronym, to the agencies that have it (a text names an agency when a run of its
    /// words is one of these).
    pub(super) agency_terms: Map<String, Vec<usize>>,
    /// The most words in an agency term.
    pub(super) agency_term_words: usize,
}

impl NameIndex {
    pub(super) fn build(agencies: &[Agency], missions: &[Mission]) -> NameIndex {
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
        let mut agency_terms: Map<String, Vec<usize>> = Map::default();
        for (i, a) in agencies.iter().enumerate() {
            for t in std::iter::once(&a.name).chain(a.acronym.iter()) {
                let list = agency_terms.entry(fold(t)).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        agency_terms.remove("");
        let agency_term_words = agency_terms.keys().map(|t| t.split(' ').count()).max().unwrap_or(0);
        NameIndex {
            agency_terms,
            agency_term_words,
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
pub(super) struct IdIndex {
    pub(super) agency_ix: Map<AgencyId, usize>,
    pub(super) mission_ix: Map<MissionId, usize>,
    /// Missions sorted by launch date (undated last).
    pub(super) by_launch: Vec<usize>,
    /// Each mission's destination, folded (question generation compares destinations a lot).
    pub(super) dest_folded: Vec<String>,
    /// Per mission, the positions of its agencies (lead first), so counting partners needs no hashing.
    pub(super) mission_agencies: Vec<Vec<usize>>,
    /// Per agency, the missions it took part in (led or partnered), by launch date.
    pub(super) agency_missions: Vec<Vec<usize>>,
    /// Per kind of mission (`MissionKind as usize`), its missions.
    pub(super) by_kind: Vec<Vec<usize>>,
    /// One mission per destination (destinations the same once folded count once), by destination.
    pub(super) destinations: Vec<usize>,
    /// Per mission, its destination's position in `KnowledgeBase::destinations`.
    pub(super) mission_destination: Vec<usize>,
    /// Per agency, itself and its successors in order (at most 16: successor loops are refused when loaded).
    pub(super) agency_chain: Vec<Vec<usize>>,
}

impl IdIndex {
    pub(super) fn build(agencies: &[Agency], missions: &[Mission], places: &[Destination]) -> IdIndex {
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
        let agency_chain = (0..agencies.len())
            .map(|start| {
                let mut chain = vec![start];
                while let Some(next) = agencies[*chain.last().unwrap_or(&start)]
                    .successor
                    .as_ref()
                    .and_then(ix)
                    .filter(|n| chain.len() < 16 && !chain.contains(n))
                {
                    chain.push(next);
                }
                chain
            })
            .collect();
        IdIndex {
            agency_chain,
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
