//! Teachers' own questions: question packs, uploaded from Discord (an attachment) or the terminal (`upload FILE`),
//! checked like the shipped data, kept per server, and asked alone or mixed with the knowledge base's.
//!
//! A pack is a TOML file in the curated-question format of `data/README.md`, or a CSV as spreadsheets write it (see
//! [`csv`]). Checking is a pure function of the file's bytes and the knowledge base: every problem at once, with its
//! line (and column for CSV) and what to do. Nothing is stored unless the whole file passes.
//!
//! # Layout
//! - this file: the limits, what a file must be before it is read (its size, text not binary), a pack's name, and
//!   [`check`], which reads either format.
//! - [`csv`]: the CSV reader: a byte-order mark, comma or semicolon, quoted fields, formula-looking cells.
//! - [`engine`]: the `/pack` commands and their confirmation buttons, and loading a server's pack for a game.

pub mod csv;
pub mod engine;

pub use engine::{questions_of, PackCmd, PackUnavailable, Packs, ServerPack};

use crate::kb::{CuratedQuestion, KnowledgeBase, LoadError, Problem};
use std::fmt;
use std::path::PathBuf;

/// The largest file taken: 1 MB (the shipped question files are a few tens of kilobytes).
pub const MAX_BYTES: u64 = 1024 * 1024;
/// The most questions in one pack.
pub const MAX_QUESTIONS: usize = 500;
/// The longest pack name.
pub const MAX_NAME: usize = 50;
/// The most packs one server keeps.
pub const MAX_PACKS: usize = 25;
/// Problems shown in a reply; the whole list comes as a file beside it.
pub const SHOWN_PROBLEMS: usize = 12;

/// The formats a pack is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Csv,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Csv => "csv",
        }
    }

    pub fn from_label(s: &str) -> Option<Format> {
        match s {
            "toml" => Some(Format::Toml),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// A file that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub format: Format,
    /// The file as text, without a byte-order mark: what is stored, and exported back.
    pub text: String,
    pub questions: Vec<CuratedQuestion>,
}

impl Checked {
    /// "12 questions (9 with buttons, 3 typed)".
    pub fn counts(&self) -> String {
        let typed = self.questions.iter().filter(|q| q.options.is_empty()).count();
        let n = self.questions.len();
        let all = crate::present::plural(n, "question", "questions");
        match typed {
            0 => format!("{all}, all with buttons"),
            t if t == n => format!("{all}, all typed (answered with `/answer`)"),
            t => format!("{all} ({} with buttons, {t} typed)", n - t),
        }
    }
}

/// Why a file is not a pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackError {
    /// Larger than [`MAX_BYTES`] (as declared, or as read).
    TooBig { size: u64 },
    /// Not text: what it looks like, and what to do.
    NotText(String),
    /// Every problem found, in line order.
    Problems(Vec<Problem>),
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackError::TooBig { size } => write!(
                f,
                "the file is {}, more than a pack may be ({}): split it into smaller packs of at most {MAX_QUESTIONS} \
                 questions",
                size_text(*size),
                size_text(MAX_BYTES)
            ),
            PackError::NotText(why) => f.write_str(why),
            PackError::Problems(problems) => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                write!(
                    f,
                    "{} found; nothing was stored",
                    crate::present::plural(problems.len(), "problem", "problems")
                )
            }
        }
    }
}

impl std::error::Error for PackError {}

impl PackError {
    /// The problems as the knowledge base's loader reports them (a size or binary file is one problem of `file`).
    pub fn into_load_error(self, file: &str) -> LoadError {
        let problems = match self {
            PackError::Problems(p) => p,
            other => vec![Problem {
                file: PathBuf::from(file),
                line: 0,
                key: String::new(),
                message: other.to_string(),
            }],
        };
        LoadError { problems }
    }
}

