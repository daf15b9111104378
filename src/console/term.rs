//! The console's loops: reading a piped script line by line, or a person at a terminal with line editing and
//! history, while a timer thread prints what time brings (reveals, next questions, final scoreboards) as it happens.
//! Everything goes through one [`Out`]; nothing time produced is dropped.

use super::out::{Out, WriteError};
use super::{Console, Output};
use crate::trivia::game::EndReason;
use std::io::{self, BufRead};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Why the console stopped before its input ended.
#[derive(Debug)]
pub enum RunError {
    /// Printing failed (a closed pipe, a full disk).
    Write(WriteError),
    /// The input could not be read at all.
    Read(io::Error),
}

impl From<WriteError> for RunError {
    fn from(e: WriteError) -> RunError {
        RunError::Write(e)
    }
}

/// How a session went.
#[derive(Debug, Default)]
pub struct Summary {
    /// Lines that could not be understood (or read).
    pub errors: usize,
}

/// How much of a line that is not UTF-8 is shown back (its readable start, in characters).
const SHOWN_CHARS: usize = 60;

/// Read a script from `input`, echoing each line as `> line` and printing its output. A line that is not UTF-8 is
/// reported with its number and skipped; a byte-order mark on the first line is ignored. When the input ends, running
/// games end and their scoreboards say why.
pub fn run_piped(console: &mut Console, input: impl BufRead, out: &Out) -> Result<Summary, RunError> {
    let mut summary = Summary::default();
    let result = read_script(console, input, out, &mut summary);
    // Games still running end cleanly: their scores are already saved. Printed only if the output still works.
    let why = match &result {
        Ok(true) => EndReason::ConsoleClosed,
        _ => EndReason::InputEnded,
    };
    let finals = console.end_games(why);
    match result {
        Ok(_) => {
            for text in finals {
                out.line(text.trim_end())?;
            }
            Ok(summary)
        }
        Err(e) => Err(e),
    }
}

/// The script's lines; `Ok(true)` when it said `quit`.
fn read_script(
    console: &mut Console,
    mut input: impl BufRead,
    out: &Out,
    summary: &mut Summary,
) -> Result<bool, RunError> {
    let mut buf = Vec::new();
    let mut number = 0usize;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf).map_err(RunError::Read)? == 0 {
            return Ok(false);
        }
        number += 1;
        let bytes = match buf.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if number == 1 => rest,
            _ => &buf[..],
        };
        let line = match std::str::from_utf8(bytes) {
            Ok(line) => line,
            Err(e) => {
                summary.errors += 1;
                out.line(&not_utf8(number, bytes, &e))?;
                continue;
            }
        };
        if !line.trim().is_empty() {
            out.line(&format!("> {}", line.trim_end()))?;
        }
        if show(console.line(line), out, summary)? {
            return Ok(true);
        }
    }
}

/// The message for a line that is not UTF-8: where, what it starts with, and what to do.
fn not_utf8(number: usize, bytes: &[u8], e: &std::str::Utf8Error) -> String {
    let good = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
    let good = good.trim();
    let shown = crate::text::truncate(good, SHOWN_CHARS);
    format!(
        "error: line {number} is not UTF-8 text (byte {} is not part of a character){}: it was skipped. Save the \
         script as UTF-8.",
        e.valid_up_to() + 1,
        if shown.is_empty() {
            String::new()
        } else {
            format!(", after `{shown}`")
        }
    )
}

/// Print a line's output (and anything time produced that it did not carry); true when it was `quit`.
fn show(output: Output, out: &Out, summary: &mut Summary) -> Result<bool, WriteError> {
    match output {
        Output::Text(t) if t.is_empty() => {}
        Output::Text(t) => out.line(t.trim_end())?,
        Output::Error(e) => {
            summary.errors += 1;
            out.line(&format!("error: {e}"))?;
        }
        Output::Quit => return Ok(true),
    }
    Ok(false)
}

