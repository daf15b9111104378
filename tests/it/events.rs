//! Community events: a console event with three players in two teams ends with a podium and a CSV that matches what
//! was played; an event survives a restart and `/event next` continues it; only hosts pace it; old buttons get a
//! short note.

use crate::support::bin::{stderr, stdout, Sandbox};
use crate::support::stores::each;
use rendezvous::app::App;
use rendezvous::commands::{parse, Perms, Request, User, Value};
use rendezvous::events::{parse_csv, RESULTS_HEADER};
use rendezvous::ids::{ButtonId, EventAction};
use rendezvous::reply::Reply;
use rendezvous::store::{Location, Store};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

fn kb() -> &'static rendezvous::kb::KnowledgeBase {
    super::commands::kb()
}

const GUILD: u64 = 5;
const HOST: u64 = 1;

fn user(id: u64, name: &str) -> User {
    User { id, name: name.into() }
}

/// Who presses a button: a user in a channel of the test's server.
fn at(u: &User, channel: u64) -> rendezvous::context::Caller {
    rendezvous::context::Caller {
        user: u.clone(),
        guild: Some(GUILD),
        channel,
        perms: Perms::default(),
        roles: Vec::new(),
    }
}

/// A request as a member of the guild; `manager` has Manage Events.
fn req(line: &str, u: &User, channel: u64, manager: bool) -> Request {
    let mut r = parse(line, u.clone()).unwrap();
    r.channel = channel;
    r.guild = Some(GUILD);
    r.perms = Perms {
        manage_guild: false,
        manage_events: manager,
        host_role: false,
    };
    r
}

async fn app_over(db: &Location) -> Arc<App> {
    let store = Store::connect(db).await.unwrap();
    Arc::new(App::new(kb().clone(), Some(11)).with_store(Ok(store)))
}

/// Run the built binary's console over `db` with a script; returns what it printed.
fn console(db: &Path, script: &str) -> String {
    let out = Sandbox::new().run(&["console", "--seed", "5", "--db", db.to_str().unwrap()], script);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

/// The text after the first line that starts with `marker`, up to the next prompt.
fn section<'a>(out: &'a str, marker: &str) -> &'a str {
    let start = out.find(marker).unwrap_or_else(|| panic!("no `{marker}` in:\n{out}"));
    let rest = &out[start..];
    &rest[..rest.find("\n> ").unwrap_or(rest.len())]
}

/// An attachment the console printed in full.
fn attachment(out: &str, name: &str) -> String {
    let start = out
        .find(&format!("--- {name} ---\n"))
        .unwrap_or_else(|| panic!("no {name} in:\n{out}"));
    let body = &out[start + name.len() + 9..];
    body[..body.find(&format!("--- end of {name} ---")).unwrap()].to_string()
}

/// "🥇 alice (🔴 Red) — 28 pts (2 right)" → ("alice", 28).
fn player_points(lines: &str) -> HashMap<String, i64> {
    lines
        .lines()
        .filter(|l| l.contains(" pts (") && l.contains(" right)"))
        .map(|l| {
            let (who, pts) = l.trim().split_once(" — ").unwrap();
            let name = who.split_whitespace().nth(1).unwrap().to_string();
            (name, pts.split(" pts").next().unwrap().parse().unwrap())
        })
        .collect()
}

