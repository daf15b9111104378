//! Reading one table: each value by type, every problem reported with where it was written, and at the end every key
//! nobody asked for (a typo never passes silently). Also the parsing of single values (dates, ids, URLs) and the
//! "did you mean" suggestions.

use super::{At, Cx, Item, KeyPath, Located, Spots};
use crate::kb::model::Date;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

/// The tables of an array of tables (`[[x]]`) or of an inline array of inline tables.
/// A table of an array of tables, with where it was written.
pub(super) type SpannedTable<'a, 't> = (&'a DeTable<'t>, Option<std::ops::Range<usize>>);

pub(super) fn tables_of<'a, 't>(item: &'a Item<'t>) -> Option<Vec<SpannedTable<'a, 't>>> {
    item.get_ref()
        .as_array()?
        .iter()
        .map(|v| v.get_ref().as_table().map(|t| (t, Some(v.span()))))
        .collect()
}

/// Where `key` of `table` was written: the key's own span.
pub(super) fn key_span(table: &DeTable<'_>, key: &str) -> std::ops::Range<usize> {
    table.get_key_value(key).map(|(k, _)| k.span()).unwrap_or(0..0)
}

/// Reads the fields of one table, reporting every problem, and at the end every key it did not ask for.
pub(super) struct Reader<'a, 't> {
    pub(super) cx: &'a mut Cx,
    pub(super) file: usize,
    pub(super) table: &'a DeTable<'t>,
    /// Where the table starts.
    pub(super) offset: usize,
    pub(super) path: Arc<str>,
    /// The keys asked for (a few per table: a list beats a hash set).
    pub(super) used: Vec<&'static str>,
    pub(super) spots: Spots,
    pub(super) failed: bool,
}

/// How a value is named in a message: `` `name` `` or `` `sources[1]` ``.
#[derive(Clone, Copy)]
pub(super) struct Label(&'static str, Option<usize>);

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(i) => write!(f, "`{}[{i}]`", self.0),
            None => write!(f, "`{}`", self.0),
        }
    }
}

impl<'a, 't> Reader<'a, 't> {
    pub(super) fn new(
        cx: &'a mut Cx,
        file: usize,
        table: &'a DeTable<'t>,
        span: Option<std::ops::Range<usize>>,
        fallback: usize,
        path: Arc<str>,
    ) -> Reader<'a, 't> {
        Reader {
            cx,
            file,
            table,
            offset: span.map_or(fallback, |s| s.start),
            path,
            used: Vec::new(),
            spots: Vec::new(),
            failed: false,
        }
    }

    /// The entry read from this table, with where it and each of its keys were written.
    pub(super) fn located<T>(&mut self, value: T) -> Located<T> {
        Located {
            at: self.here(),
            spots: std::mem::take(&mut self.spots),
            value,
        }
    }

    pub(super) fn here(&self) -> At {
        At {
            file: self.file,
            offset: self.offset,
            key: KeyPath::Table(self.path.clone()),
        }
    }

    /// Where `key` was written in this table (the table's own line when it is not there).
    pub(super) fn at_key(&self, key: &'static str) -> At {
        self.at_key_named(Cow::Borrowed(key))
    }

    pub(super) fn at_key_named(&self, key: Cow<'static, str>) -> At {
        let offset = self
            .table
            .get_key_value(key.as_ref())
            .map_or(self.offset, |(k, _)| k.span().start);
        At {
            file: self.file,
            offset,
            key: KeyPath::Key(self.path.clone(), key),
        }
    }

    pub(super) fn problem(&mut self, at: &At, message: impl Into<String>) {
        self.failed = true;
        self.cx.report(at, message);
    }

    /// The value of `key` and where it was written; a missing required key is reported.
    pub(super) fn item(&mut self, key: &'static str, required: bool) -> Option<(&'a Item<'t>, At)> {
        if !self.used.contains(&key) {
            self.used.push(key);
        }
        let found = self.table.get_key_value(key);
        let at = At {
            file: self.file,
            offset: found.map_or(self.offset, |(k, _)| k.span().start),
            key: KeyPath::Key(self.path.clone(), Cow::Borrowed(key)),
        };
        self.spots.push((key, at.clone()));
        match found {
            Some((_, item)) => Some((item, at)),
            None => {
                if required {
                    self.problem(&at, format!("missing required field `{key}`"));
                }
                None
            }
        }
    }