/// The console at a terminal: line editing and history, the current user in the prompt (`alice> `), real dates,
/// and a timer thread that prints reveals and scoreboards as they happen, above the line being typed.
pub fn run_interactive(mut console: Console, out: &Out) -> Result<Summary, RunError> {
    use rustyline::error::ReadlineError;
    let mut summary = Summary::default();
    let mut editor = rustyline::DefaultEditor::new().map_err(|e| RunError::Read(io::Error::other(e)))?;
    out.line("Rendezvous console. Type help for help, quit (or Ctrl-D) to leave.")?;
    console.follow_real_time();
    let console = Arc::new(Mutex::new(console));
    // Messages from the timer thread are printed above the prompt and the half-typed line, which rustyline redraws.
    let sink: Box<dyn FnMut(String) -> bool + Send> = match editor.create_external_printer() {
        Ok(mut printer) => Box::new(move |text| rustyline::ExternalPrinter::print(&mut printer, text).is_ok()),
        Err(_) => {
            let out = out.clone();
            Box::new(move |text: String| out.line(&text).is_ok())
        }
    };
    let ticker = Ticker::spawn(console.clone(), sink);
    let mut failures = 0;
    let result = loop {
        let prompt = format!("{}> ", lock(&console).user_name());
        match editor.readline(&prompt) {
            Ok(line) => {
                failures = 0;
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let (output, pending) = {
                    let mut c = lock(&console);
                    let output = c.line(&line);
                    (output, c.take_pending())
                };
                for text in pending {
                    out.line(text.trim_end())?;
                }
                match show(output, out, &mut summary) {
                    Ok(true) => break Ok(()),
                    Ok(false) => {}
                    Err(e) => break Err(RunError::Write(e)),
                }
            }
            // Ctrl-C drops the line being typed, as in a shell.
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => break Ok(()),
            Err(e) => {
                // A line that could not be read (not UTF-8, a terminal hiccup): say so and read on, unless the terminal
                // keeps failing.
                summary.errors += 1;
                failures += 1;
                let why = match &e {
                    ReadlineError::Io(io) if io.kind() == io::ErrorKind::InvalidData => {
                        "it is not UTF-8 text (is the terminal set to UTF-8?)".to_string()
                    }
                    other => other.to_string(),
                };
                out.line(&format!("error: that line could not be read: {why}; type it again"))?;
                if failures >= 3 {
                    break Err(RunError::Read(io::Error::other(e)));
                }
            }
        }
    };
    ticker.stop();
    let finals = lock(&console).end_games(EndReason::ConsoleClosed);
    result?;
    for text in finals {
        out.line(text.trim_end())?;
    }
    Ok(summary)
}

/// The console, locked; a panic elsewhere while it was held left it usable (each line is handled whole).
fn lock(console: &Mutex<Console>) -> MutexGuard<'_, Console> {
    console.lock().unwrap_or_else(|p| p.into_inner())
}

/// The timer thread: follows the console's clock and hands each message time produces to a sink, without waiting
/// for a line to be typed.
pub struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Ticker {
    /// Start ticking `console` (which follows a clock: [`Console::follow_clock`]); `sink` prints one message and
    /// says whether it could.
    pub fn spawn(console: Arc<Mutex<Console>>, mut sink: Box<dyn FnMut(String) -> bool + Send>) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                let (messages, wait) = {
                    let mut c = lock(&console);
                    let messages = c.catch_up();
                    (messages, Ticker::wait(c.now_ms(), c.app().next_deadline()))
                };
                for m in messages {
                    if !sink(m.trim_end().to_string()) {
                        return;
                    }
                }
                std::thread::sleep(wait);
            }
        });
        Ticker {
            stop,
            thread: Some(thread),
        }
    }

    /// How long to sleep: until the next deadline, checked at least four times a second (a game started by the
    /// next line has a deadline this thread does not know yet).
    fn wait(now: i64, deadline: Option<i64>) -> Duration {
        let ms = deadline.map_or(250, |d| (d - now).clamp(10, 250));
        Duration::from_millis(ms as u64)
    }

    /// Stop the thread and wait for it.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
