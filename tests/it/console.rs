//! The terminal mode: `ask` and `console`, with Discord's option syntax.

use rendezvous::app::App;
use rendezvous::commands::{parse, User, Value};
use rendezvous::console::{Console, Output};
use std::io::Write;
use std::process::{Command, Stdio};
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
    let out = Command::new(env!("CARGO_BIN_EXE_rendezvous"))
        .args(["ask", "/mission name:cassini"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(
        t.contains("Cassini-Huygens") && t.contains("1997") && t.contains("Saturn"),
        "{t}"
    );
}

#[test]
fn ask_json_is_the_reply_as_json() {
    let out = Command::new(env!("CARGO_BIN_EXE_rendezvous"))
        .args(["ask", "--json", "/partners mission:ISS"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(v["title"].as_str().unwrap().contains("International Space Station"));
    assert!(v["fields"].as_array().unwrap().len() >= 5);
}

#[test]
fn ask_with_an_unknown_command_exits_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_rendezvous"))
        .args(["ask", "/warp speed:9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown command"));
}

#[test]
fn console_reads_a_piped_script() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rendezvous"))
        .args(["console", "--seed", "5"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/mission name:webb\npress Partners\nas alice\n/collab first:NASA second:ESA\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains("2021-12-25"), "{t}");
    assert!(t.contains("Who flew James Webb Space Telescope"), "{t}");
    assert!(t.contains("(you are now alice)"));
    assert!(t.contains("NASA × ESA"), "{t}");
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_rendezvous"))
        .args(["console", "--db"])
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/trivia leaderboard\n/mission name:hubble\n/trivia start rounds:1\npress 1\nwait 30\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("scores will not be kept") && err.contains("not a Rendezvous database"),
        "{err}"
    );
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains("Scores are unavailable right now"), "{t}");
    assert!(t.contains("== Hubble Space Telescope =="), "{t}");
    assert!(t.contains("== Final scores =="), "a game still plays: {t}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        b"this is not a database, it is a shopping list",
        "the file is untouched"
    );
}
