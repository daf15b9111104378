//! Who asks, where, and what the engines need to answer: the part of every request that the trivia sessions and
//! events see, with no command parsing in it.

use crate::kb::KnowledgeBase;
use crate::store::{Notices, ServerSettings, Store, StoreError};
use serde::Serialize;

/// Who is asking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: u64,
    pub name: String,
}

/// What the asker may do where they ask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Perms {
    pub manage_guild: bool,
    /// Manage Events, or a configured host role.
    pub manage_events: bool,
    /// A role of `[events] host_roles` (who may also manage question packs).
    pub host_role: bool,
}

/// A file given with a command. The front end fetches it (Discord: downloads the attachment from its URL; the
/// console: reads the file), unless its declared size is already too large: then `bytes` stays `None` and the core
/// says so without the file ever being fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Upload {
    /// The file's name as its sender gave it.
    pub filename: String,
    /// Its size as declared (Discord's `size`, the console's file length).
    pub size: u64,
    /// Its bytes, once fetched.
    #[serde(skip)]
    pub bytes: Option<std::sync::Arc<[u8]>>,
}

/// Who asks, in which server and channel, with which permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub user: User,
    pub guild: Option<u64>,
    pub channel: u64,
    pub perms: Perms,
    /// The member's roles in the server (none in direct messages).
    pub roles: Vec<u64>,
}

/// The score store as the engines see it: a working store, or why there is none (every command that needs it says
/// so, and the rest goes on).
pub type Scores<'a> = Result<&'a Store, &'a StoreError>;

/// Everything an engine's command runs with: who asks, when, on which knowledge base, with which store, and a seed
/// for anything random (drawn from the app's source only for commands that use one, so seeded runs repeat).
pub struct Ctx<'a> {
    pub caller: &'a Caller,
    pub now: i64,
    pub kb: &'a KnowledgeBase,
    pub store: Scores<'a>,
    /// What players should be told about their scores (the database was deleted under the bot…), once per server.
    pub notices: &'a Notices,
    pub seed: u64,
    /// For a command that starts something in the channel: whether the other kind of activity (an event for a
    /// trivia game, a game for an event) already runs there.
    pub channel_busy: bool,
    /// The server's settings (the defaults outside a server, and for commands that do not read them).
    pub settings: &'a ServerSettings,
}
