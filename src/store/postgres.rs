//! What only PostgreSQL has: connecting to a server (one connection first, so that its error says exactly what is
//! wrong), wording the server's errors, and the bits of its catalogue the migrations and `migrate-store` read.
//!
//! Why it is built this way:
//! - The pool would retry a refused connection until its timeout and then only say it timed out; a single
//!   connection first tells a server that is down from a wrong password or a missing database, at once.
//! - While the bot runs, the pool opens connections as it needs them: a server that went away and came back is
//!   used again without anything being reopened. Waits are bounded ([`super::ACQUIRE_TIMEOUT`]), so a server that
//!   stopped answering costs a command seconds, not a hang.

use super::location::{redact, PgUrl};
use super::{next_instance, Backend, Store, StoreError, ACQUIRE_TIMEOUT};
use sqlx::any::AnyPoolOptions;
use sqlx::AnyConnection;
use sqlx::{Connection, Row};
use std::sync::Arc;

/// SQLSTATE codes the store words for a person.
mod code {
    pub const INVALID_PASSWORD: &str = "28P01";
    pub const INVALID_AUTHORIZATION: &str = "28000";
    pub const NO_DATABASE: &str = "3D000";
    pub const TOO_MANY_CONNECTIONS: &str = "53300";
    pub const SERIALIZATION: &str = "40001";
    pub const DEADLOCK: &str = "40P01";
    pub const LOCK_NOT_AVAILABLE: &str = "55P03";
    /// Class 57: the server is shutting down, restarting, or not taking connections yet.
    pub const OPERATOR_INTERVENTION: &str = "57";
    /// Class 08: the connection broke.
    pub const CONNECTION: &str = "08";
}

/// Connects to the server at `url` (its schema is the caller's).
pub(super) async fn connect(url: &PgUrl) -> Result<Store, StoreError> {
    super::drivers();
    let shown: Arc<str> = url.to_string().into();
    let first = tokio::time::timeout(ACQUIRE_TIMEOUT, AnyConnection::connect(url.expose())).await;
    match first {
        Err(_) => {
            return Err(StoreError::Unreachable {
                path: shown.to_string(),
                reason: format!("{} did not answer within {} s", url.server(), ACQUIRE_TIMEOUT.as_secs()),
            })
        }
        Ok(Err(e)) => return Err(classify_for(&shown, url, e)),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
        }
    }
    let pool = AnyPoolOptions::new()
        .max_connections(url.pool().max(1))
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_lazy(url.expose())
        .map_err(|e| classify(&shown, e))?;
    Ok(Store {
        write: pool.clone(),
        read: pool,
        path: shown,
        instance: next_instance(),
        backend: Backend::Postgres,
    })
}

/// [`classify`], naming the user and the database from the URL.
fn classify_for(path: &str, url: &PgUrl, e: sqlx::Error) -> StoreError {
    match classify(path, e) {
        StoreError::Login { path, .. } => StoreError::Login { path, user: url.user() },
        StoreError::NoDatabase { path, .. } => StoreError::NoDatabase {
            path,
            database: url.database(),
        },
        other => other,
    }
}

/// Words an error of the server, or of reaching it, for a person.
pub(super) fn classify(path: &str, e: sqlx::Error) -> StoreError {
    let path = path.to_string();
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.to_string()).unwrap_or_default();
            let message = redact(db.message());
            match code.as_str() {
                code::INVALID_PASSWORD | code::INVALID_AUTHORIZATION => StoreError::Login {
                    path,
                    user: String::new(),
                },
                code::NO_DATABASE => StoreError::NoDatabase {
                    path,
                    database: String::new(),
                },
                code::TOO_MANY_CONNECTIONS => StoreError::Unreachable {
                    path,
                    reason: format!(
                        "{message}: the server has no connections left; lower `database_pool`, or raise the \
                         server's max_connections"
                    ),
                },
                code::SERIALIZATION | code::DEADLOCK | code::LOCK_NOT_AVAILABLE => StoreError::Locked { path },
                c if c.starts_with(code::OPERATOR_INTERVENTION) || c.starts_with(code::CONNECTION) => {
                    StoreError::Unreachable { path, reason: message }
                }
                _ => StoreError::Other(message),
            }
        }
        sqlx::Error::PoolTimedOut => StoreError::Unreachable {
            path,
            reason: format!(
                "no connection within {} s: the server is down or overloaded, or every connection of the pool is \
                 busy (raise `database_pool`)",
                ACQUIRE_TIMEOUT.as_secs()
            ),
        },
        sqlx::Error::PoolClosed => StoreError::Closed,
        sqlx::Error::Io(io) => StoreError::Unreachable {
            path,
            reason: redact(&io.to_string()),
        },
        sqlx::Error::Tls(tls) => StoreError::Unreachable {
            path,
            reason: format!(
                "TLS failed: {}; check the URL's sslmode (require, prefer, disable) and the server's certificate",
                redact(&tls.to_string())
            ),
        },
        sqlx::Error::Protocol(p) => StoreError::Unreachable {
            path,
            reason: format!("it does not speak PostgreSQL's protocol ({})", redact(&p)),
        },
        other => StoreError::Other(redact(&other.to_string())),
    }
}

impl Store {
    /// PostgreSQL: holds the schema's advisory lock until the transaction ends, so processes starting together apply
    /// each migration once.
    pub(super) async fn lock_schema(&self, tx: &mut super::Tx) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            // The function returns void, which the `any` driver cannot read: selected from, it returns one row.
            sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
                .bind(SCHEMA_LOCK)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}

/// The advisory lock migrations take ("rdvz" in ASCII).
const SCHEMA_LOCK: i64 = 0x7264_767a;

/// The tables of the database (the current schema), by name.
pub(super) const TABLES: &str = "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1";

/// After rows were copied in with their ids: every identity column's sequence moved past the largest id, so the next
/// row made gets a new one.
pub(super) async fn reset_identities(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    let columns: Vec<(String, String)> = sqlx::query(
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
         WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    for (table, column) in columns {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), \
             COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        );
        sqlx::query(&sql).bind(&table).bind(&column).execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_are_worded_by_kind() {
        let e = classify("postgres://u:***@h/d", sqlx::Error::PoolTimedOut);
        assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
        assert!(e.to_string().contains("check that the server is running"), "{e}");
        let e = classify(
            "p",
            sqlx::Error::Io(std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused")),
        );
        assert!(e.to_string().contains("(refused)"), "{e}");
        assert_eq!(classify("p", sqlx::Error::PoolClosed), StoreError::Closed);
    }
}
