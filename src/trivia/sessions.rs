//! The running trivia games, one per channel: starting and stopping them, taking answers, letting time pass, and
//! saving scores as they are earned.
//!
//! Why it is built this way:
//! - A game's rules live in [`Game`], a state machine with no I/O; this registry holds the games and does the I/O
//!   around them: it saves each answer's points as the answer is taken, and records a game's end.
//! - The games' lock is never held across an await: a game is read or changed under the lock, the store is written
//!   after.
//! - Without a store (none configured, or it failed), games still run, with negative ids, and players are told their
//!   points are not kept: in the intro, each reveal and the final scores. A game saves only into the store it started
//!   on ([`Saving`]): one made anew while it ran does not know it.

use super::game::{EndReason, Game, Refusal, Scored, Settings, Step};
use super::question::{calibrated, pick_questions_from, History, Question, Source, CALIBRATE_AFTER};
use super::render;
use super::saving::{add_line, Ledger, Saving};
use super::{scores, TriviaCmd};
use crate::context::{Ctx, Scores, User};
use crate::kb::KnowledgeBase;
use crate::present;
use crate::reply::{Outcome, Post, Reply};
use crate::store::{AnswerRecord, NewGame, ServerSettings, Store};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The most questions a game may have.
pub const MAX_ROUNDS: i64 = 20;
/// A player's choice of timer, in seconds (the configured default may be shorter: tests use short ones).
pub const TIMER_S: (i64, i64) = (10, 120);

pub struct Sessions {
    /// The running game of each channel.
    games: Mutex<HashMap<u64, Game>>,
    defaults: Settings,
    /// Ids of games kept in memory only (no store): negative, counting down.
    next_local_id: AtomicI64,
    /// Each server's recently asked questions, newest last, when there is no store to keep them.
    recent: Mutex<HashMap<u64, VecDeque<String>>>,
    /// When the last game in each channel ended, for a server's cooldown between games.
    ended: Mutex<HashMap<u64, i64>>,
    /// Where each running game's points go, by channel. Locked after `games` when both are.
    saving: Ledger,
}

/// How many of a server's recently asked questions its games avoid.
pub const RECENT: usize = 100;

