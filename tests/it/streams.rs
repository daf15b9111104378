//! Hostile streams: output to a closed pipe or a full disk, and input that is not UTF-8. Never a panic.

use crate::support::bin::{stderr, stdout, Sandbox};
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

fn no_panic(out: &std::process::Output) {
    assert_ne!(out.status.code(), Some(101), "{}", stderr(out));
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

#[test]
fn ask_into_a_closed_pipe_exits_quietly() {
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .cmd(&["ask", "/mission name:cassini"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the answer is written (loading the data takes a while).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "nothing to say about a closed pipe: {}",
        stderr(&out)
    );
}

#[test]
fn a_console_whose_reader_stops_reading_exits_quietly() {
    // yes '/mission name:cassini' | head -200 | rendezvous console | head -1
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .cmd(&["console"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let _ = stdin.write_all(b"/mission name:cassini\n");
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert_eq!(first, "> /mission name:cassini\n");
    drop(reader);
    for _ in 0..200 {
        if stdin.write_all(b"/mission name:cassini\n").is_err() {
            break; // it stopped reading: it has exited
        }
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_full_disk_is_reported_and_exits_1() {
    let sandbox = Sandbox::new();
    for args in [
        &["ask", "/mission name:cassini"][..],
        &["check"][..],
        &["preview", "--seed", "1"][..],
        &["console"][..],
        &["--help"][..],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let mut child = sandbox
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(b"/mission name:cassini\n");
        let out = child.wait_with_output().unwrap();
        no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("error: cannot write the output: No space left on device"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_line_that_is_not_utf8_is_reported_and_the_session_goes_on() {
    let sandbox = Sandbox::new();
    // A byte-order mark before the first command (a script saved by a Windows editor), then a line with a Latin-1
    // byte in the middle of a game.
    let mut script = b"\xEF\xBB\xBF/trivia start rounds:2\n".to_vec();
    script.extend_from_slice(b"/answer text:Caf\xE9\n");
    script.extend_from_slice(b"/mission name:hubble\nwait 30\nwait 30\n");
    let mut child = sandbox
        .cmd(&["console", "--seed", "4"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&script).unwrap();
    let out = child.wait_with_output().unwrap();
    no_panic(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(
        t.starts_with("> /trivia start rounds:2\n"),
        "the mark is not part of the command: {t}"
    );
    assert!(!t.contains("unknown command"), "{t}");
    assert!(
        t.contains("error: line 2 is not UTF-8 text (byte 17 is not part of a character), after `/answer text:Caf`: it was skipped. Save the script as UTF-8."),
        "{t}"
    );
    assert!(t.contains("== Hubble Space Telescope =="), "later lines are read: {t}");
    assert!(
        t.contains("== Final scores =="),
        "the game ends with its scoreboard: {t}"
    );
    assert!(
        stderr(&out).contains("1 line(s) could not be understood"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_end_of_piped_input_ends_a_game_and_says_so() {
    let out = Sandbox::new().run(&["console", "--seed", "4"], "/trivia start rounds:3\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(
        t.contains("== Final scores ==\nThe input ended, so the game ended here; every point scored is saved."),
        "{t}"
    );
    assert!(!t.contains("restarting"), "{t}");
    let out = Sandbox::new().run(&["console", "--seed", "4"], "/trivia start rounds:3\nquit\n/about\n");
    let t = stdout(&out);
    assert!(t.contains("The console was closed, so the game ended here"), "{t}");
    assert!(!t.contains("> /about"), "nothing is read after quit: {t}");
}
