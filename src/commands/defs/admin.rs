//! Commands for whoever runs the bot or the server.

use super::*;
use crate::daily::DailyCmd;
use crate::settings::{Change, ListAction, SettingsCmd, MAX_COOLDOWN_S};
use crate::trivia::{TriviaCmd, MAX_ROUNDS, TIMER_S};

fn settings(cmd: SettingsCmd) -> Result<Command, CommandError> {
    Ok(Command::Settings(cmd))
}

/// A choice that may also be "any": `Some(None)` for any, `Some(Some(v))` for a value, `None` when not given.
fn any_or(a: &Args<'_>, name: &str) -> Option<Option<String>> {
    a.text_opt(name).map(|v| (v != "any").then_some(v))
}

fn list_action(a: &Args<'_>) -> ListAction {
    match a.text_opt("action").as_deref() {
        Some("remove") => ListAction::Remove,
        Some("add") => ListAction::Add,
        _ => ListAction::Clear,
    }
}

/// `/daily`: the server's question of the day.
fn daily_command() -> CommandDef {
    group(
        "daily",
        "A question of the day for this server, with streaks",
        vec![
            sub(
                "show",
                "This server's question of the day and its streaks",
                vec![],
                |_| Ok(Command::Daily(DailyCmd::Show)),
            )
            .example("/daily show"),
            SubDef {
                access: Access::ManageGuild,
                ..sub(
                    "set",
                    "Post a question every day at a local time (Manage Server)",
                    vec![
                        opt("channel", "Where to post it", OptKind::Channel, true),
                        OptionDef {
                            max_len: Some(5),
                            ..opt(
                                "time",
                                "Local time, HH:MM on a 24-hour clock (e.g. 09:00)",
                                OptKind::String,
                                true,
                            )
                        },
                        OptionDef {
                            autocomplete: Some(Suggest::TimeZones),
                            max_len: Some(64),
                            ..opt("timezone", "IANA time zone, e.g. Europe/Paris", OptKind::String, true)
                        },
                    ],
                    |a| {
                        Ok(Command::Daily(DailyCmd::Set {
                            channel: a.channel_opt("channel").ok_or_else(|| {
                                CommandError("/daily set needs `channel:`, a channel of this server.".into())
                            })?,
                            time: a.text("time")?,
                            timezone: a.text("timezone")?,
                        }))
                    },
                )
                .example("/daily set channel:#space time:09:00 timezone:Europe/Paris")
            },
            SubDef {
                access: Access::ManageGuild,
                ..sub("off", "Stop the question of the day (Manage Server)", vec![], |_| {
                    Ok(Command::Daily(DailyCmd::Off))
                })
                .example("/daily off")
            },
        ],
    )
}

/// `/settings`: a server's own defaults and limits for games.
fn settings_command() -> CommandDef {
    let with_any = |mut o: OptionDef, any: &'static str| {
        o.choices.insert(0, (any, "any"));
        o.description = match o.name {
            "category" => "Default category for /trivia start",
            _ => "Default difficulty for /trivia start",
        };
        o
    };
    group(
        "settings",
        "This server's defaults and limits for trivia games",
        vec![
            sub("show", "This server's settings for games", vec![], |_| {
                settings(SettingsCmd::Show)
            })
            .example("/settings show"),
            SubDef {
                access: Access::ManageGuild,
                ..sub(
                    "set",
                    "Change this server's defaults for /trivia start, or its cooldown (Manage Server)",
                    vec![
                        int_opt("rounds", "Questions per game (1-20)", 1, MAX_ROUNDS),
                        int_opt("timer", "Seconds per question (10-120)", TIMER_S.0, TIMER_S.1),
                        with_any(category_opt(), "Any category"),
                        with_any(difficulty_opt(), "Any difficulty"),
                        int_opt(
                            "cooldown",
                            "Seconds between games in one channel (0-3600; 0: none)",
                            0,
                            MAX_COOLDOWN_S,
                        ),
                    ],
                    |a| {
                        settings(SettingsCmd::Set(Change {
                            rounds: a.int_opt("rounds"),
                            timer: a.int_opt("timer"),
                            category: any_or(a, "category"),
                            difficulty: any_or(a, "difficulty"),
                            cooldown: a.int_opt("cooldown"),
                        }))
                    },
                )
                .example("/settings set rounds:8 category:mars")
            },
            SubDef {
                access: Access::ManageGuild,
                ..sub(
                    "channels",
                    "Where games may run: add or remove a channel, or allow any (Manage Server)",
                    vec![
                        OptionDef {
                            required: true,
                            ..choice_opt(
                                "action",
                                "Add or remove a channel, or allow any channel",
                                vec![
                                    ("Add a channel", "add"),
                                    ("Remove a channel", "remove"),
                                    ("Any channel", "any"),
                                ],
                            )
                        },
                        opt("channel", "The channel to add or remove", OptKind::Channel, false),
                    ],
                    |a| {
                        settings(SettingsCmd::Channels {
                            action: list_action(a),
                            channel: a.channel_opt("channel"),
                        })
                    },
                )
                .example("/settings channels action:add channel:#trivia")
            },
            SubDef {
                access: Access::ManageGuild,
                ..sub(
                    "roles",
                    "Who may start games: add or remove a role, or allow everyone (Manage Server)",
                    vec![
                        OptionDef {
                            required: true,
                            ..choice_opt(
                                "action",
                                "Add or remove a role, or let everyone start games",
                                vec![
                                    ("Add a role", "add"),
                                    ("Remove a role", "remove"),
                                    ("Everyone", "everyone"),
                                ],
                            )
                        },
                        opt("role", "The role to add or remove", OptKind::Role, false),
                    ],
                    |a| {
                        settings(SettingsCmd::Roles {
                            action: list_action(a),
                            role: a.role_opt("role"),
                        })
                    },
                )
                .example("/settings roles action:add role:@quizmasters")
            },
            SubDef {
                access: Access::ManageGuild,
                ..sub(
                    "reset",
                    "Put every setting back to the bot's default (Manage Server)",
                    vec![],
                    |_| settings(SettingsCmd::Reset),
                )
                .example("/settings reset")
            },
        ],
    )
}

/// Commands for whoever runs the bot.
pub(super) fn admin_commands() -> Vec<CommandDef> {
    vec![
        settings_command(),
        daily_command(),
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
            .example("/trivia-reset")
        },
        CommandDef {
            admin: true,
            access: Access::Owner,
            ..command(
                "reload",
                "Load and check the knowledge base again without a restart (bot owner only)",
                Vec::new(),
                |_| Ok(Command::Reload),
            )
            .example("/reload")
        },
    ]
}
