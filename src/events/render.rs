//! Events as replies: the lobby with its Join and team buttons, the question, the reveal that teaches, the
//! standings, the podium, the export and the list; and the ids of the buttons.
//!
//! Button ids are `rv1:ev:<event>:<round>:<action>`: a click names its event and question, so a click on an old
//! message gets a short note instead of counting for the wrong question.

use super::{Event, Export, Missed, Player, Refusal, Reveal, TeamMode, TeamStanding};
use crate::ids::{ButtonId, EventAction};
use crate::present::{self, letter, plural};
use crate::reply::{colour, Attachment, Button, ButtonStyle, Reply};
use crate::store::EventRow;

/// The id of an event button.
fn button_id(event: i64, round: u32, action: EventAction) -> String {
    ButtonId::Event { event, round, action }.encode()
}

fn secs(ms: i64) -> i64 {
    ms / 1000
}

fn team_style(i: usize) -> ButtonStyle {
    match i {
        0 => ButtonStyle::Danger,
        1 => ButtonStyle::Primary,
        2 => ButtonStyle::Success,
        _ => ButtonStyle::Secondary,
    }
}

/// The lobby: what the event is, and the buttons to join it.
pub fn lobby(e: &Event, saved: bool) -> Reply {
    let c = &e.config;
    let mut what = vec![plural(c.questions.len(), "question", "questions")];
    if let Some(cat) = &c.category {
        let shown = crate::trivia::question::CATEGORIES
            .iter()
            .find(|(_, v)| v == cat)
            .map_or(cat.as_str(), |(n, _)| n);
        what.push(shown.to_string());
    }
    if let Some(d) = &c.difficulty {
        what.push(d.clone());
    }
    let mut r = Reply::card(format!("📣 {}", e.name));
    r.colour = Some(colour::TRIVIA);
    let join = if c.teams.is_empty() {
        "Press **Join** to play."
    } else {
        "Press **Join** (you go to the smallest team) or pick your team."
    };
    let time = if c.extra_ms > 0 {
        format!(
            "⏱ {} seconds per question. Need more time? Press **Extended time** (only you see the confirmation): \
             your answers are accepted for {} seconds.",
            secs(c.timer_ms),
            secs(c.timer_ms + c.extra_ms)
        )
    } else {
        format!("⏱ {} seconds per question.", secs(c.timer_ms))
    };
    r.text = format!(
        "A quiz event: {}. {join} The host asks each question with `/event next`.\n\n{time}",
        what.join(" · "),
    );
    if !c.teams.is_empty() {
        let sizes = e.team_sizes();
        let lines: Vec<String> = c
            .teams
            .iter()
            .zip(&sizes)
            .map(|(t, n)| format!("{} — {}", t.shown(), plural(*n, "player", "players")))
            .collect();
        r = r.field("Teams", lines.join("\n"), false);
    }
    r = r.field(
        "Same quiz again",
        format!("`seed:{}` gives another group the same questions", c.seed),
        false,
    );
    r.footer = Some(format!(
        "Event #{} · {}",
        e.id,
        if saved {
            "answers are saved as they come"
        } else {
            "results are NOT being saved (no database)"
        }
    ));
    r = r.button(Button::new(
        button_id(e.id, 0, EventAction::Join),
        "Join",
        ButtonStyle::Success,
    ));
    for (i, t) in c.teams.iter().enumerate() {
        r = r.button(Button::new(
            button_id(e.id, 0, EventAction::Team(i)),
            t.label(),
            team_style(i),
        ));
    }
    // No extended time on offer (`extended:0`): no button promising it.
    if c.extra_ms > 0 {
        r = r.button(Button::new(
            button_id(e.id, 0, EventAction::Extended),
            "⏱ Extended time",
            ButtonStyle::Secondary,
        ));
    }
    r
}

