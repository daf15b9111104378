//! The terminal front end: the same commands, buttons and games as on Discord, with no token and no network.
//!
//! A line is a slash command (`/mission name:cassini`), or one of the console's own words: `press N|LABEL`,
//! `as NAME`, `wait SECONDS`, `complete /cmd option:partial`, `help`. Time is virtual when input is scripted:
//! `wait` advances it at once, so scripts are fast and the same every run. At a terminal, time follows the wall
//! clock, and a timer thread prints reveals and scoreboards as they happen.
//!
//! # Layout
//! - this file: [`Console`], one line in, one output out.
//! - [`out`]: standard output for the whole binary: a closed pipe stops quietly, a full disk is reported.
//! - [`term`]: the loops that read lines (piped or at a terminal, with line editing) and the timer thread.

pub mod names;
pub mod out;
pub mod term;
mod upload;

use crate::app::{App, Outcome};
use crate::commands::defs::OptKind;
use crate::commands::{self, Perms, User};
use crate::reply::{Button, Reply};
use std::collections::HashMap;
use std::sync::Arc;

/// A clock in milliseconds since the Unix epoch: the wall clock, or a test's.
pub type Clock = Box<dyn Fn() -> i64 + Send>;

/// What a console line produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Text to show.
    Text(String),
    /// The line could not be understood; the message says why and what to do.
    Error(String),
    Quit,
}

pub struct Console {
    app: Arc<App>,
    /// The console drives the async core from plain lines.
    rt: tokio::runtime::Runtime,
    user: User,
    perms: Perms,
    users: HashMap<String, (u64, Perms)>,
    next_user_id: u64,
    /// Each user's name as first written, for showing `<@id>` mentions as names.
    names: HashMap<u64, String>,
    /// Each user's roles (`as bob role:quizmasters`).
    user_roles: HashMap<u64, Vec<u64>>,
    /// The pretend server's channels and roles, by name.
    places: names::Directory,
    last_buttons: Vec<Button>,
    now_ms: i64,
    /// The clock time follows (interactive use), and the last time it was read.
    real_clock: Option<(Clock, i64)>,
    /// Messages time produced that no output has shown yet (they are never dropped: see [`Console::take_pending`]).
    pending: Vec<String>,
    pub channel: u64,
    pub guild: Option<u64>,
    /// Print replies as JSON instead of text.
    pub json: bool,
    /// Whether this console opened the score store, and so closes it when it ends.
    closes_store: bool,
}

/// The console's first user: the person at the keyboard, who may manage the (pretend) server.
pub const FIRST_USER: &str = "you";
pub const FIRST_USER_ID: u64 = 1000;
/// The console's pretend server and channel.
pub const CONSOLE_GUILD: u64 = 1;
pub const CONSOLE_CHANNEL: u64 = 1;
/// Virtual time starts here (2025-01-01T00:00:00Z) so scripted runs are the same every time.
pub const VIRTUAL_EPOCH_MS: i64 = 1_735_689_600_000;

impl Console {
    /// A console over `kb` that keeps scores in `db` (a file or a PostgreSQL server; when given and usable:
    /// otherwise it says why and plays on).
    pub fn open(
        kb: crate::kb::KnowledgeBase,
        seed: Option<u64>,
        db: Option<&crate::store::Location>,
        data_dir: Option<std::path::PathBuf>,
    ) -> (Console, Option<String>) {
        let rt = runtime();
        let mut warning = None;
        // The person at the keyboard owns this bot.
        let mut app = App::new(kb, seed).with_owners(vec![FIRST_USER_ID]);
        if let Some(dir) = data_dir {
            app = app.with_data_dir(dir);
        }
        if let Some(path) = db {
            // Kept open as on Discord: tried again (and checked, and checkpointed) as time passes with `wait`.
            let keeper = rt.block_on(crate::store::Keeper::open(path, Default::default()));
            if let Err(e) = keeper.current() {
                warning = Some(format!("scores will not be kept until the database can be used: {e}"));
            }
            app = app.with_store(keeper);
        }
        let mut c = Console::new(Arc::new(app));
        c.rt = rt;
        c.closes_store = db.is_some();
        (c, warning)
    }