    pub(super) fn string_value(&mut self, at: &At, v: &DeValue<'_>, what: Label) -> Option<String> {
        match v.as_str() {
            Some(s) if s.trim().is_empty() => {
                self.problem(at, format!("{what} is empty: write a value or remove the key"));
                None
            }
            Some(s) => Some(s.trim().to_string()),
            None => {
                self.problem(at, format!("{what} must be a string (in quotes)"));
                None
            }
        }
    }

    pub(super) fn string(&mut self, key: &'static str, required: bool) -> Option<String> {
        self.string_at(key, required).map(|(s, _)| s)
    }

    /// A string value and where it was written.
    pub(super) fn string_at(&mut self, key: &'static str, required: bool) -> Option<(String, At)> {
        let (item, at) = self.item(key, required)?;
        let s = self.string_value(&at, item.get_ref(), Label(key, None))?;
        Some((s, at))
    }

    pub(super) fn url(&mut self, key: &'static str, required: bool) -> Option<String> {
        let (s, at) = self.string_at(key, required)?;
        self.check_url(&at, s, key)
    }

    pub(super) fn check_url(&mut self, at: &At, s: String, key: &str) -> Option<String> {
        match super::rules::url_problem(key, &s) {
            None => Some(s),
            Some(why) => {
                self.problem(at, why);
                None
            }
        }
    }

    pub(super) fn strings(&mut self, key: &'static str, required: bool) -> Vec<String> {
        self.strings_at(key, required).0
    }

    /// A list of strings and where it was written.
    pub(super) fn strings_at(&mut self, key: &'static str, required: bool) -> (Vec<String>, Option<At>) {
        let Some((item, at)) = self.item(key, required) else {
            return (Vec::new(), None);
        };
        let Some(array) = item.get_ref().as_array() else {
            self.problem(&at, format!("`{key}` must be a list of strings: {key} = [\"…\"]"));
            return (Vec::new(), Some(at));
        };
        let mut out = Vec::with_capacity(array.len());
        for (i, v) in array.iter().enumerate() {
            let element = At {
                key: KeyPath::Element(self.path.clone(), key, i),
                offset: v.span().start,
                file: self.file,
            };
            if let Some(s) = self.string_value(&element, v.get_ref(), Label(key, Some(i))) {
                out.push(s);
            }
        }
        if required && array.is_empty() {
            self.problem(&at, format!("`{key}` is empty: give at least one"));
        }
        (out, Some(at))
    }

    pub(super) fn urls(&mut self, key: &'static str, required: bool) -> Vec<String> {
        let (list, at) = self.strings_at(key, required);
        let Some(at) = at else {
            return list;
        };
        list.into_iter().filter_map(|s| self.check_url(&at, s, key)).collect()
    }

