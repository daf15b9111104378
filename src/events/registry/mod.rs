//! An app's events: the `/event` commands and the event buttons, and the store glue.
//!
//! Why it is built this way:
//! - Everything is saved as it happens: the event's row at creation, each player as they join, each answer as it is
//!   given ([`Store::record_event_answer`]), and the event's state (JSON) after every change. A restart loses
//!   nothing; the open events are read back on first use (or by [`Events::resume`]) and the host continues with
//!   `/event next`.
//! - States are saved one at a time, each snapshot taken when its turn comes (`saving`), so an older snapshot can
//!   never overwrite a newer one. The events' lock is never held across an await.
//! - Exports read the store's answers and players (so someone who asked to be forgotten is gone from them), and the
//!   questions from the event's own configuration (so an export still reads right after the data changed).
//! - Without a database, events run in memory with negative ids, and say so.
//!
//! The `/event` commands are here; the buttons (join, teams, extended time, answers) are in `press`, finding and
//! writing an export in `export`, and which questions an event asks (and `/event preview`, which shows them first)
//! in `preview`.

mod export;
mod press;
pub mod preview;

use super::render;
use super::{parse_teams, Config, CreateArgs, Event, EventCmd, Refusal, State};
use crate::context::{Caller, Ctx};
use crate::reply::{Outcome, Post, Reply};
use crate::shards::Shards;
use crate::store::{EventRow, NewEvent, Store};
use crate::trivia::question::{Filter, History};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Defaults for `/event create`.
pub const DEFAULT_ROUNDS: i64 = 10;
pub const DEFAULT_TIMER_S: i64 = 30;
/// Events listed by `/event list`.
const LIST_LIMIT: u32 = 10;

const NO_EVENT: &str =
    "No event is running in this channel. Someone with Manage Events can start one with `/event create name:…`.";

pub struct Events {
    /// Open events, and ended ones that live nowhere else (no database), by id.
    events: Mutex<HashMap<i64, Event>>,
    /// Whether the open events of the store have been read back.
    loaded: tokio::sync::Mutex<bool>,
    /// Held while a state is saved: saves happen one at a time, in order.
    saving: tokio::sync::Mutex<()>,
    next_local_id: Mutex<i64>,
    /// Each server's recently asked questions, when there is no store to keep them.
    recent: Mutex<HashMap<u64, std::collections::VecDeque<String>>>,
    /// The servers whose open events this process resumes (another process runs the others).
    shards: Shards,
}

impl Default for Events {
    fn default() -> Events {
        Events::new()
    }
}

/// Read an event back from its stored row. Players who are no longer in the store's players (they asked to be
/// forgotten) are dropped with their answers.
pub fn from_row(row: &EventRow) -> Result<Event, String> {
    let config: Config = serde_json::from_str(&row.config_json)
        .map_err(|e| format!("event {}: unreadable configuration: {e}", row.id))?;
    let mut state: State = if row.state_json.trim() == "null" {
        State::default()
    } else {
        serde_json::from_str(&row.state_json).map_err(|e| format!("event {}: unreadable state: {e}", row.id))?
    };
    let kept: Vec<u64> = row.players.iter().map(|p| p.user_id).collect();
    state.players.retain(|p| kept.contains(&p.id));
    state.answers.retain(|a| kept.contains(&a.user));
    let mut hosts = vec![config.creator];
    hosts.extend(row.hosts.iter().filter(|h| **h != config.creator));
    Ok(Event {
        id: row.id,
        guild: (row.guild_id != 0).then_some(row.guild_id),
        channel: row.channel_id,
        name: row.name.clone(),
        hosts,
        config,
        state,
    })
}