/// The current question with its answer buttons.
pub fn question(e: &Event) -> Reply {
    let Some(q) = e.question() else {
        return Reply::error("No question has been asked yet.");
    };
    let round = e.state.round;
    let mut r = Reply::card(format!("{} · Question {round} of {}", e.name, e.rounds()));
    r.colour = Some(colour::TRIVIA);
    r = present::ask(r, &q.text, &q.options, |i| {
        button_id(e.id, round, EventAction::Answer(i))
    });
    let extended = if e.config.extra_ms > 0 {
        format!(" (extended time: {})", secs(e.config.timer_ms + e.config.extra_ms))
    } else {
        String::new()
    };
    r.footer = Some(format!(
        "{} seconds to answer{extended} · one answer each · {}",
        secs(e.config.timer_ms),
        q.difficulty
    ));
    r
}

/// Posted when time runs out on a question.
pub fn time_up(e: &Event, round: u32) -> Reply {
    Reply::text(format!(
        "⏱ Time's up for question {round} of {} ({}). Hosts: `/event reveal` shows the answer.",
        e.rounds(),
        crate::text::escape_markdown(&e.name)
    ))
}

fn name_of(e: &Event, user: u64) -> String {
    e.player(user)
        .map_or_else(|| format!("user {user}"), |p| crate::text::escape_markdown(&p.name))
}

fn team_of(e: &Event, p: &Player) -> String {
    p.team
        .and_then(|t| e.team(t))
        .map_or(String::new(), |t| format!(" ({})", t.shown()))
}

/// Player lines: "🥇 ann (🔴 Red) — 28 pts (3 right)".
pub fn players_text(e: &Event, max: usize) -> String {
    let standings = e.standings();
    if standings.is_empty() {
        return "Nobody has joined yet.".into();
    }
    let ranks = present::shared_ranks(standings.len(), |a, b| {
        (standings[a].points, standings[a].right) == (standings[b].points, standings[b].right)
    });
    let mut lines: Vec<String> = standings
        .iter()
        .take(max)
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{} {}{} — {} pts ({} right)",
                present::rank(ranks[i]),
                crate::text::escape_markdown(&p.name),
                team_of(e, p),
                p.points,
                p.right
            )
        })
        .collect();
    if standings.len() > max {
        lines.push(format!("and {} more", standings.len() - max));
    }
    lines.join("\n")
}

/// How team scores are counted, in words.
pub fn mode_text(mode: TeamMode) -> &'static str {
    match mode {
        TeamMode::Sum => "total points: the teams are the same size",
        TeamMode::Average => "average points per player: the teams differ in size",
    }
}

fn team_line(e: &Event, rank: usize, t: &TeamStanding, mode: TeamMode) -> String {
    let label = e.team(t.team).map_or_else(|| "?".to_string(), |t| t.shown());
    let players = plural(t.members, "player", "players");
    let rank = present::rank(rank);
    if t.members == 0 {
        return format!("{rank} {label} — no players");
    }
    match mode {
        TeamMode::Sum => format!("{rank} {label} — {} pts ({players})", t.total),
        TeamMode::Average => format!("{rank} {label} — {:.1} pts average ({players})", t.score(mode)),
    }
}

/// The teams field: (name saying how scores are counted, lines), if the event has teams.
pub fn teams_field(e: &Event, max: usize) -> Option<(String, String)> {
    if e.config.teams.is_empty() {
        return None;
    }
    let (mode, standings) = e.team_standings();
    // Teams with the same score share a rank (averages compared exactly, as fractions).
    let ranks = present::shared_ranks(standings.len(), |a, b| {
        let (x, y) = (&standings[a], &standings[b]);
        x.members > 0
            && y.members > 0
            && match mode {
                TeamMode::Sum => x.total == y.total,
                TeamMode::Average => i128::from(x.total) * y.members as i128 == i128::from(y.total) * x.members as i128,
            }
    });
    let lines: Vec<String> = standings
        .iter()
        .take(max)
        .enumerate()
        .map(|(i, t)| team_line(e, ranks[i], t, mode))
        .collect();
    Some((format!("Teams — {}", mode_text(mode)), lines.join("\n")))
}

