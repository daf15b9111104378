//! The console's pretend server: names for its channels and roles (the console's users are in `Console`), given ids
//! the first time they are written, and mentions shown back as those names.

use std::collections::HashMap;

/// The console's own channel, where commands are typed unless `in NAME` moved there.
pub const HOME: &str = "general";

/// Channels and roles by name, and back.
#[derive(Debug)]
pub struct Directory {
    channels: HashMap<String, u64>,
    roles: HashMap<String, u64>,
    /// Each id's name as first written.
    shown: HashMap<u64, String>,
    next_channel: u64,
    next_role: u64,
}

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Channel,
    Role,
}

impl Directory {
    /// A directory whose home channel is `home` (the console's channel id).
    pub fn new(home: u64) -> Directory {
        Directory {
            channels: HashMap::from([(HOME.to_string(), home)]),
            roles: HashMap::new(),
            shown: HashMap::from([(home, HOME.to_string())]),
            next_channel: 2001,
            next_role: 3001,
        }
    }

    /// The id `name` stands for (`#space`, `space`, `@quizmasters`), made the first time it is written.
    pub fn id(&mut self, kind: Kind, name: &str) -> u64 {
        let name = name.trim().trim_start_matches(['#', '@']);
        let key = name.to_lowercase();
        let (map, next) = match kind {
            Kind::Channel => (&mut self.channels, &mut self.next_channel),
            Kind::Role => (&mut self.roles, &mut self.next_role),
        };
        if let Some(id) = map.get(&key) {
            return *id;
        }
        let id = *next;
        *next += 1;
        map.insert(key, id);
        self.shown.insert(id, name.to_string());
        id
    }

    /// The name of a channel or role id, if the console made it.
    pub fn name(&self, id: u64) -> Option<&str> {
        self.shown.get(&id).map(String::as_str)
    }

    /// `text` with mentions the console knows written as names: `<@1001>` as `@alice` (from `users`), `<#2001>` as
    /// `#space`, `<@&3001>` as `@quizmasters`. Others stay as they are.
    pub fn render(&self, text: &str, users: &HashMap<u64, String>) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('<') {
            out.push_str(&rest[..at]);
            let after = &rest[at..];
            let (sigil, shown, body) = if let Some(b) = after.strip_prefix("<@&") {
                ("@", Some(&self.shown), b)
            } else if let Some(b) = after.strip_prefix("<@") {
                ("@", None, b)
            } else if let Some(b) = after.strip_prefix("<#") {
                ("#", Some(&self.shown), b)
            } else {
                out.push('<');
                rest = &after[1..];
                continue;
            };
            let digits = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
            let name = body[..digits]
                .parse::<u64>()
                .ok()
                .filter(|_| body[digits..].starts_with('>'))
                .and_then(|id| shown.unwrap_or(users).get(&id));
            match name {
                Some(name) => {
                    out.push_str(sigil);
                    out.push_str(name);
                    rest = &body[digits + 1..];
                }
                None => {
                    out.push('<');
                    rest = &after[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_get_ids_once_and_mentions_read_as_names() {
        let mut d = Directory::new(1);
        let space = d.id(Kind::Channel, "#Space");
        assert_eq!(d.id(Kind::Channel, "space"), space);
        assert_eq!(d.id(Kind::Channel, HOME), 1);
        let role = d.id(Kind::Role, "@quizmasters");
        assert_ne!(role, space);
        let users = HashMap::from([(1000, "you".to_string())]);
        let text = format!("<#{space}> <@&{role}> <@1000> <#1> <@999> <b> 1 < 2 <#{space}");
        assert_eq!(
            d.render(&text, &users),
            format!("#Space @quizmasters @you #general <@999> <b> 1 < 2 <#{space}")
        );
    }
}
