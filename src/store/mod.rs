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

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};
use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a statement waits for another process's lock before giving up with [`StoreError::Locked`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a caller waits for this process's writer connection (it is queued behind other writes).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Read connections for a file database.
const READERS: u32 = 4;

/// One step of the schema, applied once, in order.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "scores",
        sql: include_str!("migrations/0001_scores.sql"),
    },
    Migration {
        version: 2,
        name: "events",
        sql: include_str!("migrations/0002_events.sql"),
    },
];

/// What went wrong with the database, worded for the person running the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// Another connection held the database's lock for longer than the busy timeout.
    Locked { path: String },
    /// The file is not a SQLite database, or SQLite found it damaged.
    Corrupt { path: String },
    /// The file or its directory could not be created, opened, read or written.
    Io { path: String, reason: String },
    /// The file was written by a newer Rendezvous, with schema steps this build does not know.
    Newer { path: String, found: i64, known: i64 },
    /// Anything else: a missing game or event, or a message from SQLite.
    Other(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Locked { path } => write!(
                f,
                "the database {path} is busy or locked by another process (another Rendezvous or a tool using the \
                 same file): try again in a moment, and if it lasts, stop the other process"
            ),
            StoreError::Corrupt { path } => write!(
                f,
                "{path} is not a Rendezvous database (file is corrupt or not SQLite): move it aside or point \
                 `database` at a new path"
            ),
            StoreError::Io { path, reason } => write!(
                f,
                "cannot use the database {path}: {reason}: check the path, its permissions and the free disk space, \
                 or point `database` at another path"
            ),
            StoreError::Newer { path, found, known } => write!(
                f,
                "{path} was written by a newer Rendezvous (schema version {found}; this build knows up to {known}): \
                 run the newer Rendezvous, or point `database` at a new path"
            ),
            StoreError::Other(message) => write!(f, "database error: {message}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// A trivia game as it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGame {
    pub guild_id: u64,
    pub channel_id: u64,
    pub started_by: u64,
    pub started_at_ms: i64,
    pub rounds: u32,
    pub category: Option<String>,
    pub difficulty: Option<String>,
    pub seed: u64,
}

/// One scored answer in a game.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerRecord {
    pub game_id: i64,
    pub guild_id: u64,
    pub user_id: u64,
    /// The display name now; the player's row keeps the latest one.
    pub user_name: String,
    pub round: u32,
    pub right: bool,
    pub points: i64,
    /// The player's streak after this answer.
    pub streak: u32,
    pub at_ms: i64,
}

/// One line of a leaderboard, or one player's stats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderRow {
    /// 1-based position on the board asked for (the all-time board for [`Store::player_stats`]).
    pub rank: u32,
    pub user_id: u64,
    pub user_name: String,
    pub points: i64,
    pub right: u32,
    pub answered: u32,
    /// Finished games played.
    pub games: u32,
    pub wins: u32,
    pub best_streak: u32,
}

/// One game in a guild's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GameRow {
    pub id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    /// `None` once the starter asked to be forgotten.
    pub started_by: Option<u64>,
    pub started_at_ms: i64,
    /// `None` while the game runs, or if the bot stopped before it ended.
    pub ended_at_ms: Option<i64>,
    pub rounds: u32,
    pub category: Option<String>,
    pub difficulty: Option<String>,
    pub seed: u64,
    /// How many played it (known once it ended).
    pub players: u32,
    /// Who won it, by id.
    pub winners: Vec<u64>,
}

/// A community event as a host creates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub guild_id: u64,
    pub channel_id: u64,
    pub name: String,
    pub hosts: Vec<u64>,
    pub seed: u64,
    /// The caller's configuration, as JSON text.
    pub config_json: String,
    pub created_at_ms: i64,
}

/// A player who joined an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventPlayer {
    pub user_id: u64,
    pub user_name: String,
    pub team: Option<String>,
}

/// An event as stored: enough to list it, resume it after a restart, or export it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    pub id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    pub name: String,
    /// Host ids, ascending.
    pub hosts: Vec<u64>,
    pub seed: u64,
    pub config_json: String,
    /// The caller's state, as last saved (`null` before the first save).
    pub state_json: String,
    pub round: u32,
    pub created_at_ms: i64,
    /// `None` while the event is open.
    pub ended_at_ms: Option<i64>,
    /// Players in the order they joined.
    pub players: Vec<EventPlayer>,
}

