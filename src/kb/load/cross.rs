//! The checks across entries and files: duplicate ids, names that two entries share, references to agencies,
//! missions and destinations that do not exist, and successor loops.

use super::reader::suggest;
use super::{Cx, Entries, Loc, Refs};
use crate::kb::model::CuratedQuestion;
use crate::kb::Map;
use crate::text::fold;
use std::collections::HashSet;

/// Checks across entries and files: duplicate ids, ambiguous names, references that do not resolve.
pub(super) fn cross_check<'r>(cx: &mut Cx, raw: &'r Refs, e: &Entries<'r>) {
    let agencies = || e.agencies.0.iter().zip(e.agencies.1);
    let missions = || e.missions.0.iter().zip(e.missions.1);
    let questions = || e.questions.0.iter().zip(e.questions.1);
    // Where `key` of an entry was written; looked up only when there is a problem to report.
    let spot = |(at, spots): &Loc, key: &str| {
        spots
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map_or_else(|| at.clone(), |(_, at)| at.clone())
    };

    // Duplicate ids, per kind.
    let dup_ids = |cx: &mut Cx, kind: &str, entries: &mut dyn Iterator<Item = (&'r str, &'r Loc)>| {
        let mut seen: Map<&str, &Loc> = Map::default();
        for (id, loc) in entries {
            if let Some(first) = seen.get(id) {
                let first = spot(first, "id");
                let msg = format!(
                    "duplicate {kind} id `{id}` (first defined at {}:{}): ids must be unique",
                    cx.file(first.file).path.display(),
                    cx.line(&first)
                );
                cx.report(&spot(loc, "id"), msg);
            } else {
                seen.insert(id, loc);
            }
        }
    };
    dup_ids(cx, "agency", &mut agencies().map(|(a, loc)| (a.id.as_str(), loc)));
    dup_ids(cx, "mission", &mut missions().map(|(m, loc)| (m.id.as_str(), loc)));

    // Names, acronyms and aliases must resolve to one entry.
    // The owner of a name: (kind, id), written out only in a message; and where it was written (entry, key).
    type Owner<'a> = (&'static str, &'a str);
    type Claim<'a> = (Owner<'a>, &'a Loc, &'static str);
    let mut names: Map<String, Claim<'r>> = Map::default();
    let mut claim = |cx: &mut Cx, name: &str, (owner, loc, key): Claim<'r>| {
        // Lookups also try the name without spaces, so "E.S.A." and "ESA" are the same name.
        let mut folded = fold(name);
        folded.retain(|c| c != ' ');
        if folded.is_empty() {
            cx.report(
                &spot(loc, key),
                format!("`{name}` has no letters or digits, so nobody could look it up"),
            );
            return;
        }
        match names.get(&folded) {
            Some(((kind, id), first, first_key)) if (*kind, *id) != owner => {
                let first = spot(first, first_key);
                let msg = format!(
                    "the name `{name}` is also used by {kind} `{id}` ({}:{}): a lookup would be ambiguous; rename or \
                     drop one",
                    cx.file(first.file).path.display(),
                    cx.line(&first)
                );
                cx.report(&spot(loc, key), msg);
            }
            Some(_) => {}
            None => {
                names.insert(folded, (owner, loc, key));
            }
        }
    };
    for (a, loc) in agencies() {
        let owner = ("agency", a.id.as_str());
        claim(cx, &a.name, (owner, loc, "name"));
        if let Some(ac) = &a.acronym {
            claim(cx, ac, (owner, loc, "acronym"));
        }
        for al in &a.aliases {
            claim(cx, al, (owner, loc, "aliases"));
        }
    }
    for (m, loc) in missions() {
        let owner = ("mission", m.id.as_str());
        claim(cx, &m.name, (owner, loc, "name"));
        for al in &m.aliases {
            claim(cx, al, (owner, loc, "aliases"));
        }
    }

    // References.
    type Set<'a> = HashSet<&'a str, foldhash::fast::FixedState>;
    let mut agency_ids: Set = agencies().map(|(a, _)| a.id.as_str()).collect();
    let mut mission_ids: Set = missions().map(|(m, _)| m.id.as_str()).collect();
    agency_ids.extend(raw.partial_agencies.iter().map(|s| s.as_str()));
    mission_ids.extend(raw.partial_missions.iter().map(|s| s.as_str()));
    // The known ids in order, for "did you mean": made only when an id is unknown.
    let sorted = |ids: &Set<'r>| {
        let mut list: Vec<&str> = ids.iter().copied().collect();
        list.sort_unstable();
        list
    };
    let agency_list = std::cell::OnceCell::new();
    // Entries in a file that did not parse are unknown: say so, rather than pretend the id is wrong.
    let note = if raw.syntax_errors {
        " (or it is in a file that did not parse: fix that first)"
    } else {
        ""
    };
    for (id, at) in &raw.agency_refs {
        if !agency_ids.contains(id.as_str()) {
            let hint = suggest(id, agency_list.get_or_init(|| sorted(&agency_ids)));
            cx.report(
                at,
                format!("unknown agency id `{id}`{hint}: add it to agencies or fix the id{note}"),
            );
        }
    }
    // Destinations: each declared once, and every mission's declared.
    let mut declared: Map<&str, &Loc> = Map::default();
    for (d, loc) in e.destinations.0.iter().zip(e.destinations.1) {
        if let Some(first) = declared.get(d.name.as_str()) {
            let first = spot(first, "name");
            let msg = format!(
                "the destination `{}` is declared twice (first at {}:{}): keep one",
                d.name,
                cx.file(first.file).path.display(),
                cx.line(&first)
            );
            cx.report(&spot(loc, "name"), msg);
        } else {
            declared.insert(d.name.as_str(), loc);
        }
    }
    let destination_list = std::cell::OnceCell::new();
    for (d, at) in &raw.destination_refs {
        if !declared.contains_key(d.as_str()) {
            let list = destination_list.get_or_init(|| {
                let mut l: Vec<&str> = declared.keys().copied().collect();
                l.sort_unstable();
                l
            });
            let hint = suggest(d, list);
            cx.report(
                at,
                format!(
                    "the destination `{d}`{hint} is not declared: add a `[[destination]]` with this name (see \
                     data/destinations.toml){note}"
                ),
            );
        }
    }
    // Successors: no agency may succeed itself through others.
    let successor_of: Map<&str, &str> = agencies()
        .filter_map(|(a, _)| a.successor.as_ref().map(|s| (a.id.as_str(), s.as_str())))
        .collect();
    for (a, loc) in agencies() {
        let mut seen = vec![a.id.as_str()];
        let mut at = a.id.as_str();
        while let Some(&next) = successor_of.get(at) {
            if next == a.id.as_str() {
                cx.report(
                    &spot(loc, "successor"),
                    format!("`successor` makes a loop: {} -> {next}", seen.join(" -> ")),
                );
                break;
            }
            if seen.contains(&next) {
                break;
            }
            seen.push(next);
            at = next;
        }
    }
    let listed: Vec<(&CuratedQuestion, &Loc)> = questions().collect();
    check_questions(cx, &listed, &mission_ids, &agency_ids, note);
}

