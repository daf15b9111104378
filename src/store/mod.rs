//! The score store: trivia points, game history and community events, kept in SQLite through sqlx.
//!
//! It knows nothing of Discord or of the trivia engine: plain ids and numbers go in, plain rows come out, so the
//! Discord layer, the console and the tests all drive it the same way.
//!
//! Why it is built this way:
//! - Points are written as they are earned: [`Store::record_answer`] is one transaction per answer, so a crash in the
//!   middle of a game loses nothing already scored. An answer is keyed by (game, round, user), so recording it twice
//!   counts it once and a retry after [`StoreError::Locked`] is safe.
//! - Writes go through a pool of exactly one connection: writers in this process queue in order instead of racing
//!   for SQLite's write lock. Reads have their own small pool and, with WAL, never wait for a writer. The busy
//!   timeout (2 s) only comes into play against another process; then the caller gets `Locked`, not a hang.
//! - Every write transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up front (waiting on the busy
//!   timeout), so a transaction never fails half-way when it upgrades from reading to writing.
//! - Discord ids and seeds are `u64`, SQLite integers `i64`: they are stored as the same 64 bits.
//! - The schema is plain SQL in `migrations/`, embedded in the binary, applied in order, each in its own
//!   transaction, and recorded in `schema_migrations`; a file written by a newer build is refused, not altered.
//! - Event configuration and state are JSON text owned by the caller; the store keeps them and never looks inside.
//! - A running bot holds its store through a [`Keeper`], which can swap it while commands run (a command works on
//!   the store it started with): reopened with backoff when it could not be opened, made anew when its file was
//!   deleted, checkpointed regularly, and closed (checkpoint first) on every way out.
//!
//! # Layout
//! - this file: [`Store`]: opening (and creating) the database, its connections, and the internals every operation
//!   shares.
//! - [`error`]: [`StoreError`], what went wrong, by kind, worded for the person running the bot.
//! - [`schema`]: the migrations, embedded and applied in order.
//! - [`keeper`]: [`Keeper`], the store a running bot uses, kept open: upkeep on the front end's clock, reopening,
//!   and what players are told when their scores were affected ([`Notices`]).
//! - [`sqlite`]: what only SQLite has: WAL checkpoints, `VACUUM INTO` copies ([`backup`]), the file's identity.
//! - [`trivia`]: games, answers, leaderboards, stats, resets and forgetting a player.
//! - [`events`]: community events: their rows, players, hosts, answers and state.
//! - [`questions`]: what play teaches about questions: answer counts, recent questions per server, reports.
//! - [`packs`]: teachers' question packs, per server: each one's file, saved, replaced and removed whole.

mod error;
mod events;
mod keeper;
mod packs;
mod questions;
mod schema;
mod server;
mod sqlite;
mod trivia;

pub use error::StoreError;
pub use events::{EventAnswer, EventAnswerRow, EventPlayer, EventRow, NewEvent};
pub use keeper::{Keeper, Notices, Upkeep};
pub use packs::{NewPack, PackInfo, PackRow, Saved};
pub use questions::{QuestionHistory, ReportReason, ReportRow};
pub use server::{DailyAnswer, DailyPost, DailySchedule, DailyStreak, ServerSettings};
pub use sqlite::{backup, Backup, BackupError};
pub use trivia::{AnswerRecord, GameRow, LeaderRow, NewGame};

use error::classify;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long a statement waits for another process's lock before giving up with [`StoreError::Locked`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a caller waits for this process's writer connection (it is queued behind other writes).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Read connections for a file database.
const READERS: u32 = 4;

/// The score store. Cloning is cheap: clones share the connections.
#[derive(Clone, Debug)]
pub struct Store {
    /// One connection: every write goes through it, in order.
    write: SqlitePool,
    /// Reads; the same pool as `write` for an in-memory database.
    read: SqlitePool,
    /// The path as shown in messages.
    path: Arc<str>,
    /// Which opening this is: every [`Store::open`] gets a new number, so a game knows whether the store it is
    /// given is the one it started on.
    instance: u64,
}

/// Numbers each opened store.
static OPENED: AtomicU64 = AtomicU64::new(1);

fn next_instance() -> u64 {
    OPENED.fetch_add(1, Ordering::Relaxed)
}

/// Errors inside an operation: SQLite's, or the store's own, mapped with the path at the end.
enum Fail {
    Sql(sqlx::Error),
    Store(StoreError),
}

impl From<sqlx::Error> for Fail {
    fn from(e: sqlx::Error) -> Self {
        Fail::Sql(e)
    }
}

type Tx = Transaction<'static, Sqlite>;

