//! Loading and checking the knowledge base.
//!
//! Raw TOML is walked with spans kept (`toml`'s span-keeping `DeTable` parser), so every problem can name its file,
//! line and key path. Every problem is collected before anything is built: a person fixing the data sees the whole
//! list at once, and the bot never serves a half-checked knowledge base.

use super::model::*;
use super::KnowledgeBase;
use super::Map;
use crate::text::fold;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A parsed document, borrowing its text.
type Doc<'t> = Spanned<DeTable<'t>>;
/// A value with where it was written.
type Item<'t> = Spanned<DeValue<'t>>;

/// One thing wrong with the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file or data set.
    pub line: usize,
    /// The key path (`mission[3].partner[0].agency`), empty for file-level problems.
    pub key: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why the knowledge base could not be loaded: every problem found, in file and line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        write!(
            f,
            "{} problem{} found; the knowledge base was not loaded",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for LoadError {}

/// Load every `*.toml` file below `dir` (in name order) and check it.
pub fn load_dir(dir: &Path) -> Result<KnowledgeBase, LoadError> {
    let mut paths = Vec::new();
    if let Err(e) = collect_toml(dir, &mut paths) {
        return Err(LoadError {
            problems: vec![Problem {
                file: dir.to_path_buf(),
                line: 0,
                key: String::new(),
                message: format!("cannot read the data directory: {e} (pass --data DIR or set data_dir in the config)"),
            }],
        });
    }
    paths.sort();
    if paths.is_empty() {
        return Err(LoadError {
            problems: vec![Problem {
                file: dir.to_path_buf(),
                line: 0,
                key: String::new(),
                message: "no .toml files found: is this the data directory?".into(),
            }],
        });
    }
    // Each file is read by the thread that parses it.
    load_with(paths.len(), |i| {
        (paths[i].clone(), std::fs::read_to_string(&paths[i]).map(Cow::Owned))
    })
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Load and check a set of (path, contents) pairs: the whole knowledge base.
pub fn load_files(files: &[(PathBuf, String)]) -> Result<KnowledgeBase, LoadError> {
    load_with(files.len(), |i| {
        (files[i].0.clone(), Ok(Cow::Borrowed(files[i].1.as_str())))
    })
}

/// Load and check `count` files, the `i`th given (its path and its text, or why it could not be read) by `file(i)`.
fn load_with<'s>(
    count: usize,
    file: impl Fn(usize) -> (PathBuf, std::io::Result<Cow<'s, str>>) + Sync,
) -> Result<KnowledgeBase, LoadError> {
    let mut cx = Cx::default();
    let mut raw = Raw::default();
    // Each file is parsed and read on its own, so two threads take alternate files (read the text, parse, read the
    // entries, free the parsed document: memory is freed by the thread that allocated it), and this one merges what
    // they read, in file order, then checks across files.
    const WORKERS: usize = 2;
    let file = &file;
    std::thread::scope(|scope| {
        let mut read = Vec::new();
        for k in 0..WORKERS {
            let (tx, rx) = std::sync::mpsc::channel();
            read.push(rx);
            scope.spawn(move || {
                for i in (k..count).step_by(WORKERS) {
                    let (path, text) = file(i);
                    let mut fraw = Raw::default();
                    let mut fcx = Cx {
                        base: i,
                        ..Cx::default()
                    };
                    match text {
                        Ok(text) => {
                            fcx.files.push(FileInfo::new(path, &text));
                            read_file(&mut fcx, i, DeTable::parse(&text), &mut fraw);
                        }
                        Err(e) => {
                            fcx.problems.push(Problem {
                                file: path.clone(),
                                line: 0,
                                key: String::new(),
                                message: format!("cannot read the file: {e}"),
                            });
                            fcx.files.push(FileInfo::new(path, ""));
                            // What it holds is unknown, as in a file that did not parse.
                            fraw.syntax_errors = true;
                        }
                    }
                    if tx.send((fcx, fraw)).is_err() {
                        break;
                    }
                }
            });
        }
        for i in 0..count {
            let Ok((fcx, fraw)) = read[i % WORKERS].recv() else {
                break;
            };
            cx.files.extend(fcx.files);
            cx.problems.extend(fcx.problems);
            merge(&mut cx, &mut raw, fraw);
        }
    });
    let Raw {
        meta,
        agencies,
        missions,
        questions,
        destinations,
        partial_agencies,
        partial_missions,
        agency_refs,
        destination_refs,
        syntax_errors,
    } = raw;
    let (agencies, agency_locs) = split(agencies);
    let (missions, mission_locs) = split(missions);
    let (questions, question_locs) = split(questions);
    let (destinations, destination_locs) = split(destinations);
    let refs = Refs {
        partial_agencies,
        partial_missions,
        agency_refs,
        destination_refs,
        syntax_errors,
    };
    let meta = meta.map(|m| m.1).unwrap_or(Meta {
        as_of: Date::year(1957),
    });
    // The checks across files run while the knowledge base builds its indexes; if they find a problem, the indexes
    // are thrown away.
    let kb = KnowledgeBase::new_checked(
        agencies,
        missions,
        questions,
        destinations,
        meta,
        |agencies, missions, questions, destinations| {
            let entries = Entries {
                agencies: (agencies, &agency_locs),
                missions: (missions, &mission_locs),
                questions: (questions, &question_locs),
                destinations: (destinations, &destination_locs),
            };
            cross_check(&mut cx, &refs, &entries);
            cx.problems.is_empty()
        },
    );
    match kb {
        Some(kb) => Ok(kb),
        None => {
            let mut problems = cx.problems;
            problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(LoadError { problems })
        }
    }
}

/// Where an entry was written: the entry and each of its keys.
type Loc = (At, Spots);

fn split<T>(located: Vec<Located<T>>) -> (Vec<T>, Vec<Loc>) {
    located.into_iter().map(|l| (l.value, (l.at, l.spots))).unzip()
}

/// The entries of every file, with where each was written.
struct Entries<'a> {
    agencies: (&'a [Agency], &'a [Loc]),
    missions: (&'a [Mission], &'a [Loc]),
    questions: (&'a [CuratedQuestion], &'a [Loc]),
    destinations: (&'a [Destination], &'a [Loc]),
}

/// What the checks across files need besides the entries.
struct Refs {
    partial_agencies: Vec<String>,
    partial_missions: Vec<String>,
    agency_refs: Vec<(String, At)>,
    destination_refs: Vec<(String, At)>,
    syntax_errors: bool,
}

/// Add one file's entries to the whole.
fn merge(cx: &mut Cx, raw: &mut Raw, file: Raw) {
    raw.agencies.extend(file.agencies);
    raw.missions.extend(file.missions);
    raw.questions.extend(file.questions);
    raw.destinations.extend(file.destinations);
    raw.destination_refs.extend(file.destination_refs);
    raw.partial_agencies.extend(file.partial_agencies);
    raw.partial_missions.extend(file.partial_missions);
    raw.agency_refs.extend(file.agency_refs);
    raw.syntax_errors |= file.syntax_errors;
    if let Some((here, meta)) = file.meta {
        if let Some((prev, _)) = &raw.meta {
            let msg = format!(
                "`[meta]` is given twice (also in {}:{}): keep one",
                cx.file(prev.file).path.display(),
                cx.line(prev)
            );
            cx.report(&here, msg);
        } else {
            raw.meta = Some((here, meta));
        }
    }
}

struct FileInfo {
    path: PathBuf,
    line_starts: Vec<usize>,
}

impl FileInfo {
    fn new(path: PathBuf, text: &str) -> FileInfo {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        FileInfo { path, line_starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Where problems go, and the files they are found in: one file while a file is read (on a worker thread), all of
/// them for the checks across files.
#[derive(Default)]
struct Cx {
    /// The index of `files[0]` among all the files.
    base: usize,
    files: Vec<FileInfo>,
    problems: Vec<Problem>,
}

/// Where an entry or value came from: a byte offset, made a line number only when a problem is reported.
#[derive(Clone, Debug)]
struct At {
    file: usize,
    offset: usize,
    key: KeyPath,
}

/// A key path (`mission[3].partner[0].agency`), put together only when a problem is reported. Almost every value
/// loads without one, and formatting every path up front was the larger part of the loader's time.
#[derive(Clone, Debug)]
enum KeyPath {
    /// A table (`mission[3]`), or a top-level key; empty for the whole file.
    Table(Arc<str>),
    /// A key of a table: `mission[3].name`.
    Key(Arc<str>, Cow<'static, str>),
    /// An element of a list: `mission[3].sources[1]`.
    Element(Arc<str>, &'static str, usize),
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyPath::Table(t) => f.write_str(t),
            KeyPath::Key(t, k) => write!(f, "{t}.{k}"),
            KeyPath::Element(t, k, i) => write!(f, "{t}.{k}[{i}]"),
        }
    }
}

impl Cx {
    fn file(&self, file: usize) -> &FileInfo {
        &self.files[file - self.base]
    }

    fn line(&self, at: &At) -> usize {
        self.file(at.file).line_of(at.offset)
    }

    fn report(&mut self, at: &At, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file(at.file).path.clone(),
            line: self.line(at),
            key: at.key.to_string(),
            message: message.into(),
        });
    }

    /// A top-level key or the whole file (offset 0, line 1).
    fn at(file: usize, span: Option<std::ops::Range<usize>>, key: &str) -> At {
        At {
            file,
            offset: span.map_or(0, |s| s.start),
            key: KeyPath::Table(Arc::from(key)),
        }
    }
}

struct Located<T> {
    at: At,
    value: T,
    /// Where each named value was written, for cross-checks.
    spots: Spots,
}

/// Where each key of an entry was written (a handful per entry: a list beats a hash map here).
type Spots = Vec<(&'static str, At)>;

#[derive(Default)]
struct Raw {
    meta: Option<(At, Meta)>,
    agencies: Vec<Located<Agency>>,
    missions: Vec<Located<Mission>>,
    questions: Vec<Located<CuratedQuestion>>,
    destinations: Vec<Located<Destination>>,
    /// Ids of entries that had problems of their own, so references to them do not add noise.
    partial_agencies: Vec<String>,
    partial_missions: Vec<String>,
    /// Agency references from missions (lead and partners) and agencies (successors), recorded even when the entry
    /// had other problems.
    agency_refs: Vec<(String, At)>,
    /// Missions' destinations, each to be declared by a `[[destination]]`.
    destination_refs: Vec<(String, At)>,
    /// A file could not be parsed, so references into it cannot be judged.
    syntax_errors: bool,
}

/// Read the entries of one parsed file into `raw`, reporting every problem.
fn read_file(cx: &mut Cx, file: usize, parsed: Result<Doc<'_>, toml::de::Error>, raw: &mut Raw) {
    let doc = match parsed {
        Ok(doc) => doc,
        Err(e) => {
            let at = Cx::at(file, e.span(), "");
            let msg = e.message().trim().replace('\n', "; ");
            cx.report(&at, format!("TOML syntax error: {msg}"));
            raw.syntax_errors = true;
            return;
        }
    };
    for (key, item) in doc.get_ref().iter() {
        let key: &str = key.get_ref();
        let at = Cx::at(file, Some(key_span(doc.get_ref(), key)), key);
        match key {
            "agency" | "mission" | "question" | "destination" => {
                let Some(tables) = tables_of(item) else {
                    cx.report(
                        &at,
                        format!("`{key}` must be an array of tables: write each entry under `[[{key}]]`"),
                    );
                    continue;
                };
                for (table, tspan) in tables {
                    let declared_id = table
                        .get("id")
                        .and_then(|i| i.get_ref().as_str())
                        .map(|s| s.trim().to_string());
                    let index = match key {
                        "agency" => raw.agencies.len(),
                        "mission" => raw.missions.len(),
                        "destination" => raw.destinations.len(),
                        _ => raw.questions.len(),
                    };
                    let path: Arc<str> = Arc::from(format!("{key}[{index}]"));
                    let mut r = Reader::new(cx, file, table, tspan, at.offset, path);
                    match key {
                        "agency" => {
                            let a = read_agency(&mut r, &mut raw.agency_refs);
                            r.finish();
                            if a.is_none() {
                                raw.partial_agencies.extend(declared_id);
                            }
                            raw.agencies.extend(a);
                        }
                        "mission" => {
                            let m = read_mission(&mut r, &mut raw.agency_refs, &mut raw.destination_refs);
                            r.finish();
                            if m.is_none() {
                                raw.partial_missions.extend(declared_id);
                            }
                            raw.missions.extend(m);
                        }
                        "destination" => {
                            let d = read_destination(&mut r);
                            r.finish();
                            raw.destinations.extend(d);
                        }
                        _ => {
                            let q = read_question(&mut r);
                            r.finish();
                            raw.questions.extend(q);
                        }
                    }
                }
            }
            "meta" => {
                let Some(table) = item.get_ref().as_table() else {
                    cx.report(&at, "`meta` must be a table: `[meta]`");
                    continue;
                };
                let mut r = Reader::new(cx, file, table, Some(item.span()), at.offset, Arc::from("meta"));
                let as_of = r.date("as_of", true);
                let here = r.here();
                r.finish();
                // One `[meta]` per file (TOML allows no second); across files, `merge` finds a second one.
                if let Some(as_of) = as_of {
                    raw.meta = Some((here, Meta { as_of }));
                }
            }
            other => {
                let hint = suggest(other, &["agency", "mission", "question", "destination", "meta"]);
                cx.report(
                    &at,
                    format!(
                        "unknown top-level key `{other}`{hint}; expected [[agency]], [[mission]], [[question]], \
                         [[destination]] or [meta]"
                    ),
                );
            }
        }
    }
}

/// The tables of an array of tables (`[[x]]`) or of an inline array of inline tables.
/// A table of an array of tables, with where it was written.
type SpannedTable<'a, 't> = (&'a DeTable<'t>, Option<std::ops::Range<usize>>);

fn tables_of<'a, 't>(item: &'a Item<'t>) -> Option<Vec<SpannedTable<'a, 't>>> {
    item.get_ref()
        .as_array()?
        .iter()
        .map(|v| v.get_ref().as_table().map(|t| (t, Some(v.span()))))
        .collect()
}

/// Where `key` of `table` was written: the key's own span.
fn key_span(table: &DeTable<'_>, key: &str) -> std::ops::Range<usize> {
    table.get_key_value(key).map(|(k, _)| k.span()).unwrap_or(0..0)
}

/// Reads the fields of one table, reporting every problem, and at the end every key it did not ask for.
struct Reader<'a, 't> {
    cx: &'a mut Cx,
    file: usize,
    table: &'a DeTable<'t>,
    /// Where the table starts.
    offset: usize,
    path: Arc<str>,
    /// The keys asked for (a few per table: a list beats a hash set).
    used: Vec<&'static str>,
    spots: Spots,
    failed: bool,
}

/// How a value is named in a message: `` `name` `` or `` `sources[1]` ``.
#[derive(Clone, Copy)]
struct Label(&'static str, Option<usize>);

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(i) => write!(f, "`{}[{i}]`", self.0),
            None => write!(f, "`{}`", self.0),
        }
    }
}

impl<'a, 't> Reader<'a, 't> {
    fn new(
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
    fn located<T>(&mut self, value: T) -> Located<T> {
        Located {
            at: self.here(),
            spots: std::mem::take(&mut self.spots),
            value,
        }
    }

    fn here(&self) -> At {
        At {
            file: self.file,
            offset: self.offset,
            key: KeyPath::Table(self.path.clone()),
        }
    }

    /// Where `key` was written in this table (the table's own line when it is not there).
    fn at_key(&self, key: &'static str) -> At {
        self.at_key_named(Cow::Borrowed(key))
    }

    fn at_key_named(&self, key: Cow<'static, str>) -> At {
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

    fn problem(&mut self, at: &At, message: impl Into<String>) {
        self.failed = true;
        self.cx.report(at, message);
    }

    /// The value of `key` and where it was written; a missing required key is reported.
    fn item(&mut self, key: &'static str, required: bool) -> Option<(&'a Item<'t>, At)> {
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

    fn string_value(&mut self, at: &At, v: &DeValue<'_>, what: Label) -> Option<String> {
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

    fn string(&mut self, key: &'static str, required: bool) -> Option<String> {
        self.string_at(key, required).map(|(s, _)| s)
    }

    /// A string value and where it was written.
    fn string_at(&mut self, key: &'static str, required: bool) -> Option<(String, At)> {
        let (item, at) = self.item(key, required)?;
        let s = self.string_value(&at, item.get_ref(), Label(key, None))?;
        Some((s, at))
    }

    fn url(&mut self, key: &'static str, required: bool) -> Option<String> {
        let (s, at) = self.string_at(key, required)?;
        self.check_url(&at, s, key)
    }

    fn check_url(&mut self, at: &At, s: String, key: &str) -> Option<String> {
        if is_http_url(&s) {
            Some(s)
        } else {
            self.problem(
                at,
                format!("`{key}` is not an http(s) URL: `{s}` (write the full address, starting https://)"),
            );
            None
        }
    }

    fn strings(&mut self, key: &'static str, required: bool) -> Vec<String> {
        self.strings_at(key, required).0
    }

    /// A list of strings and where it was written.
    fn strings_at(&mut self, key: &'static str, required: bool) -> (Vec<String>, Option<At>) {
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

    fn urls(&mut self, key: &'static str, required: bool) -> Vec<String> {
        let (list, at) = self.strings_at(key, required);
        let Some(at) = at else {
            return list;
        };
        list.into_iter().filter_map(|s| self.check_url(&at, s, key)).collect()
    }

    fn date(&mut self, key: &'static str, required: bool) -> Option<Date> {
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

    fn choice<T: Copy>(&mut self, key: &'static str, options: &[(&'static str, T)]) -> Option<T> {
        let (s, at) = self.string_at(key, true)?;
        match options.iter().find(|(name, _)| *name == s) {
            Some((_, v)) => Some(*v),
            None => {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                let hint = suggest(&s, &names);
                self.problem(
                    &at,
                    format!("`{key}` = `{s}` is not one of: {}{hint}", names.join(", ")),
                );
                None
            }
        }
    }

    /// An optional choice: `None` when the key is absent (or wrong, which is reported).
    fn choice_opt<T: Copy>(&mut self, key: &'static str, options: &[(&'static str, T)]) -> Option<T> {
        if self.table.get_key_value(key).is_none() {
            self.item(key, false);
            return None;
        }
        self.choice(key, options)
    }

    /// An article key (`article = "the"`): true when given.
    fn article(&mut self, key: &'static str) -> bool {
        self.article_of(key, &["the"]).is_some()
    }

    /// An article key that may be one of `allowed`.
    fn article_of(&mut self, key: &'static str, allowed: &[&'static str]) -> Option<&'static str> {
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
    fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let (item, at) = self.item(key, false)?;
        match item.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.problem(&at, format!("`{key}` must be true or false (no quotes)"));
                None
            }
        }
    }

    fn id(&mut self, key: &'static str) -> Option<String> {
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
    fn sub_tables<T>(
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
    fn finish(self) -> bool {
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

/// The facts of an entry; a mission's facts may have a `clue` (with where it was written, for its checks).
fn read_facts(r: &mut Reader<'_, '_>, clues: bool) -> Vec<(Fact, Option<At>)> {
    r.sub_tables("fact", |f| {
        let text = f.string("text", true);
        let source = f.url("source", true);
        let clue = if clues { f.string_at("clue", false) } else { None };
        Some((
            Fact {
                text: text?,
                source: source?,
                clue: clue.as_ref().map(|(c, _)| c.clone()),
            },
            clue.map(|(_, at)| at),
        ))
    })
    .into_iter()
    .filter_map(|(_, f)| f)
    .collect()
}

/// Words of a name that do not give it away: a clue may use them.
const GENERIC_WORDS: [&str; 28] = [
    "a",
    "an",
    "and",
    "de",
    "du",
    "for",
    "in",
    "of",
    "on",
    "the",
    "to",
    "space",
    "telescope",
    "station",
    "mission",
    "probe",
    "orbiter",
    "lander",
    "rover",
    "observatory",
    "programme",
    "program",
    "international",
    "satellite",
    "spacecraft",
    "laboratory",
    "flight",
    "explorer",
];

/// A word of `names` that `clue` still contains (folded, whole words), if any: a clue must hide every distinctive
/// word of the names, not only the whole name ("Edwin Hubble" gives the Hubble Space Telescope away).
fn clue_leak<'n>(clue: &str, names: impl Iterator<Item = &'n str>) -> Option<String> {
    let folded = fold(clue);
    let clue_words: HashSet<&str> = crate::text::words(&folded).collect();
    for name in names {
        let f = fold(name);
        if f.contains(' ') && (folded == f || folded.contains(&format!("{f} ")) || folded.ends_with(&format!(" {f}"))) {
            return Some(name.to_string());
        }
        for w in crate::text::words(&f) {
            let numeric = w.bytes().all(|b| b.is_ascii_digit());
            if !numeric && w.len() >= 2 && !GENERIC_WORDS.contains(&w) && clue_words.contains(w) {
                return Some(w.to_string());
            }
        }
    }
    None
}

fn read_agency(r: &mut Reader<'_, '_>, refs: &mut Vec<(String, At)>) -> Option<Located<Agency>> {
    let id = r.id("id");
    let name = r.string("name", true);
    let acronym = r.string("acronym", false);
    let aliases = r.strings("aliases", false);
    let country = r.string("country", true);
    let kind = r.choice("kind", &AgencyKind::ALL);
    let founded = r.date("founded", false);
    let dissolved = r.date("dissolved", false);
    let headquarters = r.string("headquarters", false);
    let website = r.url("website", false);
    let summary = r.string("summary", true);
    let sources = r.urls("sources", true);
    let takes_the = r.article("article");
    let acronym_takes_the = r.article("acronym_article");
    let successor = r.string_at("successor", false);
    let renown = r.choice_opt("renown", &Renown::ALL).unwrap_or_default();
    let facts: Vec<Fact> = read_facts(r, false).into_iter().map(|(f, _)| f).collect();
    if acronym_takes_the && acronym.is_none() {
        let at = r.at_key("acronym_article");
        r.problem(&at, "`acronym_article` is given but the agency has no `acronym`");
    }
    if let Some((s, at)) = &successor {
        if id.as_deref() == Some(s.as_str()) {
            r.problem(
                at,
                "`successor` names the agency itself: give the id of the one that took it over",
            );
        } else {
            refs.push((s.clone(), at.clone()));
        }
    }
    if let (Some(f), Some(d)) = (founded, dissolved) {
        if d.certainly_before(&f) {
            let at = r.at_key("dissolved");
            r.problem(&at, format!("`dissolved` ({d}) comes before `founded` ({f})"));
        }
    }
    Some(r.located(Agency {
        id: AgencyId(id?),
        name: name?,
        acronym,
        aliases,
        country: country?,
        kind: kind?,
        founded,
        dissolved,
        headquarters,
        summary: summary?,
        website,
        facts,
        sources,
        takes_the,
        acronym_takes_the,
        successor: successor.map(|(s, _)| AgencyId(s)),
        renown,
    }))
}

fn read_mission(
    r: &mut Reader<'_, '_>,
    refs: &mut Vec<(String, At)>,
    destination_refs: &mut Vec<(String, At)>,
) -> Option<Located<Mission>> {
    let id = r.id("id");
    let name = r.string("name", true);
    let aliases = r.strings("aliases", false);
    let kind = r.choice("kind", &MissionKind::ALL);
    let status = r.choice("status", &Status::ALL);
    let launch = r.date("launch", false);
    let end = r.date("end", false);
    let destination = r.string_at("destination", true);
    if let Some((d, at)) = &destination {
        destination_refs.push((d.clone(), at.clone()));
    }
    let lead = r.id("lead");
    if let Some(l) = &lead {
        refs.push((l.clone(), r.at_key("lead")));
    }
    let lead_role = r.string("lead_role", false);
    let summary = r.string("summary", true);
    let sources = r.urls("sources", true);
    let partner_rows = r.sub_tables("partner", |p| {
        let agency = p.id("agency");
        let role = p.string("role", true);
        let at = p.at_key("agency");
        Some((
            at,
            Partner {
                agency: AgencyId(agency?),
                role: role?,
            },
        ))
    });
    let takes_the = r.article("article");
    let renown = r.choice_opt("renown", &Renown::ALL).unwrap_or_default();
    let partners_complete = r.boolean("partners_complete").unwrap_or(false);
    let partners_source = r.url("partners_source", false);
    if partners_complete && partners_source.is_none() && r.table.get_key_value("partners_source").is_none() {
        let at = r.at_key("partners_complete");
        r.problem(
            &at,
            "`partners_complete = true` needs `partners_source`: the page that lists every agency that took part",
        );
    }
    if !partners_complete && r.table.get_key_value("partners_source").is_some() {
        let at = r.at_key("partners_source");
        r.problem(
            &at,
            "`partners_source` is given without `partners_complete = true`: add that, or remove the source",
        );
    }
    let fact_rows = read_facts(r, true);
    if let Some(name) = &name {
        for (f, at) in &fact_rows {
            if let (Some(clue), Some(at)) = (&f.clue, at) {
                let names = std::iter::once(name.as_str()).chain(aliases.iter().map(String::as_str));
                if let Some(word) = clue_leak(clue, names) {
                    r.problem(
                        at,
                        format!(
                            "the clue still says `{word}`, a word of the mission's name or aliases: a clue must not give \
                             the answer away (write \"This telescope …\", \"This mission …\")"
                        ),
                    );
                }
            }
        }
    }
    let facts: Vec<Fact> = fact_rows.into_iter().map(|(f, _)| f).collect();
    if facts.is_empty() && r.table.get_key_value("fact").is_none() {
        let at = r.here();
        r.problem(&at, "a mission needs at least one `[[mission.fact]]` with a source");
    }
    if let Some(status) = status {
        let written = r.table.get_key_value("launch").is_some();
        if !written && !matches!(status, Status::Planned | Status::Cancelled) {
            let at = At {
                key: KeyPath::Key(r.path.clone(), Cow::Borrowed("launch")),
                ..r.here()
            };
            r.problem(
                &at,
                format!(
                    "missing `launch`: required for a mission whose status is {}",
                    status.label()
                ),
            );
        }
    }
    if let (Some(l), Some(e)) = (launch, end) {
        if e.certainly_before(&l) {
            let at = r.at_key("end");
            r.problem(&at, format!("`end` ({e}) comes before `launch` ({l})"));
        }
    }
    let mut partners: Vec<Partner> = Vec::new();
    for (_, p) in partner_rows {
        if let Some((at, p)) = p {
            refs.push((p.agency.0.clone(), at.clone()));
            if lead.as_deref() == Some(p.agency.as_str()) {
                r.problem(
                    &at,
                    format!(
                        "`{}` is the lead and also listed as a partner: partners are the other agencies",
                        p.agency
                    ),
                );
            } else if partners.iter().any(|q| q.agency == p.agency) {
                r.problem(
                    &at,
                    format!("`{}` is listed as a partner twice: merge the roles", p.agency),
                );
            }
            partners.push(p);
        }
    }
    Some(r.located(Mission {
        id: MissionId(id?),
        name: name?,
        aliases,
        kind: kind?,
        status: status?,
        launch,
        end,
        destination: destination?.0,
        lead: AgencyId(lead?),
        partners,
        lead_role,
        summary: summary?,
        facts,
        sources,
        takes_the,
        renown,
        partners_complete,
        partners_source,
    }))
}

fn read_destination(r: &mut Reader<'_, '_>) -> Option<Located<Destination>> {
    let name = r.string("name", true);
    let article = r.article_of("article", &["the", "a", "an"]);
    let kind = r.choice("kind", &DestinationKind::ALL);
    Some(r.located(Destination {
        name: name?,
        article,
        kind: kind?,
    }))
}

fn read_question(r: &mut Reader<'_, '_>) -> Option<Located<CuratedQuestion>> {
    let id = r.id("id");
    let question = r.string("question", true);
    let options = r.strings("options", false);
    let answer = r.string("answer", true);
    let accept = r.strings("accept", false);
    let explanation = r.string("explanation", true);
    let source = r.url("source", true);
    let difficulty = r.choice("difficulty", &Difficulty::ALL);
    let tags = r.strings("tags", false);
    let missions = r.strings("missions", false);
    let agencies = r.strings("agencies", false);
    if r.table.get_key_value("options").is_some() {
        let at = r.at_key("options");
        if !(2..=4).contains(&options.len()) {
            r.problem(
                &at,
                format!(
                    "`options` has {} entries: give 2 to 4, or none for a typed answer",
                    options.len()
                ),
            );
        }
        let mut seen = HashSet::new();
        for o in &options {
            if !seen.insert(fold(o)) {
                r.problem(&at, format!("option `{o}` is given twice"));
            }
        }
        if let Some(a) = &answer {
            if !options.iter().any(|o| o == a) {
                let at = r.at_key("answer");
                r.problem(
                    &at,
                    format!("`answer` = `{a}` is not one of the options (it must match one exactly)"),
                );
            }
        }
        for o in &options {
            if o.chars().count() > 80 {
                r.problem(
                    &at,
                    format!(
                        "option `{}` is longer than 80 characters, the most a button label can hold",
                        crate::text::truncate(o, 30)
                    ),
                );
            }
        }
    }
    if question.as_ref().is_some_and(|q| q.chars().count() > 1000) {
        let at = r.at_key("question");
        r.problem(&at, "`question` is longer than 1000 characters: shorten it");
    }
    Some(r.located(CuratedQuestion {
        id: QuestionId(id?),
        question: question?,
        options,
        answer: answer?,
        accept,
        explanation: explanation?,
        source: source?,
        difficulty: difficulty?,
        tags,
        missions: missions.into_iter().map(MissionId).collect(),
        agencies: agencies.into_iter().map(AgencyId).collect(),
    }))
}

/// Checks across entries and files: duplicate ids, ambiguous names, references that do not resolve.
fn cross_check<'r>(cx: &mut Cx, raw: &'r Refs, e: &Entries<'r>) {
    let agencies = || e.agencies.0.iter().zip(e.agencies.1);
    let missions = || e.missions.0.iter().zip(e.missions.1);
    let questions = || e.questions.0.iter().zip(e.questions.1);
    // Where `key` of an entry was written; looked up only when there is a problem to report.
    let spot = |(at, spots): &Loc, key: &str| {
        spots
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map_or_else(|| at.clone(), |(_, at)| at.clone())
    };

    // Duplicate ids, per kind.
    let dup_ids = |cx: &mut Cx, kind: &str, entries: &mut dyn Iterator<Item = (&'r str, &'r Loc)>| {
        let mut seen: Map<&str, &Loc> = Map::default();
        for (id, loc) in entries {
            if let Some(first) = seen.get(id) {
                let first = spot(first, "id");
                let msg = format!(
                    "duplicate {kind} id `{id}` (first defined at {}:{}): ids must be unique",
                    cx.file(first.file).path.display(),
                    cx.line(&first)
                );
                cx.report(&spot(loc, "id"), msg);
            } else {
                seen.insert(id, loc);
            }
        }
    };
    dup_ids(cx, "agency", &mut agencies().map(|(a, loc)| (a.id.as_str(), loc)));
    dup_ids(cx, "mission", &mut missions().map(|(m, loc)| (m.id.as_str(), loc)));
    dup_ids(cx, "question", &mut questions().map(|(q, loc)| (q.id.as_str(), loc)));

    // Names, acronyms and aliases must resolve to one entry.
    // The owner of a name: (kind, id), written out only in a message; and where it was written (entry, key).
    type Owner<'a> = (&'static str, &'a str);
    type Claim<'a> = (Owner<'a>, &'a Loc, &'static str);
    let mut names: Map<String, Claim<'r>> = Map::default();
    let mut claim = |cx: &mut Cx, name: &str, (owner, loc, key): Claim<'r>| {
        // Lookups also try the name without spaces, so "E.S.A." and "ESA" are the same name.
        let mut folded = fold(name);
        folded.retain(|c| c != ' ');
        if folded.is_empty() {
            cx.report(
                &spot(loc, key),
                format!("`{name}` has no letters or digits, so nobody could look it up"),
            );
            return;
        }
        match names.get(&folded) {
            Some(((kind, id), first, first_key)) if (*kind, *id) != owner => {
                let first = spot(first, first_key);
                let msg = format!(
                    "the name `{name}` is also used by {kind} `{id}` ({}:{}): a lookup would be ambiguous; rename or \
                     drop one",
                    cx.file(first.file).path.display(),
                    cx.line(&first)
                );
                cx.report(&spot(loc, key), msg);
            }
            Some(_) => {}
            None => {
                names.insert(folded, (owner, loc, key));
            }
        }
    };
    for (a, loc) in agencies() {
        let owner = ("agency", a.id.as_str());
        claim(cx, &a.name, (owner, loc, "name"));
        if let Some(ac) = &a.acronym {
            claim(cx, ac, (owner, loc, "acronym"));
        }
        for al in &a.aliases {
            claim(cx, al, (owner, loc, "aliases"));
        }
    }
    for (m, loc) in missions() {
        let owner = ("mission", m.id.as_str());
        claim(cx, &m.name, (owner, loc, "name"));
        for al in &m.aliases {
            claim(cx, al, (owner, loc, "aliases"));
        }
    }

    // References.
    type Set<'a> = HashSet<&'a str, foldhash::fast::FixedState>;
    let mut agency_ids: Set = agencies().map(|(a, _)| a.id.as_str()).collect();
    let mut mission_ids: Set = missions().map(|(m, _)| m.id.as_str()).collect();
    agency_ids.extend(raw.partial_agencies.iter().map(|s| s.as_str()));
    mission_ids.extend(raw.partial_missions.iter().map(|s| s.as_str()));
    // The known ids in order, for "did you mean": made only when an id is unknown.
    let sorted = |ids: &Set<'r>| {
        let mut list: Vec<&str> = ids.iter().copied().collect();
        list.sort_unstable();
        list
    };
    let agency_list = std::cell::OnceCell::new();
    let mission_list = std::cell::OnceCell::new();
    // Entries in a file that did not parse are unknown: say so, rather than pretend the id is wrong.
    let note = if raw.syntax_errors {
        " (or it is in a file that did not parse: fix that first)"
    } else {
        ""
    };
    for (id, at) in &raw.agency_refs {
        if !agency_ids.contains(id.as_str()) {
            let hint = suggest(id, agency_list.get_or_init(|| sorted(&agency_ids)));
            cx.report(
                at,
                format!("unknown agency id `{id}`{hint}: add it to agencies or fix the id{note}"),
            );
        }
    }
    // Destinations: each declared once, and every mission's declared.
    let mut declared: Map<&str, &Loc> = Map::default();
    for (d, loc) in e.destinations.0.iter().zip(e.destinations.1) {
        if let Some(first) = declared.get(d.name.as_str()) {
            let first = spot(first, "name");
            let msg = format!(
                "the destination `{}` is declared twice (first at {}:{}): keep one",
                d.name,
                cx.file(first.file).path.display(),
                cx.line(&first)
            );
            cx.report(&spot(loc, "name"), msg);
        } else {
            declared.insert(d.name.as_str(), loc);
        }
    }
    let destination_list = std::cell::OnceCell::new();
    for (d, at) in &raw.destination_refs {
        if !declared.contains_key(d.as_str()) {
            let list = destination_list.get_or_init(|| {
                let mut l: Vec<&str> = declared.keys().copied().collect();
                l.sort_unstable();
                l
            });
            let hint = suggest(d, list);
            cx.report(
                at,
                format!(
                    "the destination `{d}`{hint} is not declared: add a `[[destination]]` with this name (see \
                     data/destinations.toml){note}"
                ),
            );
        }
    }
    // Successors: no agency may succeed itself through others.
    let successor_of: Map<&str, &str> = agencies()
        .filter_map(|(a, _)| a.successor.as_ref().map(|s| (a.id.as_str(), s.as_str())))
        .collect();
    for (a, loc) in agencies() {
        let mut seen = vec![a.id.as_str()];
        let mut at = a.id.as_str();
        while let Some(&next) = successor_of.get(at) {
            if next == a.id.as_str() {
                cx.report(
                    &spot(loc, "successor"),
                    format!("`successor` makes a loop: {} -> {next}", seen.join(" -> ")),
                );
                break;
            }
            if seen.contains(&next) {
                break;
            }
            seen.push(next);
            at = next;
        }
    }
    for (q, loc) in questions() {
        for mid in &q.missions {
            if !mission_ids.contains(mid.as_str()) {
                let at = spot(loc, "missions");
                let hint = suggest(mid.as_str(), mission_list.get_or_init(|| sorted(&mission_ids)));
                cx.report(&at, format!("unknown mission id `{mid}`{hint}{note}"));
            }
        }
        for aid in &q.agencies {
            if !agency_ids.contains(aid.as_str()) {
                let at = spot(loc, "agencies");
                let hint = suggest(aid.as_str(), agency_list.get_or_init(|| sorted(&agency_ids)));
                cx.report(&at, format!("unknown agency id `{aid}`{hint}{note}"));
            }
        }
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

fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 48
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_http_url(s: &str) -> bool {
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
fn suggest(got: &str, known: &[&str]) -> String {
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