/// "1.0 MB", "312 KB", "90 bytes".
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// A file's bytes as text: refused when larger than [`MAX_BYTES`], when it is a known binary format (a spreadsheet
/// workbook, a PDF), when it is UTF-16, or when a line is not UTF-8 (named, with what to do). A byte-order mark is
/// dropped.
pub fn text_of(bytes: &[u8]) -> Result<&str, PackError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(PackError::TooBig {
            size: bytes.len() as u64,
        });
    }
    const SAVE_AS: &str = "In your spreadsheet choose File → Save as (or Download) → CSV UTF-8, and upload that file";
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(PackError::NotText(format!(
            "this is a workbook (.xlsx or .ods, a zip file), not a CSV or TOML text file. {SAVE_AS}."
        )));
    }
    if bytes.starts_with(b"\xd0\xcf\x11\xe0") {
        return Err(PackError::NotText(format!(
            "this is an old Excel workbook (.xls), not a CSV or TOML text file. {SAVE_AS}."
        )));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(PackError::NotText(
            "this is a PDF, not a CSV or TOML text file: write the questions in a spreadsheet and save it as CSV UTF-8"
                .into(),
        ));
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Err(PackError::NotText(format!(
            "this file is saved as UTF-16 (\"Unicode text\"), not UTF-8. {SAVE_AS}."
        )));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count();
            return Err(PackError::NotText(format!(
                "line {line} has bytes that are not UTF-8 text: the file is binary, or saved in an older encoding \
                 (Windows-1252, Latin-1). {SAVE_AS}."
            )));
        }
    };
    if let Some(at) = text.find('\0') {
        let line = 1 + text[..at].matches('\n').count();
        return Err(PackError::NotText(format!(
            "line {line} holds a NUL byte: this is a binary file, not a CSV or TOML text file. {SAVE_AS}."
        )));
    }
    Ok(text)
}

/// The format of a file named `filename`: by its extension (`.toml`; `.csv`, `.tsv` and `.txt` are CSV), else by
/// what it holds (a `[[question]]` table is TOML).
pub fn format_of(filename: &str, text: &str) -> Format {
    let lower = filename.to_ascii_lowercase();
    if lower.ends_with(".toml") {
        Format::Toml
    } else if lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt") {
        Format::Csv
    } else if text.lines().any(|l| l.trim() == "[[question]]") {
        Format::Toml
    } else {
        Format::Csv
    }
}

/// Read and check a pack file: its questions, or why it is not a pack (every problem at once).
pub fn check(filename: &str, bytes: &[u8], kb: &KnowledgeBase) -> Result<Checked, PackError> {
    let text = text_of(bytes)?;
    let format = format_of(filename, text);
    let questions = match format {
        Format::Toml => crate::kb::load::load_pack(&PathBuf::from(filename), text, kb)
            .map_err(|e| PackError::Problems(e.problems))?,
        Format::Csv => csv::read(filename, text)?,
    };
    if questions.is_empty() {
        let what = match format {
            Format::Toml => "no `[[question]]` entries: see the example in the README's section for teachers",
            Format::Csv => "a header row but no questions under it",
        };
        return Err(PackError::Problems(vec![whole_file(
            filename,
            format!("the file has {what}"),
        )]));
    }
    if questions.len() > MAX_QUESTIONS {
        return Err(PackError::Problems(vec![whole_file(
            filename,
            format!(
                "the pack has {} questions, more than {MAX_QUESTIONS}: split it into two packs",
                questions.len()
            ),
        )]));
    }
    Ok(Checked {
        format,
        text: text.to_string(),
        questions,
    })
}

fn whole_file(filename: &str, message: String) -> Problem {
    Problem {
        file: PathBuf::from(filename),
        line: 0,
        key: String::new(),
        message,
    }
}

