//! Answers of pure commands, kept as the request bodies that were sent, for the knowledge base they came from.
//!
//! A pure command (`commands::is_pure`: cards, search, timeline, about) gets the same reply to the same request for
//! as long as the knowledge base stays the same. Its interaction response body is kept, keyed by the request, and
//! sent again as it is: no lookup, no rendering, no serialising. On a bot that has been idle for a moment that work
//! costs about 100 µs, more than serenity's own part of answering (docs/PERFORMANCE.md).
//!
//! A body is good for the knowledge base generation read before the command ran (`App::kb_generation`); a reload
//! makes every kept body stale, and the first use after it empties the cache. Bounded by entry count (configured)
//! and by bytes; when full, arbitrary entries make room (it is a cache of cheap-to-rebuild answers, not a
//! least-recently-used one).

use crate::commands::{Command, Request};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

/// At most this many bytes of keys and bodies are kept, whatever the entry count.
pub(crate) const MAX_BYTES: usize = 8 << 20;

/// Separates the parts of a key. Values are written with their length first, so no value can pass for another
/// request's options, whatever characters it holds.
const SEP: char = '\u{1f}';

pub(crate) struct ReplyCache {
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    generation: u64,
    bytes: usize,
    bodies: HashMap<String, Arc<[u8]>>,
}

impl State {
    /// Forget everything kept for an older knowledge base; false when `generation` is the older one.
    fn at(&mut self, generation: u64) -> bool {
        if generation > self.generation {
            self.bodies.clear();
            self.bytes = 0;
            self.generation = generation;
        }
        generation == self.generation
    }
}

impl ReplyCache {
    /// A cache of at most `capacity` bodies (0: none are kept).
    pub fn new(capacity: usize) -> ReplyCache {
        ReplyCache {
            capacity,
            state: Mutex::new(State::default()),
        }
    }

    /// The key of a request whose answer may be kept: `None` for impure commands, or when nothing is kept.
    /// Who asked, and where, is not part of it: a pure command's answer does not depend on them.
    pub fn key(&self, req: &Request) -> Option<String> {
        if self.capacity == 0 || !Command::parse(req).is_ok_and(|c| c.is_pure()) {
            return None;
        }
        let mut key = req.command.clone();
        key.push(SEP);
        if let Some(sub) = &req.sub {
            key.push_str(sub);
        }
        for (name, value) in &req.options {
            let value = value.to_string();
            let _ = write!(key, "{SEP}{name}:{}={value}", value.len());
        }
        Some(key)
    }

    /// The body kept for `key`, if it was made from knowledge base `generation`.
    pub fn get(&self, generation: u64, key: &str) -> Option<Arc<[u8]>> {
        let mut s = self.lock();
        if !s.at(generation) {
            return None;
        }
        s.bodies.get(key).cloned()
    }

    /// Keep `body` for `key`, made from knowledge base `generation` (dropped if that is no longer the current one).
    pub fn put(&self, generation: u64, key: String, body: Arc<[u8]>) {
        let size = key.len() + body.len();
        if self.capacity == 0 || size > MAX_BYTES {
            return;
        }
        let mut s = self.lock();
        if !s.at(generation) {
            return;
        }
        if let Some(old) = s.bodies.remove(&key) {
            s.bytes -= key.len() + old.len();
        }
        while s.bodies.len() >= self.capacity || s.bytes + size > MAX_BYTES {
            let Some(k) = s.bodies.keys().next().cloned() else {
                break;
            };
            if let Some(b) = s.bodies.remove(&k) {
                s.bytes -= k.len() + b.len();
            }
        }
        s.bytes += size;
        s.bodies.insert(key, body);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is consistent between statements, so one poisoned by a panic elsewhere is still good.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().bodies.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::{User, Value};

    fn req(command: &str, opts: &[(&str, &str)]) -> Request {
        let mut r = Request::new(
            command,
            User {
                id: 1,
                name: "a".into(),
            },
        );
        for (k, v) in opts {
            r = r.opt(k, Value::Str(v.to_string()));
        }
        r
    }

    fn body(s: &str) -> Arc<[u8]> {
        Arc::from(s.as_bytes())
    }

    #[test]
    fn keys_tell_requests_apart_and_only_pure_commands_have_one() {
        let c = ReplyCache::new(10);
        let a = c.key(&req("mission", &[("name", "cassini")])).unwrap();
        let b = c.key(&req("mission", &[("name", "rosetta")])).unwrap();
        let other_user = {
            let mut r = req("mission", &[("name", "cassini")]);
            r.user.id = 99;
            r.channel = 5;
            r
        };
        assert_ne!(a, b);
        assert_ne!(a, c.key(&req("partners", &[("mission", "cassini")])).unwrap());
        assert_ne!(
            c.key(&req("collab", &[("first", "nasa"), ("second", "esa")])),
            c.key(&req("collab", &[("first", "nasa=esa")]))
        );
        assert_ne!(
            c.key(&req("collab", &[("first", "nasa"), ("second", "esa")])),
            c.key(&req("collab", &[("first", "nasa\u{1f}second=esa")])),
            "a value cannot pass for two options"
        );
        assert_eq!(Some(a), c.key(&other_user), "who asks is not part of the key");
        assert_eq!(c.key(&req("fact", &[])), None, "a random fact is not kept");
        assert_eq!(c.key(&req("trivia", &[])), None);
        assert_eq!(ReplyCache::new(0).key(&req("mission", &[("name", "x")])), None);
    }

    #[test]
    fn a_body_is_served_for_its_generation_only() {
        let c = ReplyCache::new(10);
        c.put(0, "k".into(), body("old"));
        assert_eq!(c.get(0, "k").as_deref(), Some(&b"old"[..]));
        assert_eq!(c.get(1, "k"), None, "a reload makes it stale");
        assert_eq!(c.len(), 0, "and the cache forgets it");
        c.put(0, "k".into(), body("made from the old data"));
        assert_eq!(
            c.get(1, "k"),
            None,
            "a body made before the reload is not kept after it"
        );
        c.put(1, "k".into(), body("new"));
        assert_eq!(c.get(1, "k").as_deref(), Some(&b"new"[..]));
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let c = ReplyCache::new(3);
        for i in 0..10 {
            c.put(0, format!("k{i}"), body("x"));
            assert!(c.len() <= 3);
        }
        assert_eq!(c.get(0, "k9").as_deref(), Some(&b"x"[..]), "the newest is kept");
        c.put(0, "k9".into(), body("y"));
        assert_eq!(c.len(), 3, "replacing a key does not evict another");

        let big = Arc::<[u8]>::from(vec![b'a'; MAX_BYTES / 2]);
        let c = ReplyCache::new(100);
        c.put(0, "a".into(), big.clone());
        c.put(0, "b".into(), big.clone());
        assert_eq!(c.len(), 1, "two halves and their keys are over the byte bound");
        assert!(c.lock().bytes <= MAX_BYTES);
        c.put(0, "huge".into(), Arc::from(vec![0u8; MAX_BYTES + 1]));
        assert_eq!(c.get(0, "huge"), None, "a body over the bound is never kept");
    }
}