/// An in-memory event as a stored row (for `/event list` without a database).
fn row_of(e: &Event) -> EventRow {
    EventRow {
        id: e.id,
        guild_id: e.guild.unwrap_or(0),
        channel_id: e.channel,
        name: e.name.clone(),
        hosts: e.hosts.clone(),
        seed: e.config.seed,
        config_json: String::new(),
        state_json: String::new(),
        round: e.state.round,
        created_at_ms: 0,
        ended_at_ms: match e.state.phase {
            super::Phase::Ended { at } => Some(at),
            _ => None,
        },
        players: e
            .state
            .players
            .iter()
            .map(|p| crate::store::EventPlayer {
                user_id: p.id,
                user_name: p.name.clone(),
                team: p.team.and_then(|t| e.team(t)).map(|t| t.name.clone()),
            })
            .collect(),
    }
}

fn warn_unsaved(r: &mut Reply, why: Option<String>) {
    if let Some(why) = why {
        let note = format!("⚠ This could not be saved just now ({why}); the event goes on.");
        r.content = Some(match r.content.take() {
            Some(c) => format!("{c}\n{note}"),
            None => note,
        });
    }
}

impl Events {
    pub fn new() -> Events {
        Events {
            events: Mutex::new(HashMap::new()),
            loaded: tokio::sync::Mutex::new(false),
            saving: tokio::sync::Mutex::new(()),
            next_local_id: Mutex::new(0),
            recent: Mutex::new(HashMap::new()),
            shards: Shards::Auto,
        }
    }

    /// Resume only the open events of the servers of `shards`.
    pub fn owning(mut self, shards: Shards) -> Events {
        self.shards = shards;
        self
    }

    fn map(&self) -> MutexGuard<'_, HashMap<i64, Event>> {
        self.events.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Read back the store's open events in the servers this process owns (once; later calls do nothing). Returns
    /// how many are open now.
    pub async fn resume(&self, store: Option<&Store>) -> Result<usize, crate::store::StoreError> {
        let mut loaded = self.loaded.lock().await;
        if !*loaded {
            if let Some(store) = store {
                let mut rows = store.open_events().await?;
                rows.retain(|r| self.shards.owns(r.guild_id));
                let mut map = self.map();
                for row in &rows {
                    match from_row(row) {
                        Ok(e) => {
                            map.entry(e.id).or_insert(e);
                        }
                        Err(why) => tracing::warn!(%why, "an open event could not be resumed"),
                    }
                }
                tracing::info!(events = rows.len(), "open events resumed");
            }
            *loaded = true;
        }
        Ok(self.open_count())
    }

    async fn ensure_loaded(&self, store: Option<&Store>) {
        if let Err(e) = self.resume(store).await {
            tracing::warn!(error = %e, "open events could not be read back yet; trying again on the next use");
        }
    }

    /// Whether an event is open in `channel` (its messages would mix with a trivia game's).
    pub async fn open_in(&self, channel: u64, store: Option<&Store>) -> bool {
        self.ensure_loaded(store).await;
        Self::in_channel(&self.map(), channel).is_some()
    }

    /// How many events are open.
    pub fn open_count(&self) -> usize {
        self.map().values().filter(|e| !e.is_over()).count()
    }

    /// The open event in a channel.
    fn in_channel(map: &HashMap<i64, Event>, channel: u64) -> Option<i64> {
        map.values()
            .filter(|e| e.channel == channel && !e.is_over())
            .map(|e| e.id)
            .min()
    }

    /// Run `f` on the open event in `channel`.
    fn with_channel<T>(&self, channel: u64, f: impl FnOnce(&mut Event) -> T) -> Option<(i64, T)> {
        let mut map = self.map();
        let id = Self::in_channel(&map, channel)?;
        let e = map.get_mut(&id)?;
        Some((id, f(e)))
    }

