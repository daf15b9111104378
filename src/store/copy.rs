//! `rendezvous migrate-store`: every table of a SQLite file (scores, games, events, questions, settings, the
//! question of the day) copied into another store, usually a PostgreSQL server that several processes will share.
//!
//! Why it is built this way:
//! - Both stores are opened as the bot opens them, so both have this build's schema (the file is brought up to date
//!   first, as the bot would): the same tables, the same columns.
//! - The tables are read from the file, not from a list here: a table a later migration adds is copied too. They
//!   are copied parents first (by the file's foreign keys), each in one transaction on the target, from one snapshot
//!   of the file (a read transaction), so a bot still writing to the file meanwhile cannot tear the copy.
//! - Rows keep their ids (games and events are referred to by them), then the target's id sequences are moved past
//!   them. A row already in the target (same key) is left as it is: running the copy twice copies nothing twice.
//!   A target that holds *other* games or events under the same ids is refused before anything is written: their
//!   answers would be mixed up.

use super::error::classify;
use super::{postgres, Backend, Location, Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Connection, Row};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

/// What one table's copy did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    /// Rows in the file.
    pub rows: u64,
    /// Rows written into the target (the others were there already).
    pub copied: u64,
}

/// What `migrate-store` did, table by table, parents first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<TableCopy>,
}

impl Copied {
    /// Rows written in all.
    pub fn copied(&self) -> u64 {
        self.tables.iter().map(|t| t.copied).sum()
    }
}

/// Why `migrate-store` copied nothing (or stopped).
#[derive(Debug)]
pub enum CopyError {
    /// There is no file at the source path.
    NoSource(PathBuf),
    /// The source is not a file.
    NotAFile(String),
    /// The source and the target are the same database.
    Same(PathBuf),
    /// A game or event in the target has the id of a different one in the file.
    Conflict { table: String, id: i64, target: String },
    /// Opening, reading or writing a store failed.
    Store(StoreError),
}

impl fmt::Display for CopyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CopyError::NoSource(p) => write!(
                f,
                "there is no database at {}: nothing to copy (give the bot's SQLite file with --from)",
                p.display()
            ),
            CopyError::NotAFile(from) => write!(
                f,
                "migrate-store copies from a SQLite file, and {from} is not one: give the file's path with --from \
                 (to copy between PostgreSQL databases, use pg_dump and pg_restore)"
            ),
            CopyError::Same(p) => write!(f, "{} is both the source and the target: nothing to copy", p.display()),
            CopyError::Conflict { table, id, target } => write!(
                f,
                "nothing was copied: {target} already holds a different row in {table} with id {id} (another bot's \
                 scores?): copy into an empty database, or into the one an earlier migrate-store filled"
            ),
            CopyError::Store(e) => write!(f, "nothing more was copied: {e}"),
        }
    }
}

impl std::error::Error for CopyError {}

impl From<StoreError> for CopyError {
    fn from(e: StoreError) -> Self {
        CopyError::Store(e)
    }
}

/// The tables whose rows are named by an `id` other rows refer to, and the columns that tell one row from another
/// with the same id.
const IDENTIFIED: &[(&str, &str)] = &[
    ("games", "guild_id, started_at_ms, seed"),
    ("events", "guild_id, created_at_ms, seed"),
];

/// A column's value, typed as the target expects it (a NULL needs its type on PostgreSQL).
enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
}

/// One column of a table in the file: its name, and whether SQLite declared it an integer.
struct Column {
    name: String,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Int,
    Real,
    Text,
    Blob,
}

impl Kind {
    /// SQLite's type affinity rules, from a declared type.
    fn of(declared: &str) -> Kind {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            Kind::Int
        } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
            Kind::Text
        } else if t.contains("BLOB") || t.is_empty() {
            Kind::Blob
        } else {
            Kind::Real
        }
    }

    fn read(self, row: &AnyRow, i: usize) -> Result<Value, sqlx::Error> {
        Ok(match self {
            Kind::Int => Value::Int(row.try_get(i)?),
            Kind::Real => Value::Real(row.try_get(i)?),
            Kind::Text => Value::Text(row.try_get(i)?),
            Kind::Blob => Value::Blob(row.try_get(i)?),
        })
    }
}

/// Copies every table of the SQLite file `from` into the store at `to`.
pub async fn migrate_store(from: &Path, to: &Location) -> Result<Copied, CopyError> {
    match std::fs::metadata(from) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(CopyError::NotAFile(from.display().to_string())),
        Err(_) => return Err(CopyError::NoSource(from.to_path_buf())),
    }
    if let Some(target) = to.file() {
        let same = match (std::fs::canonicalize(from), std::fs::canonicalize(target)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same {
            return Err(CopyError::Same(from.to_path_buf()));
        }
    }
    let source = Store::open(from).await?;
    let target = match Store::connect(to).await {
        Ok(t) => t,
        Err(e) => {
            source.close().await;
            return Err(e.into());
        }
    };
    let copied = copy_all(&source, &target).await;
    source.close().await;
    target.close().await;
    copied
}

