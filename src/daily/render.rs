//! The question of the day as replies: the question with its buttons, the reveal that teaches, the schedule.

use super::schedule::{day_key, day_words, Slot};
use super::Asked;
use crate::ids::ButtonId;
use crate::present;
use crate::reply::{colour, Reply};
use crate::store::{DailyAnswer, DailyPost, DailyStreak};
use crate::text::escape_markdown;
use jiff::civil::Date;

/// When the next post comes, as read: "Monday 7 December 2026 at 09:00 (Europe/Paris)".
fn when(slot: &Slot, next: (Date, i64)) -> String {
    format!("{} at {}", day_words(next.0), slot.describe())
}

fn days(n: u32) -> String {
    present::plural(n as usize, "day", "days")
}

/// The day's question, with one button per option.
pub fn question(asked: &Asked, day: Date, slot: Option<&Slot>) -> Reply {
    let mut r = Reply::card(format!("Question of the day — {}", day_words(day)));
    r.colour = Some(colour::TRIVIA);
    r = present::ask(r, &asked.text, &asked.options, |choice| {
        ButtonId::Daily {
            day: day_key(day),
            choice,
        }
        .encode()
    });
    r.footer = Some(match slot {
        Some(s) => format!(
            "One answer each · the answer comes with the next question, at {} · answer right every day for a streak",
            s.describe()
        ),
        None => "One answer each · the answer comes with the next question".into(),
    });
    r.fit()
}

/// The answer to a day's question: what it was, why (with the source), how the server answered, and the streaks of
/// those who got it.
pub fn reveal(asked: &Asked, day: Option<Date>, answers: &[DailyAnswer], streaks: &[DailyStreak]) -> Reply {
    let title = match day {
        Some(d) => format!("The answer to {}'s question", d.strftime("%A")),
        None => "The answer to the last question of the day".into(),
    };
    let mut r = Reply::card(title);
    r.colour = Some(colour::ACTIVE);
    let correct = asked.options.get(asked.correct).cloned().unwrap_or_default();
    r.text = format!(
        "{}\n\n**Answer: {} · {correct}**\n{}\n[Source]({})",
        asked.text,
        present::letter(asked.correct),
        asked.explanation,
        asked.source
    );
    let mut split = vec![0; asked.options.len()];
    for a in answers {
        if let Some(n) = split.get_mut(a.choice as usize) {
            *n += 1;
        }
    }
    let right = answers.iter().filter(|a| a.correct).count();
    r = r.field(
        "How this server answered",
        if answers.is_empty() {
            "Nobody answered.".to_string()
        } else {
            format!(
                "{}\n{} of {} right.",
                present::answer_split(&asked.options, &split, asked.correct),
                right,
                answers.len()
            )
        },
        false,
    );
    if !streaks.is_empty() {
        let lines: Vec<String> = streaks
            .iter()
            .map(|s| format!("🔥 {} — {} in a row", escape_markdown(&s.user_name), days(s.streak)))
            .collect();
        r = r.field("Streaks", present::join_limited(&lines, "\n", 1000), false);
    }
    r.fit()
}

/// The private note after an answer.
pub fn locked_in(
    choice: usize,
    option: &str,
    slot: Option<&(Slot, (Date, i64))>,
    streak: Option<&DailyStreak>,
) -> Reply {
    let mut text = format!("Locked in: **{}** {option}.", present::letter(choice));
    match slot {
        Some((s, next)) => text.push_str(&format!(
            " The answer comes with the next question, {}.",
            when(s, *next)
        )),
        None => text.push_str(" The answer comes with the next question."),
    }
    if let Some(s) = streak.filter(|s| s.streak > 0) {
        text.push_str(&format!(
            "\nYour streak: {} (best {}). Right today keeps it going.",
            days(s.streak),
            days(s.best)
        ));
    }
    Reply::note(text)
}

/// After `/daily set`.
pub fn set_reply(channel: u64, slot: &Slot, next: (Date, i64)) -> Reply {
    Reply::note(format!(
        "✅ A question of the day will be posted in <#{channel}> every day at {}. The first: {}.\nEach post first \
         reveals the day before's answer. `/daily show` shows the schedule and the streaks; `/daily off` stops it.",
        slot.describe(),
        when(slot, next)
    ))
}

/// `/daily show`: the schedule, the asker's streak and the longest running ones.
pub fn show(
    server: Option<(u64, &Slot, (Date, i64))>,
    mine: Option<&DailyStreak>,
    top: &[DailyStreak],
    open: Option<&DailyPost>,
) -> Reply {
    let mut r = Reply::card("Question of the day");
    r.colour = Some(colour::TRIVIA);
    r.text = match server {
        Some((channel, slot, next)) => format!(
            "Every day at {} in <#{channel}>. Next question: {}.",
            slot.describe(),
            when(slot, next)
        ),
        None => "This server has no question of the day. Someone with Manage Server can start one with \
                 `/daily set channel:#channel time:09:00 timezone:Europe/Paris`."
            .into(),
    };
    if let Some(p) = open {
        r.text.push_str(&format!(
            "\nToday's question is open in <#{}>: answer it there.",
            p.channel_id
        ));
    }
    r = r.field(
        "Your streak",
        match mine {
            Some(s) if s.streak > 0 => format!("🔥 {} in a row (best {})", days(s.streak), days(s.best)),
            Some(s) => format!("None running (best {})", days(s.best)),
            None => "None yet: answer a question of the day right to start one.".into(),
        },
        false,
    );
    if !top.is_empty() {
        let lines: Vec<String> = top
            .iter()
            .map(|s| format!("🔥 {} — {}", escape_markdown(&s.user_name), days(s.streak)))
            .collect();
        r = r.field("Longest streaks here", lines.join("\n"), false);
    }
    r.fit()
}
