//! The trivia commands: games, answers, scores and reports.

use super::*;
use crate::trivia::{Period, StartArgs, TriviaCmd};

fn trivia(cmd: TriviaCmd) -> Result<Command, CommandError> {
    Ok(Command::Trivia(cmd))
}

/// The trivia game's commands.
pub(super) fn trivia_commands() -> Vec<CommandDef> {
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
                    ]
                    .into_iter()
                    .chain(pack_opts())
                    .collect(),
                    |a| {
                        Ok(Command::Trivia(TriviaCmd::Start(StartArgs {
                            rounds: a.int_opt("rounds"),
                            timer: a.int_opt("timer"),
                            filter: a.filter()?,
                            pack: a.text_opt("pack"),
                            mix: a.flag("mix"),
                        })))
                    },
                )
                .example("/trivia start rounds:5 category:mars"),
                sub(
                    "stop",
                    "Stop the game in this channel (its starter or a server manager)",
                    vec![],
                    |_| trivia(TriviaCmd::Stop),
                )
                .example("/trivia stop"),
                sub(
                    "leaderboard",
                    "This server's best players",
                    vec![choice_opt(
                        "period",
                        "Which period (default: all time); weeks start on Monday 00:00 UTC",
                        vec![("All time", "all"), ("This month", "month"), ("This week", "week")],
                    )],
                    |a| {
                        let period = match a.text_opt("period").as_deref() {
                            Some("month") => Period::Month,
                            Some("week") => Period::Week,
                            _ => Period::All,
                        };
                        trivia(TriviaCmd::Leaderboard(period))
                    },
                )
                .example("/trivia leaderboard period:month"),
                sub(
                    "stats",
                    "A player's record on this server",
                    vec![opt("user", "Whose record (default: yours)", OptKind::User, false)],
                    |a| {
                        trivia(TriviaCmd::Stats {
                            user: a.user_opt("user"),
                        })
                    },
                )
                .example("/trivia stats"),
                sub(
                    "forget-me",
                    "Delete everything Rendezvous stored about you",
                    vec![],
                    |_| trivia(TriviaCmd::ForgetMe),
                )
                .example("/trivia forget-me"),
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
                    .example("/trivia reports")
                },
            ],
        ),
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
            .example("/answer text:Titan")
        },
    ]
}
