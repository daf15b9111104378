//! What went wrong with the database, by kind, worded for the person running the bot: each message says what to do.

use super::Backend;
use std::fmt;

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
    /// The database has an older schema, and bringing it up to date failed (the user may not create tables…).
    Upgrade {
        path: String,
        found: i64,
        known: i64,
        reason: String,
    },
    /// The database holds another program's tables.
    Foreign { path: String, tables: String },
    /// The PostgreSQL server could not be reached: nothing listens there, it is down, or it did not answer in time.
    Unreachable { path: String, reason: String },
    /// The PostgreSQL server refused the login: a wrong user or password.
    Login { path: String, user: String },
    /// The PostgreSQL server has no database of the name in the URL.
    NoDatabase { path: String, database: String },
    /// No database is configured (the console's one-shot lookups, a test app).
    NotConfigured,
    /// The store was closed: the bot is stopping, or the database is being opened again.
    Closed,
    /// A game or event that the caller named is not in the database.
    NotFound { what: &'static str, id: i64, path: String },
    /// Anything else: a message from SQLite, or data that does not fit together.
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
            StoreError::Upgrade {
                path,
                found,
                known,
                reason,
            } => write!(
                f,
                "{path} has schema version {found} and this build needs {known}, but bringing it up to date failed \
                 ({reason}): let the bot's database user create tables there (on PostgreSQL: start it once as the \
                 database's owner, or GRANT CREATE ON SCHEMA public TO that user), or run the Rendezvous that wrote it"
            ),
            StoreError::Foreign { path, tables } => write!(
                f,
                "{path} holds another program's tables ({tables}), not a Rendezvous database: give Rendezvous a \
                 database of its own (a new file, or CREATE DATABASE rendezvous on the server) and point `database` \
                 at it"
            ),
            StoreError::Unreachable { path, reason } => write!(
                f,
                "cannot reach the PostgreSQL server of {path} ({reason}): check that the server is running and that \
                 the host and port in the URL are right; scores are kept again once it answers"
            ),
            StoreError::Login { path, user } => write!(
                f,
                "the PostgreSQL server refused the login of user `{user}` for {path}: check the user name and the \
                 password in the URL (the password is not shown here)"
            ),
            StoreError::NoDatabase { path, database } => write!(
                f,
                "the PostgreSQL server of {path} has no database `{database}`: create it (createdb {database}, or \
                 CREATE DATABASE {database};) or fix its name in the URL"
            ),
            StoreError::NotConfigured => f.write_str("no score database is configured"),
            StoreError::Closed => f.write_str(
                "the score database was closed (the bot is stopping, or the database is being opened again)",
            ),
            StoreError::NotFound { what, id, path } => write!(f, "no {what} with id {id} in {path}"),
            StoreError::Other(message) => write!(f, "database error: {message}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Words an sqlx error for a person, by the database's own code.
pub(super) fn classify(path: &str, backend: Backend, e: sqlx::Error) -> StoreError {
    match backend {
        Backend::Sqlite => classify_sqlite(path, e),
        Backend::Postgres => super::postgres::classify(path, e),
    }
}

/// By SQLite's result code.
fn classify_sqlite(path: &str, e: sqlx::Error) -> StoreError {
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
        sqlx::Error::PoolClosed => StoreError::Closed,
        sqlx::Error::Io(io) => StoreError::Io {
            path,
            reason: io.to_string(),
        },
        other => StoreError::Other(other.to_string()),
    }
}
