//! `/help`: every command by section with an example, or one command's options and what each takes. Made from the
//! definitions, so it is never out of date.

use super::defs::{self, CommandDef, OptKind, OptionDef, Section};
use crate::reply::{colour, Reply};

/// Help on everything (`None`), or on one command (`trivia`, `/trivia start`).
pub fn help(command: Option<&str>) -> Reply {
    match command.map(str::trim).filter(|c| !c.is_empty()) {
        None => overview(),
        Some(wanted) => {
            let wanted = wanted.trim_start_matches('/').to_lowercase();
            let mut words = wanted.split_whitespace();
            let name = words.next().unwrap_or_default();
            match defs::find(name) {
                Some(def) => one(def, words.next()),
                None => {
                    let names: Vec<String> = defs::all_commands().iter().map(|c| format!("`{}`", c.name)).collect();
                    Reply::error(format!(
                        "I have no command `/{}`. `/help` lists them all; `/help command:` takes one of {}.",
                        crate::text::truncate(name, 40),
                        names.join(", ")
                    ))
                }
            }
        }
    }
}

/// The commands by section, each with what it does and an example.
fn overview() -> Reply {
    let mut r = Reply::card("Rendezvous — what I can do");
    r.colour = Some(colour::INFO);
    let mut text = String::from(
        "I teach and quiz people about space missions and the agencies that fly them together. Type `/` and pick a \
         command; `/help command:trivia` explains one in full.\n",
    );
    for section in Section::ALL {
        text.push_str(&format!("\n**{}**\n", section.title()));
        for def in defs::all_commands().iter().filter(|d| d.section == section) {
            if def.subcommands.is_empty() {
                text.push_str(&line(&format!("/{}", def.name), def.description, def.example));
            } else {
                // One example per command keeps the overview within one message; `/help command:` has them all.
                for (i, sub) in def.subcommands.iter().enumerate() {
                    let example = if i == 0 { sub.example } else { "" };
                    text.push_str(&line(&format!("/{} {}", def.name, sub.name), sub.description, example));
                }
            }
        }
    }
    r.text = text;
    r.footer = Some("Names are matched forgivingly, and autocomplete offers them as you type.".into());
    r.fit()
}

/// One command's line in the overview; its example, if given, only where it shows options (`/event next` shows
/// nothing more).
fn line(command: &str, description: &str, example: &str) -> String {
    if example.is_empty() || example.trim() == command {
        format!("`{command}` — {description}\n")
    } else {
        format!("`{command}` — {description} · e.g. `{example}`\n")
    }
}

/// One command: its subcommands, each option and what it takes, and examples.
fn one(def: &CommandDef, sub: Option<&str>) -> Reply {
    let mut r = Reply::card(format!("/{}", def.name));
    r.colour = Some(colour::INFO);
    r.text = def.description.to_string();
    if def.subcommands.is_empty() {
        r = r.field("Options", options_text(&def.options), false);
        r = r.field("Example", format!("`{}`", def.example), false);
    } else {
        for s in def.subcommands.iter().filter(|s| sub.is_none_or(|want| s.name == want)) {
            let value = format!("{}\n{}\ne.g. `{}`", s.description, options_text(&s.options), s.example);
            r = r.field(format!("/{} {}", def.name, s.name), value, false);
        }
    }
    r.fit()
}

fn options_text(options: &[OptionDef]) -> String {
    if options.is_empty() {
        return "No options.".into();
    }
    options
        .iter()
        .map(|o| {
            format!(
                "• `{}` ({}{}): {}",
                o.name,
                takes(o),
                if o.required { "" } else { ", optional" },
                o.description
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What an option takes, in words.
fn takes(o: &OptionDef) -> String {
    if !o.choices.is_empty() {
        let values: Vec<&str> = o.choices.iter().map(|(_, v)| *v).collect();
        return format!("one of {}", values.join(", "));
    }
    match o.kind {
        OptKind::String if o.autocomplete == Some(defs::Suggest::TimeZones) => {
            "an IANA time zone such as Europe/Paris, suggested as you type".into()
        }
        OptKind::String if o.autocomplete.is_some() => "a name, suggested as you type".into(),
        OptKind::String => "text".into(),
        OptKind::Integer => match (o.min, o.max) {
            (Some(min), Some(max)) if max < 1_000_000 => format!("a whole number {min}–{max}"),
            _ => "a whole number".into(),
        },
        OptKind::Number => "a number".into(),
        OptKind::Boolean => "true or false".into(),
        OptKind::User => "a member".into(),
        OptKind::Channel => "a channel".into(),
        OptKind::Role => "a role".into(),
        OptKind::Attachment => "a file (in the console: its path)".into(),
    }
}
