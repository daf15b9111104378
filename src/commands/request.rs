//! A parsed command: what was asked, by whom, where. Built by the Discord layer from an interaction, or by the
//! console from a line such as `/collab first:NASA second:"European Space Agency"`.

use super::defs::{self, OptKind, OptionDef};
pub use crate::context::Upload;
use crate::context::{Caller, Perms, User};
use serde::Serialize;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Str(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    User(u64),
    Channel(u64),
    Role(u64),
    /// A file given with the command: a Discord attachment, or a file the console read.
    File(Upload),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Int(i) => write!(f, "{i}"),
            Value::Num(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::User(u) => write!(f, "<@{u}>"),
            Value::Channel(c) => write!(f, "<#{c}>"),
            Value::Role(r) => write!(f, "<@&{r}>"),
            Value::File(u) => f.write_str(&u.filename),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Request {
    pub command: String,
    pub sub: Option<String>,
    pub options: Vec<(String, Value)>,
    pub user: User,
    pub guild: Option<u64>,
    pub channel: u64,
    pub perms: Perms,
    /// The member's roles (empty in direct messages and the console unless given).
    pub roles: Vec<u64>,
}

impl Request {
    pub fn new(command: &str, user: User) -> Request {
        Request {
            command: command.to_string(),
            sub: None,
            options: Vec::new(),
            user,
            guild: None,
            channel: 0,
            perms: Perms::default(),
            roles: Vec::new(),
        }
    }

    pub fn opt(mut self, name: &str, value: Value) -> Request {
        self.options.push((name.to_string(), value));
        self
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.options.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Value::Int(i)) => Some(*i),
            Some(Value::Num(n)) if n.fract() == 0.0 => Some(*n as i64),
            _ => None,
        }
    }

    pub fn user_opt(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Some(Value::User(u)) => Some(*u),
            _ => None,
        }
    }

    pub fn channel_opt(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Some(Value::Channel(c)) => Some(*c),
            _ => None,
        }
    }

    pub fn file(&self, name: &str) -> Option<&Upload> {
        match self.get(name) {
            Some(Value::File(u)) => Some(u),
            _ => None,
        }
    }

    pub fn role_opt(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Some(Value::Role(r)) => Some(*r),
            _ => None,
        }
    }

    /// Who asks, where.
    pub fn caller(&self) -> Caller {
        Caller {
            user: self.user.clone(),
            guild: self.guild,
            channel: self.channel,
            perms: self.perms,
            roles: self.roles.clone(),
        }
    }

    /// The command as typed, for logs and messages: `/trivia start`.
    pub fn path(&self) -> String {
        match &self.sub {
            Some(s) => format!("/{} {}", self.command, s),
            None => format!("/{}", self.command),
        }
    }
}

/// Why a line could not be read as a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// How much of what someone typed is shown back in a message: enough to recognise it, never a wall of text.
pub const SHOWN_CHARS: usize = 40;

/// What someone typed, cut to [`SHOWN_CHARS`] to be shown back.
pub fn shown(typed: &str) -> String {
    crate::text::truncate(typed, SHOWN_CHARS)
}

