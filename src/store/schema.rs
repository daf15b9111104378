//! The schema: plain SQL in `migrations/` (SQLite) and `migrations/postgres/` (the same tables in PostgreSQL's
//! words), embedded in the binary, applied in order, each in its own transaction, and recorded in
//! `schema_migrations`. A database written by a newer build is refused, not altered; one of an older schema is
//! brought up to date, and when that fails the message says what to do. A migration written in SQL both databases
//! speak uses one file for both.

use super::{now_ms, postgres, Backend, Fail, Store, StoreError};
use sqlx::Row;

/// One step of the schema, applied once, in order.
pub(super) struct Migration {
    pub(super) version: i64,
    pub(super) name: &'static str,
    pub(super) sqlite: &'static str,
    pub(super) postgres: &'static str,
}

impl Migration {
    fn sql(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

pub(super) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "scores",
        sqlite: include_str!("migrations/0001_scores.sql"),
        postgres: include_str!("migrations/postgres/0001_scores.sql"),
    },
    Migration {
        version: 2,
        name: "events",
        sqlite: include_str!("migrations/0002_events.sql"),
        postgres: include_str!("migrations/postgres/0002_events.sql"),
    },
    Migration {
        version: 3,
        name: "questions",
        sqlite: include_str!("migrations/0003_questions.sql"),
        postgres: include_str!("migrations/postgres/0003_questions.sql"),
    },
    Migration {
        version: 4,
        name: "server life",
        sqlite: include_str!("migrations/0004_server_life.sql"),
        postgres: include_str!("migrations/postgres/0004_server_life.sql"),
    },
    Migration {
        version: 5,
        name: "packs",
        sqlite: include_str!("migrations/0005_packs.sql"),
        postgres: include_str!("migrations/postgres/0005_packs.sql"),
    },
];

/// The tables of a SQLite database, by name.
const SQLITE_TABLES: &str =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";

impl Store {
    /// The database's tables, by name.
    pub(super) async fn tables(&self, conn: &mut sqlx::AnyConnection) -> Result<Vec<String>, sqlx::Error> {
        let sql = match self.backend {
            Backend::Sqlite => SQLITE_TABLES,
            Backend::Postgres => postgres::TABLES,
        };
        Ok(sqlx::query(sql)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    /// Applies the embedded migrations this database lacks, each in its own transaction.
    pub(super) async fn migrate(&self) -> Result<(), StoreError> {
        let known = MIGRATIONS.last().map_or(0, |m| m.version);
        let mut found = None;
        let applied = self
            .run(async {
                let mut tx = self.begin().await?;
                self.lock_schema(&mut tx).await?;
                let tables = self.tables(&mut tx).await?;
                let ours = tables.iter().any(|t| t == "schema_migrations");
                if !tables.is_empty() && !ours {
                    return Err(Fail::Store(StoreError::Foreign {
                        path: self.path.to_string(),
                        tables: tables.join(", "),
                    }));
                }
                // Only when missing: PostgreSQL checks the right to create tables even for `IF NOT EXISTS`, and the
                // bot's user may have none once the schema is up to date.
                if !ours {
                    sqlx::query(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (\
                           version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                    )
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;

                for m in MIGRATIONS {
                    // Checked inside the transaction, under the lock: processes opening a new database at once apply
                    // each step once.
                    let mut tx = self.begin().await?;
                    self.lock_schema(&mut tx).await?;
                    let newest: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                        .fetch_one(&mut *tx)
                        .await?
                        .get(0);
                    found.get_or_insert(newest);
                    if newest > known {
                        return Err(Fail::Store(StoreError::Newer {
                            path: self.path.to_string(),
                            found: newest,
                            known,
                        }));
                    }
                    let applied = sqlx::query("SELECT 1 FROM schema_migrations WHERE version = $1")
                        .bind(m.version)
                        .fetch_optional(&mut *tx)
                        .await?
                        .is_some();
                    if applied {
                        tx.rollback().await?;
                        continue;
                    }
                    // Run as a plain string: the same statements, and a future the Discord driver can hold (`Send`).
                    sqlx::Executor::execute(&mut *tx, m.sql(self.backend)).await?;
                    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                        .bind(m.version)
                        .bind(m.name)
                        .bind(now_ms())
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                }
                Ok(())
            })
            .await;
        match (applied, found) {
            // An older schema that could not be brought up to date: say which, and what to do.
            (
                Err(
                    e @ (StoreError::Other(_)
                    | StoreError::Io { .. }
                    | StoreError::Locked { .. }
                    | StoreError::Unreachable { .. }),
                ),
                Some(found),
            ) if found > 0 && found < known => Err(StoreError::Upgrade {
                path: self.path.to_string(),
                found,
                known,
                reason: upgrade_reason(&e),
            }),
            (result, _) => result,
        }
    }
}

/// What failed while bringing a schema up to date, without repeating the advice the upgrade message gives.
fn upgrade_reason(e: &StoreError) -> String {
    match e {
        StoreError::Other(m) => m.clone(),
        StoreError::Io { reason, .. } | StoreError::Unreachable { reason, .. } => reason.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "migration {} is out of order", m.name);
            assert!(!m.sqlite.trim().is_empty() && !m.postgres.trim().is_empty());
        }
    }

    #[test]
    fn both_databases_get_the_same_tables_and_columns() {
        // Every `CREATE TABLE name (` and its column names, in order, from a migration's text.
        fn tables(sql: &str) -> Vec<(String, Vec<String>)> {
            let mut out = Vec::new();
            let mut rest = sql;
            while let Some(at) = rest.find("CREATE TABLE ") {
                rest = &rest[at + 13..];
                let name = rest.split_whitespace().next().unwrap().to_string();
                let body = &rest[rest.find('(').unwrap() + 1..rest.find("\n)").unwrap()];
                let columns = body
                    .lines()
                    .map(|l| l.split("--").next().unwrap().trim())
                    .filter(|l| !l.is_empty() && !l.starts_with("PRIMARY KEY") && !l.starts_with("rowid "))
                    .map(|l| l.split_whitespace().next().unwrap().to_string())
                    .collect();
                out.push((name, columns));
            }
            out
        }
        for m in MIGRATIONS {
            assert_eq!(tables(m.sqlite), tables(m.postgres), "migration {}", m.name);
            assert!(!tables(m.sqlite).is_empty());
            let pg: String = m
                .postgres
                .lines()
                .map(|l| l.split("--").next().unwrap().to_ascii_uppercase() + "\n")
                .collect();
            for sqlite_only in ["AUTOINCREMENT", "WITHOUT ROWID", " INTEGER ", "PRAGMA"] {
                assert!(!pg.contains(sqlite_only), "{}: {sqlite_only} on PostgreSQL", m.name);
            }
        }
    }
}
