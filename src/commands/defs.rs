//! The bot's command definitions as data: names, descriptions, options and their limits.
//!
//! One source of truth: the Discord layer registers these, and the console parses and checks options with them.

use crate::kb::Want;
use serde::Serialize;

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

fn command(name: &'static str, description: &'static str, options: Vec<OptionDef>) -> CommandDef {
    CommandDef {
        name,
        description,
        options,
        subcommands: Vec::new(),
        admin: false,
        dm: true,
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
        ),
        command(
            "agency",
            "Show an agency: who it is, its missions and its most frequent partners",
            vec![name_opt("name", "The agency (name or acronym)", Want::Agency, true)],
        ),
        command(
            "partners",
            "List the agencies that took part in a mission, with their roles",
            vec![name_opt("mission", "The mission", Want::Mission, true)],
        ),
        command(
            "collab",
            "The missions two agencies flew together, and each one's role",
            vec![
                name_opt("first", "The first agency", Want::Agency, true),
                name_opt("second", "The second agency", Want::Agency, true),
            ],
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
        ),
        command(
            "search",
            "Search missions, agencies and facts",
            vec![OptionDef {
                max_len: Some(100),
                ..opt("query", "Words to look for", OptKind::String, true)
            }],
        ),
        command(
            "timeline",
            "Missions by launch date",
            vec![
                int_opt("from", "From this year", 1950, 2100),
                int_opt("to", "Up to this year", 1950, 2100),
            ],
        ),
        command(
            "about",
            "What Rendezvous knows, where its data comes from, and how to contribute",
            vec![],
        ),
    ]
}

fn choice_opt(name: &'static str, description: &'static str, choices: Vec<(&'static str, &'static str)>) -> OptionDef {
    OptionDef {
        choices,
        ..opt(name, description, OptKind::String, false)
    }
}

fn sub(name: &'static str, description: &'static str, options: Vec<OptionDef>) -> SubDef {
    SubDef {
        name,
        description,
        options,
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
    choice_opt(
        "category",
        "Only questions of this category",
        crate::trivia::question::CATEGORIES.to_vec(),
    )
}

/// The trivia game's commands.
pub fn trivia_commands() -> Vec<CommandDef> {
    vec![
        CommandDef {
            name: "trivia",
            description: "Play trivia about space missions and agencies",
            options: Vec::new(),
            subcommands: vec![
                sub(
                    "start",
                    "Start a game in this channel",
                    vec![
                        int_opt("rounds", "How many questions (1-20, default 5)", 1, 20),
                        category_opt(),
                        difficulty_opt(),
                        int_opt("timer", "Seconds per question (10-120, default 20)", 10, 120),
                    ],
                ),
                sub(
                    "stop",
                    "Stop the game in this channel (its starter or a server manager)",
                    vec![],
                ),
                sub(
                    "leaderboard",
                    "This server's best players",
                    vec![choice_opt(
                        "period",
                        "Which period (default: all time)",
                        vec![("All time", "all"), ("This month", "month")],
                    )],
                ),
                sub(
                    "stats",
                    "A player's record on this server",
                    vec![opt("user", "Whose record (default: yours)", OptKind::User, false)],
                ),
                sub("forget-me", "Delete everything Rendezvous stored about you", vec![]),
            ],
            admin: false,
            dm: false,
        },
        CommandDef {
            name: "trivia-reset",
            description: "Erase this server's trivia scores (asks for confirmation)",
            options: Vec::new(),
            subcommands: Vec::new(),
            admin: true,
            dm: false,
        },
        CommandDef {
            name: "answer",
            description: "Answer the open trivia question in this channel by typing",
            options: vec![OptionDef {
                max_len: Some(200),
                ..opt("text", "Your answer", OptKind::String, true)
            }],
            subcommands: Vec::new(),
            admin: false,
            dm: false,
        },
    ]
}

/// Commands for whoever runs the bot.
pub fn owner_commands() -> Vec<CommandDef> {
    vec![CommandDef {
        name: "reload",
        description: "Load and check the knowledge base again without a restart (bot owner only)",
        options: Vec::new(),
        subcommands: Vec::new(),
        admin: true,
        dm: true,
    }]
}

/// The largest whole number Discord carries exactly (2^53 - 1): the bound of seed and id options.
const MAX_SAFE_INT: i64 = 9_007_199_254_740_991;

/// Community events: a host-paced quiz with teams, a podium and results to export.
pub fn event_commands() -> Vec<CommandDef> {
    vec![CommandDef {
        name: "event",
        description: "Host a quiz event: teams, host-paced questions, a podium and results to export",
        options: Vec::new(),
        subcommands: vec![
            sub(
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
            ),
            sub("next", "Ask the next question (hosts)", vec![]),
            sub("reveal", "Close the question and show the answer (hosts)", vec![]),
            sub("scores", "Show the standings", vec![]),
            sub("end", "End the event and show the podium (hosts)", vec![]),
            sub(
                "export",
                "Download an event's results as CSV (hosts and event managers)",
                vec![int_opt(
                    "id",
                    "Which event (default: this channel's, else the latest)",
                    1,
                    MAX_SAFE_INT,
                )],
            ),
            sub(
                "cohost",
                "Let someone help host this channel's event (hosts)",
                vec![opt("user", "Who", OptKind::User, true)],
            ),
            sub("list", "This server's events", vec![]),
        ],
        admin: false,
        dm: false,
    }]
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
