//! Teams: named and colour-marked, made from the `teams` option, and how their scores compare.

use super::{MAX_TEAMS, MAX_TEAM_NAME};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The default team names, their colour marks (buttons cannot be coloured freely, so an emoji carries the colour)
/// and card colours.
pub const PALETTE: [(&str, &str, u32); MAX_TEAMS] = [
    ("Red", "🔴", 0xe53e3e),
    ("Blue", "🔵", 0x3182ce),
    ("Green", "🟢", 0x38a169),
    ("Yellow", "🟡", 0xd69e2e),
    ("Purple", "🟣", 0x805ad5),
    ("Orange", "🟠", 0xdd6b20),
];

/// A team: its name and its colour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    /// A coloured circle that marks the team wherever it is named.
    pub mark: String,
    pub colour: u32,
}

impl Team {
    /// "🔴 Red".
    pub fn label(&self) -> String {
        format!("{} {}", self.mark, self.name)
    }

    /// "🔴 Red" in a message's text: the name, which a host wrote, escaped (a button's label is plain text).
    pub fn shown(&self) -> String {
        format!("{} {}", self.mark, crate::text::escape_markdown(&self.name))
    }
}

/// Teams from the `teams` option: a count (`2`: Red and Blue), names separated by commas (`Comets, Rockets`), or
/// `0`/`none` for no teams. Colours are given in palette order.
pub fn parse_teams(spec: &str) -> Result<Vec<Team>, String> {
    let spec = spec.trim();
    if spec.is_empty() || spec == "0" || spec.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    let names: Vec<String> = match spec.parse::<usize>() {
        Ok(n) if (2..=MAX_TEAMS).contains(&n) => PALETTE[..n].iter().map(|(name, _, _)| name.to_string()).collect(),
        Ok(_) => {
            return Err(format!(
                "`teams` is a number from 2 to {MAX_TEAMS}, or the teams' names separated by commas."
            ))
        }
        Err(_) => spec
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if names.len() < 2 || names.len() > MAX_TEAMS {
        return Err(format!(
            "An event has 2 to {MAX_TEAMS} teams (or none); I read {} name(s).",
            names.len()
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for n in &names {
        if n.chars().count() > MAX_TEAM_NAME {
            return Err(format!(
                "The team name `{}` is too long: {MAX_TEAM_NAME} characters at most.",
                crate::text::truncate(n, 40)
            ));
        }
        if !seen.insert(team_key(n)) {
            return Err(format!("Two teams are called `{n}`: give each team its own name."));
        }
    }
    Ok(names
        .into_iter()
        .zip(PALETTE)
        .map(|(name, (_, mark, colour))| Team {
            name,
            mark: mark.to_string(),
            colour,
        })
        .collect())
}

/// What makes two team names the same: the same letters and digits, whatever their case, accents and punctuation
/// (`Red` and `red!`), and the same emoji and symbols (`🚀` and `🛸` differ, as do `🚀 Red` and `🛸 Red`), which
/// folding alone drops.
fn team_key(name: &str) -> (String, String) {
    let symbols = name
        .chars()
        .filter(|c| {
            !c.is_ascii()
                && !c.is_alphanumeric()
                && !c.is_whitespace()
                // General punctuation (dashes, curly quotes, joiners) and emoji variation selectors.
                && !('\u{2000}'..='\u{206F}').contains(c)
                && !('\u{FE00}'..='\u{FE0F}').contains(c)
                && !unicode_normalization::char::is_combining_mark(*c)
        })
        .collect();
    (crate::text::fold(name), symbols)
}

/// How team scores are counted: the members' sum when every team has the same number of players, their average
/// when sizes differ (so a bigger team does not win by size).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamMode {
    Sum,
    Average,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamStanding {
    pub team: usize,
    pub members: usize,
    /// The members' points added up.
    pub total: i64,
}

impl TeamStanding {
    /// The team's score under `mode`.
    pub fn score(&self, mode: TeamMode) -> f64 {
        match mode {
            TeamMode::Sum => self.total as f64,
            TeamMode::Average if self.members == 0 => 0.0,
            TeamMode::Average => self.total as f64 / self.members as f64,
        }
    }

    /// Compare by score under `mode`, exactly (averages compared as fractions), best first.
    pub(crate) fn better(&self, other: &TeamStanding, mode: TeamMode) -> Ordering {
        let by_score = match mode {
            TeamMode::Sum => other.total.cmp(&self.total),
            TeamMode::Average => {
                let a = i128::from(self.total) * other.members.max(1) as i128;
                let b = i128::from(other.total) * self.members.max(1) as i128;
                b.cmp(&a)
            }
        };
        // Teams with players before empty ones, then palette order.
        by_score
            .then((other.members > 0).cmp(&(self.members > 0)))
            .then(self.team.cmp(&other.team))
    }
}