/// The reveal: the answer, who got it, the split, the explanation with its source, the standings.
pub fn reveal(e: &Event, rev: &Reveal) -> Reply {
    let Some(q) = e.question_of(rev.round) else {
        return Reply::error("That question is not part of this event.");
    };
    let mut r = Reply::card(format!("Answer: {} · {}", letter(q.correct), q.answer()));
    r.colour = Some(colour::ACTIVE);
    r.text = format!("{}\n[Source]({})", q.explanation, q.source);
    let right = crate::trivia::render::who_got_it(&rev.right, rev.answers, |u| name_of(e, u));
    r = r.field("Got it right", right, false);
    r = r.field(
        format!("How you answered ({})", plural(rev.answers, "answer", "answers")),
        present::answer_split(&q.options, &rev.split, q.correct),
        false,
    );
    if let Some((name, value)) = teams_field(e, 6) {
        r = r.field(name, value, false);
    }
    r = r.field("Scores", players_text(e, 5), false);
    r = r.button(crate::trivia::reports::report_button(&q.id));
    r.footer = Some(if rev.round < e.rounds() {
        format!(
            "Question {} of {} · hosts: /event next asks the next one",
            rev.round,
            e.rounds()
        )
    } else {
        format!(
            "Question {} of {} · that was the last one: hosts, /event end shows the podium",
            rev.round,
            e.rounds()
        )
    });
    r
}

/// The standings so far.
pub fn scores(e: &Event) -> Reply {
    let mut r = Reply::card(format!("{} — standings", e.name));
    r.colour = Some(colour::TRIVIA);
    r = r.field("Players", players_text(e, 20), false);
    if let Some((name, value)) = teams_field(e, 6) {
        r = r.field(name, value, false);
    }
    r.footer = Some(match e.state.round {
        0 => format!("Event #{} · no question asked yet", e.id),
        n => format!("Event #{} · after question {n} of {}", e.id, e.rounds()),
    });
    r
}

/// The podium: the top three players and teams.
pub fn podium(e: &Event) -> Reply {
    let mut r = Reply::card(format!("🏆 {} — podium", e.name));
    r.colour = Some(colour::TRIVIA);
    let standings = e.standings();
    if standings.is_empty() {
        // Nobody joined: no podium of empty teams.
        r.text =
            "Nobody joined this event, so there is no podium. Hosts can run it again with `/event create`.".to_string();
    } else {
        let top = standings[0].points;
        let winners: Vec<String> = standings
            .iter()
            .take_while(|p| p.points == top)
            .map(|p| format!("**{}**", crate::text::escape_markdown(&p.name)))
            .collect();
        r.text = if top == 0 {
            "Nobody scored this time — thank you for playing!".to_string()
        } else {
            format!(
                "Congratulations, {}! Thank you all for playing.",
                crate::trivia::question::phrase::and_list(&winners)
            )
        };
        r = r.field("Players", players_text(e, 3), false);
        if let Some((name, value)) = teams_field(e, 3) {
            r = r.field(name, value, false);
        }
    }
    r.footer = Some(format!(
        "Event #{} · {} asked · hosts: /event export id:{} downloads the results",
        e.id,
        plural(e.state.round as usize, "question", "questions"),
        e.id
    ));
    r
}

/// One most-missed question, short enough that three fit in a field.
fn missed_line(m: &Missed) -> String {
    use crate::text::truncate;
    format!(
        "**Q{}** {} — {} of {} missed. Answer: **{}**. {} ([source]({}))",
        m.round,
        truncate(&m.question.text, 80),
        m.missed,
        m.players,
        truncate(m.question.answer(), 40),
        truncate(&m.question.explanation, 100),
        m.question.source
    )
}