/// One player's answer to one round of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventAnswer {
    pub event_id: i64,
    pub round: u32,
    pub question_id: String,
    pub user_id: u64,
    /// The choice or the typed text, as given.
    pub answer: String,
    pub right: bool,
    /// Time taken to answer.
    pub time_ms: u32,
    pub points: i64,
}

/// An event answer with the player's name and team, for the CSV export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventAnswerRow {
    pub round: u32,
    pub question_id: String,
    pub user_id: u64,
    /// Empty if the player never joined (or asked to be forgotten since).
    pub user_name: String,
    pub team: Option<String>,
    pub answer: String,
    pub right: bool,
    pub time_ms: u32,
    pub points: i64,
}

/// The score store. Cloning is cheap: clones share the connections.
#[derive(Clone, Debug)]
pub struct Store {
    /// One connection: every write goes through it, in order.
    write: SqlitePool,
    /// Reads; the same pool as `write` for an in-memory database.
    read: SqlitePool,
    /// The path as shown in messages.
    path: Arc<str>,
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
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .synchronous(SqliteSynchronous::Normal);
        // WAL is a property of the file: set by the writer once, then every connection uses it.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone().journal_mode(SqliteJournalMode::Wal))
            .await
            .map_err(|e| classify(&shown, e))?;
        let read = SqlitePoolOptions::new()
            .max_connections(READERS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        let store = Store {
            write,
            read,
            path: shown,
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
        };
        store.migrate().await?;
        Ok(store)
    }

