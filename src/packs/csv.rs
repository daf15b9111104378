//! A pack as spreadsheets write CSV: a header row naming the columns (`question, answer, wrong1, wrong2, wrong3,
//! explanation, source, difficulty, tags`, in any order, any case), then one question a row.
//!
//! What spreadsheets do is taken as it comes: a byte-order mark (dropped before this reader sees the text), commas or
//! semicolons between cells (many locales' spreadsheets write semicolons; tabs too), quoted cells holding commas,
//! quotes and line breaks, blank rows, and empty cells padding a row. Every problem is reported at once with its line
//! and column (`C`, as the spreadsheet shows it) and what to do; the rules of a question are the shipped data's
//! (`kb::load::rules`).
//!
//! A cell that looks like a formula (`=HYPERLINK(…)`, `@SUM(…)`) is refused: it is what a spreadsheet exports when a
//! cell held a formula rather than text, and such a cell would run again in whichever spreadsheet opens an export.
//! A cell starting with `-`, `+` or `@` is fine when it is not a function call (`-40 °C`, `+3`). Every CSV the bot
//! writes neutralises such cells anyway (`events::export::csv`).

use super::PackError;
use crate::kb::load::rules::{self, Field};
use crate::kb::{CuratedQuestion, Difficulty, Problem, QuestionId};
use std::path::PathBuf;

/// The columns, in the order the README shows them, and whether each is required.
pub const COLUMNS: [(&str, bool); 9] = [
    ("question", true),
    ("answer", true),
    ("wrong1", false),
    ("wrong2", false),
    ("wrong3", false),
    ("explanation", true),
    ("source", true),
    ("difficulty", true),
    ("tags", false),
];

const COLUMN_LIST: &str = "question, answer, wrong1, wrong2, wrong3, explanation, source, difficulty, tags";

/// A column's letter as a spreadsheet shows it: A, B, … Z, AA, AB, …
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A header as written, made comparable: `Wrong 1`, `wrong_1` and `WRONG1` are `wrong1`.
fn header_key(h: &str) -> String {
    h.trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The separator of the header line: the one of `,`, `;` and tab that splits it into the most known column names
/// (then the most cells; a comma on a tie).
pub fn delimiter_of(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let known = |h: &str| COLUMNS.iter().any(|(c, _)| *c == header_key(h.trim_matches('"')));
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| {
            let cells: Vec<&str> = first.split(char::from(*d)).collect();
            let hits = cells.iter().filter(|c| known(c)).count();
            // Higher is better: hits, then cells, then the comma before the others.
            (hits, cells.len(), u8::MAX - *d)
        })
        .unwrap_or(b',')
}

/// Whether a cell is what a spreadsheet exports for a formula.
pub fn formula_like(cell: &str) -> bool {
    let mut chars = cell.chars();
    match chars.next() {
        Some('=') => true,
        Some('+' | '-' | '@') => {
            let rest = chars.as_str().trim_start();
            let name_len = rest
                .chars()
                .take_while(|c| c.is_ascii_alphabetic() || *c == '_' || *c == '.')
                .count();
            name_len > 0 && rest[name_len..].starts_with('(')
        }
        _ => false,
    }
}

