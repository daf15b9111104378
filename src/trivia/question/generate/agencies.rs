//! The kinds about who flew a mission: which agency led it, which took part, which did NOT, and which mission two
//! agencies both took part in.

use super::{agency_accept, missions_in, with_options, Draft, Subject};
use crate::kb::{Agency, Renown};
use crate::text::fold;
use crate::trivia::question::phrase::{self as say, capitalise};
use crate::trivia::question::{
    difficulty_from, existed_in, group_of, is_space_agency, reference_year, QKind, Question,
};
use rand::seq::SliceRandom;
use rand::Rng;

/// Up to `n` space agencies that provably had no part in `m`: they did not take part (by a complete list, when
/// `complete_only`), are not one of its agencies' predecessors or successors, and existed in `year`. Well-known
/// agencies first, at random within each tier.
pub(super) fn outsiders<'a>(s: &Subject<'a>, year: i32, n: usize, rng: &mut impl Rng) -> Vec<&'a Agency> {
    let kb = s.kb;
    let involved = kb.mission_agency_ix(s.mi);
    let mut tiers: [Vec<&Agency>; 2] = Default::default();
    for (ai, a) in kb.agencies.iter().enumerate() {
        if !is_space_agency(a) || !existed_in(a, year) || involved.iter().any(|&i| kb.agencies_related(i, ai)) {
            continue;
        }
        tiers[usize::from(a.renown == Renown::Low)].push(a);
    }
    let mut picked: Vec<&Agency> = Vec::with_capacity(n);
    for tier in &tiers {
        picked.extend(tier.choose_multiple(rng, n - picked.len()).copied());
    }
    picked
}

/// Which agency led X? Only for a mission led by a space agency; the others are space agencies of its time that had
/// no part in it.
pub(super) fn lead(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (m, lead) = (s.m, s.lead);
    if !is_space_agency(lead)
        || matches!(m.status, crate::kb::Status::Cancelled)
        || s.name_says(&say::agency_option(lead))
    {
        return None;
    }
    let wrong = outsiders(s, reference_year(s.kb, m), 3, rng);
    if wrong.len() < 3 || wrong.iter().any(|a| s.name_says(&say::agency_option(a))) {
        return None;
    }
    let (options, correct) = with_options(
        say::agency_option(lead),
        wrong.iter().map(|a| say::agency_option(a)).collect(),
        rng,
    )?;
    let mut explanation = say::who_flew(s.kb, m);
    // The lead's role, when it reads as one plain clause (a long one with parts would muddle the explanation).
    if let Some(role) = m.lead_role.as_deref().filter(|r| !r.contains(';') && r.len() <= 160) {
        explanation.push_str(&format!(" {} {role}.", capitalise(&say::agency(lead))));
    }
    let mut q = s.question(Draft {
        kind: QKind::Lead,
        variant: String::new(),
        text: format!("Which agency {} **{}**?", say::led(m), s.name()),
        options,
        correct,
        explanation,
        difficulty: difficulty_from(0, m.renown, false),
        facts: vec![s.key("lead"), s.key("partners")],
        agencies: wrong.iter().map(|a| a.id.to_string()).collect(),
        source: None,
    });
    q.accept = agency_accept(lead);
    Some(q)
}

/// Which of these agencies took part in X? Only where the partner list is complete, so the others are known to have
/// had no part.
pub(super) fn partner(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let m = s.m;
    if !m.partners_complete {
        return None;
    }
    let candidates: Vec<(&Agency, &str)> = m
        .partners
        .iter()
        .filter_map(|p| Some((s.kb.agency(&p.agency)?, p.role.as_str())))
        .filter(|(a, _)| is_space_agency(a))
        .collect();
    let &(pa, role) = candidates.choose(rng)?;
    if s.name_says(&say::agency_option(pa)) {
        return None;
    }
    let wrong = outsiders(s, reference_year(s.kb, m), 3, rng);
    if wrong.len() < 3 || wrong.iter().any(|a| s.name_says(&say::agency_option(a))) {
        return None;
    }
    let (options, correct) = with_options(
        say::agency_option(pa),
        wrong.iter().map(|a| say::agency_option(a)).collect(),
        rng,
    )?;
    let mut q = s.question(Draft {
        kind: QKind::Partner,
        variant: pa.id.to_string(),
        text: format!("Which of these agencies {} **{}**?", say::took_part(m), s.name()),
        options,
        correct,
        explanation: format!("{} {role}. {}", capitalise(&say::agency(pa)), say::who_flew(s.kb, m)),
        difficulty: difficulty_from(1, m.renown, false),
        facts: vec![s.key("partners"), s.key("lead")],
        agencies: wrong.iter().map(|a| a.id.to_string()).collect(),
        source: None,
    });
    q.accept = agency_accept(pa);
    Some(q)
}

