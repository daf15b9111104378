//! Shared test support: a fake Discord (REST + gateway on loopback), the interactions tests send to the bot, and the
//! databases the store tests run on (SQLite, and PostgreSQL when a server is given).

pub mod bin;
pub mod child;
pub mod fake_discord;
pub mod interactions;
pub mod stores;