    pub fn new(app: Arc<App>) -> Console {
        let perms = Perms {
            manage_guild: true,
            manage_events: true,
            host_role: false,
        };
        let mut users = HashMap::new();
        users.insert(FIRST_USER.to_string(), (FIRST_USER_ID, perms));
        Console {
            app,
            rt: runtime(),
            user: User {
                id: 1000,
                name: FIRST_USER.into(),
            },
            perms,
            users,
            names: HashMap::from([(FIRST_USER_ID, FIRST_USER.to_string())]),
            user_roles: HashMap::new(),
            places: names::Directory::new(CONSOLE_CHANNEL),
            next_user_id: FIRST_USER_ID + 1,
            last_buttons: Vec::new(),
            now_ms: VIRTUAL_EPOCH_MS,
            real_clock: None,
            pending: Vec::new(),
            channel: CONSOLE_CHANNEL,
            guild: Some(CONSOLE_GUILD),
            json: false,
            closes_store: false,
        }
    }

    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Let time pass, as `wait` does: timers that run out reveal their questions and the next ones are posted.
    pub fn advance(&mut self, ms: i64) -> Vec<String> {
        self.now_ms += ms.max(0);
        let posts = self.rt.block_on(self.app.tick(self.now_ms));
        self.show_posts(posts)
    }

    /// Follow the wall clock (interactive use): real dates, and time that passes counts.
    pub fn follow_real_time(&mut self) {
        self.follow_clock(Box::new(crate::clock::wall_ms));
    }

    /// Follow `clock` from now on: the console's time is the clock's, plus whatever `wait` added.
    pub fn follow_clock(&mut self, clock: Clock) {
        let now = clock();
        self.now_ms = now;
        self.real_clock = Some((clock, now));
    }

    /// Let the console's time catch up with the clock it follows: the messages that time produced (reveals, next
    /// questions, final scoreboards), with any not shown yet before them. The timer thread calls this.
    pub fn catch_up(&mut self) -> Vec<String> {
        let mut shown = std::mem::take(&mut self.pending);
        if let Some((clock, last)) = &mut self.real_clock {
            let now = clock();
            let passed = now - *last;
            *last = now;
            shown.extend(self.advance(passed));
        }
        shown
    }

    /// Messages that time produced and the last output did not carry (it was an error): show them next.
    pub fn take_pending(&mut self) -> Vec<String> {
        std::mem::take(&mut self.pending)
    }

    /// End running games (as the bot does on shutdown) and show their final messages.
    pub fn shutdown(&mut self) -> Vec<String> {
        let posts = self.rt.block_on(self.app.shutdown(self.now_ms));
        self.show_posts(posts)
    }

    /// End running games because the console stops (`why`: the input ended, or the person left), and show their
    /// final messages, which say so.
    pub fn end_games(&mut self, why: crate::trivia::game::EndReason) -> Vec<String> {
        let posts = self.rt.block_on(self.app.end_games(self.now_ms, why));
        self.show_posts(posts)
    }

    /// Who is at the keyboard.
    pub fn user_name(&self) -> &str {
        &self.user.name
    }

    /// The user id a console name stands for (names get ids in the order they first appear).
    pub fn user_id(&mut self, name: &str) -> u64 {
        let key = name.to_lowercase();
        if let Some((id, _)) = self.users.get(&key) {
            return *id;
        }
        let id = self.next_user_id;
        self.next_user_id += 1;
        self.users.insert(key, (id, Perms::default()));
        self.names.insert(id, name.to_string());
        id
    }

    /// The roles of the user at the keyboard.
    fn roles(&self) -> Vec<u64> {
        self.user_roles.get(&self.user.id).cloned().unwrap_or_default()
    }

    /// Who is at the keyboard, and where.
    fn caller(&self) -> crate::context::Caller {
        crate::context::Caller {
            user: self.user.clone(),
            guild: self.guild,
            channel: self.channel,
            perms: self.perms,
            roles: self.roles(),
        }
    }

    /// Handle one line. Messages that time produced before it come first in its text; when the line is an error,
    /// they wait in [`Console::take_pending`].
    pub fn line(&mut self, line: &str) -> Output {
        let before = self.catch_up();
        match self.line_inner(line) {
            Output::Text(t) if !before.is_empty() => {
                let mut parts = before;
                if !t.is_empty() {
                    parts.push(t);
                }
                Output::Text(parts.join("\n"))
            }
            other => {
                self.pending = before;
                other
            }
        }
    }

