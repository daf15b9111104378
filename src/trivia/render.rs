//! Trivia as replies: the question with its answer buttons, the reveal that teaches, the scoreboard.

use super::game::{EndReason, Game, Player, Reveal};
use super::question::Question;
use crate::ids::ButtonId;
use crate::kb::KnowledgeBase;
use crate::present::{self, LETTERS};
use crate::reply::{colour, Reply};

/// The id of an answer button: game, round and option, so a click can be checked against the game.
pub fn answer_id(game: i64, round: usize, choice: usize) -> String {
    ButtonId::Answer { game, round, choice }.encode()
}

pub fn question_reply(game: &Game) -> Reply {
    let q = game.question();
    let total = game.questions.len();
    let mut r = Reply::card(format!("Question {} of {total}", game.round + 1));
    r.colour = Some(colour::TRIVIA);
    let secs = game.settings.timer_ms / 1000;
    if q.is_typed() {
        r.text = format!("{}\n\nType your answer with `/answer text:…` — one guess each.", q.text);
    } else {
        r = present::ask(r, &q.text, &q.options, |i| answer_id(game.id, game.round, i));
    }
    r.footer = Some(format!(
        "{secs} seconds to answer · {} · one answer each",
        q.difficulty.label()
    ));
    r
}

fn name_of(game: &Game, id: u64) -> String {
    game.player(id)
        .map(|p| crate::text::escape_markdown(&p.name))
        .unwrap_or_else(|| format!("user {id}"))
}

pub fn reveal_reply(kb: &KnowledgeBase, game: &Game, rev: &Reveal) -> Reply {
    let q: &Question = &game.questions[rev.round];
    let shown = if q.is_typed() {
        q.answer.clone()
    } else {
        format!("{} · {}", LETTERS[q.correct], q.options[q.correct])
    };
    let mut r = Reply::card(format!("Answer: {shown}"));
    r.colour = Some(colour::ACTIVE);
    r.text = format!("{}\n[Source]({})", q.explanation, q.source);
    let right = who_got_it(&rev.right, rev.answers, |u| name_of(game, u));
    r = r.field("Got it right", right, false);
    if !q.is_typed() && rev.answers > 0 {
        r = r.field(
            "How you answered",
            present::answer_split(&q.options, &rev.split, q.correct),
            false,
        );
    }
    if !rev.streaks.is_empty() {
        let s: Vec<String> = rev
            .streaks
            .iter()
            .map(|(u, n)| format!("🔥 {} — {n} in a row", name_of(game, *u)))
            .collect();
        r = r.field("Streaks", s.join("\n"), false);
    }
    r = r.field("Scores", standings_text(&game.standings(), 5), false);
    r.footer = Some(if rev.round + 1 < game.questions.len() {
        format!(
            "Question {} of {} · next one shortly",
            rev.round + 1,
            game.questions.len()
        )
    } else {
        format!(
            "Question {} of {} · that was the last one",
            rev.round + 1,
            game.questions.len()
        )
    });
    if let Some(e) = q.about {
        r = r.button(crate::ids::card_button(kb, e, "Learn more"));
    }
    r = r.button(super::reports::report_button(&q.id));
    r
}

/// The "Got it right" line of a reveal: names with the points each scored, fastest first.
pub fn who_got_it(right: &[(u64, i64)], answers: usize, name: impl Fn(u64) -> String) -> String {
    if right.is_empty() {
        return if answers == 0 {
            "Nobody answered."
        } else {
            "Nobody got it this time."
        }
        .to_string();
    }
    right
        .iter()
        .map(|(u, pts)| format!("{} (+{pts})", name(*u)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn standings_text(players: &[&Player], max: usize) -> String {
    if players.is_empty() {
        return "No points yet.".into();
    }
    // Players with the same points and right answers share a rank.
    let ranks = present::shared_ranks(players.len(), |a, b| {
        (players[a].points, players[a].right) == (players[b].points, players[b].right)
    });
    let lines: Vec<String> = players
        .iter()
        .take(max)
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{} {} — {} pts ({} right)",
                present::rank(ranks[i]),
                crate::text::escape_markdown(&p.name),
                p.points,
                p.right
            )
        })
        .collect();
    let mut s = lines.join("\n");
    if players.len() > max {
        s.push_str(&format!("\nand {} more", players.len() - max));
    }
    s
}

