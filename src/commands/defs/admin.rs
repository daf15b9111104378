//! Commands for whoever runs the bot or the server.

use super::*;
use crate::trivia::TriviaCmd;

/// Commands for whoever runs the bot.
pub(super) fn admin_commands() -> Vec<CommandDef> {
    vec![
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