/// Read a pack's CSV `text` (named `file` in problems): its questions, or every problem.
pub fn read(file: &str, text: &str) -> Result<Vec<CuratedQuestion>, PackError> {
    let delimiter = delimiter_of(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let sep = match delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    };
    let mut problems: Vec<Problem> = Vec::new();
    let problem = |line: usize, key: String, message: String| Problem {
        file: PathBuf::from(file),
        line,
        key,
        message,
    };
    // A record's line, from where it starts: the reader counts a line break inside a quoted cell as none, a person
    // reading the file counts it.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |byte: u64| {
        // After a CRLF the reader may start the next record at its `\n`: the record starts after it.
        let mut at = byte as usize;
        while matches!(text.as_bytes().get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        match line_starts.binary_search(&at) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    };
    let mut records = reader.records();
    // The header row: each column's name, or None for a column with no (known) name.
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(PackError::Problems(vec![problem(
                1,
                String::new(),
                format!("the header row cannot be read: {e}"),
            )]))
        }
        None => {
            return Err(PackError::Problems(vec![problem(
                0,
                String::new(),
                format!("the file is empty: write a header row ({COLUMN_LIST}) and a question a row"),
            )]))
        }
    };
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let key = header_key(h);
        let col = || format!("column {}", column_letter(i));
        if key.is_empty() {
            columns.push(None);
            continue;
        }
        match COLUMNS.iter().find(|(c, _)| *c == key) {
            Some((c, _)) if columns.contains(&Some(*c)) => {
                problems.push(problem(
                    1,
                    col(),
                    format!("the column `{c}` is named twice in the header row: keep one"),
                ));
                columns.push(None);
            }
            Some((c, _)) => columns.push(Some(*c)),
            None => {
                let names: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
                let hint = rules::did_you_mean(&key, &names);
                problems.push(problem(
                    1,
                    col(),
                    format!(
                        "unknown column `{}`{hint}: the columns are {COLUMN_LIST} (wrong answers and tags may be left \
                         out); remove this column or rename it",
                        crate::text::truncate(h.trim(), 40)
                    ),
                ));
                columns.push(None);
            }
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .filter(|(c, required)| *required && !columns.contains(&Some(*c)))
        .map(|(c, _)| *c)
        .collect();
    if !missing.is_empty() {
        let found: Vec<&str> = columns.iter().flatten().copied().collect();
        problems.push(problem(
            1,
            String::new(),
            format!(
                "the header row lacks the column{} {}: the first row names the columns ({COLUMN_LIST}); this file's \
                 first row, split at each {sep}, names {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
                if found.is_empty() {
                    "none of them".to_string()
                } else {
                    found.join(", ")
                }
            ),
        ));
        // Without its columns no row can be read.
        return Err(PackError::Problems(problems));
    }
    let at = |name: &str| columns.iter().position(|c| *c == Some(name));
    let mut questions: Vec<CuratedQuestion> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(p.byte()));
                problems.push(problem(line, String::new(), format!("this row cannot be read: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_of(p.byte()));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell_key = |i: usize| match columns.get(i).copied().flatten() {
            Some(name) => format!("column {} ({name})", column_letter(i)),
            None => format!("column {}", column_letter(i)),
        };
        let mut row_ok = true;
        if record.len() < columns.len() {
            problems.push(problem(
                line,
                String::new(),
                format!(
                    "this row has {} cells but the header has {} columns: each row needs a cell for every column \
                     (an empty one is fine), separated by a {sep}",
                    record.len(),
                    columns.len()
                ),
            ));
            row_ok = false;
        }
        let extra: Vec<usize> = (columns.len()..record.len())
            .chain((0..record.len().min(columns.len())).filter(|i| columns[*i].is_none()))
            .filter(|i| !record[*i].trim().is_empty())
            .collect();
        if let Some(&first) = extra.first() {
            problems.push(problem(
                line,
                cell_key(first),
                format!(
                    "this cell is outside the named columns (the row has {} cells, the header {} names): a value with \
                     a {sep} in it must be in double quotes, or the header needs that column",
                    record.len(),
                    columns.iter().flatten().count()
                ),
            ));
            row_ok = false;
        }
        for (i, cell) in record.iter().enumerate() {
            if formula_like(cell.trim()) {
                problems.push(problem(
                    line,
                    cell_key(i),
                    format!(
                        "`{}` looks like a spreadsheet formula, and a pack holds text: copy the column and paste it \
                         as values only (Paste special → Values), or write the text without the leading `{}`",
                        crate::text::truncate(cell.trim(), 40),
                        cell.trim().chars().next().unwrap_or('=')
                    ),
                ));
                row_ok = false;
            }
        }
        if !row_ok {
            continue;
        }
        let get = |name: &str| at(name).and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        let mut report = |name: &str, message: String| {
            let key = at(name).map_or(String::new(), cell_key);
            problems.push(problem(line, key, message));
        };
        let mut complete = true;
        for (name, required) in COLUMNS {
            if required && get(name).is_empty() {
                report(name, format!("the `{name}` cell is empty: every question needs one"));
                complete = false;
            }
        }
        let source = get("source");
        if !source.is_empty() {
            if let Some(why) = rules::url_problem("source", source) {
                report("source", why);
                complete = false;
            }
        }
        let difficulty = get("difficulty").to_lowercase();
        let difficulty = if difficulty.is_empty() {
            Difficulty::Easy
        } else {
            match rules::difficulty("difficulty", &difficulty) {
                Ok(d) => d,
                Err(why) => {
                    report("difficulty", why);
                    complete = false;
                    Difficulty::Easy
                }
            }
        };
        // The options: the answer first, then each wrong answer given (none: a typed question).
        let wrong: Vec<(&str, &str)> = ["wrong1", "wrong2", "wrong3"]
            .into_iter()
            .map(|w| (w, get(w)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let answer = get("answer").to_string();
        let option_columns: Vec<&str> = std::iter::once("answer").chain(wrong.iter().map(|(w, _)| *w)).collect();
        let options: Vec<String> = if wrong.is_empty() {
            Vec::new()
        } else {
            std::iter::once(answer.clone())
                .chain(wrong.iter().map(|(_, v)| v.to_string()))
                .collect()
        };
        let tags: Vec<String> = get("tags")
            .split([',', ';', ' '])
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        let q = CuratedQuestion {
            id: QuestionId(format!("line-{line}")),
            question: get("question").to_string(),
            options,
            answer,
            accept: Vec::new(),
            explanation: get("explanation").to_string(),
            source: source.to_string(),
            difficulty,
            tags,
            missions: Vec::new(),
            agencies: Vec::new(),
        };
        let given = !q.options.is_empty();
        for (field, message) in rules::question_problems(&q, given) {
            let column = match field {
                Field::Option(i) => option_columns.get(i).copied().unwrap_or("answer"),
                Field::Options => "wrong1",
                Field::Question => "question",
                Field::Answer | Field::Accept(_) => "answer",
                Field::Explanation => "explanation",
                Field::Source => "source",
                Field::Tags => "tags",
            };
            // The messages name TOML's keys; in a CSV they are columns.
            report(column, message.replace("`options`", "the options"));
            complete = false;
        }
        if complete {
            questions.push(q);
            lines.push(line);
        }
    }
    for (dup, first) in rules::duplicate_questions(questions.iter().map(|q| q.question.as_str())) {
        let key = at("question").map_or(String::new(), |i| format!("column {} (question)", column_letter(i)));
        problems.push(problem(
            lines[dup],
            key,
            rules::duplicate_message(&format!("line {}", lines[first])),
        ));
    }
    if problems.is_empty() {
        Ok(questions)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(PackError::Problems(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn formulas_are_told_from_text_that_starts_with_a_sign() {
        for f in [
            "=HYPERLINK(\"https://x.org\",\"x\")",
            "=1+1",
            "@SUM(A1:A2)",
            "+cmd(1)",
            "- HYPERLINK(x)",
        ] {
            assert!(formula_like(f), "{f}");
        }
        for t in ["-40 °C", "+3", "@home", "-", "E=mc²", "Apollo (1969)"] {
            assert!(!formula_like(t), "{t}");
        }
    }

    #[test]
    fn the_separator_is_the_one_that_names_the_columns() {
        assert_eq!(delimiter_of("question;answer;explanation;source;difficulty\n"), b';');
        assert_eq!(delimiter_of("question,answer,explanation,source,difficulty\n"), b',');
        assert_eq!(delimiter_of("question\tanswer\texplanation\n"), b'\t');
        assert_eq!(delimiter_of("\"question\";\"answer, really\"\n"), b';');
    }
}
