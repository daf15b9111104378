//! Rendezvous: a Discord bot that teaches and quizzes people about international space missions and the agencies
//! that fly them together.
//!
//! # Layout
//! - [`kb`]: the knowledge base: plain data with typed ids, loading with every problem reported, lookups and search.
//! - [`text`]: folding of names and answers (case, accents, punctuation), edit distance, truncation.
//! - [`reply`]: what a command answers with, as plain data (no Discord types).
//! - [`app`]: the façade every front end drives: commands, button presses, autocomplete, time passed in.
//! - [`commands`]: the bot's commands as pure functions from a parsed request to a reply.
//! - [`console`]: the same commands in a terminal, no Discord needed.
//! - [`store`]: scores, game history and community events in SQLite (sqlx): plain ids in, plain rows out.
//! - [`config`]: settings from a TOML file with environment overrides; the token never shows in output.
//! - [`events`]: community education events: host-paced quizzes with teams, a podium and a CSV export.
//! - [`discord`]: the Discord front end (serenity): registration, rendering, interactions, timers, shutdown.
//!
//! Everything outside `discord` is testable with no Discord and no network.

pub mod app;
pub mod commands;
pub mod config;
pub mod console;
pub mod discord;
pub mod events;
pub mod kb;
pub mod reply;
pub mod store;
pub mod text;
pub mod trivia;
