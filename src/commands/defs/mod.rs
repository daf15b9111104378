//! The bot's command definitions as data: names, descriptions, options and their limits, who may use each, and how
//! its options become a typed [`Command`].
//!
//! One source of truth: a command's name is written here only. The Discord layer registers these, the console parses
//! and checks options with them, and [`Command::parse`](super::Command::parse) reads a request with the `parse`
//! function beside each definition. Adding a command is adding its definition here (with its parse), its variant,
//! and what answers it.

mod admin;
mod events;
mod lookup;
mod packs;
mod play;

use super::args::Args;
use super::{Access, Command, CommandError};
use crate::kb::Want;
use crate::trivia::question::CATEGORIES;
use serde::Serialize;
use std::fmt;

/// How a command's options become a [`Command`]: what is wrong comes back as a message for the user.
#[derive(Clone, Copy)]
pub struct Parser(pub fn(&Args<'_>) -> Result<Command, CommandError>);

impl fmt::Debug for Parser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parser")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OptKind {
    String,
    Integer,
    Number,
    Boolean,
    User,
    /// A text channel of the server.
    Channel,
    Role,
    /// A file sent with the command (the console takes a path).
    Attachment,
}

/// What an option's autocomplete suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suggest {
    /// The knowledge base's names of this kind.
    Names(Want),
    /// IANA time zone names.
    TimeZones,
}

#[derive(Clone, Debug, Serialize)]
pub struct OptionDef {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: OptKind,
    pub required: bool,
    /// What autocomplete suggests as it is typed.
    #[serde(skip)]
    pub autocomplete: Option<Suggest>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub max_len: Option<u16>,
    /// Fixed choices: (shown name, value).
    pub choices: Vec<(&'static str, &'static str)>,
}

/// Where `/help` lists a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Section {
    Lookup,
    Play,
    Events,
    Admin,
}

impl Section {
    pub const ALL: [Section; 4] = [Section::Lookup, Section::Play, Section::Events, Section::Admin];

