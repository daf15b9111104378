//! The community event commands: a host-paced quiz with teams, a podium and results to export.

use super::*;
use crate::events::{CreateArgs, EventCmd, PreviewArgs};

fn event(cmd: EventCmd) -> Result<Command, CommandError> {
    Ok(Command::Event(cmd))
}

/// Community events: a host-paced quiz with teams, a podium and results to export.
pub(super) fn event_commands() -> Vec<CommandDef> {
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
                    ]
                    .into_iter()
                    .chain(pack_opts())
                    .collect(),
                    |a| {
                        Ok(Command::Event(EventCmd::Create(CreateArgs {
                            name: a.text("name")?,
                            rounds: a.int_opt("rounds"),
                            filter: a.filter()?,
                            timer: a.int_opt("timer"),
                            teams: a.text_opt("teams"),
                            seed: a.int_opt("seed"),
                            extended: a.int_opt("extended"),
                            pack: a.text_opt("pack"),
                            mix: a.flag("mix"),
                        })))
                    },
                )
                .example("/event create name:\"Space Club\" rounds:10 teams:2")
            },
            SubDef {
                access: Access::ManageEvents,
                ..sub(
                    "preview",
                    "The questions an event will ask, in order, with answers and a CSV answer key (hosts, private)",
                    vec![
                        int_opt(
                            "seed",
                            "The seed the event will be created with (default: a new one, shown)",
                            0,
                            MAX_SAFE_INT,
                        ),
                        int_opt("rounds", "How many questions (1-50, default 10)", 1, 50),
                        category_opt(),
                        difficulty_opt(),
                    ]
                    .into_iter()
                    .chain(pack_opts())
                    .collect(),
                    |a| {
                        Ok(Command::Event(EventCmd::Preview(PreviewArgs {
                            seed: a.int_opt("seed"),
                            rounds: a.int_opt("rounds"),
                            filter: a.filter()?,
                            pack: a.text_opt("pack"),
                            mix: a.flag("mix"),
                        })))
                    },
                )
                .example("/event preview seed:42 rounds:10")
            },
            sub("next", "Ask the next question (hosts)", vec![], |_| {
                event(EventCmd::Next)
            })
            .example("/event next"),
            sub(
                "reveal",
                "Close the question and show the answer (hosts)",
                vec![],
                |_| event(EventCmd::Reveal),
            )
            .example("/event reveal"),
            sub("scores", "Show the standings", vec![], |_| event(EventCmd::Scores)).example("/event scores"),
            sub("end", "End the event and show the podium (hosts)", vec![], |_| {
                event(EventCmd::End)
            })
            .example("/event end"),
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
            )
            .example("/event export"),
            sub(
                "cohost",
                "Let someone help host this channel's event (hosts)",
                vec![opt("user", "Who", OptKind::User, true)],
                |a| event(EventCmd::Cohost { user: a.user("user")? }),
            )
            .example("/event cohost user:alice"),
            sub("list", "This server's events", vec![], |_| event(EventCmd::List)).example("/event list"),
        ],
    )]
}