pub fn final_reply(game: &Game, reason: &EndReason) -> Reply {
    let mut r = Reply::card("Final scores");
    r.colour = Some(colour::TRIVIA);
    let why = match reason {
        EndReason::Finished if game.questions.len() == 1 => "That was the only question!".to_string(),
        EndReason::Finished => format!("That's all {} questions!", game.questions.len()),
        EndReason::Silent => "Two questions in a row went unanswered, so the game ended.".into(),
        EndReason::Stopped => "The game was stopped.".into(),
        EndReason::Shutdown => "The bot is restarting, so the game ended here; every point scored is saved.".into(),
        EndReason::InputEnded => "The input ended, so the game ended here; every point scored is saved.".into(),
        EndReason::ConsoleClosed => {
            "The console was closed, so the game ended here; every point scored is saved.".into()
        }
    };
    let winners: Vec<String> = game.winners().iter().map(|u| name_of(game, *u)).collect();
    r.text = match winners.len() {
        0 => format!("{why} Nobody scored this time."),
        1 => format!("{why} 🏆 Winner: **{}**!", winners[0]),
        _ => format!("{why} 🏆 A tie between **{}**!", winners.join("** and **")),
    };
    r = r.field("Scoreboard", standings_text(&game.standings(), 10), false);
    let best = game.players.iter().max_by_key(|p| p.best_streak);
    if let Some(p) = best.filter(|p| p.best_streak >= 2) {
        r = r.field(
            "Best streak",
            format!(
                "🔥 {} — {} in a row",
                crate::text::escape_markdown(&p.name),
                p.best_streak
            ),
            false,
        );
    }
    r.footer = Some("Scores count toward /trivia leaderboard · play again with /trivia start".into());
    r
}

/// One question of an answer key, as `rendezvous preview --json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KeyEntry {
    pub question: String,
    /// Empty for a typed question.
    pub options: Vec<String>,
    pub answer: String,
    pub explanation: String,
    pub source: String,
    pub difficulty: String,
    /// `curated`, or the generated kind (`lead`, `launch-year`, …).
    pub kind: String,
    pub missions: Vec<String>,
    pub agencies: Vec<String>,
    /// The question's stable id.
    pub id: String,
}

impl From<&Question> for KeyEntry {
    fn from(q: &Question) -> KeyEntry {
        KeyEntry {
            question: q.text.clone(),
            options: q.options.clone(),
            answer: q.answer.clone(),
            explanation: q.explanation.clone(),
            source: q.source.clone(),
            difficulty: q.difficulty.label().to_string(),
            kind: q.kind.label().to_string(),
            missions: q.missions.clone(),
            agencies: q.agencies.clone(),
            id: q.id.clone(),
        }
    }
}

/// An answer key as a person reads it: each question, its options with the right one marked, the explanation and
/// the source.
pub fn answer_key(questions: &[Question]) -> String {
    let mut out = String::new();
    for (i, q) in questions.iter().enumerate() {
        out.push_str(&format!(
            "{}. {} [{}, {}]\n",
            i + 1,
            crate::reply::plain(&q.text),
            q.kind.label(),
            q.difficulty.label()
        ));
        if q.is_typed() {
            out.push_str(&format!("   (typed) answer: {}\n", q.answer));
        } else {
            for (j, o) in q.options.iter().enumerate() {
                let mark = if j == q.correct { "  ← answer" } else { "" };
                out.push_str(&format!("   {} {o}{mark}\n", LETTERS[j]));
            }
        }
        out.push_str(&format!(
            "   Why: {}\n   Source: {}\n\n",
            crate::reply::plain(&q.explanation),
            q.source
        ));
    }
    out
}