/// The export: a short summary, the results CSV and the most-missed CSV (only the asker sees it).
pub fn export(e: &Event, x: &Export, players: usize) -> Reply {
    let mut r = Reply::card(format!("Results: {}", e.name));
    r.colour = Some(colour::INFO);
    r.text = format!(
        "{}: one per player per question ({}, {} asked). Open the CSV files in any spreadsheet; \
         the second lists the questions most missed, with their explanations.",
        plural(x.rows, "row", "rows"),
        plural(players, "player", "players"),
        plural(e.state.round as usize, "question", "questions"),
    );
    // Up to three, as many as fit whole in a field (a cut would break a link).
    let mut missed = String::new();
    for line in x.missed.iter().filter(|m| m.missed > 0).take(3).map(missed_line) {
        if missed.chars().count() + line.chars().count() + 1 > crate::reply::limits::FIELD_VALUE {
            break;
        }
        if !missed.is_empty() {
            missed.push('\n');
        }
        missed.push_str(&line);
    }
    if !missed.is_empty() {
        r = r.field("Most missed", missed, false);
    }
    r.footer = Some(format!("Event #{}", e.id));
    r.ephemeral = true;
    // Events kept only in memory have negative ids.
    let id = if e.id > 0 {
        e.id.to_string()
    } else {
        format!("local{}", e.id.unsigned_abs())
    };
    r.attachments = vec![
        Attachment {
            filename: format!("event-{id}-results.csv"),
            content: x.results_csv.clone(),
        },
        Attachment {
            filename: format!("event-{id}-most-missed.csv"),
            content: x.summary_csv.clone(),
        },
    ];
    r
}

/// A guild's events, most recent first.
pub fn list(rows: &[EventRow], open_rounds: &dyn Fn(i64) -> Option<(u32, u32)>) -> Reply {
    let mut r = Reply::card("Events in this server");
    r.colour = Some(colour::INFO);
    if rows.is_empty() {
        r.text = "No events yet. Someone with Manage Events can start one with `/event create name:…`.".into();
        return r;
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            let players = plural(row.players.len(), "player", "players");
            let status = match (row.ended_at_ms, open_rounds(row.id)) {
                (Some(at), _) => format!("ended {}", crate::clock::date_string(at)),
                (None, Some((0, n))) => format!("open, in the lobby ({})", plural(n as usize, "question", "questions")),
                (None, Some((r, n))) => format!("open, question {r} of {n}"),
                (None, None) => "open".to_string(),
            };
            format!(
                "**#{}** {} — {status}, {players}",
                row.id,
                crate::text::escape_markdown(&row.name)
            )
        })
        .collect();
    r.text = lines.join("\n");
    r.footer = Some("/event export id:N downloads an event's results (its hosts and event managers)".into());
    r
}

/// A refusal as a private note that says what to do instead.
pub fn refusal(e: Option<&Event>, why: &Refusal) -> Reply {
    let id = e.map_or(String::new(), |e| format!(" id:{}", e.id));
    Reply::error(match why {
        Refusal::NotHost => "Only this event's hosts can do that. A host can add you with `/event cohost`.".to_string(),
        Refusal::Ended => format!("This event has ended. Its hosts can download the results with `/event export{id}`."),
        Refusal::NotRevealed(r) => {
            format!("Question {r} has not been revealed yet: `/event reveal` first, then `/event next`.")
        }
        Refusal::NoMoreQuestions => "That was the last question. `/event end` shows the podium.".to_string(),
        Refusal::NothingAsked => "No question has been asked yet: `/event next` asks the first one.".to_string(),
        Refusal::AlreadyRevealed(r) => format!("Question {r} is already revealed. `/event next` asks the next one."),
        Refusal::Stale => "That button is from an earlier question of this event: answer the newest one.".to_string(),
        Refusal::TimeUp => "Time's up for this question. Wait for the next one!".to_string(),
        Refusal::Already => "You already answered this question: one answer each.".to_string(),
        Refusal::TeamsFixed(t) => format!(
            "Teams are fixed once the questions start: you stay in {}.",
            e.and_then(|e| e.team(*t))
                .map_or_else(|| "your team".to_string(), |t| t.shown())
        ),
        Refusal::NoSuchTeam => "That team is not part of this event.".to_string(),
        Refusal::NoExtendedTime => {
            "This event gives everyone the same time to answer: there is no extended time to turn on.".to_string()
        }
        Refusal::HostsDoNotPlay => "You host this event, so you run it rather than play: no answers or team for \
                                    hosts."
            .to_string(),
    })
}
