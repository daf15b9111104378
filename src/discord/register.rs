//! The command definitions (`commands::defs`, the one source of truth) as Discord application commands.

use crate::commands::defs::{self, CommandDef, OptKind, OptionDef};
use serenity::all::{
    ChannelType, Command, CommandOptionType, CreateCommand, CreateCommandOption, GuildId, InstallationContext,
    InteractionContext, Permissions,
};
use serenity::http::Http;

/// Every command of `defs::all_commands()`, as Discord registers it.
pub fn commands() -> Vec<CreateCommand> {
    defs::all_commands().iter().map(command).collect()
}

/// Register every command in `guild` (instant), else globally. Returns what Discord stored.
pub async fn register(http: &Http, guild: Option<GuildId>) -> serenity::Result<Vec<Command>> {
    match guild {
        Some(g) => g.set_commands(http, commands()).await,
        None => Command::set_global_commands(http, commands()).await,
    }
}

fn command(def: &CommandDef) -> CreateCommand {
    let mut contexts = vec![InteractionContext::Guild];
    if def.dm {
        contexts.push(InteractionContext::BotDm);
    }
    let mut c = CreateCommand::new(def.name)
        .description(def.description)
        .integration_types(vec![InstallationContext::Guild])
        .contexts(contexts);
    if def.admin {
        c = c.default_member_permissions(Permissions::MANAGE_GUILD);
    }
    for sub in &def.subcommands {
        let mut s = CreateCommandOption::new(CommandOptionType::SubCommand, sub.name, sub.description);
        for o in &sub.options {
            s = s.add_sub_option(option(o));
        }
        c = c.add_option(s);
    }
    for o in &def.options {
        c = c.add_option(option(o));
    }
    c
}

fn option(def: &OptionDef) -> CreateCommandOption {
    let kind = match def.kind {
        OptKind::String => CommandOptionType::String,
        OptKind::Integer => CommandOptionType::Integer,
        OptKind::Number => CommandOptionType::Number,
        OptKind::Boolean => CommandOptionType::Boolean,
        OptKind::User => CommandOptionType::User,
        OptKind::Channel => CommandOptionType::Channel,
        OptKind::Role => CommandOptionType::Role,
        OptKind::Attachment => CommandOptionType::Attachment,
    };
    let mut o = CreateCommandOption::new(kind, def.name, def.description).required(def.required);
    // Discord refuses autocomplete together with fixed choices; fixed choices win.
    if def.autocomplete.is_some() && def.choices.is_empty() {
        o = o.set_autocomplete(true);
    }
    match def.kind {
        OptKind::Integer => {
            if let Some(min) = def.min {
                o = match u64::try_from(min) {
                    Ok(m) => o.min_int_value(m),
                    Err(_) => o.min_number_value(min as f64),
                };
            }
            if let Some(max) = def.max {
                o = match u64::try_from(max) {
                    Ok(m) => o.max_int_value(m),
                    Err(_) => o.max_number_value(max as f64),
                };
            }
        }
        OptKind::Number => {
            if let Some(min) = def.min {
                o = o.min_number_value(min as f64);
            }
            if let Some(max) = def.max {
                o = o.max_number_value(max as f64);
            }
        }
        OptKind::String => {
            if let Some(max) = def.max_len {
                o = o.max_length(max);
            }
        }
        // Games and posts go to text and announcement channels.
        OptKind::Channel => o = o.channel_types(vec![ChannelType::Text, ChannelType::News]),
        OptKind::Boolean | OptKind::User | OptKind::Role | OptKind::Attachment => {}
    }
    for (name, value) in &def.choices {
        o = match def.kind {
            OptKind::Integer => match value.parse::<i32>() {
                Ok(v) => o.add_int_choice(*name, v),
                Err(_) => o.add_string_choice(*name, *value),
            },
            OptKind::Number => match value.parse::<f64>() {
                Ok(v) => o.add_number_choice(*name, v),
                Err(_) => o.add_string_choice(*name, *value),
            },
            _ => o.add_string_choice(*name, *value),
        };
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_becomes_a_command_with_its_options() {
        let body = serde_json::to_value(commands()).unwrap();
        let defs = defs::all_commands();
        assert_eq!(body.as_array().unwrap().len(), defs.len());
        for (c, d) in body.as_array().unwrap().iter().zip(defs) {
            assert_eq!(c["name"], d.name);
            assert_eq!(c["description"], d.description);
            let n = d.options.len() + d.subcommands.len();
            assert_eq!(c["options"].as_array().unwrap().len(), n, "{}", d.name);
            assert_eq!(c["default_member_permissions"].is_string(), d.admin, "{}", d.name);
        }
    }
}