/// A press: which letter, how many seconds after the question opened; `None`: no answer.
type Press = Option<(&'static str, i64)>;

/// The points a right answer earns `ms` after the question opened, with a 30 s timer (10, plus up to 5 for speed).
fn points_at(ms: i64) -> i64 {
    10 + 5 * (30_000 - ms) / 30_000
}

#[test]
fn a_console_event_with_three_players_in_two_teams_ends_with_a_podium_and_a_csv_of_what_was_played() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("events.db");
    // What each player presses in each round, and how many seconds after the question opened (None: no answer).
    let plan: [[(&str, Press); 3]; 3] = [
        [
            ("alice", Some(("A", 2))),
            ("bob", Some(("B", 5))),
            ("carol", Some(("A", 9))),
        ],
        [("alice", Some(("B", 1))), ("bob", Some(("A", 4))), ("carol", None)],
        [
            ("alice", Some(("A", 3))),
            ("bob", Some(("A", 6))),
            ("carol", Some(("B", 8))),
        ],
    ];
    let mut script = String::from(
        "/event create name:\"Space Club\" rounds:3 teams:2 timer:30 seed:42\n\
         as alice\npress Red\nas bob\npress Blue\nas carol\npress Join\n",
    );
    for round in &plan {
        script.push_str("as you\n/event next\n");
        let mut t = 0;
        for (who, answer) in round {
            if let Some((letter, at)) = answer {
                script.push_str(&format!("as {who}\nwait {}\npress {letter}\n", at - t));
                t = *at;
            }
        }
        script.push_str("as you\n/event reveal\n");
    }
    script.push_str("/event end\n/event export\n");
    let out = console(&db, &script);
    assert_eq!(
        out,
        console(&dir.path().join("again.db"), &script),
        "the same seed plays the same event"
    );
    assert!(out.contains("You're in team 🔴 Red!"), "{out}");
    assert!(out.contains("You're in team 🔵 Blue!"), "{out}");

    // The right answers, as the reveals showed them: "== Answer: A · ESA ==".
    let answers: Vec<(String, String)> = out
        .lines()
        .filter_map(|l| l.strip_prefix("== Answer: "))
        .map(|l| {
            let (letter, text) = l.trim_end_matches(" ==").split_once(" · ").unwrap();
            (letter.to_string(), text.to_string())
        })
        .collect();
    assert_eq!(answers.len(), 3, "{out}");
    // The options each question offered: "A ESA" lines after "== Space Club · Question N of 3 ==".
    let options: Vec<HashMap<String, String>> = (1..=3)
        .map(|n| {
            section(&out, &format!("== Space Club · Question {n} of 3 =="))
                .lines()
                .filter_map(|l| {
                    let (letter, text) = l.split_once(' ')?;
                    (letter.len() == 1 && letter.chars().all(|c| c.is_ascii_uppercase()))
                        .then(|| (letter.to_string(), text.to_string()))
                })
                .collect()
        })
        .collect();

    // The podium: top 3 players and the teams, with how team scores are counted.
    let podium = section(&out, "== 🏆 Space Club — podium ==");
    let mut expected: HashMap<String, i64> = HashMap::new();
    for (r, round) in plan.iter().enumerate() {
        for (who, answer) in round {
            let pts = match answer {
                Some((letter, at)) if *letter == answers[r].0 => points_at(at * 1000),
                _ => 0,
            };
            *expected.entry(who.to_string()).or_default() += pts;
        }
    }
    assert_eq!(player_points(podium), expected, "{podium}");
    assert!(
        podium.contains("Teams — average points per player: the teams differ in size"),
        "{podium}"
    );
    let red = (expected["alice"] + expected["carol"]) as f64 / 2.0;
    let blue = expected["bob"] as f64;
    assert!(
        podium.contains(&format!("🔴 Red — {red:.1} pts average (2 players)")),
        "{podium}"
    );
    assert!(
        podium.contains(&format!("🔵 Blue — {blue:.1} pts average (1 player)")),
        "{podium}"
    );
    let first = if red >= blue { "🥇 🔴 Red" } else { "🥇 🔵 Blue" };
    assert!(podium.contains(first), "{podium}");

    // The CSV: one row per player per question, each matching what was played.
    let csv = parse_csv(&attachment(&out, "event-1-results.csv"));
    assert_eq!(csv[0], RESULTS_HEADER);
    assert_eq!(csv.len(), 1 + 9, "{csv:?}");
    let teams = HashMap::from([("alice", "Red"), ("bob", "Blue"), ("carol", "Red")]);
    let mut row = 1;
    for (r, round) in plan.iter().enumerate() {
        for (who, answer) in round {
            let got = &csv[row];
            row += 1;
            assert_eq!(
                (got[0].as_str(), got[1].as_str()),
                ("Space Club", (r + 1).to_string().as_str())
            );
            assert!(
                section(&out, &format!("Question {} of 3 ==", r + 1)).contains(&got[2]),
                "{got:?}"
            );
            assert_eq!((got[3].as_str(), got[4].as_str()), (*who, teams[who]));
            match answer {
                Some((letter, at)) => {
                    let right = *letter == answers[r].0;
                    assert_eq!(got[5], options[r][*letter], "{got:?}");
                    assert_eq!(got[6], if right { "yes" } else { "no" }, "{got:?}");
                    assert_eq!(got[7], (at * 1000).to_string(), "time to answer");
                    assert_eq!(
                        got[8],
                        if right { points_at(at * 1000) } else { 0 }.to_string(),
                        "{got:?}"
                    );
                }
                None => assert_eq!(got[5..], ["", "no", "", "0"], "no answer"),
            }
        }
    }
    // The summary lists every question, most missed first, with the right answer and its explanation.
    let summary = parse_csv(&attachment(&out, "event-1-most-missed.csv"));
    assert_eq!(summary.len(), 4);
    let missed: Vec<usize> = summary[1..].iter().map(|r| r[4].parse().unwrap()).collect();
    assert!(missed.windows(2).all(|w| w[0] >= w[1]), "{summary:?}");
    for s in &summary[1..] {
        let r: usize = s[0].parse().unwrap();
        assert_eq!(s[2], answers[r - 1].1);
        assert!(!s[7].is_empty() && s[8].starts_with("http"), "{s:?}");
    }
    // A second process lists the event as ended.
    let list = Sandbox::new()
        .cmd(&["ask", "--json", "/event list", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).expect("a JSON reply");
    let text = list["text"].as_str().unwrap();
    assert!(
        text.contains("**#1** Space Club — ended 2025-01-01, 3 players"),
        "{text}"
    );
}

#[test]
fn a_restart_in_the_middle_of_an_event_then_next_continues_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("events.db");
    // The first process stops with question 2 open and answered by two players.
    let first = console(
        &db,
        "/event create name:Restart rounds:3 teams:2 timer:60 seed:7\nas alice\npress Red\nas bob\npress Blue\n\
         as you\n/event next\nas alice\nwait 1\npress A\nas you\n/event reveal\n/event next\nas alice\npress B\n\
         as bob\npress A\n",
    );
    assert!(first.contains("== Restart · Question 2 of 3 =="), "{first}");
    let before = player_points(section(&first, "Scores:"));
    // The second process picks it up: the host reveals question 2 (its answers survived), then continues.
    let second = console(
        &db,
        "/event reveal\n/event next\nas alice\npress A\nas you\n/event reveal\n/event next\n/event end\n",
    );
    let reveal = section(&second, "== Answer: ");
    assert!(reveal.contains("How you answered (2 answers)"), "{second}");
    assert!(second.contains("== Restart · Question 3 of 3 =="), "{second}");
    assert!(second.contains("That was the last question"), "{second}");
    let podium = player_points(section(&second, "== 🏆 Restart — podium =="));
    assert!(
        podium["alice"] >= before["alice"] && podium.contains_key("bob"),
        "{second}"
    );
    assert!(
        second.contains("Teams — total points: the teams are the same size"),
        "{second}"
    );
    // Only the first process created anything: the event keeps its id.
    assert!(second.contains("Event #1"), "{second}");
}