    fn line_inner(&mut self, line: &str) -> Output {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Output::Text(String::new());
        }
        let (word, rest) = match line.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (line, ""),
        };
        match word.to_lowercase().as_str() {
            // The same help as `/help` on Discord, and the console's own words.
            "help" | "?" => {
                let topic = (!rest.is_empty()).then_some(rest);
                let commands = commands::help::help(topic).to_text();
                Output::Text(if topic.is_some() {
                    commands
                } else {
                    format!("{commands}\n{HELP}")
                })
            }
            "quit" | "exit" => Output::Quit,
            "as" => self.switch_user(rest),
            "in" => match rest.trim() {
                "" => Output::Error("in takes a channel: `in #trivia` (`in #general` comes back)".into()),
                name => {
                    self.channel = self.places.id(names::Kind::Channel, name);
                    Output::Text(format!(
                        "(you are now in #{})",
                        self.places.name(self.channel).unwrap_or(name)
                    ))
                }
            },
            "wait" => match rest.trim_end_matches('s').parse::<f64>() {
                Ok(s) if (0.0..=86_400.0).contains(&s) => {
                    let out = self.advance((s * 1000.0) as i64);
                    Output::Text(out.join("\n"))
                }
                _ => Output::Error("wait takes a number of seconds between 0 and 86400, e.g. `wait 30`".into()),
            },
            "press" => self.press(rest),
            "complete" => self.complete(rest),
            // A file standing for a Discord attachment: `upload FILE name:NAME`.
            "upload" => self.command(&format!("/pack upload file:{rest}")),
            w if w.starts_with('/') => self.command(line),
            _ => Output::Error(format!(
                "I don't understand `{}`. Commands start with / (try /about); type help for the console's words.",
                commands::request::shown(word)
            )),
        }
    }

    fn switch_user(&mut self, rest: &str) -> Output {
        let mut parts = rest.split_whitespace();
        let Some(name) = parts.next() else {
            return Output::Error("as takes a name: `as bob` (add `admin` to give them Manage Server)".into());
        };
        let mut admin = false;
        let mut roles = Vec::new();
        for w in parts {
            match w.split_once(':') {
                Some((k, r)) if k.eq_ignore_ascii_case("role") && !r.is_empty() => {
                    roles.push(self.places.id(names::Kind::Role, r))
                }
                _ if w.eq_ignore_ascii_case("admin") => admin = true,
                _ => {
                    return Output::Error(format!(
                        "as takes a name, then `admin` and `role:NAME` if wanted: `as bob role:quizmasters`, not `{}`",
                        commands::request::shown(w)
                    ))
                }
            }
        }
        let id = self.user_id(name);
        if !roles.is_empty() {
            self.user_roles.insert(id, roles);
        }
        let entry = self.users.get_mut(&name.to_lowercase()).expect("just inserted");
        if admin {
            entry.1 = Perms {
                manage_guild: true,
                manage_events: true,
                host_role: false,
            };
        }
        self.perms = entry.1;
        self.user = User {
            id,
            name: name.to_string(),
        };
        Output::Text(format!("(you are now {name})"))
    }

    fn command(&mut self, line: &str) -> Output {
        let mut req = match commands::parse(line, self.user.clone()) {
            Ok(r) => r,
            Err(e) => return Output::Error(e.0),
        };
        req.channel = self.channel;
        req.guild = self.guild;
        req.perms = self.perms;
        // User, channel and role options name the console's users, channels and roles; give them their ids.
        let def = commands::defs::find(&req.command);
        let opts = def
            .as_ref()
            .and_then(|d| d.options_for(req.sub.as_deref()).map(|o| o.to_vec()));
        req.roles = self.roles();
        for (name, value) in req.options.iter_mut() {
            let kind = opts
                .as_ref()
                .and_then(|o| o.iter().find(|o| o.name == name.as_str()))
                .map(|o| o.kind);
            if let commands::Value::Str(s) = value {
                let s = s.clone();
                *value = match kind {
                    Some(OptKind::User) => commands::Value::User(self.user_id(&s)),
                    Some(OptKind::Channel) => commands::Value::Channel(self.places.id(names::Kind::Channel, &s)),
                    Some(OptKind::Role) => commands::Value::Role(self.places.id(names::Kind::Role, &s)),
                    _ => continue,
                };
            }
            // A file option names a file: read it, as Discord's front end downloads an attachment.
            if let commands::Value::File(upload) = value {
                if let Err(e) = upload::read(upload) {
                    return Output::Error(e);
                }
            }
        }
        let outcome = self.rt.block_on(self.app.command(&req, self.now_ms));
        self.show(outcome)
    }

    fn press(&mut self, which: &str) -> Output {
        if self.last_buttons.is_empty() {
            return Output::Error("there is no message with buttons to press yet".into());
        }
        let which = which.trim();
        let button = match which.parse::<usize>() {
            Ok(n) if n >= 1 && n <= self.last_buttons.len() => Some(self.last_buttons[n - 1].clone()),
            Ok(_) => None,
            Err(_) => {
                let want = crate::text::fold(which);
                self.last_buttons
                    .iter()
                    .find(|b| {
                        let f = crate::text::fold(&b.label);
                        f == want || f.starts_with(&format!("{want} "))
                    })
                    .or_else(|| {
                        self.last_buttons
                            .iter()
                            .find(|b| crate::text::fold(&b.label).starts_with(&want) && !want.is_empty())
                    })
                    .cloned()
            }
        };
        let Some(button) = button else {
            let labels: Vec<String> = self
                .last_buttons
                .iter()
                .enumerate()
                .map(|(i, b)| format!("{}: {}", i + 1, b.label))
                .collect();
            return Output::Error(format!(
                "no button `{}`; the buttons are {}",
                commands::request::shown(which),
                labels.join(", ")
            ));
        };
        if let Some(url) = &button.url {
            return Output::Text(format!("(a link: {url})"));
        }
        if button.disabled {
            return Output::Error(format!("the button `{}` is disabled", button.label));
        }
        let outcome = self
            .rt
            .block_on(self.app.press(&button.id, &self.caller(), self.now_ms));
        self.show(outcome)
    }

    fn complete(&mut self, rest: &str) -> Output {
        let words = match commands::request::split_words(rest) {
            Ok(w) => w,
            Err(e) => return Output::Error(e.0),
        };
        let (Some(cmd), Some(last)) = (words.first(), words.last()) else {
            return Output::Error("complete takes a command and a partial option: `complete /mission name:cas`".into());
        };
        let Some((option, partial)) = last.split_once(':') else {
            return Output::Error("complete needs option:partial at the end, e.g. `complete /mission name:cas`".into());
        };
        let cmd = cmd.trim_start_matches('/');
        let sub = if words.len() > 2 { Some(words[1].as_str()) } else { None };
        let reply = self.app.autocomplete(cmd, sub, option, partial);
        if reply.choices.is_empty() {
            return Output::Text("(no suggestions)".into());
        }
        Output::Text(self.render(&reply))
    }

    /// Show an outcome, remembering the buttons of the newest message that has them.
    pub fn show(&mut self, outcome: Outcome) -> Output {
        let mut parts = vec![self.render(&outcome.reply)];
        if !outcome.reply.buttons.is_empty() {
            self.last_buttons = outcome.reply.buttons.clone();
        }
        for post in &outcome.posts {
            if !post.reply.buttons.is_empty() {
                self.last_buttons = post.reply.buttons.clone();
            }
            parts.push(self.render(&post.reply));
        }
        Output::Text(parts.join("\n"))
    }

    /// Show messages posted by time passing (reveals, next questions); one posted in another channel than the
    /// console's says where.
    pub fn show_posts(&mut self, posts: Vec<crate::app::Post>) -> Vec<String> {
        posts
            .into_iter()
            .map(|p| {
                if !p.reply.buttons.is_empty() {
                    self.last_buttons = p.reply.buttons.clone();
                }
                let shown = self.render(&p.reply);
                match self.places.name(p.channel) {
                    Some(name) if p.channel != self.channel && !self.json => format!("(in #{name})\n{shown}"),
                    _ => shown,
                }
            })
            .collect()
    }

    fn render(&self, reply: &Reply) -> String {
        if self.json {
            serde_json::to_string(reply).unwrap_or_else(|e| format!("(cannot show as JSON: {e})"))
        } else {
            let mut text = self.places.render(&reply.to_text(), &self.names);
            // Files in full, so a script (or a teacher at a terminal) can read an export.
            for a in &reply.attachments {
                text.push_str(&format!("--- {} ---\n{}", a.filename, a.content));
                if !a.content.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&format!("--- end of {} ---\n", a.filename));
            }
            text
        }
    }
}

impl Drop for Console {
    /// A console that opened the score store closes it when it ends, however it ends (end of input, `quit`, an
    /// error, one `ask`): closing checkpoints, so the database file alone then holds every score.
    fn drop(&mut self) {
        if self.closes_store {
            self.rt.block_on(self.app.keeper().close());
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime for the console")
}

pub const HELP: &str = "\
Commands work as on Discord, typed as /name option:value (quote a value with spaces: name:\"Mars Express\").
`help COMMAND` explains one (help trivia). Files a reply carries (an event's CSV export) are printed in full after its `(attached: NAME, N bytes)` line,
between `--- NAME ---` and `--- end of NAME ---`.
Console words:
  press N | press LABEL   press a button on the newest message that has buttons
  as NAME [admin] [role:R] act as another user (admin: with Manage Server and Manage Events; role: with role R)
  in #CHANNEL             type in another channel of the pretend server (#general is where you start)
  wait SECONDS            let time pass (instant when input is a script): timers run out, answers are revealed
  complete /cmd opt:part  show autocomplete suggestions
  upload FILE name:NAME   upload a question pack (CSV or TOML) as /pack upload does with an attachment
  help, quit (or Ctrl-D at a terminal)";
