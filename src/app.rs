//! The core's router, which every front end drives: it holds the knowledge base (reloadable), the random source,
//! the score store, the running trivia games, the events and the question packs, and sends each command, button
//! press and tick to the part that answers it. How an app is set up (store, shards, defaults, owners): `build.rs`.
//!
//! Front ends pass time in (`now_ms`, milliseconds since the Unix epoch) and get plain data back: the reply to the
//! interaction, and messages to post to channels. No lock is held across an await, nor for a whole command: a command
//! that needs randomness draws one seed from the shared source and runs on a generator of its own.

use crate::commands::{lookup, Command, Request};
use crate::context::{Caller, Ctx};
use crate::daily::Daily;
use crate::events::{EventCmd, Events};
use crate::ids::ButtonId;
use crate::kb::KnowledgeBase;
use crate::packs::Packs;
use crate::reply::Reply;
use crate::settings;
use crate::shards::Shards;
use crate::store::{Keeper, Store, StoreError};
use crate::trivia::game::Settings;
use crate::trivia::{reports, scores, Sessions, TriviaCmd};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};

pub use crate::reply::{Outcome, Post};

mod build;
mod knowledge;

pub struct App {
    kb: RwLock<Arc<KnowledgeBase>>,
    /// Counts knowledge bases served: goes up each time one is replaced, after it is.
    kb_generation: AtomicU64,
    rng: Mutex<StdRng>,
    /// The score store, which upkeep may reopen or make anew while the bot runs: each command takes it as it is.
    store: Keeper,
    trivia: Sessions,
    events: Events,
    packs: Packs,
    settings: settings::Registry,
    daily: Daily,
    /// Where the knowledge base was loaded from, for `/reload`.
    data_dir: Option<PathBuf>,
    /// Who may use owner-only commands (`/reload`).
    owners: Vec<u64>,
    /// The shards this process runs: it answers for their servers only (their events, their timers).
    shards: Shards,
}

impl App {
    /// An app over a checked knowledge base with no score store; `seed` fixes every random choice.
    pub fn new(kb: KnowledgeBase, seed: Option<u64>) -> App {
        App {
            kb: RwLock::new(Arc::new(kb)),
            kb_generation: AtomicU64::new(0),
            rng: Mutex::new(seed.map_or_else(StdRng::from_entropy, StdRng::seed_from_u64)),
            store: Keeper::fixed(Err(StoreError::NotConfigured)),
            trivia: Sessions::new(Settings::default()),
            events: Events::new(),
            packs: Packs::new(),
            settings: settings::Registry::new(),
            daily: Daily::new(),
            data_dir: None,
            owners: Vec::new(),
            shards: Shards::Auto,
        }
    }

    pub fn store(&self) -> Option<Store> {
        self.store.current().ok()
    }

    /// What keeps the store: `keeper().close()` checkpoints and closes it, on every way out (games ended first).
    pub fn keeper(&self) -> &Keeper {
        &self.store
    }

    /// A seed for one command's randomness, drawn from the shared source (its lock is held for this draw only).
    fn draw_seed(&self) -> u64 {
        self.rng.lock().unwrap_or_else(|e| e.into_inner()).gen()
    }

    /// Handle a slash command.
    pub async fn command(&self, req: &Request, now_ms: i64) -> Outcome {
        let cmd = match Command::parse(req) {
            Ok(cmd) => cmd,
            Err(e) => return Reply::error(e.0).into(),
        };
        let access = Command::access_of(req);
        if !access.allows(req.perms, self.owners.contains(&req.user.id)) {
            return Reply::error(cmd.refusal()).into();
        }
        let (caller, store) = (req.caller(), self.store.current());
        // A game and an event in one channel would mix their questions and buttons: the other kind is looked for.
        let channel_busy = match &cmd {
            Command::Trivia(TriviaCmd::Start(_)) => self.events.open_in(req.channel, store.as_ref().ok()).await,
            Command::Event(EventCmd::Create(_)) => self.trivia.running_in(req.channel),
            _ => false,
        };
        let seed = if cmd.is_random() { self.draw_seed() } else { 0 };
        let kb = self.kb();
        let settings = match &cmd {
            Command::Trivia(TriviaCmd::Start(_)) | Command::Settings(_) => {
                self.settings.of(req.guild, store.as_ref()).await
            }
            _ => settings::DEFAULT,
        };
        let cx = Ctx {
            caller: &caller,
            now: now_ms,
            kb: &kb,
            store: store.as_ref(),
            notices: self.store.notices(),
            seed,
            channel_busy,
            settings: &settings,
        };
        match cmd {
            Command::Lookup(l) => lookup::run(&kb, &l, &mut StdRng::seed_from_u64(seed)).into(),
            Command::Trivia(t) => self.trivia.command(t, &cx).await,
            Command::Event(e) => self.events.command(e, &cx).await,
            Command::Settings(s) => self.settings.command(s, &cx, self.trivia.defaults()).await.into(),
            Command::Daily(d) => self.daily.command(d, &cx).await,
            Command::Pack(p) => self.packs.command(p, &cx).await.into(),
            Command::Reload => self.reload_command().await.into(),
        }
    }

