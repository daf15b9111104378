//! The bot's command definitions as data: names, descriptions, options and their limits, who may use each, and how
//! its options become a typed [`Command`].
//!
//! One source of truth: a command's name is written here only. The Discord layer registers these, the console parses
//! and checks options with them, and [`Command::parse`](super::Command::parse) reads a request with the `parse`
//! function beside each definition. Adding a command is adding its definition here (with its parse), its variant,
//! and what answers it.

use super::args::Args;
use super::{Access, Command, CommandError, Lookup};
use crate::events::{CreateArgs, EventCmd};
use crate::kb::Want;
use crate::trivia::question::CATEGORIES;
use crate::trivia::{Period, StartArgs, TriviaCmd};
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
}

#[derive(Clone, Debug, Serialize)]
pub struct OptionDef {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: OptKind,
    pub required: bool,
    /// Autocomplete from the knowledge base's names of this kind.
    #[serde(skip)]
    pub autocomplete: Option<Want>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub max_len: Option<u16>,
    /// Fixed choices: (shown name, value).
    pub choices: Vec<(&'static str, &'static str)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SubDef {
    pub name: &'static str,
    pub description: &'static str,
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
        autocomplete: Some(want),
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
        options: Vec::new(),
        subcommands,
        admin: false,
        dm: false,
        parse: None,
        access: Access::Anyone,
    }
}

