//! The review loop: a Report button under every reveal, the reasons a player picks from, and `/trivia reports`,
//! where a server's managers see what was reported and clear it. A question reported [`BLOCK_AT`] times on a server
//! is kept out of that server's games until someone clears its reports.

use crate::context::{Caller, Ctx, Scores};
use crate::ids::ButtonId;
use crate::present::plural;
use crate::reply::{colour, Button, ButtonStyle, Reply};
use crate::store::ReportReason;
use crate::text::truncate;

/// Reports that keep a question out of a server's games.
pub const BLOCK_AT: u32 = 3;

/// The reasons, as buttons show them and ids carry them.
const REASONS: [(char, ReportReason, &str); 4] = [
    ('w', ReportReason::Wrong, "Wrong"),
    ('u', ReportReason::Unclear, "Unclear"),
    ('t', ReportReason::Typo, "Typo"),
    ('o', ReportReason::Other, "Other"),
];

/// The Report button under a reveal.
pub fn report_button(question_id: &str) -> Button {
    Button::new(
        ButtonId::Report {
            reason: None,
            question: question_id.to_string(),
        }
        .encode(),
        "Report",
        ButtonStyle::Secondary,
    )
}

/// A press on a Report button (`reason` none: ask why) or on a reason.
pub async fn press(reason: Option<char>, question: &str, caller: &Caller, now: i64, store: Scores<'_>) -> Reply {
    let Some(code) = reason else {
        let mut r = Reply::note("What is wrong with this question? One report each; the server's managers see them.");
        r.buttons = REASONS
            .iter()
            .map(|(c, _, label)| {
                Button::new(
                    ButtonId::Report {
                        reason: Some(*c),
                        question: question.to_string(),
                    }
                    .encode(),
                    *label,
                    ButtonStyle::Secondary,
                )
            })
            .collect();
        return r;
    };
    let Some((_, why, _)) = REASONS.iter().find(|(c, _, _)| *c == code) else {
        return crate::ids::stale_button();
    };
    let Some(guild) = caller.guild else {
        return Reply::error("Reports are kept per server: report a question in the server where it was asked.");
    };
    let store = match store {
        Ok(s) => s,
        Err(e) => return Reply::error(format!("Reports cannot be kept right now: {e}.")),
    };
    match store.report_question(guild, question, caller.user.id, *why, now).await {
        Ok(true) => Reply {
            update: true,
            ..Reply::note(format!(
                "Thank you: reported as {}. The server's managers see it with `/trivia reports`.",
                why.label()
            ))
        },
        Ok(false) => Reply {
            update: true,
            ..Reply::note("You already reported this question: one report each.")
        },
        Err(e) => Reply::error(format!("The report could not be saved: {e}. Try again in a moment.")),
    }
}

/// `/trivia reports [clear:<id>]`: the server's reported questions, or clearing one.
pub async fn command(cx: &Ctx<'_>, clear: Option<&str>) -> Reply {
    let Some(guild) = cx.caller.guild else {
        return Reply::error("Reports are kept per server: ask in a server.");
    };
    let store = match cx.store {
        Ok(s) => s,
        Err(e) => return Reply::error(format!("Reports are unavailable right now: {e}.")),
    };
    if let Some(id) = clear {
        return match store.clear_reports(guild, id).await {
            Ok(0) => Reply::error(format!(
                "No reports for `{}` on this server. `/trivia reports` lists the reported questions and their ids.",
                truncate(id, 100)
            )),
            Ok(n) => Reply::note(format!(
                "Cleared {} on `{}`: the question can be asked again.",
                plural(n as usize, "report", "reports"),
                truncate(id, 100)
            )),
            Err(e) => Reply::error(format!("The reports could not be cleared: {e}. Nothing was changed.")),
        };
    }
    match store.reports(guild).await {
        Ok(rows) if rows.is_empty() => Reply::note("No question has been reported on this server."),
        Ok(rows) => {
            let mut r = Reply::card("Reported questions").ephemeral();
            r.colour = Some(colour::ERROR);
            r.text = format!(
                "A question with {BLOCK_AT} reports or more is kept out of this server's games until its reports are \
                 cleared with `/trivia reports clear:<id>`."
            );
            for row in &rows {
                let reasons: Vec<String> = row.reasons.iter().map(|(why, n)| format!("{why} ×{n}")).collect();
                let held = if row.reports >= BLOCK_AT {
                    " · kept out of games"
                } else {
                    ""
                };
                let text = row.question_text.as_deref().map_or(String::new(), |t| {
                    format!("\n{}", truncate(&crate::reply::plain(t), 300))
                });
                r = r.field(
                    format!(
                        "{} ({}{held})",
                        truncate(&row.question_id, 200),
                        plural(row.reports as usize, "report", "reports")
                    ),
                    format!("{}{text}", reasons.join(", ")),
                    false,
                );
            }
            r.fit()
        }
        Err(e) => Reply::error(format!("I could not read the reports: {e}. Try again in a moment.")),
    }
}