#[tokio::test]
async fn two_apps_on_one_database_hand_an_event_over_with_its_timer() {
    for db in each("event_handover").await {
        eprintln!("on {}", db.kind);
        hand_over(&db.location).await;
    }
}

async fn hand_over(db: &Location) {
    let (host, ann) = (user(HOST, "host"), user(2, "ann"));
    let state = {
        let app = app_over(db).await;
        let lobby = app
            .command(
                &req("/event create name:Club rounds:2 timer:20 seed:3", &host, 10, true),
                0,
            )
            .await
            .reply;
        let join = lobby.buttons.iter().find(|b| b.label == "Join").unwrap().id.clone();
        let extended = lobby
            .buttons
            .iter()
            .find(|b| b.label.contains("Extended"))
            .unwrap()
            .id
            .clone();
        assert!(app
            .press(&join, &at(&ann, 10), 100)
            .await
            .reply
            .text
            .starts_with("You're in!"));
        let ext = app.press(&extended, &at(&ann, 10), 200).await.reply;
        assert!(
            ext.text.contains("accepted for 30 seconds instead of 20"),
            "{}",
            ext.text
        );
        let q = app.command(&req("/event next", &host, 10, false), 1_000).await.reply;
        assert_eq!(
            app.next_deadline(),
            Some(31_000),
            "extended time keeps the question open"
        );
        let _ = q;
        app.command(&req("/event scores", &host, 10, false), 1_000).await.reply
    };
    // A new app over the same file: nothing in memory until it resumes.
    let app = app_over(db).await;
    assert_eq!(app.next_deadline(), None);
    assert_eq!(app.resume().await, Ok(1));
    assert_eq!(app.next_deadline(), Some(31_000), "the open question's timer came back");
    assert_eq!(
        app.command(&req("/event scores", &host, 10, false), 1_000).await.reply,
        state
    );
    let posts = app.tick(31_000).await;
    assert_eq!(posts.len(), 1);
    assert!(
        posts[0].reply.text.contains("Time's up for question 1 of 2"),
        "{:?}",
        posts[0]
    );
    let next = app.command(&req("/event reveal", &host, 10, false), 32_000).await.reply;
    assert!(next.title.unwrap().starts_with("Answer: "));
    let q2 = app.command(&req("/event next", &host, 10, false), 33_000).await.reply;
    assert_eq!(q2.title.as_deref(), Some("Club · Question 2 of 2"));
}