/// The lookup commands of the knowledge base.
pub fn lookup_commands() -> Vec<CommandDef> {
    vec![
        command(
            "mission",
            "Show a mission's card: dates, destination, partners and their roles, facts and sources",
            vec![name_opt(
                "name",
                "The mission (name, alias or acronym)",
                Want::Mission,
                true,
            )],
            |a| Ok(Command::Lookup(Lookup::Mission { name: a.text("name")? })),
        ),
        command(
            "agency",
            "Show an agency: who it is, its missions and its most frequent partners",
            vec![name_opt("name", "The agency (name or acronym)", Want::Agency, true)],
            |a| Ok(Command::Lookup(Lookup::Agency { name: a.text("name")? })),
        ),
        command(
            "partners",
            "List the agencies that took part in a mission, with their roles",
            vec![name_opt("mission", "The mission", Want::Mission, true)],
            |a| {
                Ok(Command::Lookup(Lookup::Partners {
                    mission: a.text("mission")?,
                }))
            },
        ),
        command(
            "collab",
            "The missions two agencies flew together, and each one's role",
            vec![
                name_opt("first", "The first agency", Want::Agency, true),
                name_opt("second", "The second agency", Want::Agency, true),
            ],
            |a| {
                Ok(Command::Lookup(Lookup::Collab {
                    first: a.text("first")?,
                    second: a.text("second")?,
                }))
            },
        ),
        command(
            "fact",
            "A random fact, with its source",
            vec![name_opt(
                "topic",
                "Only facts about this mission or agency",
                Want::Any,
                false,
            )],
            |a| {
                Ok(Command::Lookup(Lookup::Fact {
                    topic: a.text_opt("topic"),
                }))
            },
        ),
        command(
            "search",
            "Search missions, agencies and facts",
            vec![OptionDef {
                max_len: Some(100),
                ..opt("query", "Words to look for", OptKind::String, true)
            }],
            |a| {
                Ok(Command::Lookup(Lookup::Search {
                    query: a.text("query")?,
                }))
            },
        ),
        command(
            "timeline",
            "Missions by launch date",
            vec![
                int_opt("from", "From this year", 1950, 2100),
                int_opt("to", "Up to this year", 1950, 2100),
            ],
            |a| {
                Ok(Command::Lookup(Lookup::Timeline {
                    from: a.int_opt("from"),
                    to: a.int_opt("to"),
                }))
            },
        ),
        command(
            "about",
            "What Rendezvous knows, where its data comes from, and how to contribute",
            vec![],
            |_| Ok(Command::Lookup(Lookup::About)),
        ),
    ]
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

/// The category choices, shared by trivia and events.
pub fn category_opt() -> OptionDef {
    choice_opt("category", "Only questions of this category", CATEGORIES.to_vec())
}

fn trivia(cmd: TriviaCmd) -> Result<Command, CommandError> {
    Ok(Command::Trivia(cmd))
}

fn event(cmd: EventCmd) -> Result<Command, CommandError> {
    Ok(Command::Event(cmd))
}

/// The trivia game's commands.
pub fn trivia_commands() -> Vec<CommandDef> {
    vec![
        group(
            "trivia",
            "Play trivia about space missions and agencies",
            vec![
                sub(
                    "start",
                    "Start a game in this channel",
                    vec![
                        int_opt("rounds", "How many questions (1-20, default 5)", 1, 20),
                        category_opt(),
                        difficulty_opt(),
                        int_opt("timer", "Seconds per question (10-120, default 20)", 10, 120),
                    ],
                    |a| {
                        Ok(Command::Trivia(TriviaCmd::Start(StartArgs {
                            rounds: a.int_opt("rounds"),
                            timer: a.int_opt("timer"),
                            filter: a.filter()?,
                        })))
                    },
                ),
                sub(
                    "stop",
                    "Stop the game in this channel (its starter or a server manager)",
                    vec![],
                    |_| trivia(TriviaCmd::Stop),
                ),
                sub(
                    "leaderboard",
                    "This server's best players",
                    vec![choice_opt(
                        "period",
                        "Which period (default: all time)",
                        vec![("All time", "all"), ("This month", "month")],
                    )],
                    |a| {
                        let period = match a.text_opt("period").as_deref() {
                            Some("month") => Period::Month,
                            _ => Period::All,
                        };
                        trivia(TriviaCmd::Leaderboard(period))
                    },
                ),
                sub(
                    "stats",
                    "A player's record on this server",
                    vec![opt("user", "Whose record (default: yours)", OptKind::User, false)],
                    |a| {
                        trivia(TriviaCmd::Stats {
                            user: a.user_opt("user"),
                        })
                    },
                ),
                sub(
                    "forget-me",
                    "Delete everything Rendezvous stored about you",
                    vec![],
                    |_| trivia(TriviaCmd::ForgetMe),
                ),
                SubDef {
                    access: Access::Moderator,
                    ..sub(
                        "reports",
                        "Questions players reported on this server, or clear one's reports (Manage Server)",
                        vec![OptionDef {
                            max_len: Some(100),
                            ..opt(
                                "clear",
                                "The id of a question whose reports to clear",
                                OptKind::String,
                                false,
                            )
                        }],
                        |a| {
                            trivia(TriviaCmd::Reports {
                                clear: a.text_opt("clear"),
                            })
                        },
                    )
                },
            ],
        ),
        CommandDef {
            admin: true,
            dm: false,
            access: Access::ManageGuild,
            ..command(
                "trivia-reset",
                "Erase this server's trivia scores (asks for confirmation)",
                Vec::new(),
                |_| Ok(Command::Trivia(TriviaCmd::Reset)),
            )
        },
        CommandDef {
            dm: false,
            ..command(
                "answer",
                "Answer the open trivia question in this channel by typing",
                vec![OptionDef {
                    max_len: Some(200),
                    ..opt("text", "Your answer", OptKind::String, true)
                }],
                |a| Ok(Command::Trivia(TriviaCmd::Answer { text: a.text("text")? })),
            )
        },
    ]
}

/// Commands for whoever runs the bot.
pub fn owner_commands() -> Vec<CommandDef> {
    vec![CommandDef {
        admin: true,
        access: Access::Owner,
        ..command(
            "reload",
            "Load and check the knowledge base again without a restart (bot owner only)",
            Vec::new(),
            |_| Ok(Command::Reload),
        )
    }]
}

/// The largest whole number Discord carries exactly (2^53 - 1): the bound of seed and id options.
const MAX_SAFE_INT: i64 = 9_007_199_254_740_991;

/// Community events: a host-paced quiz with teams, a podium and results to export.
pub fn event_commands() -> Vec<CommandDef> {
    vec![group(
        "event",
        "Host a quiz event: teams, host-paced questions, a podium and results to export",
        vec![
            SubDef {
                access: Access::ManageEvents,
                ..sub(
                    "create",
                    "Prepare an event in this channel (needs Manage Events)",
                    vec![
                        OptionDef {
                            max_len: Some(100),
                            ..opt("name", "The event's name", OptKind::String, true)
                        },
                        int_opt("rounds", "How many questions (1-50, default 10)", 1, 50),
                        category_opt(),
                        difficulty_opt(),
                        int_opt("timer", "Seconds per question (10-180, default 30)", 10, 180),
                        OptionDef {
                            max_len: Some(200),
                            ..opt(
                                "teams",
                                "How many teams (2-6), or their names separated by commas (default: no teams)",
                                OptKind::String,
                                false,
                            )
                        },
                        int_opt(
                            "seed",
                            "Fixes the questions: the same seed gives the same quiz",
                            0,
                            MAX_SAFE_INT,
                        ),
                        int_opt(
                            "extended",
                            "Extra seconds for players who press Extended time (0-180, default half the timer)",
                            0,
                            180,
                        ),
                    ],
                    |a| {
                        Ok(Command::Event(EventCmd::Create(CreateArgs {
                            name: a.text("name")?,
                            rounds: a.int_opt("rounds"),
                            filter: a.filter()?,
                            timer: a.int_opt("timer"),
                            teams: a.text_opt("teams"),
                            seed: a.int_opt("seed"),
                            extended: a.int_opt("extended"),
                        })))
                    },
                )
            },
            sub("next", "Ask the next question (hosts)", vec![], |_| {
                event(EventCmd::Next)
            }),
            sub(
                "reveal",
                "Close the question and show the answer (hosts)",
                vec![],
                |_| event(EventCmd::Reveal),
            ),
            sub("scores", "Show the standings", vec![], |_| event(EventCmd::Scores)),
            sub("end", "End the event and show the podium (hosts)", vec![], |_| {
                event(EventCmd::End)
            }),
            sub(
                "export",
                "Download an event's results as CSV (hosts and event managers)",
                vec![int_opt(
                    "id",
                    "Which event (default: this channel's, else the latest)",
                    1,
                    MAX_SAFE_INT,
                )],
                |a| event(EventCmd::Export { id: a.int_opt("id") }),
            ),
            sub(
                "cohost",
                "Let someone help host this channel's event (hosts)",
                vec![opt("user", "Who", OptKind::User, true)],
                |a| event(EventCmd::Cohost { user: a.user("user")? }),
            ),
            sub("list", "This server's events", vec![], |_| event(EventCmd::List)),
        ],
    )]
}

/// Every command the bot offers, lookups first; made once (every interaction looks its command up).
pub fn all_commands() -> &'static [CommandDef] {
    static ALL: std::sync::OnceLock<Vec<CommandDef>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = lookup_commands();
        all.extend(trivia_commands());
        all.extend(event_commands());
        all.extend(owner_commands());
        all
    })
}

pub fn find(name: &str) -> Option<&'static CommandDef> {
    all_commands().iter().find(|c| c.name == name)
}
