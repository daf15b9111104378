//! The kinds about a mission itself: its launch year, where it was bound, which mission a clue describes, and true or
//! false statements the data shows true or false.

use super::agencies::outsiders;
use super::{missions_in, sample_where, shares_a_word, with_options, Draft, Subject};
use crate::kb::{Agency, Destination};
use crate::text::fold;
use crate::trivia::question::phrase::{self as say, capitalise};
use crate::trivia::question::{
    contains_words, destination_class, difficulty_from, group_of, has_launched, is_space_agency, reference_year, QKind,
    Question,
};
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::HashSet;

/// In which year did X launch? Only spacecraft that have launched; the other years are close, and none after the
/// data's `as_of` year.
pub(super) fn launch_year(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let m = s.m;
    if !has_launched(s.kb, m) || !group_of(m.kind).is_spacecraft() {
        return None;
    }
    let launch = m.launch?;
    let y = launch.year;
    let last = s.kb.meta.as_of.year;
    let mut offsets: Vec<i32> = (-6..=6).filter(|d| *d != 0).collect();
    offsets.shuffle(rng);
    let mut years: Vec<i32> = offsets
        .into_iter()
        .map(|d| y + d)
        .filter(|w| (1957..=last).contains(w))
        .take(3)
        .collect();
    if years.len() < 3 {
        return None;
    }
    let close = years.iter().any(|w| (w - y).abs() <= 1);
    years.push(y);
    years.sort();
    let correct = years.iter().position(|w| *w == y)?;
    Some(s.question(Draft {
        kind: QKind::LaunchYear,
        variant: String::new(),
        text: format!("In which year did **{}** launch?", s.name()),
        options: years.iter().map(|w| w.to_string()).collect(),
        correct,
        explanation: format!("{} launched {}.", capitalise(&s.name()), say::on_date(launch)),
        difficulty: difficulty_from(1, m.renown, close),
        facts: vec![s.key("launch")],
        agencies: Vec::new(),
        source: None,
    }))
}

/// Where was X bound? Only for spacecraft that have launched on a journey (a world, a small body, the Sun); the
/// other places are of the same class, and none shares a word with the answer or the mission's name.
pub(super) fn destination(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m) = (s.kb, s.m);
    let here = kb.destination_of(s.mi);
    if !has_launched(kb, m) || !group_of(m.kind).is_spacecraft() || !here.kind.is_journey() {
        return None;
    }
    let class = destination_class(here.kind)?;
    let name_words: HashSet<String> = fold(&m.name).split(' ').map(String::from).collect();
    let says = |d: &Destination| fold(&d.name).split(' ').any(|w| w.len() >= 3 && name_words.contains(w));
    if says(here) {
        return None;
    }
    let places = &kb.destinations;
    let picked = sample_where(
        places.len(),
        |i| i,
        3,
        |o| {
            let d = &places[o];
            destination_class(d.kind) == Some(class)
                && !d.same_system(here)
                && !shares_a_word(&d.name, &here.name)
                && !says(d)
        },
        rng,
    );
    if picked.len() < 3 {
        return None;
    }
    let (options, correct) = with_options(
        say::destination_option(here),
        picked.iter().map(|&o| say::destination_option(&places[o])).collect(),
        rng,
    )?;
    Some(s.question(Draft {
        kind: QKind::Destination,
        variant: String::new(),
        text: format!("Where was **{}** bound?", s.name()),
        options,
        correct,
        explanation: format!("{} was bound for {}.", capitalise(&s.name()), say::destination(here)),
        difficulty: difficulty_from(0, m.renown, false),
        facts: vec![s.key("dest")],
        agencies: Vec::new(),
        source: None,
    }))
}

