//! The one integration test binary (one binary links faster than many). Each module is one area.

mod check;
mod commands;
mod console;
mod discord;
mod discord_events;
mod discord_packs;
mod discord_server;
mod durability;
mod events;
mod packs;
mod properties;
mod questions;
mod reload;
mod scale;
mod server;
mod sharding;
mod shared_store;
mod store;
mod streams;
mod structure;
mod terminal;
mod trivia;

#[path = "../support/mod.rs"]
mod support;