fn refused(r: &Reply, says: &str) {
    assert!(r.ephemeral, "a refusal is private: {r:?}");
    assert!(r.text.contains(says), "expected `{says}` in: {}", r.text);
}

#[tokio::test]
async fn only_hosts_advance_reveal_or_end_and_a_player_gets_a_private_refusal() {
    let app = Arc::new(App::new(kb().clone(), Some(11)).with_store(Ok(Store::open_in_memory().await.unwrap())));
    let (host, ann, cy) = (user(HOST, "host"), user(2, "ann"), user(3, "cy"));
    refused(
        &app.command(&req("/event create name:Quiz", &ann, 10, false), 0)
            .await
            .reply,
        "needs the Manage Events permission",
    );
    let lobby = app
        .command(&req("/event create name:Quiz rounds:2 teams:2", &host, 10, true), 0)
        .await
        .reply;
    assert!(
        !lobby.ephemeral && lobby.title.as_deref() == Some("📣 Quiz"),
        "{lobby:?}"
    );
    refused(
        &app.command(&req("/event create name:Other", &host, 10, true), 0)
            .await
            .reply,
        "already running in this channel",
    );
    let not_host = "Only this event's hosts can do that";
    for line in ["/event next", "/event reveal", "/event end"] {
        // Even Manage Events does not make someone a host of this event.
        refused(&app.command(&req(line, &ann, 10, true), 1).await.reply, not_host);
    }
    let mut cohost = req("/event cohost user:1", &ann, 10, false);
    cohost.options = vec![("user".into(), Value::User(3))];
    refused(&app.command(&cohost, 1).await.reply, not_host);
    // The host asks; a player cannot reveal; the host makes cy a co-host, who reveals and ends.
    let q = app.command(&req("/event next", &host, 10, false), 2).await.reply;
    assert!(q.title.unwrap().ends_with("Question 1 of 2"));
    refused(
        &app.press(&q.buttons[0].id, &at(&host, 10), 3).await.reply,
        "you run it rather than play",
    );
    assert!(app
        .press(&q.buttons[0].id, &at(&ann, 10), 3)
        .await
        .reply
        .text
        .contains("locked in"));
    refused(
        &app.command(&req("/event reveal", &ann, 10, false), 4).await.reply,
        not_host,
    );
    let mut cohost = req("/event cohost user:1", &host, 10, false);
    cohost.options = vec![("user".into(), Value::User(cy.id))];
    let made = app.command(&cohost, 5).await.reply;
    assert!(!made.ephemeral && made.text.contains("is now a co-host"), "{made:?}");
    assert!(app
        .command(&req("/event reveal", &cy, 10, false), 6)
        .await
        .reply
        .title
        .is_some());
    refused(
        &app.command(&req("/event end", &ann, 10, false), 7).await.reply,
        not_host,
    );
    let podium = app.command(&req("/event end", &cy, 10, false), 8).await.reply;
    assert!(podium.title.unwrap().contains("podium"));
    refused(
        &app.command(&req("/event next", &host, 10, false), 9).await.reply,
        "No event is running in this channel",
    );
    // The results go to hosts and event managers only.
    refused(
        &app.command(&req("/event export", &ann, 10, false), 10).await.reply,
        "Only the event's hosts",
    );
    let x = app.command(&req("/event export", &cy, 10, false), 10).await.reply;
    assert!(x.ephemeral && x.attachments.len() == 2, "{x:?}");
}

