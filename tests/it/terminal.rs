//! The console as a person uses it: timer messages printed as they happen (a timer thread on the console's clock),
//! never dropped, names for mentions, links printed whole; and at a real terminal (a pseudo-terminal made by
//! `script`), the prompt, real dates and a reveal printed with no line typed.

use crate::support::bin::{stderr, stdout, Sandbox};
use rendezvous::app::App;
use rendezvous::console::term::Ticker;
use rendezvous::console::{Console, Output};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// A console on a clock this test moves.
fn console_on(clock: &Arc<AtomicI64>) -> Console {
    let mut c = Console::new(Arc::new(App::new(super::commands::kb().clone(), Some(3))));
    let clock = clock.clone();
    c.follow_clock(Box::new(move || clock.load(Ordering::SeqCst)));
    c
}

fn text(o: Output) -> String {
    match o {
        Output::Text(t) => t,
        other => panic!("expected text, got {other:?}"),
    }
}

#[test]
fn the_timer_thread_prints_reveals_with_no_line_typed() {
    let clock = Arc::new(AtomicI64::new(1_800_000_000_000));
    let mut c = console_on(&clock);
    assert_eq!(c.now_ms(), 1_800_000_000_000, "the console's time is the clock's");
    assert!(text(c.line("/trivia start rounds:1 timer:10")).contains("Question 1 of 1"));
    let console = Arc::new(Mutex::new(c));
    let (tx, rx) = mpsc::channel();
    let ticker = Ticker::spawn(console.clone(), Box::new(move |m| tx.send(m).is_ok()));
    assert!(
        rx.recv_timeout(Duration::from_millis(600)).is_err(),
        "nothing is due before the timer runs out"
    );
    // Ten seconds pass on the clock; nobody types anything.
    clock.fetch_add(10_001, Ordering::SeqCst);
    let reveal = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the reveal, without a line typed");
    assert!(reveal.contains("== Answer:"), "{reveal}");
    let last = rx.recv_timeout(Duration::from_secs(5)).expect("the final scoreboard");
    assert!(
        last.contains("== Final scores ==") && last.contains("That was the only question!"),
        "{last}"
    );
    ticker.stop();
    assert_eq!(console.lock().unwrap().app().next_deadline(), None, "the game is over");
}

#[test]
fn messages_due_before_a_line_that_is_an_error_are_kept() {
    let clock = Arc::new(AtomicI64::new(1_800_000_000_000));
    let mut c = console_on(&clock);
    text(c.line("/trivia start rounds:1 timer:10"));
    clock.fetch_add(10_001, Ordering::SeqCst);
    // The line typed after the timer ran out is an error: the reveal and scoreboard are not lost with it.
    assert!(matches!(c.line("/bogus"), Output::Error(_)));
    let kept = c.take_pending().join("\n");
    assert!(
        kept.contains("== Answer:") && kept.contains("== Final scores =="),
        "{kept}"
    );
    assert!(c.take_pending().is_empty(), "shown once");
}

#[test]
fn piped_replies_name_users_and_print_links_whole() {
    let out = Sandbox::new().run(
        &["console", "--db", "e.db"],
        "as alice\nas you\n/event create name:Quiz rounds:1\n/event cohost user:alice\n/mission name:tianwen-1\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(t.contains("@alice is now a co-host of Quiz"), "{t}");
    assert!(!t.contains("<@"), "{t}");
    assert!(
        t.contains("(source <https://en.wikipedia.org/wiki/Zhurong_(rover)>)"),
        "{t}"
    );
}

#[test]
fn at_a_terminal_the_prompt_names_the_user_dates_are_real_and_reveals_come_by_themselves() {
    // `script` runs the console on a pseudo-terminal and passes it what this test types, when it types it.
    let sandbox = Sandbox::new();
    let bin = env!("CARGO_BIN_EXE_rendezvous");
    let mut child = std::process::Command::new("script")
        .args(["-qfec", &format!("{bin} console --seed 2 --db t.db"), "/dev/null"])
        .env_clear()
        .env("TERM", "dumb")
        .current_dir(sandbox.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let mut keys = child.stdin.take().unwrap();
    // What the terminal shows, as it comes.
    let screen = Arc::new(Mutex::new(Vec::new()));
    let mut stdout_pipe = child.stdout.take().unwrap();
    let reader = {
        let screen = screen.clone();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stdout_pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                screen.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        })
    };
    let shown = |needle: &str| String::from_utf8_lossy(&screen.lock().unwrap()).contains(needle);
    let wait_for = |needle: &str, secs: u64| {
        let start = std::time::Instant::now();
        while !shown(needle) {
            assert!(
                start.elapsed().as_secs() < secs,
                "`{needle}` not shown within {secs} s: {}",
                String::from_utf8_lossy(&screen.lock().unwrap())
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let mut type_line = |line: &str| {
        use std::io::Write;
        // A line with a Latin-1 byte is typed as those bytes.
        let bytes = replace_bytes(line.as_bytes(), "é".as_bytes(), &[0xE9]);
        keys.write_all(&bytes).unwrap();
        keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
    };
    wait_for("you> ", 60);
    type_line("/trivia start rounds:1 timer:10\r");
    wait_for("Question 1 of 1", 30);
    // Nothing is typed while the ten seconds run out: the reveal and the scoreboard come by themselves.
    wait_for("== Final scores ==", 30);
    assert!(shown("== Answer:"));
    type_line("as alice admin\r");
    type_line("/event create name:Quiz rounds:1\r");
    type_line("/event end\r");
    type_line("/event list\r");
    type_line("/mission name:café\r");
    type_line("/about\r");
    wait_for("== Rendezvous ==", 30);
    type_line("\x04");
    drop(keys);
    let out = finish(child, 30);
    reader.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let screen = screen.lock().unwrap().clone();
    let t = String::from_utf8_lossy(&screen).replace('\r', "");
    let reveal = t.find("== Answer:").unwrap_or_else(|| panic!("no reveal: {t}"));
    let finals = t
        .find("== Final scores ==")
        .unwrap_or_else(|| panic!("no scoreboard: {t}"));
    let next = t.find("(you are now alice)").unwrap_or_else(|| panic!("{t}"));
    assert!(
        reveal < finals && finals < next,
        "printed before the next line was typed: {t}"
    );
    assert!(
        t.contains("you> ") && t.contains("alice> "),
        "the prompt names the user: {t}"
    );
    let today = rendezvous::clock::date_string(rendezvous::clock::wall_ms());
    assert!(t.contains(&format!("Quiz — ended {today}")), "a real date: {t}");
    assert!(
        t.contains(
            "error: that line could not be read: it is not UTF-8 text (is the terminal set to UTF-8?); type it again"
        ),
        "{t}"
    );
    assert!(t.contains("== Rendezvous =="), "the next line is read: {t}");
    assert!(!t.contains("panicked"), "{t}");
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Wait for a child to exit, at most `secs` seconds.
fn finish(mut child: std::process::Child, secs: u64) -> std::process::Output {
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > secs {
            child.kill().unwrap();
            panic!("still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}