/// Which mission is this? A clue the data gives for one of its facts; the other missions are of the same group and
/// era, go elsewhere, are not named in the clue, and had no part of any agency the clue names.
pub(super) fn which_mission(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi) = (s.kb, s.m, s.mi);
    let with_clue: Vec<(usize, &crate::kb::Fact)> =
        m.facts.iter().enumerate().filter(|(_, f)| f.clue.is_some()).collect();
    let &(fi, fact) = with_clue.choose(rng)?;
    let clue = fact.clue.as_deref()?;
    let folded = fold(clue);
    let clue_words: HashSet<&str> = folded.split(' ').collect();
    let names_agency = |a: &Agency| {
        std::iter::once(a.name.as_str())
            .chain(a.acronym.as_deref())
            .any(|n| contains_words(&folded, &fold(n)))
    };
    let named: Vec<&Agency> = kb
        .agencies_named_in(&folded)
        .into_iter()
        .map(|i| &kb.agencies[i])
        .collect();
    let group = group_of(m.kind);
    let launched = has_launched(kb, m);
    let year = m.launch.map(|d| d.year);
    let dest = kb.folded_destination(mi);
    let fits = |o: usize| {
        let other = &kb.missions[o];
        o != mi
            && has_launched(kb, other) == launched
            && match (year, other.launch) {
                (Some(y), Some(l)) => (l.year - y).abs() <= 20,
                _ => true,
            }
            && kb.folded_destination(o) != dest
            && kb.folded_names(o).all(|n| !contains_words(&folded, n))
            && !named.iter().any(|a| other.involves(&a.id))
    };
    // Missions of the same kind first (an orbiter with orbiters), then of its group.
    let same = kb.missions_of_kind(m.kind);
    let mut picked = sample_where(same.len(), |i| same[i], 3, fits, rng);
    if picked.len() < 3 {
        let more = missions_in(kb, group, 3 - picked.len(), |o| fits(o) && !picked.contains(&o), rng);
        picked.extend(more);
    }
    if picked.len() < 3 {
        return None;
    }
    let (options, correct) = with_options(
        m.name.clone(),
        picked.iter().map(|&o| kb.missions[o].name.clone()).collect(),
        rng,
    )?;
    // The clue may also tell the launch year, the destination or the lead: those facts are used too.
    let mut facts = vec![s.key(&format!("fact{fi}"))];
    if m.launch
        .is_some_and(|l| clue_words.contains(l.year.to_string().as_str()))
    {
        facts.push(s.key("launch"));
    }
    if contains_words(&folded, dest) {
        facts.push(s.key("dest"));
    }
    if names_agency(s.lead) {
        facts.push(s.key("lead"));
    }
    let mut q = s.question(Draft {
        kind: QKind::WhichMission,
        variant: fi.to_string(),
        text: format!("Which mission is this? “{clue}”"),
        options,
        correct,
        explanation: fact.text.clone(),
        difficulty: difficulty_from(1, m.renown, false),
        facts,
        agencies: named.iter().map(|a| a.id.to_string()).collect(),
        source: Some(fact.source.clone()),
    });
    q.accept = m.aliases.clone();
    Some(q)
}

/// True or false: a launch year, the lead, a destination, or a fact from the data. A false statement is one the data
/// shows false: a year that is not the launch year, an agency that had no part at all, a place the mission did not
/// go.
pub(super) fn true_false(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m) = (s.kb, s.m);
    let truth = rng.gen_bool(0.5);
    let name = capitalise(&s.name());
    let (variant, statement, explanation, fact, base) = match rng.gen_range(0..4) {
        0 => {
            let launch = m
                .launch
                .filter(|_| has_launched(kb, m) && group_of(m.kind).is_spacecraft())?;
            let y = launch.year;
            let shown = if truth {
                y
            } else {
                let wrong: Vec<i32> = [-3, -2, -1, 1, 2, 3]
                    .iter()
                    .map(|d| y + d)
                    .filter(|w| (1957..=kb.meta.as_of.year).contains(w))
                    .collect();
                *wrong.choose(rng)?
            };
            (
                format!("year{shown}"),
                format!("{name} launched in {shown}."),
                format!("{name} launched {}.", say::on_date(launch)),
                s.key("launch"),
                1,
            )
        }
        1 => {
            if !is_space_agency(s.lead) {
                return None;
            }
            let shown = if truth {
                s.lead
            } else {
                *outsiders(s, reference_year(kb, m), 1, rng).first()?
            };
            (
                format!("lead-{}", shown.id),
                format!("{} {} {}.", capitalise(&say::agency(shown)), say::led(m), s.name()),
                say::who_flew(kb, m),
                s.key("lead"),
                0,
            )
        }
        2 => {
            let here = kb.destination_of(s.mi);
            if !has_launched(kb, m) || !group_of(m.kind).is_spacecraft() || !here.kind.is_journey() {
                return None;
            }
            let shown = if truth {
                here
            } else {
                let class = destination_class(here.kind);
                let others: Vec<&Destination> = kb
                    .destinations
                    .iter()
                    .filter(|d| {
                        destination_class(d.kind) == class
                            && !d.same_system(here)
                            && !shares_a_word(&d.name, &here.name)
                    })
                    .collect();
                *others.choose(rng)?
            };
            (
                format!("dest-{}", fold(&shown.name).replace(' ', "-")),
                format!("{name} was bound for {}.", say::destination(shown)),
                format!("{name} was bound for {}.", say::destination(here)),
                s.key("dest"),
                0,
            )
        }
        _ => {
            // A fact from the data is true as written; it is only ever asked as true.
            let (fi, f) = m.facts.iter().enumerate().collect::<Vec<_>>().choose(rng).copied()?;
            if !truth {
                return None;
            }
            (
                format!("fact{fi}"),
                f.text.clone(),
                f.text.clone(),
                s.key(&format!("fact{fi}")),
                0,
            )
        }
    };
    let options = vec!["True".to_string(), "False".to_string()];
    let mut q = s.question(Draft {
        kind: QKind::TrueFalse,
        variant,
        text: format!("True or false: {statement}"),
        options,
        correct: if truth { 0 } else { 1 },
        explanation,
        difficulty: difficulty_from(base, m.renown, false),
        facts: vec![fact],
        agencies: Vec::new(),
        source: None,
    });
    q.accept = vec![if truth { "yes".into() } else { "no".into() }];
    Some(q)
}