/// What a server's play says about the questions: from the store (reports, recent questions, answer counts), or from
/// memory (recent questions only) without one. A store that cannot be read gives what memory has.
pub async fn history(guild: u64, store: Scores<'_>, memory: &Mutex<HashMap<u64, VecDeque<String>>>) -> History {
    if let Ok(store) = store {
        match store
            .question_history(guild, RECENT as u32, super::reports::BLOCK_AT, CALIBRATE_AFTER)
            .await
        {
            Ok(h) => {
                return History {
                    blocked: h.blocked.into_iter().collect(),
                    recent: h.recent.into_iter().collect(),
                    calibration: h
                        .stats
                        .into_iter()
                        .filter_map(|(id, answers, right)| calibrated(answers, right).map(|d| (id, d)))
                        .collect(),
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read the question history; games go on without it"),
        }
    }
    let memory = memory.lock().unwrap_or_else(|e| e.into_inner());
    History {
        recent: memory
            .get(&guild)
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default(),
        ..History::default()
    }
}

/// Remember that a server was asked `questions`: in the store when there is one, and in memory.
pub async fn remember_asked(
    guild: u64,
    questions: &[(String, String)],
    now: i64,
    store: Scores<'_>,
    memory: &Mutex<HashMap<u64, VecDeque<String>>>,
) {
    {
        let mut memory = memory.lock().unwrap_or_else(|e| e.into_inner());
        let recent = memory.entry(guild).or_default();
        for (id, _) in questions {
            recent.retain(|r| r != id);
            recent.push_back(id.clone());
        }
        while recent.len() > RECENT {
            recent.pop_front();
        }
    }
    if let Ok(store) = store {
        if let Err(e) = store.record_asked(guild, questions, now).await {
            tracing::warn!(error = %e, "could not record the questions asked");
        }
    }
}

/// Why `caller` may not start a game in `channel` under `s`, if they may not: the channel is not one of the
/// server's game channels, or they have none of the roles that may start games (Manage Server always may).
fn start_refusal(s: &ServerSettings, cx: &Ctx<'_>) -> Option<String> {
    let c = cx.caller;
    if !s.channels.is_empty() && !s.channels.contains(&c.channel) {
        return Some(format!(
            "Games run in {} on this server. Start one there (server managers choose with `/settings channels`).",
            present::mentions(&s.channels, "#")
        ));
    }
    if !s.roles.is_empty() && !c.perms.manage_guild && !c.roles.iter().any(|r| s.roles.contains(r)) {
        return Some(format!(
            "Only members with {} can start games on this server. Ask one of them to start one, then answer along!",
            present::mentions(&s.roles, "@&")
        ));
    }
    None
}

/// What the game rules said about one click or typed answer, before anything is saved.
enum Taken {
    /// What the answer scored, the game's server and id, and the question's id.
    Scored(Scored, Option<u64>, i64, String),
    Refused(Refusal),
    NoGame,
}

impl Sessions {
    pub fn new(defaults: Settings) -> Sessions {
        Sessions {
            games: Mutex::new(HashMap::new()),
            defaults,
            next_local_id: AtomicI64::new(-1),
            recent: Mutex::new(HashMap::new()),
            ended: Mutex::new(HashMap::new()),
            saving: Ledger::default(),
        }
    }

    /// The bot's own game settings (what a server's settings fall back to).
    pub fn defaults(&self) -> &Settings {
        &self.defaults
    }

    fn games(&self) -> MutexGuard<'_, HashMap<u64, Game>> {
        self.games.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Handle a trivia command.
    pub async fn command(&self, cmd: TriviaCmd, cx: &Ctx<'_>) -> Outcome {
        match cmd {
            TriviaCmd::Start(args) => self.start(args, cx).await.into(),
            TriviaCmd::Stop => self.stop(cx).await.into(),
            TriviaCmd::Answer { text } => self.typed_answer(&text, cx).await,
            TriviaCmd::Leaderboard(period) => scores::leaderboard(cx, period).await.into(),
            TriviaCmd::Stats { user } => scores::stats(cx, user).await.into(),
            TriviaCmd::ForgetMe => scores::forget_me_confirm(cx).into(),
            TriviaCmd::Reset => scores::reset_confirm(cx).into(),
            TriviaCmd::Reports { clear } => super::reports::command(cx, clear.as_deref()).await.into(),
        }
    }

    async fn start(&self, args: super::StartArgs, cx: &Ctx<'_>) -> Reply {
        let channel = cx.caller.channel;
        if cx.channel_busy {
            return Reply::error(
                "An event is running in this channel: its questions and a trivia game's would mix. Play in another \
                 channel, or wait until its hosts end it with `/event end`.",
            );
        }
        if let Some(g) = self.games().get(&channel) {
            return Reply::error(format!(
                "A game is already running in this channel (question {} of {}). Answer along, or `/trivia stop` it first.",
                g.round + 1,
                g.questions.len()
            ));
        }
        let server = cx.settings;
        if let Some(why) = start_refusal(server, cx) {
            return Reply::error(why);
        }
        if let Some(wait) = self.cooling_down(channel, server.cooldown_s, cx.now) {
            return Reply::error(format!(
                "This server keeps {} between games in a channel: the next one can start here in {}.",
                present::duration_s(i64::from(server.cooldown_s)),
                present::duration_s(wait)
            ));
        }
        // What the starter left out comes from the server's settings, then the bot's.
        let rounds = args
            .rounds
            .or(server.rounds.map(i64::from))
            .unwrap_or(self.defaults.rounds as i64)
            .clamp(1, MAX_ROUNDS) as usize;
        let timer_ms = match args.timer.or(server.timer_s.map(i64::from)) {
            Some(t) => t.clamp(TIMER_S.0, TIMER_S.1) * 1000,
            None => self.defaults.timer_ms.max(1),
        };
        let mut args = args;
        if args.filter.category.is_none() && args.filter.difficulty.is_none() {
            // The server's default category and difficulty go together (a starter who picks either picks both).
            if let Ok(f) =
                super::question::Filter::from_values(server.category.as_deref(), server.difficulty.as_deref())
            {
                args.filter = f;
            }
        }
        let guild = cx.caller.guild.unwrap_or(0);
        let pack = match crate::packs::engine::pack_for(args.pack.as_deref(), args.mix, cx).await {
            Ok(p) => p,
            Err(why) => return Reply::error(why.0),
        };
        let past = history(guild, cx.store, &self.recent).await;
        let source = Source::of(pack.as_ref().map(|p| p.questions.as_slice()), args.mix);
        let questions = pick_questions_from(
            cx.kb,
            source,
            &args.filter,
            rounds,
            &mut StdRng::seed_from_u64(cx.seed),
            &past,
        );
        if questions.is_empty() {
            return Reply::error(match &pack {
                Some(p) => format!(
                    "The pack **{}** has no questions for that category and difficulty. Try a wider choice.",
                    crate::packs::shown_name(&p.name)
                ),
                None => "I have no questions for that category and difficulty. Try a wider choice.".into(),
            });
        }
        let settings = Settings {
            rounds: questions.len(),
            timer_ms,
            gap_ms: self.defaults.gap_ms,
        };
        let started = match cx.store {
            Ok(store) => {
                let new = NewGame {
                    guild_id: cx.caller.guild.unwrap_or(0),
                    channel_id: channel,
                    started_by: cx.caller.user.id,
                    started_at_ms: cx.now,
                    rounds: settings.rounds as u32,
                    category: args.filter.category.clone(),
                    difficulty: args.filter.difficulty.map(|d| d.label().to_string()),
                    seed: cx.seed,
                };
                store.start_game(new).await.map(|id| (id, store))
            }
            Err(e) => Err(e.clone()),
        };
        let (saving, warning) = Saving::starting(started.as_ref().map(|(_, s)| *s));
        let id = match started {
            Ok((id, _)) => id,
            Err(_) => self.next_local_id.fetch_sub(1, Ordering::SeqCst),
        };
        let c = cx.caller;
        let game = Game::new(id, c.guild, channel, c.user.id, settings, questions, cx.now);
        let mut reply = render::question_reply(&game);
        let count = game.questions.len();
        let intro = format!(
            "**{}** started trivia: {}{}{}. Everyone can answer!",
            crate::text::escape_markdown(&c.user.name),
            present::plural(count, "question", "questions"),
            crate::packs::engine::from_pack(pack.as_ref(), args.mix),
            if count < rounds {
                " (all I have for that choice)"
            } else {
                ""
            }
        );
        let asked: Vec<(String, String)> = game
            .questions
            .iter()
            .map(|q: &Question| (q.id.clone(), q.text.clone()))
            .collect();
        {
            let mut games = self.games();
            if let Some(g) = games.get(&channel) {
                return Reply::error(format!(
                    "A game started in this channel a moment ago (question {}).",
                    g.round + 1
                ));
            }
            games.insert(channel, game);
            self.saving.set(channel, saving);
        }
        // What happened to the database since this server last played (its file was deleted under the bot…).
        let notice = cx.notices.for_guild(guild);
        let lines: Vec<String> = [Some(intro), warning, notice].into_iter().flatten().collect();
        reply.content = Some(lines.join("\n"));
        remember_asked(guild, &asked, cx.now, cx.store, &self.recent).await;
        reply.fit()
    }

    /// Seconds left of `channel`'s cooldown of `cooldown_s` at `now`, if any.
    fn cooling_down(&self, channel: u64, cooldown_s: u32, now: i64) -> Option<i64> {
        let ended = *self.ended.lock().unwrap_or_else(|e| e.into_inner()).get(&channel)?;
        let left_ms = ended + i64::from(cooldown_s) * 1000 - now;
        (left_ms > 0).then(|| (left_ms + 999) / 1000)
    }

    fn mark_ended(&self, games: &[&Game], now: i64) {
        let mut ended = self.ended.lock().unwrap_or_else(|e| e.into_inner());
        for g in games {
            ended.insert(g.channel, now);
        }
    }

    async fn stop(&self, cx: &Ctx<'_>) -> Reply {
        let c = cx.caller;
        let finished = {
            let mut games = self.games();
            let Some(g) = games.get(&c.channel) else {
                return Reply::error("No game is running in this channel. Start one with `/trivia start`.");
            };
            if g.starter != c.user.id && !c.perms.manage_guild {
                return Reply::error(
                    "Only the player who started this game, or someone with Manage Server, can stop it.",
                );
            }
            let Some(mut g) = games.remove(&c.channel) else {
                return Reply::error("No game is running in this channel. Start one with `/trivia start`.");
            };
            g.end(EndReason::Stopped);
            g
        };
        self.mark_ended(&[&finished], cx.now);
        let saving = self.saving.remove(c.channel);
        let mut reply = render::final_reply(&finished, &EndReason::Stopped);
        add_line(&mut reply.content, saving.warning(cx.store));
        finish(&finished, &saving, cx.now, cx.store).await;
        reply.fit()
    }

    /// A click on answer `choice` of `round` in game `game`, in `channel`.
    #[allow(clippy::too_many_arguments)]
    pub async fn button_answer(
        &self,
        game: i64,
        round: usize,
        choice: usize,
        user: &User,
        channel: u64,
        now: i64,
        kb: &KnowledgeBase,
        store: Scores<'_>,
    ) -> Outcome {
        let (taken, saving) = {
            let mut games = self.games();
            let taken = match games.get_mut(&channel) {
                Some(g) if g.id == game => match g.answer(user.id, &user.name, round, choice, now) {
                    Ok(s) => Taken::Scored(s, g.guild, g.id, g.question().id.clone()),
                    Err(r) => Taken::Refused(r),
                },
                _ => Taken::NoGame,
            };
            (taken, self.saving.get(channel))
        };
        let reply = after_answer(taken, Some(choice), now, saving.target(store)).await;
        let posts = self.tick(now, kb, store).await;
        Outcome { reply, posts }
    }

    async fn typed_answer(&self, text: &str, cx: &Ctx<'_>) -> Outcome {
        let c = cx.caller;
        let (taken, saving) = {
            let mut games = self.games();
            let taken = match games.get_mut(&c.channel) {
                Some(g) => match g.answer_text(c.user.id, &c.user.name, text, cx.now) {
                    Ok(s) => Taken::Scored(s, g.guild, g.id, g.question().id.clone()),
                    Err(r) => Taken::Refused(r),
                },
                None => Taken::NoGame,
            };
            (taken, self.saving.get(c.channel))
        };
        let reply = after_answer(taken, None, cx.now, saving.target(cx.store)).await;
        let posts = self.tick(cx.now, cx.kb, cx.store).await;
        Outcome { reply, posts }
    }

    /// Let time pass: reveal questions whose timers ran out (or that everyone answered), post the next ones, end
    /// finished games. Returns what to post.
    pub async fn tick(&self, now: i64, kb: &KnowledgeBase, store: Scores<'_>) -> Vec<Post> {
        let mut posts = Vec::new();
        let mut finished = Vec::new();
        {
            let mut games = self.games();
            for (channel, g) in games.iter_mut() {
                for step in g.tick(now) {
                    let mut reply = match &step {
                        Step::Revealed(rev) => render::reveal_reply(kb, g, rev),
                        Step::Asked(_) => render::question_reply(g),
                        Step::Ended(reason) => render::final_reply(g, reason),
                    };
                    if !matches!(step, Step::Asked(_)) {
                        add_line(&mut reply.content, self.saving.warning(*channel, store));
                    }
                    posts.push(Post {
                        channel: *channel,
                        reply: reply.fit(),
                    });
                }
            }
            let over: Vec<u64> = games.iter().filter(|(_, g)| g.is_over()).map(|(c, _)| *c).collect();
            finished.extend(
                over.iter()
                    .filter_map(|c| Some((games.remove(c)?, self.saving.remove(*c)))),
            );
        }
        self.mark_ended(&finished.iter().map(|(g, _)| g).collect::<Vec<_>>(), now);
        for (g, saving) in &finished {
            finish(g, saving, now, store).await;
        }
        posts
    }

    /// When `tick` next has something to do, if ever.
    pub fn next_deadline(&self) -> Option<i64> {
        self.games().values().filter_map(|g| g.deadline()).min()
    }

    /// Whether a game is running in `channel`.
    pub fn running_in(&self, channel: u64) -> bool {
        self.games().contains_key(&channel)
    }

    /// How many games are running.
    pub fn running(&self) -> usize {
        self.games().len()
    }

    /// End every running game cleanly (scores are already saved as they are earned); returns the final messages.
    pub async fn shutdown(&self, now: i64, store: Scores<'_>) -> Vec<Post> {
        self.end_all(now, store, EndReason::Shutdown).await
    }

    /// End every running game for `why`, as [`Sessions::shutdown`] does.
    pub async fn end_all(&self, now: i64, store: Scores<'_>, why: EndReason) -> Vec<Post> {
        let games: Vec<Game> = self.games().drain().map(|(_, g)| g).collect();
        let mut posts = Vec::new();
        for mut g in games {
            g.end(why.clone());
            let saving = self.saving.remove(g.channel);
            let mut reply = render::final_reply(&g, &why);
            add_line(&mut reply.content, saving.warning(store));
            finish(&g, &saving, now, store).await;
            posts.push(Post {
                channel: g.channel,
                reply: reply.fit(),
            });
        }
        posts
    }
}

/// Record a finished game: games played and wins (in the store it started on only).
async fn finish(g: &Game, saving: &Saving, now: i64, store: Scores<'_>) {
    if let (Ok(store), true) = (saving.target(store), g.id > 0) {
        let players: Vec<u64> = g.players.iter().map(|p| p.id).collect();
        if let Err(e) = store.finish_game(g.id, now, &players, &g.winners()).await {
            tracing::warn!(error = %e, game = g.id, "could not record the end of a game");
        }
    }
}

/// Save what an answer scored (as it is earned) into `target`, the store of the answer's game, and say what happened
/// to the one who answered: a player whose points could not be saved is told why.
async fn after_answer(taken: Taken, choice: Option<usize>, now: i64, target: Result<&Store, String>) -> Reply {
    match taken {
        Taken::Scored(s, guild, game_id, question_id) => {
            let mut note = String::new();
            if let (Err(why), true) = (&target, game_id > 0) {
                note = format!("\n⚠ Your points could not be saved: {why}.");
            }
            if let (Ok(store), true) = (target, game_id > 0) {
                let rec = AnswerRecord {
                    game_id,
                    guild_id: guild.unwrap_or(0),
                    user_id: s.user,
                    user_name: s.name.clone(),
                    round: s.round as u32,
                    right: s.right,
                    points: s.points,
                    streak: s.streak,
                    at_ms: now,
                    question_id,
                };
                if let Err(e) = store.record_answer(rec).await {
                    tracing::warn!(error = %e, "could not save a score");
                    note = format!("\n⚠ Your points could not be saved ({e}).");
                }
            }
            let what = match choice {
                Some(c) => format!("**{}**", present::letter(c)),
                None => "your answer".to_string(),
            };
            Reply::note(format!("Got it: {what} is locked in. The answer comes at the reveal.{note}"))
        }
        Taken::Refused(Refusal::Already) => Reply::error("You already answered this question: one answer each."),
        Taken::Refused(Refusal::Closed) => Reply::error("This question is closed. Wait for the next one!"),
        Taken::Refused(Refusal::Stale) | Taken::NoGame if choice.is_some() => Reply::error(
            "This question belongs to a game that is over (or from before a restart). Start a new one with `/trivia start`.",
        ),
        Taken::NoGame => Reply::error("No trivia question is open in this channel. Start a game with `/trivia start`."),
        Taken::Refused(Refusal::Stale) => Reply::error("That question is over."),
        Taken::Refused(Refusal::TooLong) => {
            Reply::error("That looks like a list of guesses. One guess, please — a short answer.")
        }
        Taken::Refused(Refusal::WrongWay) if choice.is_some() => {
            Reply::error("This question is answered by typing: use `/answer text:…`.")
        }
        Taken::Refused(Refusal::WrongWay) => Reply::error("This question has buttons: press one of them instead."),
    }
}