    pub fn title(self) -> &'static str {
        match self {
            Section::Lookup => "Look things up",
            Section::Play => "Play",
            Section::Events => "Community events",
            Section::Admin => "Run the bot and the server",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SubDef {
    pub name: &'static str,
    pub description: &'static str,
    /// One way to use it, as typed (`/help` shows it; a test parses every one).
    pub example: &'static str,
    pub options: Vec<OptionDef>,
    #[serde(skip)]
    pub parse: Parser,
    #[serde(skip)]
    pub access: Access,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommandDef {
    pub name: &'static str,
    pub description: &'static str,
    /// Where `/help` lists it.
    pub section: Section,
    /// One way to use it, as typed (for a command without subcommands).
    pub example: &'static str,
    pub options: Vec<OptionDef>,
    pub subcommands: Vec<SubDef>,
    /// Only members with Manage Server see and use it by default.
    pub admin: bool,
    /// Usable in direct messages too.
    pub dm: bool,
    /// For a command without subcommands: how its options become a command.
    #[serde(skip)]
    pub parse: Option<Parser>,
    #[serde(skip)]
    pub access: Access,
}

impl CommandDef {
    /// The same definition with `example` as its example.
    pub(super) fn example(mut self, example: &'static str) -> CommandDef {
        self.example = example;
        self
    }

    /// The options of the command, or of one of its subcommands.
    pub fn options_for(&self, sub: Option<&str>) -> Option<&[OptionDef]> {
        match sub {
            None if self.subcommands.is_empty() => Some(&self.options),
            None => None,
            Some(s) => self
                .subcommands
                .iter()
                .find(|d| d.name == s)
                .map(|d| d.options.as_slice()),
        }
    }
}

fn opt(name: &'static str, description: &'static str, kind: OptKind, required: bool) -> OptionDef {
    OptionDef {
        name,
        description,
        kind,
        required,
        autocomplete: None,
        min: None,
        max: None,
        max_len: None,
        choices: Vec::new(),
    }
}

fn name_opt(name: &'static str, description: &'static str, want: Want, required: bool) -> OptionDef {
    OptionDef {
        autocomplete: Some(Suggest::Names(want)),
        max_len: Some(100),
        ..opt(name, description, OptKind::String, required)
    }
}

fn int_opt(name: &'static str, description: &'static str, min: i64, max: i64) -> OptionDef {
    OptionDef {
        min: Some(min),
        max: Some(max),
        ..opt(name, description, OptKind::Integer, false)
    }
}

fn command(
    name: &'static str,
    description: &'static str,
    options: Vec<OptionDef>,
    parse: fn(&Args<'_>) -> Result<Command, CommandError>,
) -> CommandDef {
    CommandDef {
        name,
        description,
        section: Section::Lookup,
        example: "",
        options,
        subcommands: Vec::new(),
        admin: false,
        dm: true,
        parse: Some(Parser(parse)),
        access: Access::Anyone,
    }
}

/// A command made of subcommands.
fn group(name: &'static str, description: &'static str, subcommands: Vec<SubDef>) -> CommandDef {
    CommandDef {
        name,
        description,
        section: Section::Lookup,
        example: "",
        options: Vec::new(),
        subcommands,
        admin: false,
        dm: false,
        parse: None,
        access: Access::Anyone,
    }
}

fn choice_opt(name: &'static str, description: &'static str, choices: Vec<(&'static str, &'static str)>) -> OptionDef {
    OptionDef {
        choices,
        ..opt(name, description, OptKind::String, false)
    }
}

fn sub(
    name: &'static str,
    description: &'static str,
    options: Vec<OptionDef>,
    parse: fn(&Args<'_>) -> Result<Command, CommandError>,
) -> SubDef {
    SubDef {
        name,
        description,
        example: "",
        options,
        parse: Parser(parse),
        access: Access::Anyone,
    }
}

/// The difficulty choices, shared by trivia and events.
pub fn difficulty_opt() -> OptionDef {
    choice_opt(
        "difficulty",
        "Only questions of this difficulty",
        vec![("Easy", "easy"), ("Medium", "medium"), ("Hard", "hard")],
    )
}

/// The `pack` and `mix` options, shared by trivia and events.
pub fn pack_opts() -> [OptionDef; 2] {
    [
        packs::pack_name_opt(
            "pack",
            "Ask the questions of this server's question pack (see /pack list)",
            false,
        ),
        opt(
            "mix",
            "With pack: mix the pack's questions with the knowledge base's (default: the pack's alone)",
            OptKind::Boolean,
            false,
        ),
    ]
}

/// The category choices, shared by trivia and events.
pub fn category_opt() -> OptionDef {
    choice_opt("category", "Only questions of this category", CATEGORIES.to_vec())
}

impl SubDef {
    /// The same subcommand with `example` as its example.
    pub(super) fn example(mut self, example: &'static str) -> SubDef {
        self.example = example;
        self
    }
}

/// The largest whole number Discord carries exactly (2^53 - 1): the bound of seed and id options.
const MAX_SAFE_INT: i64 = 9_007_199_254_740_991;

/// Every command the bot offers, lookups first; made once (every interaction looks its command up).
pub fn all_commands() -> &'static [CommandDef] {
    static ALL: std::sync::OnceLock<Vec<CommandDef>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let in_section = |defs: Vec<CommandDef>, section: Section| {
            defs.into_iter().map(move |mut d| {
                d.section = section;
                d
            })
        };
        let mut all: Vec<CommandDef> = in_section(lookup::lookup_commands(), Section::Lookup).collect();
        all.extend(in_section(play::trivia_commands(), Section::Play));
        all.extend(in_section(events::event_commands(), Section::Events));
        all.extend(in_section(packs::pack_commands(), Section::Events));
        all.extend(in_section(admin::admin_commands(), Section::Admin));
        all
    })
}

pub fn find(name: &str) -> Option<&'static CommandDef> {
    all_commands().iter().find(|c| c.name == name)
}