    /// The database's path as shown in messages (`:memory:` for an in-memory one).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Closes every connection, waiting for those in use. Later calls fail.
    pub async fn close(&self) {
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

    // ---- trivia games -------------------------------------------------------------------------------------------

    /// Records a game as it starts; returns its id.
    pub async fn start_game(&self, g: NewGame) -> Result<i64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let id = sqlx::query(
                "INSERT INTO games (guild_id, channel_id, started_by, started_at_ms, rounds, category, difficulty, \
                 seed) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(sid(g.guild_id))
            .bind(sid(g.channel_id))
            .bind(sid(g.started_by))
            .bind(g.started_at_ms)
            .bind(i64::from(g.rounds))
            .bind(g.category)
            .bind(g.difficulty)
            .bind(sid(g.seed))
            .fetch_one(&mut *tx)
            .await?
            .get::<i64, _>(0);
            tx.commit().await?;
            Ok(id)
        })
        .await
    }

    /// Records one answer and adds it to the player's totals in the guild, in one transaction. Returns `false`
    /// (and changes nothing) when this player's answer to this round of this game was already recorded.
    pub async fn record_answer(&self, a: AnswerRecord) -> Result<bool, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let guild = sqlx::query("SELECT guild_id FROM games WHERE id = ?")
                .bind(a.game_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| uid(r.get(0)));
            match guild {
                None => return Err(self.missing("trivia game", a.game_id)),
                Some(g) if g != a.guild_id => {
                    return Err(Fail::Store(StoreError::Other(format!(
                        "trivia game {} belongs to guild {g}, not to guild {}",
                        a.game_id, a.guild_id
                    ))))
                }
                Some(_) => {}
            }
            let inserted = sqlx::query(
                "INSERT INTO answers (game_id, round, user_id, guild_id, correct, points, streak, at_ms) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (game_id, round, user_id) DO NOTHING",
            )
            .bind(a.game_id)
            .bind(i64::from(a.round))
            .bind(sid(a.user_id))
            .bind(sid(a.guild_id))
            .bind(a.right)
            .bind(a.points)
            .bind(i64::from(a.streak))
            .bind(a.at_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !inserted {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO players (guild_id, user_id, user_name, points, answered, correct, best_streak, \
                 updated_at_ms) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7) \
                 ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                   user_name = excluded.user_name, \
                   points = points + excluded.points, \
                   answered = answered + 1, \
                   correct = correct + excluded.correct, \
                   best_streak = MAX(best_streak, excluded.best_streak), \
                   updated_at_ms = MAX(updated_at_ms, excluded.updated_at_ms)",
            )
            .bind(sid(a.guild_id))
            .bind(sid(a.user_id))
            .bind(&a.user_name)
            .bind(a.points)
            .bind(a.right)
            .bind(i64::from(a.streak))
            .bind(a.at_ms)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// Marks a game ended and counts it: a game for each player, a win for each winner (a winner missing from
    /// `players` counts as one). Players who never answered have no row in the guild, so only the game's history
    /// names them. Returns `false` and changes nothing if the game had already ended.
    pub async fn finish_game(
        &self,
        game_id: i64,
        ended_at_ms: i64,
        players: &[u64],
        winners: &[u64],
    ) -> Result<bool, StoreError> {
        let winners: BTreeSet<u64> = winners.iter().copied().collect();
        let everyone: BTreeSet<u64> = players.iter().copied().chain(winners.iter().copied()).collect();
        self.run(async {
            let mut tx = self.begin().await?;
            let row = sqlx::query("SELECT guild_id, ended_at_ms FROM games WHERE id = ?")
                .bind(game_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Err(self.missing("trivia game", game_id));
            };
            if row.get::<Option<i64>, _>(1).is_some() {
                tx.rollback().await?;
                return Ok(false);
            }
            let guild: i64 = row.get(0);
            sqlx::query("UPDATE games SET ended_at_ms = ? WHERE id = ?")
                .bind(ended_at_ms)
                .bind(game_id)
                .execute(&mut *tx)
                .await?;
            for &user in &everyone {
                let won = winners.contains(&user);
                sqlx::query("INSERT INTO game_players (game_id, user_id, won) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                    .bind(game_id)
                    .bind(sid(user))
                    .bind(won)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE players SET games = games + 1, wins = wins + ? WHERE guild_id = ? AND user_id = ?")
                    .bind(i64::from(won))
                    .bind(guild)
                    .bind(sid(user))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// A guild's board, best first (points, then right answers, then user id). All time from the running totals;
    /// with `since_ms`, from the answers given since then (games and wins: games that ended since then).
    pub async fn leaderboard(
        &self,
        guild_id: u64,
        since_ms: Option<i64>,
        limit: u32,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        self.run(async {
            let rows = match since_ms {
                None => {
                    sqlx::query(&format!("{ALL_TIME} ORDER BY rank LIMIT ?2"))
                        .bind(sid(guild_id))
                        .bind(i64::from(limit))
                        .fetch_all(&self.read)
                        .await?
                }
                Some(since) => {
                    sqlx::query(SINCE)
                        .bind(sid(guild_id))
                        .bind(since)
                        .bind(i64::from(limit))
                        .fetch_all(&self.read)
                        .await?
                }
            };
            Ok(rows.iter().map(leader_row).collect())
        })
        .await
    }

    /// A player's all-time totals in a guild, with their rank on the all-time board; `None` if they never answered.
    pub async fn player_stats(&self, guild_id: u64, user_id: u64) -> Result<Option<LeaderRow>, StoreError> {
        self.run(async {
            let row = sqlx::query(&format!("SELECT * FROM ({ALL_TIME}) WHERE user_id = ?2"))
                .bind(sid(guild_id))
                .bind(sid(user_id))
                .fetch_optional(&self.read)
                .await?;
            Ok(row.as_ref().map(leader_row))
        })
        .await
    }

    /// Erases a guild's trivia scores: player totals, answers, and the history of ended games. A game still running
    /// keeps going (its later answers count from zero). Events are not touched. Returns the rows removed.
    pub async fn reset_guild(&self, guild_id: u64) -> Result<u64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let mut removed = 0;
            for sql in [
                "DELETE FROM answers WHERE guild_id = ?1",
                "DELETE FROM game_players WHERE game_id IN \
                 (SELECT id FROM games WHERE guild_id = ?1 AND ended_at_ms IS NOT NULL)",
                "DELETE FROM games WHERE guild_id = ?1 AND ended_at_ms IS NOT NULL",
                "DELETE FROM players WHERE guild_id = ?1",
            ] {
                removed += sqlx::query(sql)
                    .bind(sid(guild_id))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(removed)
        })
        .await
    }

    /// Deletes everything kept about a person, in every guild: scores, answers, game and event participation,
    /// event answers and hosting; games they started stay in their guild's history with no starter. Returns the
    /// rows deleted or cleared.
    pub async fn forget_user(&self, user_id: u64) -> Result<u64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let mut removed = 0;
            for sql in [
                "DELETE FROM answers WHERE user_id = ?1",
                "DELETE FROM game_players WHERE user_id = ?1",
                "DELETE FROM players WHERE user_id = ?1",
                "UPDATE games SET started_by = NULL WHERE started_by = ?1",
                "DELETE FROM event_answers WHERE user_id = ?1",
                "DELETE FROM event_players WHERE user_id = ?1",
                "DELETE FROM event_hosts WHERE user_id = ?1",
            ] {
                removed += sqlx::query(sql)
                    .bind(sid(user_id))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(removed)
        })
        .await
    }

    /// A guild's games, the most recently started first.
    pub async fn recent_games(&self, guild_id: u64, limit: u32) -> Result<Vec<GameRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(
                "SELECT g.id, g.guild_id, g.channel_id, g.started_by, g.started_at_ms, g.ended_at_ms, g.rounds, \
                        g.category, g.difficulty, g.seed, \
                        (SELECT COUNT(*) FROM game_players p WHERE p.game_id = g.id) AS players, \
                        (SELECT group_concat(p.user_id) FROM game_players p WHERE p.game_id = g.id AND p.won = 1) \
                          AS winners \
                 FROM games g WHERE g.guild_id = ? ORDER BY g.started_at_ms DESC, g.id DESC LIMIT ?",
            )
            .bind(sid(guild_id))
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await?;
            Ok(rows
                .iter()
                .map(|r| GameRow {
                    id: r.get("id"),
                    guild_id: uid(r.get("guild_id")),
                    channel_id: uid(r.get("channel_id")),
                    started_by: r.get::<Option<i64>, _>("started_by").map(uid),
                    started_at_ms: r.get("started_at_ms"),
                    ended_at_ms: r.get("ended_at_ms"),
                    rounds: count(r.get("rounds")),
                    category: r.get("category"),
                    difficulty: r.get("difficulty"),
                    seed: uid(r.get("seed")),
                    players: count(r.get("players")),
                    winners: id_list(r.get("winners")),
                })
                .collect())
        })
        .await
    }

    // ---- community events ---------------------------------------------------------------------------------------

    /// Records a new event with its hosts; returns its id.
    pub async fn create_event(&self, e: NewEvent) -> Result<i64, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let id = sqlx::query(
                "INSERT INTO events (guild_id, channel_id, name, seed, config, created_at_ms) \
                 VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(sid(e.guild_id))
            .bind(sid(e.channel_id))
            .bind(&e.name)
            .bind(sid(e.seed))
            .bind(&e.config_json)
            .bind(e.created_at_ms)
            .fetch_one(&mut *tx)
            .await?
            .get::<i64, _>(0);
            for &host in &e.hosts {
                insert_host(&mut tx, id, host).await?;
            }
            tx.commit().await?;
            Ok(id)
        })
        .await
    }

    /// Adds a co-host (no change if they already host it).
    pub async fn add_event_host(&self, event_id: i64, user_id: u64) -> Result<(), StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            self.event_exists(&mut tx, event_id).await?;
            insert_host(&mut tx, event_id, user_id).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Saves the event's current round and the caller's state (JSON text), replacing the previous ones.
    pub async fn save_event_state(&self, event_id: i64, round: u32, state_json: &str) -> Result<(), StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let changed = sqlx::query("UPDATE events SET current_round = ?, state = ? WHERE id = ?")
                .bind(i64::from(round))
                .bind(state_json)
                .bind(event_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(self.missing("event", event_id));
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Adds a player to an event, or updates their name and team if they already joined.
    pub async fn add_event_player(
        &self,
        event_id: i64,
        user_id: u64,
        user_name: &str,
        team: Option<&str>,
    ) -> Result<(), StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            self.event_exists(&mut tx, event_id).await?;
            sqlx::query(
                "INSERT INTO event_players (event_id, user_id, user_name, team) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (event_id, user_id) DO UPDATE SET user_name = excluded.user_name, team = excluded.team",
            )
            .bind(event_id)
            .bind(sid(user_id))
            .bind(user_name)
            .bind(team)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Records a player's answer to a round. Returns `false` (and changes nothing) if they already answered it.
    pub async fn record_event_answer(&self, a: EventAnswer) -> Result<bool, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            self.event_exists(&mut tx, a.event_id).await?;
            let inserted = sqlx::query(
                "INSERT INTO event_answers (event_id, round, user_id, question_id, answer, correct, time_ms, points) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, round, user_id) DO NOTHING",
            )
            .bind(a.event_id)
            .bind(i64::from(a.round))
            .bind(sid(a.user_id))
            .bind(&a.question_id)
            .bind(&a.answer)
            .bind(a.right)
            .bind(i64::from(a.time_ms))
            .bind(a.points)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            tx.commit().await?;
            Ok(inserted)
        })
        .await
    }

    /// Marks an event ended. Returns `false` and changes nothing if it had already ended.
    pub async fn end_event(&self, event_id: i64, ended_at_ms: i64) -> Result<bool, StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            self.event_exists(&mut tx, event_id).await?;
            let changed = sqlx::query("UPDATE events SET ended_at_ms = ? WHERE id = ? AND ended_at_ms IS NULL")
                .bind(ended_at_ms)
                .bind(event_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(changed == 1)
        })
        .await
    }

    /// One event with its hosts and players.
    pub async fn load_event(&self, event_id: i64) -> Result<Option<EventRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(&format!("{EVENT_COLUMNS} WHERE id = ?"))
                .bind(event_id)
                .fetch_all(&self.read)
                .await?;
            Ok(self.events_with_people(rows).await?.pop())
        })
        .await
    }

    /// Every event not yet ended, in every guild, oldest first: what to resume after a restart.
    pub async fn open_events(&self) -> Result<Vec<EventRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(&format!("{EVENT_COLUMNS} WHERE ended_at_ms IS NULL ORDER BY id"))
                .fetch_all(&self.read)
                .await?;
            self.events_with_people(rows).await
        })
        .await
    }

    /// A guild's events, the most recent first.
    pub async fn list_events(&self, guild_id: u64, limit: u32) -> Result<Vec<EventRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(&format!(
                "{EVENT_COLUMNS} WHERE guild_id = ? ORDER BY created_at_ms DESC, id DESC LIMIT ?"
            ))
            .bind(sid(guild_id))
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await?;
            self.events_with_people(rows).await
        })
        .await
    }

    /// Every answer given in an event, by round then user id, with names and teams: the rows of the CSV export.
    pub async fn event_answers(&self, event_id: i64) -> Result<Vec<EventAnswerRow>, StoreError> {
        self.run(async {
            let rows = sqlx::query(
                "SELECT a.round, a.question_id, a.user_id, COALESCE(p.user_name, '') AS user_name, p.team, a.answer, \
                        a.correct, a.time_ms, a.points \
                 FROM event_answers a \
                 LEFT JOIN event_players p ON p.event_id = a.event_id AND p.user_id = a.user_id \
                 WHERE a.event_id = ? ORDER BY a.round, a.user_id",
            )
            .bind(event_id)
            .fetch_all(&self.read)
            .await?;
            Ok(rows
                .iter()
                .map(|r| EventAnswerRow {
                    round: count(r.get("round")),
                    question_id: r.get("question_id"),
                    user_id: uid(r.get("user_id")),
                    user_name: r.get("user_name"),
                    team: r.get("team"),
                    answer: r.get("answer"),
                    right: r.get("correct"),
                    time_ms: count(r.get("time_ms")),
                    points: r.get("points"),
                })
                .collect())
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

    fn missing(&self, what: &str, id: i64) -> Fail {
        Fail::Store(StoreError::Other(format!("no {what} with id {id} in {}", self.path)))
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

    /// Applies the embedded migrations this file lacks, each in its own transaction.
    async fn migrate(&self) -> Result<(), StoreError> {
        self.run(async {
            let mut tx = self.begin().await?;
            let tables: Vec<String> = sqlx::query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
            if !tables.is_empty() && !tables.iter().any(|t| t == "schema_migrations") {
                return Err(Fail::Store(StoreError::Io {
                    path: self.path.to_string(),
                    reason: format!(
                        "it is a SQLite database of another program (tables {}), not a Rendezvous one",
                        tables.join(", ")
                    ),
                }));
            }
            sqlx::query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (\
                   version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;

            let known = MIGRATIONS.last().map_or(0, |m| m.version);
            for m in MIGRATIONS {
                // Checked inside the transaction: two processes opening a new file at once apply each step once.
                let mut tx = self.begin().await?;
                let newest: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                    .fetch_one(&mut *tx)
                    .await?
                    .get(0);
                if newest > known {
                    return Err(Fail::Store(StoreError::Newer {
                        path: self.path.to_string(),
                        found: newest,
                        known,
                    }));
                }
                let applied = sqlx::query("SELECT 1 FROM schema_migrations WHERE version = ?")
                    .bind(m.version)
                    .fetch_optional(&mut *tx)
                    .await?
                    .is_some();
                if applied {
                    tx.rollback().await?;
                    continue;
                }
                sqlx::raw_sql(m.sql).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
                    .bind(m.version)
                    .bind(m.name)
                    .bind(now_ms())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Ok(())
        })
        .await
    }
}

/// The all-time board of guild `?1`, ranked. Callers add the ordering and limit, or filter on the rank.
const ALL_TIME: &str = "SELECT ROW_NUMBER() OVER (ORDER BY points DESC, correct DESC, user_id) AS rank, user_id, \
     user_name, points, correct, answered, games, wins, best_streak FROM players WHERE guild_id = ?1";

/// The board of guild `?1` since `?2` (ms), from the answers; at most `?3` rows.
const SINCE: &str = "\
    WITH period AS ( \
      SELECT user_id, SUM(points) AS points, SUM(correct) AS correct, COUNT(*) AS answered, \
             MAX(streak) AS best_streak \
      FROM answers WHERE guild_id = ?1 AND at_ms >= ?2 GROUP BY user_id \
    ), played AS ( \
      SELECT p.user_id, COUNT(*) AS games, SUM(p.won) AS wins \
      FROM game_players p JOIN games g ON g.id = p.game_id \
      WHERE g.guild_id = ?1 AND g.ended_at_ms >= ?2 GROUP BY p.user_id \
    ) \
    SELECT ROW_NUMBER() OVER (ORDER BY a.points DESC, a.correct DESC, a.user_id) AS rank, a.user_id, \
           COALESCE(n.user_name, '') AS user_name, a.points, a.correct, a.answered, \
           COALESCE(g.games, 0) AS games, COALESCE(g.wins, 0) AS wins, a.best_streak \
    FROM period a \
    LEFT JOIN played g ON g.user_id = a.user_id \
    LEFT JOIN players n ON n.guild_id = ?1 AND n.user_id = a.user_id \
    ORDER BY rank LIMIT ?3";

const EVENT_COLUMNS: &str = "SELECT id, guild_id, channel_id, name, seed, config, state, current_round, \
     created_at_ms, ended_at_ms FROM events";

fn leader_row(r: &SqliteRow) -> LeaderRow {
    LeaderRow {
        rank: count(r.get("rank")),
        user_id: uid(r.get("user_id")),
        user_name: r.get("user_name"),
        points: r.get("points"),
        right: count(r.get("correct")),
        answered: count(r.get("answered")),
        games: count(r.get("games")),
        wins: count(r.get("wins")),
        best_streak: count(r.get("best_streak")),
    }
}

async fn insert_host(tx: &mut Tx, event_id: i64, user_id: u64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO event_hosts (event_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
        .bind(event_id)
        .bind(sid(user_id))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Words an sqlx error for a person, by SQLite's result code.
fn classify(path: &str, e: sqlx::Error) -> StoreError {
    const BUSY: i32 = 5;
    const LOCKED: i32 = 6;
    const READONLY: i32 = 8;
    const IOERR: i32 = 10;
    const CORRUPT: i32 = 11;
    const FULL: i32 = 13;
    const CANTOPEN: i32 = 14;
    const PERM: i32 = 3;
    const NOTADB: i32 = 26;
    let path = path.to_string();
    match e {
        sqlx::Error::Database(db) => {
            // Extended result codes carry the primary code in their low byte.
            let code = db.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(0) & 0xff;
            match code {
                BUSY | LOCKED => StoreError::Locked { path },
                CORRUPT | NOTADB => StoreError::Corrupt { path },
                PERM | READONLY | IOERR | FULL | CANTOPEN => StoreError::Io {
                    path,
                    reason: db.message().to_string(),
                },
                _ => StoreError::Other(db.message().to_string()),
            }
        }
        // Every connection stayed busy for the whole acquire timeout: the writer is stuck behind a lock.
        sqlx::Error::PoolTimedOut => StoreError::Locked { path },
        sqlx::Error::Io(io) => StoreError::Io {
            path,
            reason: io.to_string(),
        },
        other => StoreError::Other(other.to_string()),
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

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "migration {} is out of order", m.name);
            assert!(!m.sql.trim().is_empty());
        }
    }

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
        assert_eq!(store.schema_versions().await.unwrap(), vec![1, 2]);
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
