//! The core façade that every front end drives: the knowledge base (reloadable), the random source, and the
//! routing of commands, button presses and autocomplete to the pure command functions.
//!
//! Front ends pass time in (`now_ms`, milliseconds since the Unix epoch) and get plain data back: the reply to the
//! interaction, and messages to post to channels.

use crate::commands::{self, Request, User};
use crate::kb::KnowledgeBase;
use crate::reply::Reply;
use rand::rngs::StdRng;
use rand::SeedableRng;
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

pub struct App {
    kb: RwLock<Arc<KnowledgeBase>>,
    rng: Mutex<StdRng>,
}

impl App {
    /// An app over a checked knowledge base; `seed` fixes every random choice.
    pub fn new(kb: KnowledgeBase, seed: Option<u64>) -> App {
        let rng = match seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_entropy(),
        };
        App {
            kb: RwLock::new(Arc::new(kb)),
            rng: Mutex::new(rng),
        }
    }

    /// The knowledge base now serving.
    pub fn kb(&self) -> Arc<KnowledgeBase> {
        self.kb.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serve a new knowledge base from the next command on.
    pub fn replace_kb(&self, kb: KnowledgeBase) {
        *self.kb.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(kb);
    }

    fn with_rng<T>(&self, f: impl FnOnce(&mut StdRng) -> T) -> T {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut rng)
    }

    /// Handle a slash command.
    pub async fn command(&self, req: &Request, _now_ms: i64) -> Outcome {
        let kb = self.kb();
        self.with_rng(|rng| commands::run(&kb, req, rng)).into()
    }

    /// Handle a button press on a message the bot sent.
    pub async fn press(&self, custom_id: &str, _user: &User, _channel: u64, _now_ms: i64) -> Outcome {
        let kb = self.kb();
        self.with_rng(|rng| commands::press(&kb, custom_id, rng))
            .unwrap_or_else(commands::stale_button)
            .into()
    }

    /// Let time pass: reveal questions whose timers ran out, post the next ones. Returns what to post.
    pub async fn tick(&self, _now_ms: i64) -> Vec<Post> {
        Vec::new()
    }

    /// When `tick` next has something to do, if ever.
    pub fn next_deadline(&self) -> Option<i64> {
        None
    }

    /// End every running game cleanly (scores are already saved as they are earned); returns the final messages.
    pub async fn shutdown(&self, _now_ms: i64) -> Vec<Post> {
        Vec::new()
    }

    /// Suggestions for an option being typed.
    pub fn autocomplete(&self, command: &str, sub: Option<&str>, option: &str, partial: &str) -> Reply {
        commands::autocomplete(&self.kb(), command, sub, option, partial)
    }
}