/// Split a line into words, keeping quoted parts together: `a:"b c"` is one word `a:b c`.
pub fn split_words(line: &str) -> Result<Vec<String>, ParseError> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'' | '“' | '”') => {
                quote = Some(if c == '“' { '”' } else { c });
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if let Some(q) = quote {
        return Err(ParseError(format!(
            "a quote is not closed: put a {q} at the end of the value that starts with {}",
            if q == '”' { '“' } else { q }
        )));
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Parse `/name [sub] opt:value …` against the command definitions, as Discord would: unknown commands, options
/// and values out of range are errors that say what is allowed.
pub fn parse(line: &str, user: User) -> Result<Request, ParseError> {
    let words = split_words(line)?;
    let Some(first) = words.first() else {
        return Err(ParseError("empty command: try /about".into()));
    };
    let name = first.strip_prefix('/').unwrap_or(first).to_lowercase();
    let def = defs::find(&name).ok_or_else(|| {
        let names: Vec<String> = defs::all_commands().iter().map(|c| format!("/{}", c.name)).collect();
        ParseError(format!(
            "unknown command `/{}`; commands: {}",
            shown(&name),
            names.join(", ")
        ))
    })?;
    let mut rest = &words[1..];
    let mut sub = None;
    if !def.subcommands.is_empty() {
        let subs: Vec<&str> = def.subcommands.iter().map(|s| s.name).collect();
        match rest.first() {
            Some(w) if !w.contains(':') && subs.contains(&w.as_str()) => {
                sub = Some(w.clone());
                rest = &rest[1..];
            }
            Some(w) if !w.contains(':') => {
                return Err(ParseError(format!(
                    "unknown subcommand `{}` of /{name}; try one of: {}",
                    shown(w),
                    subs.join(", ")
                )))
            }
            _ => return Err(ParseError(format!("/{name} needs a subcommand: {}", subs.join(", ")))),
        }
    }
    let opts = def.options_for(sub.as_deref()).unwrap_or(&[]);
    let mut req = Request::new(&name, user);
    req.sub = sub;
    // A bare word after an option continues its value, as typing on Discord would: `name:Mars Express`.
    let mut joined: Vec<String> = Vec::new();
    for w in rest {
        let option_like = w
            .split_once(':')
            .is_some_and(|(k, _)| opts.iter().any(|o| o.name.eq_ignore_ascii_case(k)));
        match joined.last_mut() {
            Some(prev) if !option_like && !w.contains(':') => {
                prev.push(' ');
                prev.push_str(w);
            }
            _ => joined.push(w.clone()),
        }
    }
    for w in &joined {
        let Some((key, value)) = w.split_once(':') else {
            return Err(ParseError(format!(
                "`{}` is not an option: write name:value (for example {})",
                shown(w),
                opts.first()
                    .map(|o| format!("{}:…", o.name))
                    .unwrap_or_else(|| "nothing: this command takes no options".into())
            )));
        };
        let key = key.to_lowercase();
        let Some(o) = opts.iter().find(|o| o.name == key) else {
            let names: Vec<&str> = opts.iter().map(|o| o.name).collect();
            return Err(ParseError(format!(
                "unknown option `{}` for {}; options: {}",
                shown(&key),
                req.path(),
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            )));
        };
        if req.get(&key).is_some() {
            return Err(ParseError(format!("option `{key}` is given twice")));
        }
        req.options.push((key, parse_value(o, value)?));
    }
    for o in opts.iter().filter(|o| o.required) {
        if req.get(o.name).is_none() {
            return Err(ParseError(format!(
                "{} needs `{}:…` ({})",
                req.path(),
                o.name,
                o.description
            )));
        }
    }
    Ok(req)
}

/// The id in `<#123>` (with `open` = `<#`) or a bare `123`.
fn mention_id(raw: &str, open: &str) -> Option<u64> {
    let raw = raw.trim();
    let inner = raw.strip_prefix(open).and_then(|r| r.strip_suffix('>')).unwrap_or(raw);
    inner.parse().ok().filter(|id| *id > 0)
}

/// Check a value against its option's definition, as Discord's client does before sending.
pub fn parse_value(o: &OptionDef, raw: &str) -> Result<Value, ParseError> {
    let v = match o.kind {
        OptKind::String => {
            if raw.trim().is_empty() {
                return Err(ParseError(format!("`{}` is empty", o.name)));
            }
            if let Some(max) = o.max_len {
                if raw.chars().count() > max as usize {
                    return Err(ParseError(format!("`{}` is longer than {max} characters", o.name)));
                }
            }
            Value::Str(raw.to_string())
        }
        OptKind::Integer => Value::Int(
            raw.trim()
                .parse()
                .map_err(|_| ParseError(format!("`{}` must be a whole number, not `{}`", o.name, shown(raw))))?,
        ),
        OptKind::Number => Value::Num(
            raw.trim()
                .parse()
                .map_err(|_| ParseError(format!("`{}` must be a number, not `{}`", o.name, shown(raw))))?,
        ),
        OptKind::Boolean => match raw.trim().to_lowercase().as_str() {
            "true" | "yes" | "on" => Value::Bool(true),
            "false" | "no" | "off" => Value::Bool(false),
            _ => return Err(ParseError(format!("`{}` must be true or false", o.name))),
        },
        // Names the console turns into ids (Discord sends ids).
        OptKind::User => Value::Str(raw.trim().trim_start_matches('@').to_string()),
        // A mention or an id is taken as it is; a name is left for the console to turn into an id.
        OptKind::Channel => match mention_id(raw, "<#") {
            Some(id) => Value::Channel(id),
            None => Value::Str(raw.trim().trim_start_matches('#').to_string()),
        },
        OptKind::Role => match mention_id(raw, "<@&") {
            Some(id) => Value::Role(id),
            None => Value::Str(raw.trim().trim_start_matches('@').to_string()),
        },
        // A file named by its path: the console reads it before the command runs.
        OptKind::Attachment => Value::File(Upload {
            filename: raw.trim().to_string(),
            size: 0,
            bytes: None,
        }),
    };
    if let Value::Int(i) = v {
        if o.min.is_some_and(|m| i < m) || o.max.is_some_and(|m| i > m) {
            return Err(ParseError(format!(
                "`{}` must be between {} and {}",
                o.name,
                o.min.unwrap_or(i64::MIN),
                o.max.unwrap_or(i64::MAX)
            )));
        }
    }
    if !o.choices.is_empty() {
        if let Value::Str(s) = &v {
            if !o.choices.iter().any(|(_, val)| val == s) {
                let vals: Vec<&str> = o.choices.iter().map(|(_, v)| *v).collect();
                return Err(ParseError(format!("`{}` must be one of: {}", o.name, vals.join(", "))));
            }
        }
    }
    Ok(v)
}