#[tokio::test]
async fn stale_event_buttons_get_a_short_note() {
    let app = Arc::new(App::new(kb().clone(), Some(11)).with_store(Ok(Store::open_in_memory().await.unwrap())));
    let (host, ann) = (user(HOST, "host"), user(2, "ann"));
    app.command(&req("/event create name:Quiz rounds:3", &host, 10, true), 0)
        .await;
    let q1 = app.command(&req("/event next", &host, 10, false), 1).await.reply;
    assert!(
        q1.buttons.iter().all(|b| b.id.starts_with("rv1:ev:1:1:a")),
        "ids carry event and round: {q1:?}"
    );
    app.command(&req("/event reveal", &host, 10, false), 2).await;
    refused(
        &app.press(&q1.buttons[0].id, &at(&ann, 10), 3).await.reply,
        "Time's up for this question",
    );
    app.command(&req("/event next", &host, 10, false), 4).await;
    refused(
        &app.press(&q1.buttons[0].id, &at(&ann, 10), 5).await.reply,
        "from an earlier question",
    );
    app.command(&req("/event end", &host, 10, false), 6).await;
    refused(
        &app.press(&q1.buttons[0].id, &at(&ann, 10), 7).await.reply,
        "This event is over",
    );
    refused(
        &app.press(
            &ButtonId::Event {
                event: 999,
                round: 1,
                action: EventAction::Answer(0),
            }
            .encode(),
            &at(&ann, 10),
            7,
        )
        .await
        .reply,
        "This event is over",
    );
    refused(
        &app.press("rv1:ev:1:1:zzz", &at(&ann, 10), 7).await.reply,
        "older message and no longer works",
    );
}

#[tokio::test]
async fn the_same_seed_gives_the_same_questions_and_no_database_still_runs_an_event() {
    let app = Arc::new(App::new(kb().clone(), Some(11)));
    let host = user(HOST, "host");
    let mut titles = Vec::new();
    for channel in [10, 11] {
        let lobby = app
            .command(
                &req(
                    "/event create name:Twin rounds:3 seed:1234 category:mars",
                    &host,
                    channel,
                    true,
                ),
                0,
            )
            .await
            .reply;
        assert!(
            lobby.footer.unwrap().contains("NOT being saved"),
            "no database, and it says so"
        );
        let mut qs = Vec::new();
        for t in 1..=3 {
            qs.push(
                app.command(&req("/event next", &host, channel, false), t)
                    .await
                    .reply
                    .text,
            );
            app.command(&req("/event reveal", &host, channel, false), t).await;
        }
        titles.push(qs);
    }
    assert_eq!(titles[0], titles[1], "two classes play the same quiz");
    app.command(&req("/event end", &host, 10, false), 10).await;
    let x = app.command(&req("/event export", &host, 10, false), 11).await.reply;
    assert_eq!(x.attachments[0].filename, "event-local1-results.csv");
    assert_eq!(
        parse_csv(&x.attachments[0].content).len(),
        1,
        "nobody played: the header only"
    );
    let list = app.command(&req("/event list", &host, 10, false), 12).await.reply;
    assert!(
        list.text.contains("Twin — ended") && list.text.contains("Twin — open, question 3 of 3"),
        "{}",
        list.text
    );
}

// ------------------------------------------------------------------- issue 14, item 10: games and events

/// A trivia game cannot start in a channel where an event runs (their questions would mix), nor an event where a
/// game runs.
#[tokio::test]
async fn a_game_and_an_event_never_share_a_channel() {
    let app = Arc::new(App::new(kb().clone(), Some(3)));
    let (host, ann) = (user(HOST, "host"), user(11, "ann"));
    let created = app
        .command(&req("/event create name:Club rounds:2", &host, 10, true), 0)
        .await
        .reply;
    assert!(created.title.is_some(), "{created:?}");
    app.command(&req("/event next", &host, 10, true), 1_000).await;
    let refused = app.command(&req("/trivia start", &ann, 10, false), 2_000).await.reply;
    refused_with(&refused, "An event is running in this channel");
    let elsewhere = app.command(&req("/trivia start", &ann, 11, false), 2_000).await.reply;
    assert!(elsewhere.title.is_some(), "another channel is free: {elsewhere:?}");
    let refused = app
        .command(&req("/event create name:Second rounds:2", &host, 11, true), 3_000)
        .await
        .reply;
    refused_with(&refused, "A trivia game is running in this channel");
}

fn refused_with(r: &Reply, says: &str) {
    assert!(r.ephemeral && r.text.contains(says), "{r:?}");
}