/// Which of these agencies did NOT take part in X? The three that did are space agencies that took part; the one
/// that did not is known not to have: the list is complete, or it was founded after the mission ended.
pub(super) fn not_partner(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let m = s.m;
    let ins = s.space_agencies();
    if ins.len() < 3 || ins.iter().any(|a| s.name_says(&say::agency_option(a))) {
        return None;
    }
    let year = reference_year(s.kb, m);
    let out = if m.partners_complete {
        *outsiders(s, year, 1, rng).first()?
    } else {
        // Not a complete list: only an agency founded after the mission ended cannot have taken part.
        let ended = m.end?.year;
        let involved = s.kb.mission_agency_ix(s.mi);
        let later: Vec<&Agency> =
            s.kb.agencies
                .iter()
                .enumerate()
                .filter(|(_, a)| is_space_agency(a) && a.founded.is_some_and(|f| f.year > ended))
                .filter(|(ai, _)| !involved.iter().any(|&i| s.kb.agencies_related(i, *ai)))
                .map(|(_, a)| a)
                .collect();
        *later.choose(rng)?
    };
    if s.name_says(&say::agency_option(out)) {
        return None;
    }
    let mut shown: Vec<&Agency> = ins.choose_multiple(rng, 3).copied().collect();
    shown.sort_by_key(|a| a.id.as_str());
    let (options, correct) = with_options(
        say::agency_option(out),
        shown.iter().map(|a| say::agency_option(a)).collect(),
        rng,
    )?;
    let why_not = match (m.partners_complete, out.founded) {
        (false, Some(f)) => format!(
            " {} was founded only {}, after the mission ended.",
            capitalise(&say::agency(out)),
            say::on_date(f)
        ),
        _ => format!(" {} had no part in it.", capitalise(&say::agency(out))),
    };
    let mut q = s.question(Draft {
        kind: QKind::NotPartner,
        variant: out.id.to_string(),
        text: format!("Which of these agencies did **NOT** take part in **{}**?", s.name()),
        options,
        correct,
        explanation: format!("{}{why_not}", say::who_flew(s.kb, m)),
        difficulty: difficulty_from(1, m.renown, false),
        facts: vec![s.key("partners"), s.key("lead")],
        agencies: vec![out.id.to_string()],
        source: None,
    });
    q.accept = agency_accept(out);
    Some(q)
}

/// Which of these missions did both A and B take part in? A and B are space agencies that both took part; the other
/// missions are of the same group, with complete partner lists that do not have both.
pub(super) fn shared_mission(s: &Subject<'_>, rng: &mut impl Rng) -> Option<Question> {
    let (kb, m, mi) = (s.kb, s.m, s.mi);
    let involved = s.space_agencies();
    if involved.len() < 2 {
        return None;
    }
    let mut pair: Vec<&Agency> = involved.choose_multiple(rng, 2).copied().collect();
    pair.sort_by_key(|a| a.id.as_str());
    let (a, b) = (pair[0], pair[1]);
    let (ax, bx) = (kb.agency_index(&a.id)?, kb.agency_index(&b.id)?);
    let both = |o: usize| {
        let has = |x: usize| kb.mission_agency_ix(o).iter().any(|&i| kb.agencies_related(i, x));
        has(ax) && has(bx)
    };
    let group = group_of(m.kind);
    let picked = missions_in(
        kb,
        group,
        3,
        |o| {
            let other = &kb.missions[o];
            o != mi && other.partners_complete && !both(o)
        },
        rng,
    );
    if picked.len() < 3 {
        return None;
    }
    let names: Vec<String> = std::iter::once(m.name.clone())
        .chain(picked.iter().map(|&o| kb.missions[o].name.clone()))
        .collect();
    let gives_away = |n: &str| {
        let f = fold(n);
        [a, b].iter().any(|x| {
            fold(&say::agency_option(x))
                .split(' ')
                .any(|w| w.len() >= 3 && f.split(' ').any(|y| y == w))
        })
    };
    if names.iter().any(|n| gives_away(n)) {
        return None;
    }
    let (options, correct) = with_options(m.name.clone(), names[1..].to_vec(), rng)?;
    let role = |x: &Agency| m.role_of(&x.id).unwrap_or("took part").to_string();
    let mut q = s.question(Draft {
        kind: QKind::SharedMission,
        variant: format!("{}:{}", a.id, b.id),
        text: format!(
            "Which of these missions did both **{}** and **{}** take part in?",
            say::agency(a),
            say::agency(b)
        ),
        options,
        correct,
        explanation: format!(
            "In {}, {} {}, and {} {}.",
            s.name(),
            say::agency(a),
            role(a),
            say::agency(b),
            role(b)
        ),
        difficulty: difficulty_from(1, m.renown, false),
        facts: vec![s.key("partners"), s.key("lead")],
        agencies: vec![a.id.to_string(), b.id.to_string()],
        source: None,
    });
    q.accept = m.aliases.clone();
    Some(q)
}
