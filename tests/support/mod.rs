//! Shared test support: a fake Discord (REST + gateway on loopback) and the interactions tests send to the bot.

pub mod bin;
pub mod fake_discord;
pub mod interactions;
