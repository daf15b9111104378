//! Names, dates and places as a sentence needs them: "the Hubble Space Telescope", "the Moon", "25 December 2021",
//! "led" or "leads". Every generated sentence is put together from these, so an article, a capital or a tense is
//! decided in one place, by the data (`article`, `acronym_article`, a mission's status), never patched afterwards.

use crate::kb::{Agency, Date, Destination, KnowledgeBase, Mission, Status};

/// A mission's name in a sentence: "the Hubble Space Telescope", "Cassini-Huygens".
pub fn mission(m: &Mission) -> String {
    if m.takes_the {
        format!("the {}", m.name)
    } else {
        m.name.clone()
    }
}

/// An agency as a sentence names it, short: its acronym when it has one ("NASA", "the USSR"), else its name ("the
/// European Space Agency", "Roscosmos").
pub fn agency(a: &Agency) -> String {
    match &a.acronym {
        Some(ac) if a.acronym_takes_the => format!("the {ac}"),
        Some(ac) => ac.clone(),
        None => agency_name(a),
    }
}

/// An agency's full name in a sentence, with its acronym: "the European Space Agency (ESA)".
pub fn agency_full(a: &Agency) -> String {
    match &a.acronym {
        Some(ac) if ac != &a.name => format!("{} ({ac})", agency_name(a)),
        _ => agency_name(a),
    }
}

fn agency_name(a: &Agency) -> String {
    if a.takes_the {
        format!("the {}", a.name)
    } else {
        a.name.clone()
    }
}

/// An agency as an answer option: its acronym, else its name (no article: an option stands alone).
pub fn agency_option(a: &Agency) -> String {
    a.acronym.clone().unwrap_or_else(|| a.name.clone())
}

/// A destination in a sentence: "the Moon", "Mars", "an Earth-trailing heliocentric orbit".
pub fn destination(d: &Destination) -> String {
    match d.article {
        Some(article) => format!("{article} {}", d.name),
        None => d.name.clone(),
    }
}

/// A destination as an answer option: "The Moon", "Mars".
pub fn destination_option(d: &Destination) -> String {
    capitalise(&destination(d))
}

/// The first letter made a capital, for the start of a sentence.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in words, as precise as the data: "25 December 2021", "December 2021", "2021".
pub fn date(d: Date) -> String {
    let month = d.month.and_then(|m| MONTHS.get(usize::from(m).wrapping_sub(1)));
    match (d.day, month) {
        (Some(day), Some(month)) => format!("{day} {month} {}", d.year),
        (None, Some(month)) => format!("{month} {}", d.year),
        _ => d.year.to_string(),
    }
}

/// "on 25 December 2021", "in December 2021", "in 2021".
pub fn on_date(d: Date) -> String {
    if d.day.is_some() && d.month.is_some() {
        format!("on {}", date(d))
    } else {
        format!("in {}", date(d))
    }
}

/// Whether a mission's part is told in the past: it has ended (or failed, or was cancelled).
pub fn is_past(m: &Mission) -> bool {
    matches!(m.status, Status::Completed | Status::Failed | Status::Cancelled)
}

/// "led" for a mission that has ended, "leads" for one under way or planned.
pub fn led(m: &Mission) -> &'static str {
    if is_past(m) {
        "led"
    } else {
        "leads"
    }
}

/// "was led by", "is led by".
pub fn was_led_by(m: &Mission) -> &'static str {
    if is_past(m) {
        "was led by"
    } else {
        "is led by"
    }
}

/// "took part in", "takes part in", "is taking part in".
pub fn took_part(m: &Mission) -> &'static str {
    match m.status {
        Status::Completed | Status::Failed | Status::Cancelled => "took part in",
        Status::Active => "takes part in",
        Status::Planned => "is taking part in",
    }
}

/// "A, B and C".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The sentence that teaches who flew a mission: "It was led by NASA, with ESA and ASI as partners." (space
/// agencies only: companies and institutes are on the mission's card).
pub fn who_flew(kb: &KnowledgeBase, m: &Mission) -> String {
    let lead = kb.agency(&m.lead).map_or_else(|| m.lead.to_string(), agency);
    let partners: Vec<String> = m
        .partners
        .iter()
        .filter_map(|p| kb.agency(&p.agency))
        .filter(|a| super::is_space_agency(a))
        .map(agency)
        .collect();
    let subject = capitalise(&mission(m));
    match partners.len() {
        0 => format!("{subject} {} {lead}.", was_led_by(m)),
        1 => format!(
            "{subject} {} {lead}, with {} as its partner.",
            was_led_by(m),
            partners[0]
        ),
        _ => format!(
            "{subject} {} {lead}, with {} as its partners.",
            was_led_by(m),
            and_list(&partners)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_words_as_precise_as_the_data() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(date(d(2021, Some(12), Some(25))), "25 December 2021");
        assert_eq!(on_date(d(2021, Some(12), Some(25))), "on 25 December 2021");
        assert_eq!(date(d(1990, Some(4), None)), "April 1990");
        assert_eq!(on_date(d(1990, Some(4), None)), "in April 1990");
        assert_eq!(on_date(d(1961, None, None)), "in 1961");
    }

    #[test]
    fn lists_and_capitals() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&v(&["NASA"])), "NASA");
        assert_eq!(and_list(&v(&["NASA", "ESA"])), "NASA and ESA");
        assert_eq!(and_list(&v(&["NASA", "ESA", "ASI"])), "NASA, ESA and ASI");
        assert_eq!(capitalise("the Moon"), "The Moon");
    }
}
