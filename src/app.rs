//! The core façade that every front end drives: the knowledge base (reloadable), the random source, the running
//! games (one per channel) and the score store; commands, button presses and autocomplete are routed from here.
//!
//! Front ends pass time in (`now_ms`, milliseconds since the Unix epoch) and get plain data back: the reply to the
//! interaction, and messages to post to channels. Games' locks are never held across an await.

use crate::commands::{self, Request, User};
use crate::kb::KnowledgeBase;
use crate::reply::{colour, Button, ButtonStyle, Reply};
use crate::store::{AnswerRecord, NewGame, Store};
use crate::trivia::game::{EndReason, Game, Refusal, Scored, Settings, Step};
use crate::trivia::question::{pick_questions, Filter};
use crate::trivia::render;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// A message to post in a channel, outside any interaction's reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    pub channel: u64,
    pub reply: Reply,
}

/// What handling an interaction produced: the reply to it, and any messages to post besides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub reply: Reply,
    pub posts: Vec<Post>,
}

impl From<Reply> for Outcome {
    fn from(reply: Reply) -> Outcome {
        Outcome {
            reply,
            posts: Vec::new(),
        }
    }
}

/// Where scores go: a working store, or why there is none (the bot keeps answering lookups either way).
enum Scores {
    Ready(Store),
    Unavailable(String),
}

pub struct App {
    kb: RwLock<Arc<KnowledgeBase>>,
    /// Counts knowledge bases served: goes up each time one is replaced, after it is.
    kb_generation: AtomicU64,
    rng: Mutex<StdRng>,
    games: Mutex<HashMap<u64, Game>>,
    scores: Scores,
    defaults: Settings,
    next_local_id: Mutex<i64>,
    /// Where the knowledge base was loaded from, for `/reload`.
    data_dir: Option<std::path::PathBuf>,
    /// Who may use owner-only commands (`/reload`).
    owners: Vec<u64>,
    /// Community events (`/event`): open ones, resumed from the store after a restart.
    events: crate::events::Events,
}

/// What the game rules said about one click or typed answer, before anything is saved.
enum Taken {
    Scored(Scored, Option<u64>, i64),
    Refused(Refusal),
    NoGame,
}