    pub(super) fn date(&mut self, key: &'static str, required: bool) -> Option<Date> {
        let (item, at) = self.item(key, required)?;
        let text: Cow<'_, str> = match item.get_ref() {
            DeValue::String(s) => Cow::Borrowed(s.as_ref()),
            DeValue::Integer(i) => Cow::Borrowed(i.as_str()),
            DeValue::Datetime(d) => Cow::Owned(d.to_string()),
            DeValue::Table(_) | DeValue::Array(_) => {
                self.problem(
                    &at,
                    format!("`{key}` must be a date in quotes: \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\""),
                );
                return None;
            }
            _ => Cow::Borrowed(""),
        };
        match parse_date(&text) {
            Some(d) => Some(d),
            None => {
                self.problem(
                    &at,
                    format!("`{key}` = `{text}` is not a date: write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\""),
                );
                None
            }
        }
    }

    pub(super) fn choice<T: Copy>(&mut self, key: &'static str, options: &[(&'static str, T)]) -> Option<T> {
        let (s, at) = self.string_at(key, true)?;
        match options.iter().find(|(name, _)| *name == s) {
            Some((_, v)) => Some(*v),
            None => {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.problem(&at, super::rules::choice_problem(key, &s, &names));
                None
            }
        }
    }

    /// An optional choice: `None` when the key is absent (or wrong, which is reported).
    pub(super) fn choice_opt<T: Copy>(&mut self, key: &'static str, options: &[(&'static str, T)]) -> Option<T> {
        if self.table.get_key_value(key).is_none() {
            self.item(key, false);
            return None;
        }
        self.choice(key, options)
    }

    /// An article key (`article = "the"`): true when given.
    pub(super) fn article(&mut self, key: &'static str) -> bool {
        self.article_of(key, &["the"]).is_some()
    }

    /// An article key that may be one of `allowed`.
    pub(super) fn article_of(&mut self, key: &'static str, allowed: &[&'static str]) -> Option<&'static str> {
        let (s, at) = self.string_at(key, false)?;
        match allowed.iter().find(|a| **a == s) {
            Some(a) => Some(a),
            None => {
                let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
                self.problem(
                    &at,
                    format!(
                        "`{key}` = `{s}` is not an article I know here: write {}, or leave the key out",
                        quoted.join(" or ")
                    ),
                );
                None
            }
        }
    }

    /// An optional boolean.
    pub(super) fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let (item, at) = self.item(key, false)?;
        match item.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.problem(&at, format!("`{key}` must be true or false (no quotes)"));
                None
            }
        }
    }

    pub(super) fn id(&mut self, key: &'static str) -> Option<String> {
        let (s, at) = self.string_at(key, true)?;
        if is_valid_id(&s) {
            Some(s)
        } else {
            self.problem(
                &at,
                format!("`{key}` = `{s}` is not a valid id: use lowercase letters, digits and hyphens"),
            );
            None
        }
    }

    /// Sub-tables (`[[mission.fact]]`); each handled by `f` with its own reader.
    pub(super) fn sub_tables<T>(
        &mut self,
        key: &'static str,
        mut f: impl FnMut(&mut Reader<'_, '_>) -> Option<T>,
    ) -> Vec<(At, Option<T>)> {
        let Some((item, at)) = self.item(key, false) else {
            return Vec::new();
        };
        let Some(tables) = tables_of(item) else {
            let p = self.path.clone();
            self.problem(
                &at,
                format!(
                    "`{key}` must be a list of tables: write each under `[[{}.{key}]]`",
                    p.split('[').next().unwrap_or(&p)
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, (table, span)) in tables.into_iter().enumerate() {
            let path: Arc<str> = Arc::from(format!("{}.{}[{}]", self.path, key, i));
            let mut r = Reader::new(self.cx, self.file, table, span, at.offset, path);
            let v = f(&mut r);
            let here = r.here();
            let failed = r.finish();
            if failed {
                self.failed = true;
            }
            out.push((here, v));
        }
        out
    }

    /// Report unknown keys; true when anything in this table failed.
    pub(super) fn finish(self) -> bool {
        let mut failed = self.failed;
        for (key, _) in self.table.iter() {
            let key: &str = key.get_ref();
            if !self.used.contains(&key) {
                let at = self.at_key_named(Cow::Owned(key.to_string()));
                let hint = suggest(key, &self.used);
                let mut sorted = self.used.clone();
                sorted.sort();
                self.cx.report(
                    &at,
                    format!("unknown key `{key}`{hint} (known keys: {})", sorted.join(", ")),
                );
                failed = true;
            }
        }
        failed
    }
}

/// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the month and day exist.
pub fn parse_date(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    let year = num(parts.first()?, 4)? as i32;
    let month = match parts.get(1) {
        Some(p) => Some(num(p, 2)? as u8),
        None => None,
    };
    let day = match parts.get(2) {
        Some(p) => Some(num(p, 2)? as u8),
        None => None,
    };
    if parts.len() > 3 {
        return None;
    }
    if let Some(m) = month {
        if !(1..=12).contains(&m) {
            return None;
        }
        if let Some(d) = day {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if d == 0 || d > days {
                return None;
            }
        }
    }
    Some(Date { year, month, day })
}

pub(super) fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 48
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

pub(super) fn is_http_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && host.contains('.') && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// " (did you mean `x`?)" when one of `known` is close to `got`.
pub(super) fn suggest(got: &str, known: &[&str]) -> String {
    let best = known
        .iter()
        .map(|k| (crate::text::edit_distance(got, k, 3), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d <= 3)
        // On a tie the key of the same length wins: `kidn` (two letters swapped) is `kind`, not `id`.
        .min_by_key(|(d, k)| (*d, k.len().abs_diff(got.len()), *k));
    match best {
        Some((_, k)) => format!(" (did you mean `{k}`?)"),
        None => String::new(),
    }
}
