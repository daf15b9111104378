//! The lookup commands: answered from the knowledge base alone.

use super::*;
use crate::commands::Lookup;

/// The lookup commands of the knowledge base, and help.
pub(super) fn lookup_commands() -> Vec<CommandDef> {
    vec![
        command(
            "help",
            "What each command does, with examples; or one command's options",
            vec![OptionDef {
                max_len: Some(40),
                ..opt(
                    "command",
                    "One command to explain (trivia, event start…)",
                    OptKind::String,
                    false,
                )
            }],
            |a| {
                Ok(Command::Lookup(Lookup::Help {
                    command: a.text_opt("command"),
                }))
            },
        )
        .example("/help command:trivia"),
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
        )
        .example("/mission name:cassini"),
        command(
            "agency",
            "Show an agency: who it is, its missions and its most frequent partners",
            vec![name_opt("name", "The agency (name or acronym)", Want::Agency, true)],
            |a| Ok(Command::Lookup(Lookup::Agency { name: a.text("name")? })),
        )
        .example("/agency name:ESA"),
        command(
            "partners",
            "List the agencies that took part in a mission, with their roles",
            vec![name_opt("mission", "The mission", Want::Mission, true)],
            |a| {
                Ok(Command::Lookup(Lookup::Partners {
                    mission: a.text("mission")?,
                }))
            },
        )
        .example("/partners mission:ISS"),
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
        )
        .example("/collab first:NASA second:ESA"),
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
        )
        .example("/fact topic:Rosetta"),
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
        )
        .example("/search query:comet"),
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
        )
        .example("/timeline from:1990 to:2000"),
        command(
            "about",
            "What Rendezvous knows, where its data comes from, and how to contribute",
            vec![],
            |_| Ok(Command::Lookup(Lookup::About)),
        )
        .example("/about"),
    ]
}
