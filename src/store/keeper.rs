//! The store a running bot uses, kept usable while it runs.
//!
//! Why it is built this way:
//! - The store in use, or why there is none, sits behind a lock held only to read or swap it, never across an
//!   await: a command takes the store as it is when the command starts ([`Keeper::current`]) and works on that; a
//!   swap while it runs changes what the next command gets.
//! - Upkeep runs on the front end's clock, from `App::tick`: the Discord driver wakes for [`Keeper::next_due`] as for
//!   any timer, and the console's `wait` passes virtual time, so tests are exact. Each [`Keeper::upkeep`] does one of:
//!   - the store is open: check that the path still leads to the file that was opened (SQLite goes on writing into a
//!     deleted file, and those scores would vanish with it), then checkpoint; every minute by default;
//!   - it could not be opened (locked by another process, a full disk…): try again, 1 s later, then twice as long each
//!     time up to a minute. A probe that waits at most 0.1 s for the lock comes first, so a retry never holds up the
//!     game timers for long. Meanwhile the bot runs: games say their points are not being saved.
//! - A file deleted or replaced under the bot is noticed at the next upkeep. What the old file held is saved beside it
//!   (`VACUUM INTO` through the connections that still have it open), a database is opened at the path again (a new
//!   one, made by the migrations, when the file is gone), the log says what happened and where the copy is, and the
//!   next game in each server tells its players ([`Notices`]).
//! - A PostgreSQL server that could not be reached at start-up (down, restarting) is tried again with the same
//!   backoff. Once connected, the pool opens connections as it needs them, so a server that goes away and comes back
//!   is used again by itself; upkeep only asks it whether it answers, and logs when it stops and starts answering.
//! - A keeper given its store ([`Keeper::fixed`]: tests, benchmarks) does no upkeep; every keeper checkpoints and
//!   closes its store on [`Keeper::close`].

use super::sqlite::{self, FileId};
use super::{Location, Store, StoreError};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// How often upkeep runs, in the front end's milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upkeep {
    /// Between checks of an open store (file still there, then a checkpoint).
    pub checkpoint_ms: i64,
    /// The first retry after the store could not be opened; each next one waits twice as long…
    pub first_retry_ms: i64,
    /// …up to this.
    pub longest_retry_ms: i64,
}

impl Default for Upkeep {
    fn default() -> Self {
        Upkeep {
            checkpoint_ms: 60_000,
            first_retry_ms: 1_000,
            longest_retry_ms: 60_000,
        }
    }
}

/// The store a running bot uses: swapped when it is reopened or made anew, checkpointed, closed once.
pub struct Keeper {
    /// Where the store is opened from; `None` for a store given as it is.
    location: Option<Location>,
    upkeep: Option<Upkeep>,
    state: RwLock<State>,
    /// One upkeep or close at a time (held across awaits, unlike `state`, which is never).
    turn: tokio::sync::Mutex<()>,
    notices: Notices,
}

struct State {
    current: Result<Store, StoreError>,
    /// The file the open store was opened on, and its log files (`-wal`, `-shm`).
    file: Option<FileId>,
    sidecars: [Option<FileId>; 2],
    /// When upkeep is next due; `None`: at the first chance.
    due: Option<i64>,
    /// Failed attempts to open it since it last worked.
    failures: u32,
    /// PostgreSQL: whether the server answered at the last upkeep.
    answering: bool,
    closed: bool,
}

impl Keeper {
    /// A keeper of `store` as it is: no upkeep (nothing to reopen from), closed on [`Keeper::close`].
    pub fn fixed(store: Result<Store, StoreError>) -> Keeper {
        Keeper::with(None, None, store)
    }

    /// Opens the database at `location` (as [`Store::connect`]); if that fails the bot goes on without scores, and
    /// upkeep tries again with backoff.
    pub async fn open(location: &Location, upkeep: Upkeep) -> Keeper {
        let store = Store::connect(location).await;
        Keeper::with(Some(location.clone()), Some(upkeep), store)
    }