async fn copy_all(source: &Store, target: &Store) -> Result<Copied, CopyError> {
    let read_fail = |e| CopyError::Store(classify(&source.path, Backend::Sqlite, e));
    let write_fail = |e| CopyError::Store(classify(&target.path, target.backend, e));
    // One snapshot of the file for the whole copy.
    let mut conn = source.read.acquire().await.map_err(read_fail)?;
    let mut snapshot = Connection::begin(&mut *conn).await.map_err(read_fail)?;
    let tables = parents_first(source, &mut snapshot).await.map_err(read_fail)?;

    let mut out = target.write.acquire().await.map_err(write_fail)?;
    check_identities(source, target, &mut snapshot, &mut out).await?;
    let mut copied = Vec::new();
    for table in &tables {
        let columns = columns(&mut snapshot, table).await.map_err(read_fail)?;
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let order = if has_rowid(&mut snapshot, table).await.map_err(read_fail)? {
            " ORDER BY rowid"
        } else {
            ""
        };
        let rows = sqlx::query(&format!("SELECT {} FROM {table}{order}", names.join(", ")))
            .fetch_all(&mut *snapshot)
            .await
            .map_err(read_fail)?;
        let params: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            names.join(", "),
            params.join(", ")
        );
        let mut tx = Connection::begin(&mut *out).await.map_err(write_fail)?;
        let mut written = 0;
        for row in &rows {
            let mut q = sqlx::query(&insert);
            for (i, c) in columns.iter().enumerate() {
                q = match c.kind.read(row, i).map_err(read_fail)? {
                    Value::Int(v) => q.bind(v),
                    Value::Real(v) => q.bind(v),
                    Value::Text(v) => q.bind(v),
                    Value::Blob(v) => q.bind(v),
                };
            }
            written += q.execute(&mut *tx).await.map_err(write_fail)?.rows_affected();
        }
        tx.commit().await.map_err(write_fail)?;
        copied.push(TableCopy {
            table: table.clone(),
            rows: rows.len() as u64,
            copied: written,
        });
    }
    if target.backend == Backend::Postgres {
        postgres::reset_identities(&mut out).await.map_err(write_fail)?;
    }
    snapshot.rollback().await.map_err(read_fail)?;
    Ok(Copied { tables: copied })
}

/// The file's tables (but the schema's own), each after the tables its foreign keys point to.
async fn parents_first(source: &Store, conn: &mut sqlx::AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    let tables: Vec<String> = source
        .tables(conn)
        .await?
        .into_iter()
        .filter(|t| t != "schema_migrations")
        .collect();
    let mut parents: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &tables {
        let refs = sqlx::query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)")
            .bind(t)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.get::<String, _>(0))
            .filter(|p| p != t)
            .collect();
        parents.insert(t.clone(), refs);
    }
    let mut ordered: Vec<String> = Vec::new();
    while ordered.len() < tables.len() {
        let before = ordered.len();
        for t in &tables {
            if !ordered.contains(t) && parents[t].iter().all(|p| ordered.contains(p) || !tables.contains(p)) {
                ordered.push(t.clone());
            }
        }
        if ordered.len() == before {
            // A cycle of foreign keys (none in this schema): the rest in name order.
            ordered.extend(
                tables
                    .iter()
                    .filter(|t| !ordered.contains(t))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
    }
    Ok(ordered)
}

async fn columns(conn: &mut sqlx::AnyConnection, table: &str) -> Result<Vec<Column>, sqlx::Error> {
    Ok(sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
        .bind(table)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Column {
            name: r.get(0),
            kind: Kind::of(&r.get::<String, _>(1)),
        })
        .collect())
}

/// Whether the table has SQLite's rowid (the order rows were made in).
async fn has_rowid(conn: &mut sqlx::AnyConnection, table: &str) -> Result<bool, sqlx::Error> {
    let sql: Option<String> = sqlx::query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
        .bind(table)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.get(0));
    Ok(!sql.unwrap_or_default().to_ascii_uppercase().contains("WITHOUT ROWID"))
}

/// Refuses a target holding different games or events under the ids of the file's.
async fn check_identities(
    source: &Store,
    target: &Store,
    snapshot: &mut sqlx::AnyConnection,
    out: &mut sqlx::AnyConnection,
) -> Result<(), CopyError> {
    for (table, columns) in IDENTIFIED {
        let sql = format!("SELECT id, {columns} FROM {table}");
        let read = |rows: Vec<AnyRow>| -> HashMap<i64, Vec<i64>> {
            rows.iter()
                .map(|r| (r.get(0), (1..r.len()).map(|i| r.get::<i64, _>(i)).collect()))
                .collect()
        };
        let mine = sqlx::query(&sql)
            .fetch_all(&mut *snapshot)
            .await
            .map_err(|e| CopyError::Store(classify(&source.path, Backend::Sqlite, e)))?;
        let theirs = sqlx::query(&sql)
            .fetch_all(&mut *out)
            .await
            .map_err(|e| CopyError::Store(classify(&target.path, target.backend, e)))?;
        let theirs = read(theirs);
        let mut clashes: Vec<i64> = read(mine)
            .into_iter()
            .filter(|(id, row)| theirs.get(id).is_some_and(|t| t != row))
            .map(|(id, _)| id)
            .collect();
        clashes.sort_unstable();
        if let Some(&id) = clashes.first() {
            return Err(CopyError::Conflict {
                table: table.to_string(),
                id,
                target: target.path.to_string(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_are_read_with_sqlites_affinity() {
        assert!(matches!(Kind::of("INTEGER"), Kind::Int));
        assert!(matches!(Kind::of("BIGINT"), Kind::Int));
        assert!(matches!(Kind::of("TEXT"), Kind::Text));
        assert!(matches!(Kind::of("VARCHAR(10)"), Kind::Text));
        assert!(matches!(Kind::of("REAL"), Kind::Real));
        assert!(matches!(Kind::of(""), Kind::Blob));
    }
}