/// `extended:0` offers no Extended time button, and the lobby promises no extra time.
#[tokio::test]
async fn no_extended_time_means_no_button_promising_it() {
    let app = Arc::new(App::new(kb().clone(), Some(3)));
    let host = user(HOST, "host");
    let lobby = app
        .command(&req("/event create name:Quick rounds:2 extended:0", &host, 10, true), 0)
        .await
        .reply;
    assert!(
        !lobby.buttons.iter().any(|b| b.label.contains("Extended")),
        "{:?}",
        lobby.buttons
    );
    assert!(!lobby.text.contains("Extended time"), "{}", lobby.text);
    // Nor does a question promise extended time.
    let asked = app.command(&req("/event next", &host, 10, true), 1_000).await.reply;
    let footer = asked.footer.unwrap_or_default();
    assert!(footer.starts_with("30 seconds to answer · "), "{footer}");
    // An old or forged button gets a clear refusal.
    let id = ButtonId::Event {
        event: -1,
        round: 0,
        action: EventAction::Extended,
    }
    .encode();
    let r = app.press(&id, &at(&user(11, "ann"), 10), 100).await.reply;
    refused_with(&r, "no extended time");
    let normal = app
        .command(&req("/event create name:Slow rounds:2", &host, 12, true), 0)
        .await
        .reply;
    assert!(normal.buttons.iter().any(|b| b.label.contains("Extended")));
}

/// Ending an event nobody joined says so, rather than showing a podium of empty teams.
#[tokio::test]
async fn an_event_nobody_joined_ends_without_a_podium() {
    let app = Arc::new(App::new(kb().clone(), Some(3)));
    let host = user(HOST, "host");
    app.command(&req("/event create name:Empty rounds:2 teams:3", &host, 10, true), 0)
        .await;
    let end = app.command(&req("/event end", &host, 10, true), 1_000).await.reply;
    assert!(end.text.contains("Nobody joined this event"), "{end:?}");
    assert!(
        end.fields.iter().all(|f| !f.name.starts_with("Teams")),
        "{:?}",
        end.fields
    );
}

/// Players tied on points share a rank in the event's standings.
#[tokio::test]
async fn tied_players_share_a_rank() {
    let app = Arc::new(App::new(kb().clone(), Some(3)));
    let host = user(HOST, "host");
    let lobby = app
        .command(&req("/event create name:Tie rounds:2", &host, 10, true), 0)
        .await
        .reply;
    let join = lobby.buttons.iter().find(|b| b.label == "Join").unwrap().id.clone();
    for (id, name) in [(11, "ann"), (12, "bo"), (13, "cy")] {
        app.press(&join, &at(&user(id, name), 10), 100).await;
    }
    let scores = app.command(&req("/event scores", &host, 10, true), 1_000).await.reply;
    let players = &scores.fields.iter().find(|f| f.name == "Players").unwrap().value;
    assert_eq!(players.matches("🥇").count(), 3, "{players}");
    assert!(!players.contains("🥈") && !players.contains("🥉"), "{players}");
}

#[tokio::test]
async fn a_process_resumes_only_the_open_events_of_the_servers_its_shards_own() {
    for db in each("shard_resume").await {
        eprintln!("on {}", db.kind);
        resume_owned(&db.location).await;
    }
}

async fn resume_owned(db: &Location) {
    use rendezvous::shards::Shards;
    let host = user(HOST, "host");
    // GUILD (5) is on shard 0 of 2; the next server up the timestamp bits is on shard 1.
    let other_guild = GUILD + (1 << 22);
    assert_eq!((Shards::of_guild(GUILD, 2), Shards::of_guild(other_guild, 2)), (0, 1));
    {
        let app = app_over(db).await;
        for (guild, channel, at) in [(GUILD, 10, 1_000), (other_guild, 20, 2_000)] {
            let mut r = req("/event create name:Club rounds:2 timer:20 seed:3", &host, channel, true);
            r.guild = Some(guild);
            assert!(app.command(&r, 0).await.reply.title.is_some());
            let mut next = req("/event next", &host, channel, false);
            next.guild = Some(guild);
            app.command(&next, at).await;
        }
        assert_eq!(app.next_deadline(), Some(21_000));
    }
    for (shards, open, deadline) in [("0/2", 1, 21_000), ("1/2", 1, 22_000), ("0-1/2", 2, 21_000)] {
        let store = Store::connect(db).await.unwrap();
        let shards = Shards::parse(shards).unwrap();
        let app = App::new(kb().clone(), Some(11))
            .with_store(Ok(store))
            .with_shards(shards);
        assert_eq!(app.resume().await, Ok(open), "{shards}");
        assert_eq!(app.next_deadline(), Some(deadline), "{shards}: only its own timers");
        assert_eq!(
            (app.owns(GUILD), app.owns(other_guild)),
            (shards.owns(GUILD), shards.owns(other_guild))
        );
    }
}
