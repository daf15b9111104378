//! What an event keeps: the configuration fixed when it is created, and the state that changes as it runs. Both are
//! serde data: the registry saves them as JSON after every change, and reads them back after a restart.

use super::Team;
use crate::trivia::question::Question;
use serde::{Deserialize, Serialize};

/// A question as the event keeps it: everything needed to ask, reveal and export it, even after the knowledge base
/// changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuestion {
    pub id: String,
    pub text: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: String,
    pub source: String,
    pub difficulty: String,
}

impl From<&Question> for EventQuestion {
    fn from(q: &Question) -> EventQuestion {
        EventQuestion {
            id: q.id.clone(),
            text: q.text.clone(),
            options: q.options.clone(),
            correct: q.correct,
            explanation: q.explanation.clone(),
            source: q.source.clone(),
            difficulty: q.difficulty.label().to_string(),
        }
    }
}

impl EventQuestion {
    pub fn answer(&self) -> &str {
        self.options.get(self.correct).map_or("", String::as_str)
    }
}

/// What the host chose at creation; fixed for the event's life (saved as the event's `config`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    pub creator: u64,
    pub seed: u64,
    pub category: Option<String>,
    pub difficulty: Option<String>,
    /// How long a question stays open.
    pub timer_ms: i64,
    /// How much longer it stays open for players with extended time.
    pub extra_ms: i64,
    pub teams: Vec<Team>,
    pub questions: Vec<EventQuestion>,
    /// The question pack its questions came from, by name, and whether they were mixed with the knowledge base's.
    #[serde(default)]
    pub pack: Option<String>,
    #[serde(default)]
    pub mix: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Player {
    pub id: u64,
    pub name: String,
    /// Index into the event's teams.
    pub team: Option<usize>,
    /// Answers are accepted for `extra_ms` longer.
    pub extended: bool,
    pub points: i64,
    pub right: u32,
    pub answered: u32,
}

/// One answer given during the event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// 1-based.
    pub round: u32,
    pub user: u64,
    pub choice: usize,
    pub right: bool,
    /// From the question opening to the click.
    pub time_ms: u32,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Players join; no question yet.
    Lobby,
    /// The current question takes answers until `deadline` (`extended_deadline` for players with extended time).
    Open {
        opened_at: i64,
        deadline: i64,
        extended_deadline: i64,
    },
    /// Time ran out; the host has not revealed the answer yet.
    Closed {
        opened_at: i64,
    },
    /// The answer was shown; the host asks the next question or ends.
    Revealed,
    Ended {
        at: i64,
    },
}

/// Where the event is, as it changes (saved as the event's `state`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Players in the order they joined.
    pub players: Vec<Player>,
    /// Questions asked so far; the current question is number `round` (1-based), none in the lobby.
    pub round: u32,
    pub phase: Phase,
    pub answers: Vec<Answer>,
}

impl Default for State {
    fn default() -> State {
        State {
            players: Vec::new(),
            round: 0,
            phase: Phase::Lobby,
            answers: Vec::new(),
        }
    }
}
