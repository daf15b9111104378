//! Finding things by what people type: resolving a name forgivingly (case, accents, typos, acronyms), autocomplete,
//! and ranked free-text search over names, summaries and facts.

use super::{Choice, Entity, Fact, Hit, KnowledgeBase, Resolved, Want};
use crate::text::{edit_distance, fold, words};

impl KnowledgeBase {
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
