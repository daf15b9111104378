//! The schema: plain SQL in `migrations/`, embedded in the binary, applied in order, each in its own transaction,
//! and recorded in `schema_migrations`; a file written by a newer build is refused, not altered.

use super::{now_ms, Fail, Store, StoreError};
use sqlx::Row;

/// One step of the schema, applied once, in order.
pub(super) struct Migration {
    pub(super) version: i64,
    pub(super) name: &'static str,
    pub(super) sql: &'static str,
}

pub(super) const MIGRATIONS: &[Migration] = &[
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
    Migration {
        version: 3,
        name: "questions",
        sql: include_str!("migrations/0003_questions.sql"),
    },
    Migration {
        version: 4,
        name: "server life",
        sql: include_str!("migrations/0004_server_life.sql"),
    },
    Migration {
        version: 5,
        name: "packs",
        sql: include_str!("migrations/0005_packs.sql"),
    },
];

impl Store {
    /// Applies the embedded migrations this file lacks, each in its own transaction.
    pub(super) async fn migrate(&self) -> Result<(), StoreError> {
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
                // Run as a plain string: the same statements, and a future the Discord driver can hold (`Send`).
                sqlx::Executor::execute(&mut *tx, m.sql).await?;
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
}