    fn with(location: Option<Location>, upkeep: Option<Upkeep>, current: Result<Store, StoreError>) -> Keeper {
        let (file, sidecars) = match (location.as_ref().and_then(Location::file), &current) {
            (Some(p), Ok(_)) => (sqlite::file_id(p).ok().flatten(), sqlite::sidecar_ids(p)),
            _ => (None, [None; 2]),
        };
        Keeper {
            location,
            upkeep,
            state: RwLock::new(State {
                current,
                file,
                sidecars,
                due: None,
                failures: 0,
                answering: true,
                closed: false,
            }),
            turn: tokio::sync::Mutex::new(()),
            notices: Notices::default(),
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The store to use now, or why there is none. Cheap: the store is shared, not copied.
    pub fn current(&self) -> Result<Store, StoreError> {
        self.read().current.clone()
    }

    /// What players should be told about their scores.
    pub fn notices(&self) -> &Notices {
        &self.notices
    }

    /// When [`Keeper::upkeep`] has something to do (`i64::MIN`: at once); `None` for a keeper without upkeep.
    pub fn next_due(&self) -> Option<i64> {
        self.upkeep?;
        let s = self.read();
        (!s.closed).then(|| s.due.unwrap_or(i64::MIN))
    }

    /// Whatever upkeep is due at `now`: check the file and checkpoint (or ask the server whether it answers), or try
    /// to open the store again. Returns at once when nothing is due, or when another upkeep is under way.
    pub async fn upkeep(&self, now: i64) {
        let (Some(location), Some(upkeep)) = (&self.location, self.upkeep) else {
            return;
        };
        let Ok(_turn) = self.turn.try_lock() else {
            return;
        };
        let (current, opened_on) = {
            let s = self.read();
            if s.closed || s.due.is_some_and(|d| now < d) {
                return;
            }
            (s.current.clone(), s.file)
        };
        match (location, current) {
            (Location::File(path), Ok(store)) => self.check(path, store, opened_on, now, upkeep).await,
            (Location::Postgres(_), Ok(store)) => self.ask(&store, now, upkeep).await,
            (location, Err(_)) => self.reopen(location, now, upkeep).await,
        }
    }

    /// The server of an open PostgreSQL store: does it answer? Said in the log when that changes.
    async fn ask(&self, store: &Store, now: i64, upkeep: Upkeep) {
        let answer = store.ping().await;
        let mut s = self.write();
        match (&answer, s.answering) {
            (Err(e), true) => tracing::warn!("scores cannot be saved right now: {e}"),
            (Ok(()), false) => tracing::info!("the score database {} answers again", store.path()),
            _ => {}
        }
        s.answering = answer.is_ok();
        s.due = Some(now + upkeep.checkpoint_ms);
    }

    /// The open store: still the file it was opened on? Then a checkpoint.
    async fn check(&self, path: &Path, store: Store, opened_on: Option<FileId>, now: i64, upkeep: Upkeep) {
        match sqlite::file_id(path) {
            Ok(Some(found)) if opened_on.is_none_or(|o| o == found) => {
                match store.checkpoint().await {
                    Ok(true) => tracing::debug!("score database checkpointed"),
                    Ok(false) => tracing::debug!("checkpoint left for later: another process is using the database"),
                    Err(e) => tracing::warn!("the regular checkpoint of the score database failed: {e}"),
                }
                let mut s = self.write();
                s.file = Some(found);
                s.sidecars = sqlite::sidecar_ids(path);
                s.due = Some(now + upkeep.checkpoint_ms);
            }
            Ok(found) => self.lost(path, store, found.is_some(), now, upkeep).await,
            Err(e) => {
                tracing::warn!("cannot look at the score database file {}: {e}", path.display());
                self.write().due = Some(now + upkeep.checkpoint_ms);
            }
        }
    }

    /// The store could not be opened: try again (for a file, a quick probe of the lock first).
    async fn reopen(&self, location: &Location, now: i64, upkeep: Upkeep) {
        let opened = match location {
            Location::File(path) => match sqlite::probe(path).await {
                Ok(()) => Store::open(path).await,
                Err(e) => Err(e),
            },
            Location::Postgres(_) => Store::connect(location).await,
        };
        let mut s = self.write();
        match opened {
            Ok(store) => {
                tracing::info!("the score database {location} can be used again: scores are kept from now on");
                if let Some(path) = location.file() {
                    s.file = sqlite::file_id(path).ok().flatten();
                    s.sidecars = sqlite::sidecar_ids(path);
                }
                s.answering = true;
                s.current = Ok(store);
                s.failures = 0;
                s.due = Some(now + upkeep.checkpoint_ms);
            }
            Err(e) => {
                s.failures = s.failures.saturating_add(1);
                let wait = retry_wait(upkeep, s.failures);
                tracing::warn!(
                    "scores are not being kept: {e}; trying again in {} s",
                    (wait + 999) / 1000
                );
                s.current = Err(e);
                s.due = Some(now + wait);
            }
        }
    }

    /// The path no longer leads to the store's file: save what the old file held, open the path again, say so.
    async fn lost(&self, path: &Path, old: Store, replaced: bool, now: i64, upkeep: Upkeep) {
        let (what, kind) = if replaced {
            ("was replaced by another file", "replaced")
        } else {
            ("was deleted", "deleted")
        };
        let shown = path.display();
        // From here on commands get no store (and say scores are not being kept) until the new one is open.
        let ours = {
            let mut s = self.write();
            s.current = Err(StoreError::Io {
                path: shown.to_string(),
                reason: format!("the file {what} while the bot was running; it is being opened again"),
            });
            s.sidecars
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let copy = saved_copy_name(path, kind, now);
        let saved = old.save_and_close(&copy).await;
        sqlite::remove_stale_sidecars(path, ours);
        let fresh = Store::open(path).await;
        let kept = match &saved {
            Ok(()) => format!(
                "everything it held until now is saved in {}: to get it back, stop the bot and move that file to {shown}",
                copy.display()
            ),
            Err(e) => format!("what it held could not be saved ({e}): it is lost unless you have a backup"),
        };
        let now_where = match (&fresh, replaced) {
            (Ok(_), false) => "a new, empty database was made there".to_string(),
            (Ok(_), true) => "scores now go to the file that is there".to_string(),
            (Err(e), _) => format!("no database could be opened there ({e}); trying again"),
        };
        tracing::error!("the score database {shown} {what} while the bot was running: {kept}; {now_where}");
        self.notices.set(player_notice(replaced, saved.is_ok()));
        let mut s = self.write();
        match fresh {
            Ok(store) => {
                s.file = sqlite::file_id(path).ok().flatten();
                s.sidecars = sqlite::sidecar_ids(path);
                s.current = Ok(store);
                s.failures = 0;
                s.due = Some(now + upkeep.checkpoint_ms);
            }
            Err(e) => {
                s.current = Err(e);
                s.failures = 1;
                s.due = Some(now + upkeep.first_retry_ms);
            }
        }
    }

    /// Checkpoints and closes the store; later calls get [`StoreError::Closed`]. Waits for an upkeep under way.
    pub async fn close(&self) {
        let _turn = self.turn.lock().await;
        let current = {
            let mut s = self.write();
            if s.closed {
                return;
            }
            s.closed = true;
            std::mem::replace(&mut s.current, Err(StoreError::Closed))
        };
        if let Ok(store) = current {
            store.close().await;
        }
    }
}

impl From<Result<Store, StoreError>> for Keeper {
    fn from(store: Result<Store, StoreError>) -> Keeper {
        Keeper::fixed(store)
    }
}

/// How long to wait before the `failures`th retry: doubling from the first wait, up to the longest.
fn retry_wait(upkeep: Upkeep, failures: u32) -> i64 {
    let doublings = failures.saturating_sub(1).min(30);
    upkeep
        .first_retry_ms
        .saturating_mul(1 << doublings)
        .min(upkeep.longest_retry_ms)
        .max(1)
}

/// Where the copy of a lost database goes: beside it, named for what happened and when (`scores.deleted-20250101-
/// 120000.db`), never over an existing file.
fn saved_copy_name(path: &Path, kind: &str, now: i64) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "scores".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or_else(|| "db".into(), |e| e.to_string_lossy().into_owned());
    let secs = now.rem_euclid(crate::clock::DAY_MS) / 1000;
    let when = format!(
        "{}-{:02}{:02}{:02}",
        crate::clock::date_string(now).replace('-', ""),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let candidate = path.with_file_name(format!("{stem}.{kind}-{when}{suffix}.{ext}"));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// What players read in the next game after the database file went away under the bot.
fn player_notice(replaced: bool, saved: bool) -> String {
    let what = if replaced {
        "The score database was replaced while the bot was running: scores now go to the new one"
    } else {
        "The score database was deleted while the bot was running: scores start again in a new, empty one, so the \
         leaderboard starts from zero"
    };
    let kept = if saved {
        "The old scores are not lost: the bot's owner has a copy and can put it back."
    } else {
        "The old scores are lost unless the bot's owner has a backup."
    };
    format!("⚠ {what}. {kept}")
}

/// What players are told about their scores, once in each server: set when something happened to the database.
#[derive(Default)]
pub struct Notices(Mutex<Option<Notice>>);

struct Notice {
    text: String,
    told: HashSet<u64>,
}

impl Notices {
    /// The notice for `guild`, if it has not heard it yet (then it has).
    pub fn for_guild(&self, guild: u64) -> Option<String> {
        let mut n = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let notice = n.as_mut()?;
        notice.told.insert(guild).then(|| notice.text.clone())
    }

    fn set(&self, text: String) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Notice {
            text,
            told: HashSet::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_longest() {
        let u = Upkeep::default();
        let waits: Vec<i64> = (1..=9).map(|f| retry_wait(u, f)).collect();
        assert_eq!(
            waits,
            [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]
        );
        assert_eq!(retry_wait(u, u32::MAX), 60_000);
    }

    #[test]
    fn the_saved_copy_is_named_for_what_happened_and_when_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("rendezvous.db");
        // 2025-01-01T12:34:56Z
        let now = 1_735_734_896_000;
        let first = saved_copy_name(&db, "deleted", now);
        assert_eq!(first, dir.path().join("rendezvous.deleted-20250101-123456.db"));
        std::fs::write(&first, b"x").unwrap();
        assert_eq!(
            saved_copy_name(&db, "deleted", now),
            dir.path().join("rendezvous.deleted-20250101-123456-2.db")
        );
    }

    #[test]
    fn each_server_hears_a_notice_once() {
        let n = Notices::default();
        assert_eq!(n.for_guild(1), None);
        n.set("gone".into());
        assert_eq!(n.for_guild(1).as_deref(), Some("gone"));
        assert_eq!(n.for_guild(1), None);
        assert_eq!(n.for_guild(2).as_deref(), Some("gone"));
        n.set("again".into());
        assert_eq!(n.for_guild(1).as_deref(), Some("again"));
    }
}
