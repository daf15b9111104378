//! Loading and checking the knowledge base.
//!
//! Raw TOML is walked with spans kept (`toml`'s span-keeping `DeTable` parser), so every problem can name its file,
//! line and key path. Every problem is collected before anything is built: a person fixing the data sees the whole
//! list at once, and the bot never serves a half-checked knowledge base.
//!
//! # Layout
//! - this file: loading a directory or a set of files, on two threads, merging what each file holds, and where
//!   things were written (`Cx`, `At`): positions become line numbers only when a problem is reported.
//! - `files`: finding and reading the directory's files: regular files only, a size cap, link loops named, a file
//!   that is not UTF-8 read up to the bad line.
//! - [`problem`]: [`Problem`] and [`LoadError`], what is reported.
//! - `reader`: reading one table's values by type, every problem reported, unknown keys caught; value parsing.
//! - `entries`: one file's entries (agencies, missions, questions, destinations, meta) and the checks within one.
//! - `cross`: the checks across files: duplicate ids, ambiguous names, references, destinations, successors; and
//!   across curated questions (shared with packs).
//! - [`rules`]: the rules of one curated question, whoever wrote it and in which format (TOML or a pack's CSV).
//! - `pack`: a teacher's question pack in TOML: `[[question]]` entries, checked against a loaded knowledge base.

mod cross;
mod entries;
mod files;
mod pack;
pub mod problem;
mod reader;
pub mod rules;

pub use files::MAX_FILE_BYTES;
pub use pack::load_pack;
pub use problem::{LoadError, Problem, ReloadError};
pub use reader::parse_date;

use super::model::*;
use super::KnowledgeBase;
use cross::cross_check;
use entries::read_file;
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A parsed document, borrowing its text.
type Doc<'t> = Spanned<DeTable<'t>>;
/// A value with where it was written.
type Item<'t> = Spanned<DeValue<'t>>;

/// Load every `*.toml` file below `dir` (in name order) and check it.
pub fn load_dir(dir: &Path) -> Result<KnowledgeBase, LoadError> {
    let found = match files::find_toml(dir) {
        Ok(found) => found,
        Err(e) => {
            return Err(LoadError {
                problems: vec![Problem {
                    file: dir.to_path_buf(),
                    line: 0,
                    key: String::new(),
                    message: format!(
                        "cannot read the data directory: {e} (pass --data DIR or set data_dir in the config)"
                    ),
                }],
            })
        }
    };
    let paths = found.files;
    if paths.is_empty() && !found.problems.is_empty() {
        return Err(LoadError {
            problems: found.problems,
        });
    }
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
    load_with(paths.len(), found.problems, |i| {
        (paths[i].clone(), files::read_text(&paths[i]))
    })
}

/// Load and check a set of (path, contents) pairs: the whole knowledge base.
pub fn load_files(files: &[(PathBuf, String)]) -> Result<KnowledgeBase, LoadError> {
    load_with(files.len(), Vec::new(), |i| {
        let text = files::Text {
            text: Cow::Borrowed(files[i].1.as_str()),
            cut: None,
            left_out_ids: Vec::new(),
        };
        (files[i].0.clone(), Ok(text))
    })
}

/// Load and check `count` files, the `i`th given (its path and its text, or why it could not be read) by `file(i)`;
/// `found` are problems met before reading (paths that could not be read).
fn load_with<'s>(
    count: usize,
    found: Vec<Problem>,
    file: impl Fn(usize) -> (PathBuf, Result<files::Text<'s>, String>) + Sync,
) -> Result<KnowledgeBase, LoadError> {
    let mut cx = Cx {
        problems: found,
        ..Cx::default()
    };
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
                        Ok(files::Text {
                            text,
                            cut,
                            left_out_ids,
                        }) => {
                            fcx.files.push(FileInfo::new(path, &text));
                            read_file(&mut fcx, i, DeTable::parse(&text), &mut fraw, false);
                            if let Some(cut) = cut {
                                fcx.problems.push(cut);
                                // What the rest held is unknown, as in a file that did not parse; the entries it
                                // declares are there, only not read.
                                fraw.syntax_errors = true;
                                fraw.partial_agencies.extend(left_out_ids.iter().cloned());
                                fraw.partial_missions.extend(left_out_ids);
                            }
                        }
                        Err(message) => {
                            fcx.problems.push(Problem {
                                file: path.clone(),
                                line: 0,
                                key: String::new(),
                                message,
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
