//! The bot's commands: definitions (names, options, who may use them), the parsed [`Command`] with typed arguments,
//! and the lookup commands as pure functions.
//!
//! A request (from Discord or the console) is parsed once into a [`Command`]; routing, purity (the Discord front
//! end's reply cache), whether it needs the store and who may run it are then answered by the command.
//!
//! # Layout
//! - [`defs`]: the definitions as data, each with the parser that reads its options.
//! - [`request`]: a request as it arrives (`/name sub opt:value`), and the console's line parser.
//! - [`args`]: reading a request's options by name and type.
//! - [`lookup`]: the lookup commands, their buttons, and autocomplete.
//! - [`help`]: `/help`, made from the definitions.

pub mod args;
pub mod defs;
pub mod help;
pub mod lookup;
pub mod request;

pub use crate::context::{Perms, User};
pub use request::{parse, ParseError, Request, Upload, Value};

use crate::daily::DailyCmd;
use crate::events::EventCmd;
use crate::packs::PackCmd;
use crate::settings::SettingsCmd;
use crate::trivia::TriviaCmd;

/// A command with its arguments read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Answered from the knowledge base alone.
    Lookup(Lookup),
    Trivia(TriviaCmd),
    Event(EventCmd),
    /// `/settings …`: a server's settings.
    Settings(SettingsCmd),
    /// `/daily …`: the server's question of the day.
    Daily(DailyCmd),
    /// `/pack …`: a server's question packs.
    Pack(PackCmd),
    /// `/reload`: load and check the knowledge base again.
    Reload,
}

/// The lookup commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Mission {
        name: String,
    },
    Agency {
        name: String,
    },
    Partners {
        mission: String,
    },
    Collab {
        first: String,
        second: String,
    },
    Fact {
        topic: Option<String>,
    },
    Search {
        query: String,
    },
    Timeline {
        from: Option<i64>,
        to: Option<i64>,
    },
    About,
    /// `/help [command]`.
    Help {
        command: Option<String>,
    },
}

/// Who may run a command (beyond what a command checks itself, such as an event's hosts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Access {
    #[default]
    Anyone,
    /// The bot's owners.
    Owner,
    /// Members with Manage Server.
    ManageGuild,
    /// Members with Manage Events, or a configured host role.
    ManageEvents,
    /// Members with Manage Server, or the bot's owners.
    Moderator,
    /// Members with Manage Server, or a configured host role (`[events] host_roles`): who manages question packs.
    PackHost,
}

impl Access {
    /// Whether `perms` (and being an owner) allow it.
    pub fn allows(self, perms: Perms, owner: bool) -> bool {
        match self {
            Access::Anyone => true,
            Access::Owner => owner,
            Access::ManageGuild => perms.manage_guild,
            Access::ManageEvents => perms.manage_events,
            Access::Moderator => perms.manage_guild || owner,
            Access::PackHost => perms.manage_guild || perms.host_role,
        }
    }
}

/// Why a request is not a command this build can run: a message for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError(pub String);

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CommandError {}

impl Command {
    /// Read a request as a command, with its definition's parser.
    pub fn parse(req: &Request) -> Result<Command, CommandError> {
        let (_, parser) = Command::find(req)?;
        (parser.0)(&args::Args::new(req))
    }

    /// Who may run the command `req` asks for (`Anyone` when it is not one this build knows).
    pub fn access_of(req: &Request) -> Access {
        Command::find(req).map_or(Access::Anyone, |(access, _)| access)
    }

    fn find(req: &Request) -> Result<(Access, defs::Parser), CommandError> {
        let unknown = || {
            CommandError(format!(
                "I don't know the command `{}`. `/help` lists what I can do.",
                crate::text::truncate(&req.path(), 60)
            ))
        };
        let def = defs::find(&req.command).ok_or_else(unknown)?;
        match (&def.parse, req.sub.as_deref()) {
            (Some(parse), None) => Ok((def.access, *parse)),
            (None, Some(sub)) => def
                .subcommands
                .iter()
                .find(|s| s.name == sub)
                .map(|s| (s.access, s.parse))
                .ok_or_else(unknown),
            (None, None) => {
                let subs: Vec<String> = def
                    .subcommands
                    .iter()
                    .map(|s| format!("`/{} {}`", def.name, s.name))
                    .collect();
                Err(CommandError(format!(
                    "Try {}. `/help command:{}` explains each.",
                    subs.join(", "),
                    def.name
                )))
            }
            (Some(_), Some(_)) => Err(unknown()),
        }
    }

    /// Whether the reply depends only on the request and the knowledge base: the same request on the same knowledge
    /// base always gets the same reply, whoever asks, wherever, whatever the random state. A front end may keep such
    /// replies until the knowledge base changes (the Discord front end keeps their request bodies).
    pub fn is_pure(&self) -> bool {
        matches!(self, Command::Lookup(l) if !matches!(l, Lookup::Fact { .. }))
    }

    /// Whether it reads or writes the score store (so a one-shot `ask` opens the database only for these).
    pub fn needs_store(&self) -> bool {
        matches!(
            self,
            Command::Trivia(_) | Command::Event(_) | Command::Settings(_) | Command::Daily(_) | Command::Pack(_)
        )
    }

    /// What its caller is told when its [`Access`] refuses them.
    pub fn refusal(&self) -> &'static str {
        match self {
            Command::Reload => "Only the bot's owner can reload its data.",
            Command::Trivia(TriviaCmd::Reports { .. }) => {
                "Only someone with Manage Server, or the bot's owner, can see and clear reported questions."
            }
            Command::Trivia(_) => "Only someone with Manage Server can reset the leaderboard.",
            Command::Event(_) => {
                "Creating an event needs the Manage Events permission. Someone who has it can create the event and \
                 make you a co-host with `/event cohost`."
            }
            Command::Settings(_) => {
                "Only someone with Manage Server can change this server's settings; `/settings show` shows them."
            }
            Command::Daily(_) => {
                "Only someone with Manage Server can set or stop the question of the day; `/daily show` shows it."
            }
            Command::Pack(_) => {
                "Question packs are managed by people with Manage Server, or with a role the bot's configuration \
                 lists as event hosts (`[events] host_roles`). Ask one of them to upload or change a pack."
            }
            Command::Lookup(_) => "You may not use this command here.",
        }
    }

    /// Whether it draws on randomness (a fact, a game's questions, an event's seed).
    pub fn is_random(&self) -> bool {
        matches!(
            self,
            Command::Lookup(Lookup::Fact { .. })
                | Command::Trivia(TriviaCmd::Start(_))
                | Command::Event(EventCmd::Create(_) | EventCmd::Preview(_))
                | Command::Pack(PackCmd::Upload { .. })
        )
    }
}
