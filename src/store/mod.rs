//! The score store: trivia points, game history, community events and each server's own settings, kept in SQLite
//! (a file: the default, nothing to set up) or PostgreSQL (a server several processes share), through sqlx.
//!
//! It knows nothing of Discord or of the trivia engine: plain ids and numbers go in, plain rows come out, so the
//! Discord layer, the console and the tests all drive it the same way.
//!
//! Why it is built this way:
//! - One set of statements for both databases: sqlx's `any` driver, `$N` parameters, integers as 64-bit `BIGINT`,
//!   booleans stored as 0 and 1, sums cast back to `BIGINT`, `RETURNING id`, `ON CONFLICT`. The schema differs only
//!   where the two speak differently (ids, `WITHOUT ROWID`): a second set of migration files for PostgreSQL.
//! - Points are written as they are earned: [`Store::record_answer`] is one transaction per answer, so a crash in the
//!   middle of a game loses nothing already scored. An answer is keyed by (game, round, user), so recording it twice
//!   counts it once, a retry after an error is safe, and two processes can never both count one answer: what holds
//!   is the database's unique key, not a check in memory. Game and event endings are one conditional `UPDATE`.
//! - SQLite: writes go through a pool of exactly one connection: writers in this process queue in order instead of
//!   racing for SQLite's write lock. Reads have their own small pool and, with WAL, never wait for a writer. The busy
//!   timeout (2 s) only comes into play against another process; then the caller gets `Locked`, not a hang. Every
//!   write transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up front, so a transaction never fails
//!   half-way when it upgrades from reading to writing.
//! - PostgreSQL: one pool (`database_pool` connections) for reads and writes; transactions are `READ COMMITTED`,
//!   which the statements are written for (conditional updates, upserts, unique keys). Migrations hold an advisory
//!   lock, so processes starting together apply each step once.
//! - Discord ids and seeds are `u64`, the databases' integers `i64`: they are stored as the same 64 bits.
//! - The schema is plain SQL in `migrations/`, embedded in the binary, applied in order, each in its own
//!   transaction, and recorded in `schema_migrations`; a database written by a newer build is refused, not altered.
//! - Event configuration and state are JSON text owned by the caller; the store keeps them and never looks inside.
//! - A running bot holds its store through a [`Keeper`], which can swap it while commands run (a command works on
//!   the store it started with): reopened with backoff when it could not be opened (a locked file, a server that is
//!   down), made anew when its file was deleted, checkpointed regularly, and closed (checkpoint first) on every way
//!   out.
//!
//! # Layout
//! - this file: [`Store`]: opening a database of either kind, and the internals every operation shares.
//! - [`location`]: [`Location`], where the scores are kept (a path or a `postgres://` URL), read and shown without
//!   the password.
//! - [`error`]: [`StoreError`], what went wrong, by kind, worded for the person running the bot.
//! - [`schema`]: the migrations, embedded and applied in order.
//! - [`keeper`]: [`Keeper`], the store a running bot uses, kept open: upkeep on the front end's clock, reopening,
//!   and what players are told when their scores were affected ([`Notices`]).
//! - [`sqlite`]: what only SQLite has: opening a file, WAL checkpoints, `VACUUM INTO` copies ([`backup`]), the file's
//!   identity.
//! - [`postgres`]: what only PostgreSQL has: connecting to a server, and its errors.
//! - [`copy`]: `rendezvous migrate-store`, every table of a SQLite file copied into another store.
//! - [`trivia`]: games, answers, leaderboards, stats, resets and forgetting a player.
//! - [`events`]: community events: their rows, players, hosts, answers and state.
//! - [`questions`]: what play teaches about questions: answer counts, recent questions per server, reports.
//! - [`server`]: a server's settings and its question of the day.
//! - [`packs`]: teachers' question packs, per server: each one's file, saved, replaced and removed whole.

mod copy;
mod error;
mod events;
mod keeper;
mod location;
mod packs;
mod postgres;
mod questions;
mod schema;
mod server;
mod sqlite;
mod trivia;

pub use copy::{migrate_store, Copied, CopyError, TableCopy};
pub use error::StoreError;
pub use events::{EventAnswer, EventAnswerRow, EventPlayer, EventRow, NewEvent};
pub use keeper::{Keeper, Notices, Upkeep};
pub use location::{redact, Location, LocationError, PgUrl, DEFAULT_POOL, MAX_POOL};
pub use packs::{NewPack, PackInfo, PackRow, Saved};
pub use questions::{QuestionHistory, ReportReason, ReportRow};
pub use server::{DailyAnswer, DailyPost, DailySchedule, DailyStreak, ServerSettings};
pub use sqlite::{backup, Backup, BackupError};
pub use trivia::{AnswerRecord, GameRow, LeaderRow, NewGame};