    /// Save the event's state as it is now. Returns why it could not be saved, if so.
    async fn save(&self, store: Option<&Store>, id: i64) -> Option<String> {
        let store = store.filter(|_| id > 0)?;
        let _turn = self.saving.lock().await;
        let snapshot = {
            let map = self.map();
            let e = map.get(&id)?;
            serde_json::to_string(&e.state).map(|json| (e.state.round, json))
        };
        let result = match snapshot {
            Ok((round, json)) => store
                .save_event_state(id, round, &json)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        result
            .err()
            .inspect(|e| tracing::warn!(error = %e, event = id, "could not save an event's state"))
    }

    /// When the next open question's time runs out.
    pub fn next_deadline(&self) -> Option<i64> {
        self.map().values().filter_map(Event::deadline).min()
    }

    /// Let time pass: questions whose time ran out close, and the channel is told.
    pub async fn tick(&self, now: i64, store: Option<&Store>) -> Vec<Post> {
        self.ensure_loaded(store).await;
        let closed: Vec<(i64, Post)> = self
            .map()
            .values_mut()
            .filter_map(|e| {
                e.tick(now).map(|round| {
                    let post = Post {
                        channel: e.channel,
                        reply: render::time_up(e, round).fit(),
                    };
                    (e.id, post)
                })
            })
            .collect();
        let mut posts = Vec::new();
        for (id, post) in closed {
            self.save(store, id).await;
            posts.push(post);
        }
        posts
    }

    /// Handle `/event …`. The context's seed is used when the host gives none.
    pub async fn command(&self, cmd: EventCmd, cx: &Ctx<'_>) -> Outcome {
        let store = cx.store.ok();
        self.ensure_loaded(store).await;
        let (req, now) = (cx.caller, cx.now);
        let reply = match cmd {
            EventCmd::Create(args) => self.create(args, cx).await,
            EventCmd::Next => self.next(req, now, store).await,
            EventCmd::Reveal => self.reveal(req, store).await,
            EventCmd::Scores => self.scores(req),
            EventCmd::End => self.end(req, now, store).await,
            EventCmd::Export { id } => self.export(req, id, store).await,
            EventCmd::Cohost { user } => self.cohost(req, user, store).await,
            EventCmd::List => self.list(req, store).await,
            EventCmd::Preview(args) => self.preview(args, cx).await,
        };
        reply.fit().into()
    }

    async fn create(&self, args: CreateArgs, cx: &Ctx<'_>) -> Reply {
        let (req, now, store, kb) = (cx.caller, cx.now, cx.store.ok(), cx.kb);
        let Some(guild) = req.guild else {
            return Reply::error("Events run in a server channel, not in direct messages.");
        };
        if let Some(reply) = self.already_here(req.channel) {
            return reply;
        }
        if cx.channel_busy {
            return Reply::error(
                "A trivia game is running in this channel: wait for it to end (or `/trivia stop` it), or create the \
                 event in another channel.",
            );
        }
        let name = args.name.trim();
        if name.is_empty() || name.chars().count() > super::MAX_NAME {
            return Reply::error(format!(
                "An event needs a name of 1 to {} characters: `name:…`.",
                super::MAX_NAME
            ));
        }
        let rounds = args.rounds.unwrap_or(DEFAULT_ROUNDS).clamp(1, super::MAX_ROUNDS) as usize;
        let timer_s = args
            .timer
            .unwrap_or(DEFAULT_TIMER_S)
            .clamp(super::MIN_TIMER_S, super::MAX_TIMER_S);
        let extra_s = args.extended.unwrap_or(timer_s / 2).clamp(0, super::MAX_EXTRA_S);
        let teams = match parse_teams(args.teams.as_deref().unwrap_or("")) {
            Ok(t) => t,
            Err(why) => return Reply::error(why),
        };
        let seed = match args.seed {
            Some(s) if s >= 0 => s as u64,
            Some(_) => return Reply::error("`seed` is a whole number from 0 up."),
            None => cx.seed,
        };
        let filter: Filter = args.filter;
        let pack = match crate::packs::engine::pack_for(args.pack.as_deref(), args.mix, cx).await {
            Ok(p) => p,
            Err(why) => return Reply::error(why.0),
        };
        let past = self.past(guild, args.seed.is_some(), cx).await;
        let questions = preview::event_questions(kb, pack.as_ref(), args.mix, &filter, rounds, seed, &past);
        if questions.is_empty() {
            return Reply::error(preview::none_fit(pack.as_ref()));
        }
        let config = Config {
            creator: req.user.id,
            seed,
            category: filter.category.clone(),
            difficulty: filter.difficulty.map(|d| d.label().to_string()),
            timer_ms: timer_s * 1000,
            extra_ms: extra_s * 1000,
            teams,
            questions,
            pack: pack.as_ref().map(|p| p.name.clone()),
            mix: args.mix && pack.is_some(),
        };
        let mut warning = None;
        let stored = match store {
            Some(store) => {
                let new = NewEvent {
                    guild_id: guild,
                    channel_id: req.channel,
                    name: name.to_string(),
                    hosts: vec![req.user.id],
                    seed,
                    config_json: serde_json::to_string(&config).unwrap_or_default(),
                    created_at_ms: now,
                };
                match store.create_event(new).await {
                    Ok(id) => Some(id),
                    Err(e) => {
                        warning = Some(format!(
                            "⚠ This event cannot be saved ({e}): it runs, but will not survive a restart."
                        ));
                        None
                    }
                }
            }
            None => None,
        };
        let id = stored.unwrap_or_else(|| {
            let mut n = self.next_local_id.lock().unwrap_or_else(|e| e.into_inner());
            *n -= 1;
            *n
        });
        let event = Event::new(id, Some(guild), req.channel, name.to_string(), config);
        let asked: Vec<(String, String)> = event
            .config
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.text.clone()))
            .collect();
        let mut reply = render::lobby(&event, stored.is_some());
        let count = event.rounds() as usize;
        let conflict = {
            let mut map = self.map();
            match Self::in_channel(&map, req.channel) {
                Some(_) => true,
                None => {
                    map.insert(id, event);
                    false
                }
            }
        };
        if conflict {
            // Another host was quicker: close the row just made, so it is not resumed after a restart.
            if let (Some(store), Some(id)) = (store, stored) {
                let _ = store.end_event(id, now).await;
            }
            return self.already_here(req.channel).unwrap_or_else(|| Reply::error(NO_EVENT));
        }
        let mut intro = format!(
            "**{}** created an event{}. Hosts: `/event next` asks the first question.",
            crate::text::escape_markdown(&req.user.name),
            crate::packs::engine::from_pack(pack.as_ref(), args.mix).replacen(" from", " with questions from", 1)
        );
        if count < rounds {
            intro.push_str(&format!(
                " (Only {} fit that choice.)",
                crate::present::plural(count, "question", "questions")
            ));
        }
        crate::trivia::sessions::remember_asked(guild, &asked, now, cx.store, &self.recent).await;
        reply.content = Some(match warning {
            Some(w) => format!("{intro}\n{w}"),
            None => intro,
        });
        reply
    }

    /// What a server's play says about the questions, as an event uses it: a host who gives a seed gets the same
    /// quiz as another group with that seed (only reported questions are kept out); without one, the server's recent
    /// questions are avoided and play's difficulty is used too.
    async fn past(&self, guild: u64, seeded: bool, cx: &Ctx<'_>) -> History {
        let past = crate::trivia::sessions::history(guild, cx.store, &self.recent).await;
        if seeded {
            History {
                blocked: past.blocked,
                ..History::default()
            }
        } else {
            past
        }
    }

    fn already_here(&self, channel: u64) -> Option<Reply> {
        let map = self.map();
        let e = map.get(&Self::in_channel(&map, channel)?)?;
        Some(Reply::error(format!(
            "An event is already running in this channel: **{}** (#{}). Its hosts can end it with `/event end` first.",
            crate::text::escape_markdown(&e.name),
            e.id
        )))
    }

    /// A host's step on the channel's event (`step` changes it and says what to show): saved when it was taken, or
    /// refused with a private note.
    async fn host_step(
        &self,
        req: &Caller,
        store: Option<&Store>,
        step: impl FnOnce(&mut Event) -> Result<Reply, Refusal>,
    ) -> Reply {
        let stepped = self.with_channel(req.channel, |e| match step(e) {
            Ok(reply) => (true, reply),
            Err(why) => (false, render::refusal(Some(e), &why)),
        });
        let Some((id, (taken, mut reply))) = stepped else {
            return Reply::error(NO_EVENT);
        };
        if taken {
            warn_unsaved(&mut reply, self.save(store, id).await);
        }
        reply
    }

    async fn next(&self, req: &Caller, now: i64, store: Option<&Store>) -> Reply {
        self.host_step(req, store, |e| e.next(req.user.id, now).map(|_| render::question(e)))
            .await
    }

    async fn reveal(&self, req: &Caller, store: Option<&Store>) -> Reply {
        self.host_step(req, store, |e| e.reveal(req.user.id).map(|rev| render::reveal(e, &rev)))
            .await
    }

    fn scores(&self, req: &Caller) -> Reply {
        self.with_channel(req.channel, |e| render::scores(e))
            .map_or_else(|| Reply::error(NO_EVENT), |(_, r)| r)
    }

    async fn end(&self, req: &Caller, now: i64, store: Option<&Store>) -> Reply {
        let Some((id, result)) = self.with_channel(req.channel, |e| match e.end(req.user.id, now) {
            Ok(()) => (true, render::podium(e)),
            Err(why) => (false, render::refusal(Some(e), &why)),
        }) else {
            return Reply::error(NO_EVENT);
        };
        let (done, mut reply) = result;
        if !done {
            return reply;
        }
        let mut why = self.save(store, id).await;
        if let (Some(store), true) = (store, id > 0) {
            if let Err(e) = store.end_event(id, now).await {
                why = Some(e.to_string());
            }
            if why.is_none() {
                // The store keeps it now.
                self.map().remove(&id);
            }
        }
        warn_unsaved(&mut reply, why);
        reply
    }

    async fn cohost(&self, req: &Caller, user: u64, store: Option<&Store>) -> Reply {
        let Some((id, result)) = self.with_channel(req.channel, |e| {
            (e.add_host(req.user.id, user), crate::text::escape_markdown(&e.name))
        }) else {
            return Reply::error(NO_EVENT);
        };
        match result {
            (Ok(added), name) => {
                let mut r = if added {
                    Reply::text(format!(
                        "<@{user}> is now a co-host of **{name}**: they can ask, reveal and end, and add co-hosts."
                    ))
                } else {
                    Reply::error(format!("<@{user}> already hosts **{name}**."))
                };
                if let (true, Some(store), true) = (added, store, id > 0) {
                    if let Err(e) = store.add_event_host(id, user).await {
                        warn_unsaved(&mut r, Some(e.to_string()));
                    }
                }
                r
            }
            (Err(why), _) => {
                let map = self.map();
                render::refusal(map.get(&id), &why)
            }
        }
    }

    async fn list(&self, req: &Caller, store: Option<&Store>) -> Reply {
        let Some(guild) = req.guild else {
            return Reply::error("Events are per server: ask in a server.");
        };
        let rows = match store {
            Some(store) => match store.list_events(guild, LIST_LIMIT).await {
                Ok(rows) => rows,
                Err(e) => return Reply::error(format!("I could not read the events: {e}. Try again in a moment.")),
            },
            None => {
                let map = self.map();
                let mut v: Vec<EventRow> = map.values().filter(|e| e.guild == Some(guild)).map(row_of).collect();
                v.sort_by_key(|r| r.id);
                v.truncate(LIST_LIMIT as usize);
                v
            }
        };
        let map = self.map();
        let open = |id: i64| {
            map.get(&id)
                .filter(|e| !e.is_over())
                .map(|e| (e.state.round, e.rounds()))
        };
        render::list(&rows, &open)
    }

    fn team_name(&self, id: i64, team: Option<usize>) -> Option<String> {
        let map = self.map();
        team.and_then(|t| map.get(&id)?.team(t).map(|t| t.name.clone()))
    }

    fn team_label(&self, id: i64, team: Option<usize>) -> Option<String> {
        let map = self.map();
        team.and_then(|t| map.get(&id)?.team(t).map(|t| t.shown()))
    }

    fn question_id(&self, id: i64, round: u32) -> String {
        self.map()
            .get(&id)
            .and_then(|e| e.question_of(round))
            .map(|q| q.id.clone())
            .unwrap_or_default()
    }
}