impl Store {
    /// Opens (or creates, with its directory) the database at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        let shown: Arc<str> = path.display().to_string().into();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: shown.to_string(),
                reason: format!("cannot create the directory {}: {e}", dir.display()),
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .synchronous(SqliteSynchronous::Normal);
        // WAL is a property of the file: set by the writer once, then every connection uses it. The writer is the
        // one connection opened now and kept for the store's life: were it reopened by path (as a pool renews old
        // connections), a file deleted or replaced meanwhile would be written to with the old file's log.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(
                options
                    .clone()
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal),
            )
            .await
            .map_err(|e| classify(&shown, e))?;
        // Readers open as needed, and never make a file: a reader opened after the file was deleted fails.
        let read = SqlitePoolOptions::new()
            .max_connections(READERS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        let store = Store {
            write,
            read,
            path: shown,
            instance: next_instance(),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// A fresh database in memory, for tests: one connection that lives as long as the store.
    pub async fn open_in_memory() -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::new()
            .in_memory(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let path: Arc<str> = ":memory:".into();
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(|e| classify(&path, e))?;
        let store = Store {
            write: pool.clone(),
            read: pool,
            path,
            instance: next_instance(),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// The database's path as shown in messages (`:memory:` for an in-memory one).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Which opening of a database this is: different for every [`Store::open`], the same for clones.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// Folds the write-ahead log into the database file (a checkpoint), then closes every connection, waiting for
    /// those in use. Later calls fail. After it the database file alone holds every score: a plain copy of it is a
    /// whole backup.
    pub async fn close(&self) {
        if let Err(e) = self.checkpoint().await {
            tracing::warn!("closing the score database: the last checkpoint failed ({e})");
        }
        self.read.close().await;
        self.write.close().await;
    }

    /// The schema versions applied, in order.
    pub async fn schema_versions(&self) -> Result<Vec<i64>, StoreError> {
        self.run(async {
            let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
                .fetch_all(&self.read)
                .await?;
            Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
        })
        .await
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    /// Runs an operation and words its error for a person.
    async fn run<T>(&self, op: impl Future<Output = Result<T, Fail>>) -> Result<T, StoreError> {
        op.await.map_err(|f| match f {
            Fail::Sql(e) => classify(&self.path, e),
            Fail::Store(e) => e,
        })
    }

    /// A write transaction holding the write lock from its first statement.
    async fn begin(&self) -> Result<Tx, sqlx::Error> {
        self.write.begin_with("BEGIN IMMEDIATE").await
    }

    fn missing(&self, what: &'static str, id: i64) -> Fail {
        Fail::Store(StoreError::NotFound {
            what,
            id,
            path: self.path.to_string(),
        })
    }

    async fn event_exists(&self, tx: &mut Tx, event_id: i64) -> Result<(), Fail> {
        let found = sqlx::query("SELECT 1 FROM events WHERE id = ?")
            .bind(event_id)
            .fetch_optional(&mut **tx)
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(self.missing("event", event_id)),
        }
    }

    /// Turns event rows into [`EventRow`]s, reading each one's hosts and players.
    async fn events_with_people(&self, rows: Vec<SqliteRow>) -> Result<Vec<EventRow>, Fail> {
        let mut events = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.get("id");
            let hosts = sqlx::query("SELECT user_id FROM event_hosts WHERE event_id = ? ORDER BY user_id")
                .bind(id)
                .fetch_all(&self.read)
                .await?
                .iter()
                .map(|h| uid(h.get(0)))
                .collect();
            let players =
                sqlx::query("SELECT user_id, user_name, team FROM event_players WHERE event_id = ? ORDER BY rowid")
                    .bind(id)
                    .fetch_all(&self.read)
                    .await?
                    .iter()
                    .map(|p| EventPlayer {
                        user_id: uid(p.get(0)),
                        user_name: p.get(1),
                        team: p.get(2),
                    })
                    .collect();
            events.push(EventRow {
                id,
                guild_id: uid(r.get("guild_id")),
                channel_id: uid(r.get("channel_id")),
                name: r.get("name"),
                hosts,
                seed: uid(r.get("seed")),
                config_json: r.get("config"),
                state_json: r.get("state"),
                round: count(r.get("current_round")),
                created_at_ms: r.get("created_at_ms"),
                ended_at_ms: r.get("ended_at_ms"),
                players,
            });
        }
        Ok(events)
    }
}

/// A Discord id or seed as SQLite stores it: the same 64 bits.
fn sid(v: u64) -> i64 {
    v as i64
}

/// The inverse of [`sid`].
fn uid(v: i64) -> u64 {
    v as u64
}

/// A count or round read back (never negative, never near `u32::MAX` in practice).
fn count(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// Ids from `group_concat`, ascending.
fn id_list(text: Option<String>) -> Vec<u64> {
    let mut ids: Vec<u64> = text
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.trim().parse::<i64>().ok())
        .map(uid)
        .collect();
    ids.sort_unstable();
    ids
}

/// When a schema step was applied: the wall clock.
pub(crate) use crate::clock::wall_ms as now_ms;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_all_64_bits() {
        for v in [0, 1, 1_234_567_890_123_456_789, u64::MAX, 1 << 63] {
            assert_eq!(uid(sid(v)), v);
        }
        assert_eq!(id_list(Some("3,-1,2".into())), vec![2, 3, u64::MAX]);
        assert_eq!(id_list(None), Vec::<u64>::new());
    }

    #[test]
    fn messages_say_what_to_do() {
        let corrupt = StoreError::Corrupt {
            path: "scores.db".into(),
        }
        .to_string();
        assert!(corrupt.starts_with("scores.db is not a Rendezvous database (file is corrupt or not SQLite)"));
        assert!(corrupt.contains("point `database` at a new path"));
        let locked = StoreError::Locked {
            path: "scores.db".into(),
        }
        .to_string();
        assert!(locked.contains("busy or locked by another process"));
    }

    #[tokio::test]
    async fn in_memory_store_migrates_and_persists_across_calls() {
        let store = Store::open_in_memory().await.unwrap();
        assert_eq!(store.schema_versions().await.unwrap(), vec![1, 2, 3, 4, 5]);
        let game = store
            .start_game(NewGame {
                guild_id: 1,
                channel_id: 2,
                started_by: 3,
                started_at_ms: 0,
                rounds: 1,
                category: None,
                difficulty: None,
                seed: u64::MAX,
            })
            .await
            .unwrap();
        let games = store.recent_games(1, 10).await.unwrap();
        assert_eq!(games.len(), 1);
        assert_eq!(games[0].id, game);
        assert_eq!(games[0].seed, u64::MAX);
    }
}