use error::classify;
use sqlx::any::AnyRow;
use sqlx::AnyPool;
use sqlx::{Any, Row, Transaction};
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long a statement waits for another process's lock before giving up with [`StoreError::Locked`] (SQLite).
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a caller waits for a connection: SQLite's writer (queued behind other writes), or one of the
/// PostgreSQL pool's (all busy, or the server not answering).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Which database a store is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The score store. Cloning is cheap: clones share the connections.
#[derive(Clone, Debug)]
pub struct Store {
    /// SQLite: one connection, every write goes through it, in order. PostgreSQL: the pool.
    write: AnyPool,
    /// Reads; the same pool as `write` for PostgreSQL and for an in-memory database.
    read: AnyPool,
    /// Where it is, as shown in messages (a URL without its password).
    path: Arc<str>,
    /// Which opening this is: every opening gets a new number, so a game knows whether the store it is given is the
    /// one it started on.
    instance: u64,
    backend: Backend,
}

/// Numbers each opened store.
static OPENED: AtomicU64 = AtomicU64::new(1);

fn next_instance() -> u64 {
    OPENED.fetch_add(1, Ordering::Relaxed)
}

/// The `any` driver learns the databases it speaks once per process.
fn drivers() {
    sqlx::any::install_default_drivers();
}

/// Errors inside an operation: the database's, or the store's own, mapped with the path at the end.
enum Fail {
    Sql(sqlx::Error),
    Store(StoreError),
}

impl From<sqlx::Error> for Fail {
    fn from(e: sqlx::Error) -> Self {
        Fail::Sql(e)
    }
}

type Tx = Transaction<'static, Any>;

impl Store {
    /// Opens (or creates, with its directory) the SQLite database at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        let store = sqlite::open_file(path).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database at `location`: a SQLite file (as [`Store::open`]) or a PostgreSQL server, whose schema is
    /// brought up to date.
    pub async fn connect(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::File(path) => Store::open(path).await,
            Location::Postgres(url) => {
                let store = postgres::connect(url).await?;
                store.migrate().await?;
                Ok(store)
            }
        }
    }

    /// A fresh SQLite database in memory, for tests: one connection that lives as long as the store.
    pub async fn open_in_memory() -> Result<Store, StoreError> {
        let store = sqlite::open_memory().await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Where the database is, as shown in messages: the file's path (`:memory:` for an in-memory one), or the URL
    /// without its password.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Which opening of a database this is: different for every opening, the same for clones.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// Closes every connection, waiting for those in use; later calls fail. SQLite first folds the write-ahead log
    /// into the database file (a checkpoint): after it the file alone holds every score, and a plain copy of it is a
    /// whole backup.
    pub async fn close(&self) {
        if let Err(e) = self.checkpoint().await {
            tracing::warn!("closing the score database: the last checkpoint failed ({e})");
        }
        self.read.close().await;
        self.write.close().await;
    }

    /// Whether the database answers now.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(async {
            sqlx::query("SELECT 1").fetch_one(&self.read).await?;
            Ok(())
        })
        .await
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
            Fail::Sql(e) => classify(&self.path, self.backend, e),
            Fail::Store(e) => e,
        })
    }

    /// A write transaction: SQLite's holds the write lock from its first statement; PostgreSQL's is READ COMMITTED,
    /// rows locked as they are written.
    async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }

    fn missing(&self, what: &'static str, id: i64) -> Fail {
        Fail::Store(StoreError::NotFound {
            what,
            id,
            path: self.path.to_string(),
        })
    }

    async fn event_exists(&self, tx: &mut Tx, event_id: i64) -> Result<(), Fail> {
        let found = sqlx::query("SELECT 1 FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_optional(&mut **tx)
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(self.missing("event", event_id)),
        }
    }

    /// Turns event rows into [`EventRow`]s, reading each one's hosts and players.
    async fn events_with_people(&self, rows: Vec<AnyRow>) -> Result<Vec<EventRow>, Fail> {
        let mut events = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.get("id");
            let hosts = sqlx::query("SELECT user_id FROM event_hosts WHERE event_id = $1 ORDER BY user_id")
                .bind(id)
                .fetch_all(&self.read)
                .await?
                .iter()
                .map(|h| uid(h.get(0)))
                .collect();
            // In the order they joined: SQLite's rowid, a column of that name on PostgreSQL.
            let players =
                sqlx::query("SELECT user_id, user_name, team FROM event_players WHERE event_id = $1 ORDER BY rowid")
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

/// A Discord id or seed as the database stores it: the same 64 bits.
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

/// A boolean as stored: 0 or 1.
fn flag(v: bool) -> i64 {
    i64::from(v)
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
        assert_eq!((flag(true), flag(false)), (1, 0));
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