/// A pack's name as given, trimmed, and the key it is found by (folded: case, accents and punctuation do not
/// matter); or what is wrong with it.
pub fn name_key(name: &str) -> Result<(String, String), BadName> {
    let name = name.trim();
    if name.chars().count() > MAX_NAME {
        return Err(BadName(format!(
            "A pack name is at most {MAX_NAME} characters; this one has {}. Choose a shorter one, such as `Mars lesson`.",
            name.chars().count()
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(BadName(
            "A pack name is one line of text, without line breaks or tabs.".into(),
        ));
    }
    let key = crate::text::fold(name);
    if key.is_empty() {
        return Err(BadName(
            "A pack name needs at least one letter or digit, such as `Mars lesson`.".into(),
        ));
    }
    Ok((name.to_string(), key))
}

/// Why a pack name cannot be used: a message for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadName(pub String);

impl fmt::Display for BadName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A pack's name as text in a message: markdown escaped, so a name is never bold, a link or a mention.
pub fn shown_name(name: &str) -> String {
    crate::text::escape_markdown(name)
}

/// A pack question's stable id (`p:` and 12 hex digits of a hash of its folded question and answer): the same
/// question has the same id in any pack and after a re-upload, so reports, recent questions and difficulty from play
/// follow it, and it never collides with the knowledge base's ids (`c:…`, `g:…`).
pub fn question_id(q: &CuratedQuestion) -> String {
    // FNV-1a, 64 bits: stable across builds and platforms (the standard library's hasher is not).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!("{}\n{}", crate::text::fold(&q.question), crate::text::fold(&q.answer));
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("p:{:012x}", h >> 16)
}

/// A byte-order mark: every CSV the bot writes starts with one, so spreadsheet programs read accents and curly
/// quotes right.
pub const BOM: &str = "\u{feff}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_files_are_named_for_what_they_are() {
        let not = |b: &[u8]| match text_of(b) {
            Err(PackError::NotText(why)) => why,
            other => panic!("{other:?}"),
        };
        assert!(not(b"PK\x03\x04rest").contains("workbook"));
        assert!(not(b"%PDF-1.4").contains("PDF"));
        assert!(not(b"\xff\xfeq\0").contains("UTF-16"));
        assert!(not(b"question\nabc\xe9\n").starts_with("line 2 "));
        assert!(not(b"a\nb\0c").starts_with("line 2 holds a NUL"));
        assert_eq!(text_of(b"\xef\xbb\xbfquestion").unwrap(), "question");
        assert_eq!(
            text_of(&vec![b'a'; MAX_BYTES as usize + 1]),
            Err(PackError::TooBig { size: MAX_BYTES + 1 })
        );
    }

    #[test]
    fn names_are_limited_and_found_by_their_folded_form() {
        assert_eq!(
            name_key("  Mars Lesson ").unwrap(),
            ("Mars Lesson".into(), "mars lesson".into())
        );
        assert_eq!(name_key("**Mars** lesson").unwrap().1, "mars lesson");
        assert!(name_key(&"x".repeat(200)).unwrap_err().0.contains("at most 50"));
        assert!(name_key("***").is_err());
        assert!(name_key("a\nb").is_err());
        assert_eq!(shown_name("**x**"), "\\*\\*x\\*\\*");
    }

    #[test]
    fn question_ids_are_stable_and_short() {
        let q = |text: &str| CuratedQuestion {
            id: crate::kb::QuestionId("line-2".into()),
            question: text.into(),
            options: Vec::new(),
            answer: "Titan".into(),
            accept: Vec::new(),
            explanation: String::new(),
            source: String::new(),
            difficulty: crate::kb::Difficulty::Easy,
            tags: Vec::new(),
            missions: Vec::new(),
            agencies: Vec::new(),
        };
        let id = question_id(&q("Where did Huygens land?"));
        assert_eq!(id, question_id(&q("where did huygens land")), "folded");
        assert_ne!(id, question_id(&q("Where did Cassini end?")));
        assert_eq!(id.len(), 14);
        assert!(id.starts_with("p:"));
    }
}
