//! Setting an app up: where it keeps scores, which shards it runs, game defaults, who owns the bot.

use super::App;
use crate::events::Events;
use crate::shards::Shards;
use crate::store::Keeper;
use crate::trivia::game::Settings;
use crate::trivia::Sessions;
use std::path::PathBuf;

impl App {
    /// Run as the process of `shards`: only their servers' open events are resumed here, and only their timers run.
    pub fn with_shards(mut self, shards: Shards) -> App {
        self.shards = shards;
        self.events = Events::new().owning(shards);
        self
    }

    /// Whether this process answers for the server `guild` (its shard is one this process runs).
    pub fn owns(&self, guild: u64) -> bool {
        self.shards.owns(guild)
    }

    /// Where `/reload` reads the knowledge base from.
    pub fn with_data_dir(mut self, dir: PathBuf) -> App {
        self.data_dir = Some(dir);
        self
    }

    /// The users who may use owner-only commands.
    pub fn with_owners(mut self, owners: Vec<u64>) -> App {
        self.owners = owners;
        self
    }

    /// Keep scores in `store`: a [`Keeper`] (its upkeep runs in [`App::tick`]), or a store as it is, or why scores
    /// cannot be kept (everything else works either way).
    pub fn with_store(mut self, store: impl Into<Keeper>) -> App {
        self.store = store.into();
        self
    }

    /// Game defaults (rounds, timer, pause between questions).
    pub fn with_defaults(mut self, defaults: Settings) -> App {
        self.trivia = Sessions::new(defaults);
        self
    }
}