    /// Handle a button press on a message the bot sent, by `caller` (who pressed, where).
    pub async fn press(&self, custom_id: &str, caller: &Caller, now_ms: i64) -> Outcome {
        let (user, channel, store) = (&caller.user, caller.channel, self.store.current());
        let Some(id) = ButtonId::parse(custom_id) else {
            return lookup::stale_button().into();
        };
        match id {
            ButtonId::Answer { game, round, choice } => {
                let kb = self.kb();
                self.trivia
                    .button_answer(game, round, choice, user, channel, now_ms, &kb, store.as_ref())
                    .await
            }
            confirm @ (ButtonId::Reset { .. } | ButtonId::Forget { .. }) => {
                scores::confirm_press(&confirm, user.id, store.as_ref()).await.into()
            }
            ButtonId::Event { event, round, action } => {
                self.events
                    .press(event, round, action, user, now_ms, store.as_ref().ok())
                    .await
            }
            ButtonId::Daily { day, choice } => self
                .daily
                .press(&day, choice, caller, now_ms, store.as_ref())
                .await
                .into(),
            ButtonId::MyRank(period) => scores::my_rank(period, caller, now_ms, store.as_ref()).await.into(),
            pack @ (ButtonId::PackReplace { .. } | ButtonId::PackRemove { .. }) => {
                self.packs.press(&pack, caller, now_ms, store.as_ref()).await.into()
            }
            ButtonId::Report { reason, question } => reports::press(reason, &question, caller, now_ms, store.as_ref())
                .await
                .into(),
            lookup_id => {
                let mut rng = StdRng::seed_from_u64(self.draw_seed());
                lookup::press(&self.kb(), &lookup_id, &mut rng).into()
            }
        }
    }

    /// Suggestions for an option being typed.
    pub fn autocomplete(&self, command: &str, sub: Option<&str>, option: &str, partial: &str) -> Reply {
        lookup::autocomplete(&self.kb(), command, sub, option, partial)
    }

    /// Let time pass: reveal questions whose timers ran out, post the next ones, end finished games, close event
    /// questions; then the store's upkeep, if due. Returns what to post.
    pub async fn tick(&self, now_ms: i64) -> Vec<Post> {
        let (kb, store) = (self.kb(), self.store.current());
        let mut posts = self.trivia.tick(now_ms, &kb, store.as_ref()).await;
        posts.extend(self.events.tick(now_ms, store.as_ref().ok()).await);
        self.daily.load(store.as_ref(), &|g| self.owns(g)).await;
        posts.extend(self.daily.tick(now_ms, &kb, store.as_ref()).await);
        self.store.upkeep(now_ms).await;
        posts
    }

    /// When `tick` next has something to do, if ever.
    pub fn next_deadline(&self) -> Option<i64> {
        self.trivia
            .next_deadline()
            .into_iter()
            .chain(self.events.next_deadline())
            .chain(self.store.next_due())
            .chain(self.daily.next_deadline())
            .min()
    }

    /// Read back the events that were open when the bot last stopped (they are also read on first use), and the
    /// questions of the day (a post missed while the bot was down is made at the next tick). Returns how many
    /// events are open.
    pub async fn resume(&self) -> Result<usize, StoreError> {
        self.daily.load(self.store.current().as_ref(), &|g| self.owns(g)).await;
        self.events.resume(self.store().as_ref()).await
    }

    /// How many trivia games are running.
    pub fn running_games(&self) -> usize {
        self.trivia.running()
    }

    /// End every running game cleanly (scores are already saved as they are earned); returns the final messages.
    pub async fn shutdown(&self, now_ms: i64) -> Vec<Post> {
        self.trivia.shutdown(now_ms, self.store.current().as_ref()).await
    }

    /// End running games for `why` (a front end stopping: the console's input ended); their final messages.
    pub async fn end_games(&self, now_ms: i64, why: crate::trivia::game::EndReason) -> Vec<Post> {
        self.trivia.end_all(now_ms, self.store.current().as_ref(), why).await
    }
}
