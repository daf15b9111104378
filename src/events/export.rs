//! What an event leaves behind: one row per player per question asked, and the questions most missed, as CSV.

use super::{Event, EventQuestion};

/// One answer as exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Given {
    pub round: u32,
    pub user: u64,
    /// The option's text.
    pub answer: String,
    pub right: bool,
    pub time_ms: u32,
    pub points: i64,
}

/// A player as exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub user: u64,
    pub name: String,
    pub team: Option<String>,
}

/// A question as the summary shows it: how many missed it, and what it teaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missed {
    pub round: u32,
    pub question: EventQuestion,
    pub right: usize,
    /// Wrong answers and no answer.
    pub missed: usize,
    pub players: usize,
}

/// What `/event export` sends: the results (one row per player per question asked) and the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub results_csv: String,
    pub summary_csv: String,
    /// Most missed first.
    pub missed: Vec<Missed>,
    pub rows: usize,
}

/// The header of the results CSV.
pub const RESULTS_HEADER: [&str; 9] = [
    "event", "round", "question", "player", "team", "answer", "right", "time_ms", "points",
];
/// The header of the summary CSV.
pub const SUMMARY_HEADER: [&str; 9] = [
    "round",
    "question",
    "right_answer",
    "right",
    "missed",
    "players",
    "missed_pct",
    "explanation",
    "source",
];

/// The header of an answer key (`/event preview`).
pub const KEY_HEADER: [&str; 12] = [
    "round",
    "question",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "answer_letter",
    "answer",
    "explanation",
    "source",
    "difficulty",
    "id",
];

/// An answer key as CSV: one row per question, in the order they are asked.
pub fn answer_key(questions: &[EventQuestion]) -> String {
    let mut rows = vec![KEY_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for (i, q) in questions.iter().enumerate() {
        let mut row = vec![(i + 1).to_string(), crate::reply::plain(&q.text)];
        for k in 0..4 {
            row.push(q.options.get(k).cloned().unwrap_or_default());
        }
        row.push(crate::present::letter(q.correct).to_string());
        row.push(q.answer().to_string());
        row.push(crate::reply::plain(&q.explanation));
        row.push(q.source.clone());
        row.push(q.difficulty.clone());
        row.push(q.id.clone());
        rows.push(row);
    }
    csv(&rows)
}

/// Build the export from the event's questions, its players and the answers they gave. Every player gets a row for
/// every question asked; a question they did not answer has an empty answer and time, `no` and 0 points.
pub fn export(event: &Event, roster: &[RosterEntry], given: &[Given]) -> Export {
    let asked = event.state.round.min(event.rounds());
    let mut rows = vec![RESULTS_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let mut missed = Vec::new();
    for round in 1..=asked {
        let Some(q) = event.question_of(round) else { continue };
        let mut right = 0;
        for p in roster {
            let g = given.iter().find(|g| g.round == round && g.user == p.user);
            if g.is_some_and(|g| g.right) {
                right += 1;
            }
            rows.push(vec![
                event.name.clone(),
                round.to_string(),
                crate::reply::plain(&q.text),
                p.name.clone(),
                p.team.clone().unwrap_or_default(),
                g.map(|g| g.answer.clone()).unwrap_or_default(),
                if g.is_some_and(|g| g.right) { "yes" } else { "no" }.to_string(),
                g.map(|g| g.time_ms.to_string()).unwrap_or_default(),
                g.map_or(0, |g| g.points).to_string(),
            ]);
        }
        // Someone who answered and was then forgotten (or never joined) still counts in the summary.
        let extra: Vec<&Given> = given
            .iter()
            .filter(|g| g.round == round && !roster.iter().any(|p| p.user == g.user))
            .collect();
        right += extra.iter().filter(|g| g.right).count();
        let players = roster.len() + extra.len();
        missed.push(Missed {
            round,
            question: q.clone(),
            right,
            missed: players - right,
            players,
        });
    }
    missed.sort_by(|a, b| {
        b.missed
            .cmp(&a.missed)
            .then(a.right.cmp(&b.right))
            .then(a.round.cmp(&b.round))
    });
    let mut summary = vec![SUMMARY_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for m in &missed {
        let pct = (m.missed * 100 + m.players / 2).checked_div(m.players).unwrap_or(0);
        summary.push(vec![
            m.round.to_string(),
            crate::reply::plain(&m.question.text),
            m.question.answer().to_string(),
            m.right.to_string(),
            m.missed.to_string(),
            m.players.to_string(),
            pct.to_string(),
            crate::reply::plain(&m.question.explanation),
            m.question.source.clone(),
        ]);
    }
    Export {
        rows: rows.len() - 1,
        results_csv: csv(&rows),
        summary_csv: csv(&summary),
        missed,
    }
}

/// RFC 4180 CSV (LF line ends) after a byte-order mark (so spreadsheet programs read accents and curly quotes
/// right): fields with commas, quotes or line breaks are quoted, quotes doubled. Text that a spreadsheet would run as
/// a formula (`=`, `+`, `-`, `@` first: player names are chosen by players) gets a `'`.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::from(crate::packs::BOM);
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn csv_cell(cell: &str) -> String {
    let numeric = !cell.is_empty() && cell.parse::<f64>().is_ok();
    let cell = if !numeric && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// Parse CSV as [`csv`] writes it (for tests and tools reading an export back); a byte-order mark is skipped.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix(crate::packs::BOM).unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}