impl App {
    /// An app over a checked knowledge base with no score store; `seed` fixes every random choice.
    pub fn new(kb: KnowledgeBase, seed: Option<u64>) -> App {
        let rng = match seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_entropy(),
        };
        App {
            kb: RwLock::new(Arc::new(kb)),
            kb_generation: AtomicU64::new(0),
            rng: Mutex::new(rng),
            games: Mutex::new(HashMap::new()),
            scores: Scores::Unavailable("no score database is configured".into()),
            defaults: Settings::default(),
            next_local_id: Mutex::new(1),
            data_dir: None,
            owners: Vec::new(),
            events: crate::events::Events::new(),
        }
    }

    /// Where `/reload` reads the knowledge base from.
    pub fn with_data_dir(mut self, dir: std::path::PathBuf) -> App {
        self.data_dir = Some(dir);
        self
    }

    /// The users who may use owner-only commands.
    pub fn with_owners(mut self, owners: Vec<u64>) -> App {
        self.owners = owners;
        self
    }

    /// Load and check the knowledge base again. On success the new data serves the next command (running games
    /// keep their questions); on any problem the old data keeps serving and the problems come back.
    pub fn reload(&self) -> Result<String, String> {
        let Some(dir) = &self.data_dir else {
            return Err("this instance was not started from a data directory, so there is nothing to reload".into());
        };
        match crate::kb::load_dir(dir) {
            Ok(kb) => {
                let summary = format!(
                    "{} missions, {} agencies, {} facts, {} curated questions (data as of {})",
                    kb.missions.len(),
                    kb.agencies.len(),
                    kb.fact_count(),
                    kb.questions.len(),
                    kb.meta.as_of
                );
                self.replace_kb(kb);
                tracing::info!(%summary, "knowledge base reloaded");
                Ok(summary)
            }
            Err(e) => {
                tracing::warn!(problems = e.problems.len(), "reload refused: the data has problems");
                Err(e.to_string())
            }
        }
    }

    fn reload_command(&self, req: &Request) -> Reply {
        if !self.owners.contains(&req.user.id) {
            return Reply::error("Only the bot's owner can reload its data.");
        }
        match self.reload() {
            Ok(summary) => Reply::error(format!("Reloaded: {summary}. Running games keep their questions.")),
            Err(problems) => Reply::error(format!(
                "The data was NOT reloaded; the old data keeps serving. Problems:\n```\n{}\n```",
                crate::text::truncate(&problems, 1800)
            )),
        }
    }

    /// Keep scores in `store`, or say why scores cannot be kept.
    pub fn with_store(mut self, store: Result<Store, String>) -> App {
        self.scores = match store {
            Ok(s) => Scores::Ready(s),
            Err(why) => Scores::Unavailable(why),
        };
        self
    }

    /// Game defaults (rounds, timer, pause between questions).
    pub fn with_defaults(mut self, defaults: Settings) -> App {
        self.defaults = defaults;
        self
    }

    pub fn store(&self) -> Option<&Store> {
        match &self.scores {
            Scores::Ready(s) => Some(s),
            Scores::Unavailable(_) => None,
        }
    }

    /// The knowledge base now serving.
    pub fn kb(&self) -> Arc<KnowledgeBase> {
        self.kb.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serve a new knowledge base from the next command on; running games keep their questions.
    pub fn replace_kb(&self, kb: KnowledgeBase) {
        *self.kb.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(kb);
        self.kb_generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Which knowledge base is being served: a different number after every [`App::replace_kb`] (a reload). A reply
    /// kept from a pure command (see [`commands::is_pure`]) is good while this stays the number read before the
    /// command ran.
    pub fn kb_generation(&self) -> u64 {
        self.kb_generation.load(Ordering::SeqCst)
    }

    fn with_rng<T>(&self, f: impl FnOnce(&mut StdRng) -> T) -> T {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut rng)
    }

    fn games(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Game>> {
        self.games.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Handle a slash command.
    pub async fn command(&self, req: &Request, now_ms: i64) -> Outcome {
        match (req.command.as_str(), req.sub.as_deref()) {
            ("trivia", Some("start")) => self.start(req, now_ms).await.into(),
            ("trivia", Some("stop")) => self.stop(req, now_ms).await.into(),
            ("trivia", Some("leaderboard")) => self.leaderboard(req, now_ms).await.into(),
            ("trivia", Some("stats")) => self.stats(req).await.into(),
            ("trivia", Some("forget-me")) => self.forget_me(req).await.into(),
            ("trivia", _) => {
                Reply::error("Try `/trivia start`, `/trivia stop`, `/trivia leaderboard` or `/trivia stats`.").into()
            }
            ("trivia-reset", _) => self.reset_confirm(req).into(),
            ("answer", _) => self.typed_answer(req, now_ms).await,
            ("reload", _) => self.reload_command(req).into(),
            ("event", _) => {
                let (kb, seed) = (self.kb(), self.with_rng(|rng| rng.gen()));
                self.events.command(req, now_ms, self.store(), &kb, seed).await
            }
            _ => {
                let kb = self.kb();
                self.with_rng(|rng| commands::run(&kb, req, rng)).into()
            }
        }
    }

    /// Handle a button press on a message the bot sent.
    pub async fn press(&self, custom_id: &str, user: &User, channel: u64, now_ms: i64) -> Outcome {
        if let Some((game, round, choice)) = render::parse_answer_id(custom_id) {
            return self.button_answer(game, round, choice, user, channel, now_ms).await;
        }
        if let Some(rest) = custom_id.strip_prefix("rv1:reset:") {
            return self.reset_press(rest, user).await.into();
        }
        if custom_id.starts_with(crate::events::render::ID_PREFIX) {
            return self.events.press(custom_id, user, now_ms, self.store()).await;
        }
        let kb = self.kb();
        self.with_rng(|rng| commands::press(&kb, custom_id, rng))
            .unwrap_or_else(commands::stale_button)
            .into()
    }

    /// Suggestions for an option being typed.
    pub fn autocomplete(&self, command: &str, sub: Option<&str>, option: &str, partial: &str) -> Reply {
        commands::autocomplete(&self.kb(), command, sub, option, partial)
    }

    async fn start(&self, req: &Request, now_ms: i64) -> Reply {
        if let Some(g) = self.games().get(&req.channel) {
            return Reply::error(format!(
                "A game is already running in this channel (question {} of {}). Answer along, or `/trivia stop` it first.",
                g.round + 1,
                g.questions.len()
            ));
        }
        let rounds = req.int("rounds").unwrap_or(self.defaults.rounds as i64).clamp(1, 20) as usize;
        // A player's choice is held to 10-120 s; the configured default is the operator's (tests use short ones).
        let timer_ms = match req.int("timer") {
            Some(t) => t.clamp(10, 120) * 1000,
            None => self.defaults.timer_ms.max(1),
        };
        let filter = match Filter::from_request(req) {
            Ok(f) => f,
            Err(why) => return Reply::error(why),
        };
        let kb = self.kb();
        let seed: u64 = self.with_rng(|rng| rng.gen());
        let questions = pick_questions(&kb, &filter, rounds, &mut StdRng::seed_from_u64(seed));
        if questions.is_empty() {
            return Reply::error("I have no questions for that category and difficulty. Try a wider choice.");
        }
        let settings = Settings {
            rounds: questions.len(),
            timer_ms,
            gap_ms: self.defaults.gap_ms,
        };
        let mut warning = None;
        let id = match self.store() {
            Some(store) => {
                let new = NewGame {
                    guild_id: req.guild.unwrap_or(0),
                    channel_id: req.channel,
                    started_by: req.user.id,
                    started_at_ms: now_ms,
                    rounds: settings.rounds as u32,
                    category: filter.category.clone(),
                    difficulty: filter.difficulty.map(|d| d.label().to_string()),
                    seed,
                };
                match store.start_game(new).await {
                    Ok(id) => Some(id),
                    Err(e) => {
                        warning = Some(format!("⚠ Scores cannot be saved right now ({e}); the game goes on."));
                        None
                    }
                }
            }
            None => None,
        };
        let id = id.unwrap_or_else(|| {
            let mut n = self.next_local_id.lock().unwrap_or_else(|e| e.into_inner());
            *n += 1;
            -*n
        });
        let mut games = self.games();
        if let Some(g) = games.get(&req.channel) {
            return Reply::error(format!(
                "A game started in this channel a moment ago (question {}).",
                g.round + 1
            ));
        }
        let game = Game::new(id, req.guild, req.channel, req.user.id, settings, questions, now_ms);
        let mut reply = render::question_reply(&game);
        let intro = format!(
            "**{}** started trivia: {} question{}{}. Everyone can answer!",
            req.user.name,
            game.questions.len(),
            if game.questions.len() == 1 { "" } else { "s" },
            if game.questions.len() < rounds {
                " (all I have for that choice)"
            } else {
                ""
            }
        );
        reply.content = Some(match warning {
            Some(w) => format!("{intro}\n{w}"),
            None => intro,
        });
        games.insert(req.channel, game);
        reply.fit()
    }

    async fn stop(&self, req: &Request, now_ms: i64) -> Reply {
        let finished = {
            let mut games = self.games();
            let Some(g) = games.get(&req.channel) else {
                return Reply::error("No game is running in this channel. Start one with `/trivia start`.");
            };
            if g.starter != req.user.id && !req.perms.manage_guild {
                return Reply::error(
                    "Only the player who started this game, or someone with Manage Server, can stop it.",
                );
            }
            let mut g = games.remove(&req.channel).expect("checked above");
            g.end(EndReason::Stopped);
            g
        };
        self.finish(&finished, now_ms).await;
        render::final_reply(&finished, &EndReason::Stopped).fit()
    }

    async fn button_answer(
        &self,
        game_id: i64,
        round: usize,
        choice: usize,
        user: &User,
        channel: u64,
        now_ms: i64,
    ) -> Outcome {
        let taken = {
            let mut games = self.games();
            match games.get_mut(&channel) {
                Some(g) if g.id == game_id => match g.answer(user.id, &user.name, round, choice, now_ms) {
                    Ok(s) => Taken::Scored(s, g.guild, g.id),
                    Err(r) => Taken::Refused(r),
                },
                _ => Taken::NoGame,
            }
        };
        let reply = self.after_answer(taken, Some(choice), now_ms).await;
        let posts = self.tick(now_ms).await;
        Outcome { reply, posts }
    }

    async fn typed_answer(&self, req: &Request, now_ms: i64) -> Outcome {
        let Some(text) = req.str("text") else {
            return Reply::error("`/answer` needs `text:` — your answer.").into();
        };
        let taken = {
            let mut games = self.games();
            match games.get_mut(&req.channel) {
                Some(g) => match g.answer_text(req.user.id, &req.user.name, text, now_ms) {
                    Ok(s) => Taken::Scored(s, g.guild, g.id),
                    Err(r) => Taken::Refused(r),
                },
                None => Taken::NoGame,
            }
        };
        let reply = self.after_answer(taken, None, now_ms).await;
        let posts = self.tick(now_ms).await;
        Outcome { reply, posts }
    }

    /// Save what an answer scored (as it is earned), and say what happened to the one who answered.
    async fn after_answer(&self, taken: Taken, choice: Option<usize>, now_ms: i64) -> Reply {
        match taken {
            Taken::Scored(s, guild, game_id) => {
                let mut note = String::new();
                if let (Some(store), true) = (self.store(), game_id > 0) {
                    let rec = AnswerRecord {
                        game_id,
                        guild_id: guild.unwrap_or(0),
                        user_id: s.user,
                        user_name: s.name.clone(),
                        round: s.round as u32,
                        right: s.right,
                        points: s.points,
                        streak: s.streak,
                        at_ms: now_ms,
                    };
                    if let Err(e) = store.record_answer(rec).await {
                        tracing::warn!(error = %e, "could not save a score");
                        note = format!("\n⚠ Your points could not be saved ({e}).");
                    }
                }
                let what = match choice {
                    Some(c) => format!("**{}**", render::LETTERS.get(c).unwrap_or(&"?")),
                    None => "your answer".to_string(),
                };
                Reply::error(format!("Got it: {what} is locked in. The answer comes at the reveal.{note}"))
            }
            Taken::Refused(Refusal::Already) => Reply::error("You already answered this question: one answer each."),
            Taken::Refused(Refusal::Closed) => Reply::error("This question is closed. Wait for the next one!"),
            Taken::Refused(Refusal::Stale) | Taken::NoGame if choice.is_some() => Reply::error(
                "This question belongs to a game that is over (or from before a restart). Start a new one with `/trivia start`.",
            ),
            Taken::NoGame => Reply::error("No trivia question is open in this channel. Start a game with `/trivia start`."),
            Taken::Refused(Refusal::Stale) => Reply::error("That question is over."),
            Taken::Refused(Refusal::TooLong) => Reply::error("That looks like a list of guesses. One guess, please — a short answer."),
            Taken::Refused(Refusal::WrongWay) if choice.is_some() => Reply::error("This question is answered by typing: use `/answer text:…`."),
            Taken::Refused(Refusal::WrongWay) => Reply::error("This question has buttons: press one of them instead."),
        }
    }

    /// Let time pass: reveal questions whose timers ran out (or that everyone answered), post the next ones, end
    /// finished games. Returns what to post.
    pub async fn tick(&self, now_ms: i64) -> Vec<Post> {
        let kb = self.kb();
        let mut posts = Vec::new();
        let mut finished = Vec::new();
        {
            let mut games = self.games();
            let mut over = Vec::new();
            for (channel, g) in games.iter_mut() {
                for step in g.tick(now_ms) {
                    let reply = match &step {
                        Step::Revealed(rev) => render::reveal_reply(&kb, g, rev),
                        Step::Asked(_) => render::question_reply(g),
                        Step::Ended(reason) => render::final_reply(g, reason),
                    };
                    posts.push(Post {
                        channel: *channel,
                        reply: reply.fit(),
                    });
                }
                if g.is_over() {
                    over.push(*channel);
                }
            }
            for c in over {
                if let Some(g) = games.remove(&c) {
                    finished.push(g);
                }
            }
        }
        for g in &finished {
            self.finish(g, now_ms).await;
        }
        posts.extend(self.events.tick(now_ms, self.store()).await);
        posts
    }

    /// When `tick` next has something to do, if ever.
    pub fn next_deadline(&self) -> Option<i64> {
        let games = self.games().values().filter_map(|g| g.deadline()).min();
        games.into_iter().chain(self.events.next_deadline()).min()
    }

    /// Read back the events that were open when the bot last stopped (they are also read on first use). Returns
    /// how many are open, or why the store could not be read.
    pub async fn resume(&self) -> Result<usize, String> {
        self.events.resume(self.store()).await
    }

    /// How many games are running.
    pub fn running_games(&self) -> usize {
        self.games().len()
    }

    /// End every running game cleanly (scores are already saved as they are earned); returns the final messages.
    pub async fn shutdown(&self, now_ms: i64) -> Vec<Post> {
        let games: Vec<Game> = self.games().drain().map(|(_, g)| g).collect();
        let mut posts = Vec::new();
        for mut g in games {
            g.end(EndReason::Shutdown);
            self.finish(&g, now_ms).await;
            posts.push(Post {
                channel: g.channel,
                reply: render::final_reply(&g, &EndReason::Shutdown).fit(),
            });
        }
        posts
    }

    /// Record a finished game: games played and wins.
    async fn finish(&self, g: &Game, now_ms: i64) {
        if let (Some(store), true) = (self.store(), g.id > 0) {
            let players: Vec<u64> = g.players.iter().map(|p| p.id).collect();
            if let Err(e) = store.finish_game(g.id, now_ms, &players, &g.winners()).await {
                tracing::warn!(error = %e, game = g.id, "could not record the end of a game");
            }
        }
    }

    fn scores_unavailable(&self) -> Option<Reply> {
        match &self.scores {
            Scores::Ready(_) => None,
            Scores::Unavailable(why) => Some(Reply::error(format!(
                "Scores are unavailable right now: {why}. Games still run, and every other command works."
            ))),
        }
    }

    async fn leaderboard(&self, req: &Request, now_ms: i64) -> Reply {
        if let Some(r) = self.scores_unavailable() {
            return r;
        }
        let Some(guild) = req.guild else {
            return Reply::error("Leaderboards are per server: ask in a server.");
        };
        let month = req.str("period") == Some("month");
        let since = month.then(|| month_start_ms(now_ms));
        let store = self.store().expect("checked");
        match store.leaderboard(guild, since, 10).await {
            Ok(rows) => {
                let mut r = Reply::card(if month {
                    "Leaderboard — this month"
                } else {
                    "Leaderboard — all time"
                });
                r.colour = Some(colour::TRIVIA);
                if rows.is_empty() {
                    r.text = "Nobody has scored yet. Start a game with `/trivia start`!".into();
                    return r;
                }
                let medals = ["🥇", "🥈", "🥉"];
                let lines: Vec<String> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, row)| {
                        let rank = medals
                            .get(i)
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| format!("{}.", i + 1));
                        format!(
                            "{rank} **{}** — {} pts · {} right",
                            row.user_name, row.points, row.right
                        )
                    })
                    .collect();
                r.text = lines.join("\n");
                r.fit()
            }
            Err(e) => Reply::error(format!("I could not read the leaderboard: {e}. Try again in a moment.")),
        }
    }

    async fn stats(&self, req: &Request) -> Reply {
        if let Some(r) = self.scores_unavailable() {
            return r;
        }
        let Some(guild) = req.guild else {
            return Reply::error("Stats are per server: ask in a server.");
        };
        let who = req.user_opt("user").unwrap_or(req.user.id);
        let store = self.store().expect("checked");
        match store.player_stats(guild, who).await {
            Ok(Some(row)) => {
                let mut r = Reply::card(format!("{} — trivia record", row.user_name));
                r.colour = Some(colour::TRIVIA);
                r = r
                    .field("Points", row.points.to_string(), true)
                    .field("Right answers", format!("{} of {}", row.right, row.answered), true)
                    .field("Games", row.games.to_string(), true)
                    .field("Wins", row.wins.to_string(), true)
                    .field("Best streak", row.best_streak.to_string(), true);
                r.fit()
            }
            Ok(None) => Reply::error("No trivia record yet on this server. Play a game with `/trivia start`!"),
            Err(e) => Reply::error(format!("I could not read the stats: {e}. Try again in a moment.")),
        }
    }

    async fn forget_me(&self, req: &Request) -> Reply {
        if let Some(r) = self.scores_unavailable() {
            return r;
        }
        match self.store().expect("checked").forget_user(req.user.id).await {
            Ok(n) => Reply::error(format!(
                "Done: I deleted everything I stored about you ({n} record{}).",
                if n == 1 { "" } else { "s" }
            )),
            Err(e) => Reply::error(format!(
                "I could not delete your data just now: {e}. Nothing was lost; try again."
            )),
        }
    }

    fn reset_confirm(&self, req: &Request) -> Reply {
        if !req.perms.manage_guild {
            return Reply::error("Only someone with Manage Server can reset the leaderboard.");
        }
        let Some(guild) = req.guild else {
            return Reply::error("Leaderboards are per server: ask in a server.");
        };
        let mut r = Reply::error(
            "This erases every trivia score on this server, for everyone, and cannot be undone. Are you sure?",
        );
        r.buttons = vec![
            Button::new(
                format!("rv1:reset:yes:{guild}:{}", req.user.id),
                "Erase all scores",
                ButtonStyle::Danger,
            ),
            Button::new(
                format!("rv1:reset:no:{guild}:{}", req.user.id),
                "Cancel",
                ButtonStyle::Secondary,
            ),
        ];
        r
    }

    async fn reset_press(&self, rest: &str, user: &User) -> Reply {
        let parts: Vec<&str> = rest.split(':').collect();
        let (Some(&answer), Some(guild), Some(owner)) = (
            parts.first(),
            parts.get(1).and_then(|g| g.parse::<u64>().ok()),
            parts.get(2).and_then(|u| u.parse::<u64>().ok()),
        ) else {
            return commands::stale_button();
        };
        if owner != user.id {
            return Reply::error("Only the person who asked for the reset can confirm it.");
        }
        if answer != "yes" {
            return Reply {
                update: true,
                ..Reply::error("Cancelled: nothing was erased.")
            };
        }
        if let Some(r) = self.scores_unavailable() {
            return r;
        }
        match self.store().expect("checked").reset_guild(guild).await {
            Ok(n) => Reply {
                update: true,
                ..Reply::error(format!("Done: this server's trivia scores are erased ({n} records)."))
            },
            Err(e) => Reply::error(format!("The reset failed: {e}. Nothing was erased.")),
        }
    }
}

/// Open the score database, or say in words why it cannot be used (the bot runs on without scores).
pub async fn open_scores(path: &std::path::Path) -> Result<Store, String> {
    Store::open(path).await.map_err(|e| e.to_string())
}

/// Milliseconds since the Unix epoch, from the wall clock.
pub fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Midnight UTC on the first day of the month `now_ms` falls in.
pub fn month_start_ms(now_ms: i64) -> i64 {
    let days = now_ms.div_euclid(86_400_000);
    let (y, m, _) = civil_from_days(days);
    days_from_civil(y, m, 1) * 86_400_000
}

/// Howard Hinnant's days-from-civil algorithm.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_start_is_midnight_on_the_first() {
        // 2025-03-17T12:00:00Z
        let t = 1_742_212_800_000;
        assert_eq!(month_start_ms(t), 1_740_787_200_000); // 2025-03-01T00:00:00Z
        assert_eq!(month_start_ms(1_740_787_200_000), 1_740_787_200_000);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }
}
