//! Rendezvous: a Discord bot that teaches and quizzes people about international space missions and the agencies
//! that fly them together.
//!
//! # Layout
//! Leaves first; each module uses only those above it (the map, with how a request flows, is
//! `docs/ARCHITECTURE.md`).
//! - [`text`]: folding of names and answers (case, accents, punctuation), edit distance, truncation.
//! - [`clock`]: time as milliseconds passed in, and calendar maths.
//! - [`shards`]: which servers this process answers for when the bot runs as several processes.
//! - [`kb`]: the knowledge base: plain data with typed ids, loading with every problem reported, lookups and search.
//! - [`reply`]: what the core answers with, as plain data (no Discord types): replies, posts, outcomes.
//! - [`present`]: small shared pieces of presentation (ranks, answer splits, plurals).
//! - [`ids`]: every button id, built and read in one place.
//! - [`store`]: scores, game history and community events in SQLite (sqlx): plain ids in, plain rows out.
//! - [`context`]: who asks and where, and what the engines get with each command.
//! - [`packs`]: teachers' question packs (CSV or TOML): checked like the shipped data, kept per server, `/pack`.
//! - [`trivia`]: questions, the game state machine, the running games and the score commands.
//! - [`settings`]: a server's own settings (`/settings`): defaults for games, where they run, who starts them.
//! - [`daily`]: a question of the day per server, at a local time in its time zone, with streaks.
//! - [`events`]: community education events: host-paced quizzes with teams, a podium and a CSV export.
//! - [`commands`]: the command definitions, the parsed [`commands::Command`], and the lookups as pure functions.
//! - [`app`]: the router every front end drives: commands, button presses, autocomplete, time passed in.
//! - [`config`]: settings from a TOML file with environment overrides; the token never shows in output.
//! - [`console`]: the same commands in a terminal, no Discord needed.
//! - [`discord`]: the Discord front end (serenity): registration, rendering, interactions, timers, shutdown.
//!
//! Everything outside `discord` is testable with no Discord and no network.

pub mod app;
pub mod clock;
pub mod commands;
pub mod config;
pub mod console;
pub mod context;
pub mod daily;
pub mod discord;
pub mod events;
pub mod ids;
pub mod kb;
pub mod packs;
pub mod present;
pub mod reply;
pub mod settings;
pub mod shards;
pub mod store;
pub mod text;
pub mod trivia;