/// Ids an entry may refer to.
pub(super) type IdSet<'a> = HashSet<&'a str, foldhash::fast::FixedState>;

/// Where `key` of an entry was written (the entry itself when the key is not there).
fn spot_of((at, spots): &Loc, key: &str) -> super::At {
    spots
        .iter()
        .rev()
        .find(|(k, _)| *k == key)
        .map_or_else(|| at.clone(), |(_, at)| at.clone())
}

/// The checks across curated questions, for the shipped data and for a pack alike: ids unique, no question asked
/// twice (the same words: `rules::duplicate_questions`), and every mission and agency a question names among
/// `missions` and `agencies`. `note` is added to an unknown id's message.
pub(super) fn check_questions(
    cx: &mut Cx,
    questions: &[(&CuratedQuestion, &Loc)],
    missions: &IdSet<'_>,
    agencies: &IdSet<'_>,
    note: &str,
) {
    let mut seen: Map<&str, &Loc> = Map::default();
    for (q, loc) in questions {
        if let Some(first) = seen.get(q.id.as_str()) {
            let first = spot_of(first, "id");
            let msg = format!(
                "duplicate question id `{}` (first defined at {}:{}): ids must be unique",
                q.id,
                cx.file(first.file).path.display(),
                cx.line(&first)
            );
            cx.report(&spot_of(loc, "id"), msg);
        } else {
            seen.insert(q.id.as_str(), loc);
        }
    }
    for (dup, first) in super::rules::duplicate_questions(questions.iter().map(|(q, _)| q.question.as_str())) {
        let first = spot_of(questions[first].1, "question");
        let place = format!("{}:{}", cx.file(first.file).path.display(), cx.line(&first));
        cx.report(
            &spot_of(questions[dup].1, "question"),
            super::rules::duplicate_message(&place),
        );
    }
    let sorted = |ids: &IdSet<'_>| {
        let mut list: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        list.sort_unstable();
        list
    };
    let mission_list = std::cell::OnceCell::new();
    let agency_list = std::cell::OnceCell::new();
    for (q, loc) in questions {
        for mid in &q.missions {
            if !missions.contains(mid.as_str()) {
                let list: &Vec<String> = mission_list.get_or_init(|| sorted(missions));
                let names: Vec<&str> = list.iter().map(String::as_str).collect();
                let hint = suggest(mid.as_str(), &names);
                cx.report(
                    &spot_of(loc, "missions"),
                    format!("unknown mission id `{mid}`{hint}{note}"),
                );
            }
        }
        for aid in &q.agencies {
            if !agencies.contains(aid.as_str()) {
                let list: &Vec<String> = agency_list.get_or_init(|| sorted(agencies));
                let names: Vec<&str> = list.iter().map(String::as_str).collect();
                let hint = suggest(aid.as_str(), &names);
                cx.report(
                    &spot_of(loc, "agencies"),
                    format!("unknown agency id `{aid}`{hint}{note}"),
                );
            }
        }
    }
}
