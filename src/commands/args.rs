//! A request's options read by name and type, for the parsers beside the command definitions.

use super::request::{Request, Value};
use super::CommandError;
use crate::trivia::question::Filter;

/// The options of one request.
pub struct Args<'a> {
    req: &'a Request,
}

impl<'a> Args<'a> {
    pub fn new(req: &'a Request) -> Args<'a> {
        Args { req }
    }

    /// A required text option.
    pub fn text(&self, name: &str) -> Result<String, CommandError> {
        self.text_opt(name)
            .ok_or_else(|| CommandError(format!("{} needs `{name}:`.", self.req.path())))
    }

    /// An optional text option (blank counts as not given).
    pub fn text_opt(&self, name: &str) -> Option<String> {
        match self.req.get(name) {
            Some(Value::Str(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        }
    }

    /// A required file option.
    pub fn file(&self, name: &str) -> Result<super::request::Upload, CommandError> {
        self.req.file(name).cloned().ok_or_else(|| {
            CommandError(format!(
                "{} needs `{name}:` — a file (a CSV or TOML question pack).",
                self.req.path()
            ))
        })
    }

    /// An optional true/false option (false when not given).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.req.get(name), Some(super::request::Value::Bool(true)))
    }

    /// An optional whole number (a number with no fraction counts).
    pub fn int_opt(&self, name: &str) -> Option<i64> {
        self.req.int(name)
    }

    /// A required user option.
    pub fn user(&self, name: &str) -> Result<u64, CommandError> {
        self.user_opt(name).ok_or_else(|| {
            CommandError(format!(
                "{} needs `{name}:` — a member of this server.",
                self.req.path()
            ))
        })
    }

    pub fn user_opt(&self, name: &str) -> Option<u64> {
        self.req.user_opt(name)
    }

    pub fn channel_opt(&self, name: &str) -> Option<u64> {
        self.req.channel_opt(name)
    }

    pub fn role_opt(&self, name: &str) -> Option<u64> {
        self.req.role_opt(name)
    }

    /// The `category:` and `difficulty:` options as a question filter.
    pub fn filter(&self) -> Result<Filter, CommandError> {
        Filter::from_values(self.req.str("category"), self.req.str("difficulty")).map_err(CommandError)
    }
}
