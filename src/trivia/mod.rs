//! Trivia: question generation from the knowledge base (randomness injected), the typed-answer matcher, the game as
//! a state machine with no I/O, the games running per channel, and the score commands.
//!
//! # Layout
//! - [`question`]: questions (curated and generated, one function per kind), categories and filters.
//! - [`matcher`]: how a typed answer is judged.
//! - [`game`]: one game as a state machine (`answer(user, choice, now)`, `tick(now)`), and how answers score.
//! - [`sessions`]: the running games, one per channel: `/trivia start|stop`, answers, timers, saving scores.
//! - `saving`: where a running game's points go (the store it started on, or nowhere and why).
//! - [`scores`]: leaderboards, stats, forgetting a player and resetting a server.
//! - [`reports`]: the review loop: reporting a question, listing and clearing reports.
//! - [`render`]: games as replies.

pub mod game;
pub mod matcher;
pub mod question;
pub mod render;
pub mod reports;
mod saving;
pub mod scores;
pub mod sessions;

pub use sessions::{Sessions, MAX_ROUNDS, TIMER_S};

use question::Filter;

/// The trivia commands, with their arguments read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TriviaCmd {
    /// `/trivia start`: a game in this channel.
    Start(StartArgs),
    /// `/trivia stop`: the starter or a server manager ends the game.
    Stop,
    /// `/trivia leaderboard`.
    Leaderboard(Period),
    /// `/trivia stats [user]`: someone's record (the asker's by default).
    Stats { user: Option<u64> },
    /// `/trivia forget-me`: delete what is stored about the asker.
    ForgetMe,
    /// `/trivia-reset`: ask for confirmation before erasing the server's scores.
    Reset,
    /// `/answer text:…`: a typed answer to the open question.
    Answer { text: String },
    /// `/trivia reports [clear]`: the server's reported questions, or clearing one's reports.
    Reports { clear: Option<String> },
}

/// What `/trivia start` asks for; what is left out comes from the configured defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartArgs {
    pub rounds: Option<i64>,
    /// Seconds per question.
    pub timer: Option<i64>,
    pub filter: Filter,
    /// The name of a server's question pack to ask from.
    pub pack: Option<String>,
    /// With `pack`: mixed with the knowledge base's questions.
    pub mix: bool,
}

pub use crate::clock::Period;
