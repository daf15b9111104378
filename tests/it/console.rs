//! The terminal mode: `ask` and `console`, with Discord's option syntax.

use crate::support::bin::{json_replies, stderr, stdout, Sandbox};
use rendezvous::app::App;
use rendezvous::commands::{parse, User, Value};
use rendezvous::console::{Console, Output};
use std::sync::Arc;

fn console() -> Console {
    Console::new(Arc::new(App::new(super::commands::kb().clone(), Some(1))))
}

fn text(o: Output) -> String {
    match o {
        Output::Text(t) => t,
        other => panic!("expected text, got {other:?}"),
    }
}

fn error(o: Output) -> String {
    match o {
        Output::Error(e) => e,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn me() -> User {
    User {
        id: 1,
        name: "me".into(),
    }
}

#[test]
fn option_syntax_is_discords() {
    let r = parse("/collab first:NASA second:\"European Space Agency\"", me()).unwrap();
    assert_eq!(r.command, "collab");
    assert_eq!(r.str("second"), Some("European Space Agency"));
    let r = parse("/timeline from:1990 to:'2000'", me()).unwrap();
    assert_eq!(r.get("from"), Some(&Value::Int(1990)));
    assert_eq!(r.get("to"), Some(&Value::Int(2000)));
    assert!(parse("/warp", me()).unwrap_err().0.contains("unknown command"));
    assert!(parse("/mission nme:x", me())
        .unwrap_err()
        .0
        .contains("unknown option `nme`"));
    assert!(parse("/mission", me()).unwrap_err().0.contains("needs `name:"));
    assert!(parse("/timeline from:nineteen", me())
        .unwrap_err()
        .0
        .contains("whole number"));
    assert!(parse("/timeline from:1200", me())
        .unwrap_err()
        .0
        .contains("between 1950 and 2100"));
    assert!(parse("/mission name:\"open", me())
        .unwrap_err()
        .0
        .contains("quote is not closed"));
    assert!(parse("/mission name:a name:b", me()).unwrap_err().0.contains("twice"));
}

#[test]
fn console_keeps_state_between_lines() {
    let mut c = console();
    let out = text(c.line("/timeline"));
    assert!(out.contains("Page 1 of"));
    let out = text(c.line("press Later"));
    assert!(out.contains("Page 2 of"), "{out}");
    let out = text(c.line("press 1"));
    assert!(out.contains("Page 1 of"), "{out}");
    assert!(text(c.line("as bob")).contains("bob"));
    assert!(error(c.line("press 99")).contains("no button"));
    assert!(error(c.line("fly me to the moon")).contains("don't understand"));
    assert!(text(c.line("help")).contains("press N"));
    assert!(text(c.line("complete /mission name:cass")).contains("Cassini"));
    let before = c.now_ms();
    text(c.line("wait 30"));
    assert_eq!(c.now_ms() - before, 30_000);
    assert!(error(c.line("wait forever")).contains("seconds"));
}

#[test]
fn ask_prints_the_reply_and_exits_0() {
    let sandbox = Sandbox::new();
    let out = sandbox.cmd(&["ask", "/mission name:cassini"]).output().unwrap();
    assert!(out.status.success());
    let t = stdout(&out);
    assert!(
        t.contains("Cassini-Huygens") && t.contains("1997") && t.contains("Saturn"),
        "{t}"
    );
    assert!(
        !sandbox.path().join("rendezvous.db").exists(),
        "a lookup creates no database"
    );
}

#[test]
fn ask_json_is_the_reply_as_json() {
    let out = Sandbox::new()
        .cmd(&["ask", "--json", "/partners mission:ISS"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(v["title"].as_str().unwrap().contains("International Space Station"));
    assert!(v["fields"].as_array().unwrap().len() >= 5);
}

#[test]
fn ask_with_an_unknown_command_exits_2() {
    let out = Sandbox::new().cmd(&["ask", "/warp speed:9"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown command"));
}

#[test]
fn console_reads_a_piped_script() {
    let out = Sandbox::new().run(
        &["console", "--seed", "5", "--json"],
        "/mission name:webb\npress Partners\nas alice\n/collab first:NASA second:ESA\n",
    );
    assert!(out.status.success());
    let replies = json_replies(&out);
    let titles: Vec<&str> = replies.iter().filter_map(|r| r["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "James Webb Space Telescope",
            "Who flew James Webb Space Telescope",
            "NASA × ESA"
        ],
        "{replies:#?}"
    );
    let launch = replies[0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Launch")
        .unwrap();
    assert_eq!(launch["value"], "2021-12-25");
    assert!(stdout(&out).contains("(you are now alice)"));
}

#[test]
fn bare_words_continue_the_previous_option_value() {
    let r = parse("/mission name:Mars Express", me()).unwrap();
    assert_eq!(r.str("name"), Some("Mars Express"));
    let r = parse("/collab first:European Space Agency second:NASA", me()).unwrap();
    assert_eq!(r.str("first"), Some("European Space Agency"));
    assert_eq!(r.str("second"), Some("NASA"));
    assert!(parse("/mission Mars", me()).unwrap_err().0.contains("not an option"));
}

#[test]
fn a_corrupt_database_is_reported_and_everything_else_works() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("broken.db");
    std::fs::write(&db, b"this is not a database, it is a shopping list").unwrap();
    let out = Sandbox::new().run(
        &["console", "--db", db.to_str().unwrap()],
        "/trivia leaderboard\n/mission name:hubble\n/trivia start rounds:1\npress 1\nwait 30\n",
    );
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("scores will not be kept") && err.contains("not a Rendezvous database"),
        "{err}"
    );
    let t = stdout(&out);
    assert!(t.contains("Scores are unavailable right now"), "{t}");
    assert!(t.contains("== Hubble Space Telescope =="), "{t}");
    assert!(t.contains("== Final scores =="), "a game still plays: {t}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        b"this is not a database, it is a shopping list",
        "the file is untouched"
    );
}

/// A console script: a game, then the week board and each player's private My rank answer, which agree.
#[test]
fn console_week_board_and_my_rank() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scores.db");
    let out = Sandbox::new().run(
        &["console", "--seed", "7", "--json", "--db", db.to_str().unwrap()],
        "/trivia start rounds:1\npress A\nas bob\npress B\nwait 30\nwait 30\n\
         /trivia leaderboard period:week\npress My rank\nas you\npress My rank\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let replies = json_replies(&out);
    let board = replies
        .iter()
        .find(|r| r["title"] == "Leaderboard — this week")
        .expect("the week board");
    let board_text = board["text"].as_str().unwrap();
    let mine: Vec<&serde_json::Value> = replies.iter().rev().take(2).collect();
    for (reply, name) in mine.iter().zip(["you", "bob"]) {
        assert_eq!(reply["ephemeral"], true, "{reply}");
        let text = reply["text"].as_str().unwrap();
        if board_text.contains(&format!("**{name}**")) {
            assert!(text.starts_with("You are **"), "{name}: {text}\nboard: {board_text}");
        } else {
            assert!(
                text.contains("no points on this server's board for this week"),
                "{name}: {text}"
            );
        }
    }
}

#[test]
fn ask_matches_command_names_in_any_case_and_opens_the_database() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .cmd(&["ask", "/TRIVIA leaderboard", "--db", "x.db"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(t.contains("Leaderboard") && t.contains("Nobody has scored yet"), "{t}");
    assert!(!t.contains("unavailable") && stderr(&out).is_empty(), "{t}");
    assert!(sandbox.path().join("x.db").exists(), "the database was opened");

    let out = sandbox.cmd(&["ask", "/Event list", "--db", "y.db"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(
        t.contains("Events in this server") && t.contains("No events yet"),
        "{t}"
    );
    assert!(sandbox.path().join("y.db").exists(), "the database was opened");
}

#[test]
fn ask_with_nothing_to_ask_is_a_usage_error() {
    let sandbox = Sandbox::new();
    for line in ["", "   ", "# only a comment"] {
        let out = sandbox.cmd(&["ask", line]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{line:?}");
        assert!(stdout(&out).is_empty(), "{line:?}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("ask needs a command to answer, for example: rendezvous ask '/mission"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn typed_input_shown_back_in_an_error_is_cut_short() {
    let long = "x".repeat(100_000);
    for line in [
        format!("/{long}"),
        format!("/mission {long}:cassini"),
        format!("/mission name:cassini {long}:1"),
        format!("/trivia {long}"),
        format!("/timeline from:{long}"),
        long.clone(),
    ] {
        let mut c = console();
        let e = error(c.line(&line));
        assert!(e.chars().count() < 400, "{} characters: {}…", e.len(), &e[..200]);
        assert!(e.contains("xxxx…"), "the cut is marked: {e}");
    }
    let mut c = console();
    c.line("/timeline");
    let e = error(c.line(&format!("press {long}")));
    assert!(e.chars().count() < 400 && e.contains("no button `xxx"), "{e}");
}

#[test]
fn an_unclosed_quote_names_the_quote_that_is_missing() {
    let e = parse("/mission name:\"Mars Express", me()).unwrap_err().0;
    assert_eq!(
        e,
        "a quote is not closed: put a \" at the end of the value that starts with \""
    );
    let e = parse("/mission name:'Mars Express", me()).unwrap_err().0;
    assert_eq!(
        e,
        "a quote is not closed: put a ' at the end of the value that starts with '"
    );
    let e = parse("/mission name:“Mars Express", me()).unwrap_err().0;
    assert_eq!(
        e,
        "a quote is not closed: put a ” at the end of the value that starts with “"
    );
    assert_eq!(
        parse("/mission name:“Mars Express”", me()).unwrap().str("name"),
        Some("Mars Express")
    );
}

#[test]
fn teams_named_by_different_emoji_are_different_teams() {
    let mut c = console();
    let out = text(c.line("/event create name:Night rounds:1 teams:\"🚀,🛸\""));
    assert!(out.contains("🚀") && out.contains("🛸"), "{out}");
    for same in ["\"🚀,🚀\"", "\"Comets,comets!\"", "\"🚀 Red,🚀 red\""] {
        let mut c = console();
        let e = text(c.line(&format!("/event create name:Night rounds:1 teams:{same}")));
        assert!(e.contains("Two teams are called"), "{same}: {e}");
    }
    let mut c = console();
    let out = text(c.line("/event create name:Night rounds:1 teams:\"🚀 Red,🛸 Red\""));
    assert!(!out.contains("Two teams are called"), "{out}");
}
