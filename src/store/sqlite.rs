//! What only SQLite has, kept in one place (a PostgreSQL store needs none of it): opening a file through the `any`
//! driver with its pragmas, the write-ahead log and its checkpoints, copies made with `VACUUM INTO` (`rendezvous
//! backup`, and the copy saved when the file is deleted under the running bot), a quick probe of the lock, and the
//! identity of the database file on disk.
//!
//! Why it is built this way:
//! - With WAL, recent writes live in `NAME-wal` until a checkpoint folds them into the main file. A checkpoint
//!   (TRUNCATE: the log is emptied too) runs regularly and when the store closes, so the main file alone has every
//!   score after a clean stop, and at most a minute's worth is only in the log while the bot runs.
//! - `VACUUM INTO` writes a consistent snapshot of the database as one self-contained file, while other connections
//!   (the running bot) go on reading and writing. It is written beside the target and renamed into place, so a failed
//!   copy never leaves half a file under the name asked for, and `--force` never loses the old copy to a failed one.
//! - SQLite goes on writing to a deleted file through the connections that have it open: only the file's identity
//!   (device and inode) tells that the name now leads nowhere, or to another file.
//! - The `any` driver opens SQLite from a URL, which carries only the open mode: the busy timeout, WAL, the
//!   synchronous level and foreign keys are pragmas run on every new connection. The path is made absolute and its
//!   `%`, `?` and `#` escaped, so any file name reaches SQLite as it is.

use super::error::classify;
use super::{next_instance, Backend, Store, StoreError, ACQUIRE_TIMEOUT, BUSY_TIMEOUT};
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, Executor, Row};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Read connections for a file database.
const READERS: u32 = 4;

/// The usual wait for another process's lock, as a pragma.
fn busy_timeout() -> String {
    format!("PRAGMA busy_timeout = {}", BUSY_TIMEOUT.as_millis())
}

/// Run on the writer's connection when it opens: WAL is a property of the file, set by the writer once, then every
/// connection uses it.
fn writer_pragmas() -> String {
    format!(
        "{}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
        busy_timeout()
    )
}

/// Run on each reader's connection when it opens.
fn reader_pragmas() -> String {
    format!("{}; PRAGMA foreign_keys = ON", busy_timeout())
}

/// A checkpoint waits at most a quarter of a second for other processes' readers and writers, then leaves the rest
/// to the next one; the writer's usual wait ([`super::BUSY_TIMEOUT`]) comes back after it.
const WAIT_FOR_CHECKPOINT: &str = "PRAGMA busy_timeout = 250";
/// How long a probe waits for another process's lock: a retry must not hold up the game timers.
const PROBE_WAIT: Duration = Duration::from_millis(100);
/// How long `rendezvous backup` waits for the running bot's writes to let it read.
const BACKUP_WAIT: Duration = Duration::from_secs(10);

/// Which file a path leads to: its device and inode (on Unix; elsewhere only whether it is there is checked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct FileId {
    dev: u64,
    ino: u64,
}

/// The file at `path` now: `None` when nothing is there.
pub(super) fn file_id(path: &Path) -> std::io::Result<Option<FileId>> {
    match std::fs::metadata(path) {
        Ok(m) => Ok(Some(id_of(&m))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn id_of(m: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId {
        dev: m.dev(),
        ino: m.ino(),
    }
}

#[cfg(not(unix))]
fn id_of(_: &std::fs::Metadata) -> FileId {
    FileId { dev: 0, ino: 0 }
}

/// The write-ahead log and shared-memory files SQLite keeps beside a database.
fn sidecars(db: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

/// A path as SQL text (`VACUUM INTO` takes a string).
fn sql_path(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| StoreError::Io {
        path: path.display().to_string(),
        reason: "the path is not valid UTF-8, which SQLite cannot write to".into(),
    })
}

/// The `any` driver's URL of the file at `path`, opened `mode` (`rwc`: made if missing; `rw`: never made).
fn file_url(path: &Path, mode: &str) -> Result<String, StoreError> {
    let absolute = std::path::absolute(path).map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        reason: format!("cannot tell where it is: {e}"),
    })?;
    let text = sql_path(&absolute)?;
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '?' => escaped.push_str("%3F"),
            '#' => escaped.push_str("%23"),
            c => escaped.push(c),
        }
    }
    Ok(format!("sqlite://{escaped}?mode={mode}"))
}

fn pragmas(sql: String) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_connect(move |conn, _| {
            let sql = sql.clone();
            Box::pin(async move { conn.execute(sql.as_str()).await.map(|_| ()) })
        })
}

/// Opens (or creates, with its directory) the database file at `path`; the schema is the caller's.
pub(super) async fn open_file(path: &Path) -> Result<Store, StoreError> {
    super::drivers();
    let shown: Arc<str> = path.display().to_string().into();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
            path: shown.to_string(),
            reason: format!("cannot create the directory {}: {e}", dir.display()),
        })?;
    }
    // One plain connection first: a file that is not a database, or is locked, says so here (the pool would retry
    // a failing connection until its timeout, and then only say that it timed out). It also turns WAL on.
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .busy_timeout(BUSY_TIMEOUT)
        .journal_mode(SqliteJournalMode::Wal)
        .connect()
        .await
        .map_err(|e| classify(&shown, Backend::Sqlite, e))?
        .close()
        .await
        .map_err(|e| classify(&shown, Backend::Sqlite, e))?;
    // The writer is the one connection opened now and kept for the store's life: were it reopened by path (as a
    // pool renews old connections), a file deleted or replaced meanwhile would be written to with the old file's log.
    let write = pragmas(writer_pragmas())
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect(&file_url(path, "rwc")?)
        .await
        .map_err(|e| classify(&shown, Backend::Sqlite, e))?;
    // Readers open as needed, and never make a file: a reader opened after the file was deleted fails.
    let read = pragmas(reader_pragmas())
        .max_connections(READERS)
        .connect_lazy(&file_url(path, "rw")?)
        .map_err(|e| classify(&shown, Backend::Sqlite, e))?;
    Ok(Store {
        write,
        read,
        path: shown,
        instance: next_instance(),
        backend: Backend::Sqlite,
    })
}

/// A fresh database in memory: one connection that lives as long as the store.
pub(super) async fn open_memory() -> Result<Store, StoreError> {
    super::drivers();
    let path: Arc<str> = ":memory:".into();
    let pool = pragmas(reader_pragmas())
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect("sqlite::memory:")
        .await
        .map_err(|e| classify(&path, Backend::Sqlite, e))?;
    Ok(Store {
        write: pool.clone(),
        read: pool,
        path,
        instance: next_instance(),
        backend: Backend::Sqlite,
    })
}

impl Store {
    /// Folds the write-ahead log into the database file and empties it (`wal_checkpoint(TRUNCATE)`), waiting at most
    /// a quarter of a second for other processes. Returns whether it went all the way (`false`: another process was
    /// reading or writing; the next checkpoint catches up). A database in memory has no log, and PostgreSQL keeps
    /// its own: `true`.
    pub async fn checkpoint(&self) -> Result<bool, StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(true);
        }
        let mut conn = self
            .write
            .acquire()
            .await
            .map_err(|e| classify(&self.path, self.backend, e))?;
        let done = async {
            sqlx::query(WAIT_FOR_CHECKPOINT).execute(&mut *conn).await?;
            let done = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut *conn)
                .await;
            sqlx::query(&busy_timeout()).execute(&mut *conn).await?;
            Ok::<_, sqlx::Error>(done?.get::<i64, _>(0) == 0)
        }
        .await;
        done.map_err(|e| classify(&self.path, self.backend, e))
    }

    /// Copies the database as it is now to `out` (which must not exist), then closes the store: writes still on
    /// their way wait for the copy and then fail, so nothing is written after the copy into a file that is being
    /// left behind. For a database file deleted under the bot: what it held is saved.
    pub(super) async fn save_and_close(&self, out: &Path) -> Result<(), StoreError> {
        let copied = async {
            let target = sql_path(out)?;
            let mut conn = self
                .write
                .acquire()
                .await
                .map_err(|e| classify(&self.path, self.backend, e))?;
            let copied = sqlx::query("VACUUM INTO $1")
                .bind(target)
                .execute(&mut *conn)
                .await
                .map(|_| ())
                .map_err(|e| classify(&out.display().to_string(), self.backend, e));
            // Closed while this task still holds the only writer: every write waiting for it fails from here on.
            let closing = self.write.close();
            drop(conn);
            closing.await;
            copied
        }
        .await;
        self.read.close().await;
        copied
    }
}

/// The log files beside `db` now (`None` for one that is not there), to know later which ones were the store's.
pub(super) fn sidecar_ids(db: &Path) -> [Option<FileId>; 2] {
    sidecars(db).map(|f| file_id(&f).ok().flatten())
}

/// After a store whose file was deleted or replaced is closed: removes the log files it left beside `db` (SQLite
/// keeps them when its file is gone). A database opened at the same path must never be paired with another one's
/// log: SQLite would apply that log's pages to it. They go when `db` is gone (nothing else owns them), or when they
/// are the very files the store used (`ours`); a log that came with a replacing file is left alone.
pub(super) fn remove_stale_sidecars(db: &Path, ours: [Option<FileId>; 2]) {
    let gone = matches!(file_id(db), Ok(None));
    for (f, mine) in sidecars(db).iter().zip(ours) {
        let now = file_id(f).ok().flatten();
        if now.is_some() && (gone || now == mine) {
            if let Err(e) = std::fs::remove_file(f) {
                tracing::warn!("could not remove {} left by the old database: {e}", f.display());
            }
        }
    }
}

/// Whether the database at `path` can be written now: a connection that waits a tenth of a second for another
/// process's lock. A retry probes first, so that a database still locked costs the timers no more than that. A file
/// that is not there holds no lock: opening it makes it.
pub(super) async fn probe(path: &Path) -> Result<(), StoreError> {
    if matches!(file_id(path), Ok(None)) {
        return Ok(());
    }
    let shown = path.display().to_string();
    let options = SqliteConnectOptions::new().filename(path).busy_timeout(PROBE_WAIT);
    async {
        let mut conn = options.connect().await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await?;
        sqlx::query("ROLLBACK").execute(&mut conn).await?;
        conn.close().await
    }
    .await
    .map_err(|e| classify(&shown, Backend::Sqlite, e))
}

/// What `rendezvous backup` copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    pub out: PathBuf,
    pub bytes: u64,
    pub games: i64,
    pub answers: i64,
    pub players: i64,
    pub events: i64,
}

/// Why `rendezvous backup` made no copy.
#[derive(Debug)]
pub enum BackupError {
    /// There is no database at the path (nothing has been scored there yet, or the path is wrong).
    NoDatabase(PathBuf),
    /// The target exists and `--force` was not given.
    Exists(PathBuf),
    /// The target is the database itself, or a directory.
    BadTarget { out: PathBuf, why: &'static str },
    /// The database could not be read, or the copy written or checked.
    Store(StoreError),
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::NoDatabase(db) => write!(
                f,
                "there is no database at {}: nothing to back up (it is made when the first game starts; pass --db \
                 PATH if the bot keeps its scores elsewhere)",
                db.display()
            ),
            BackupError::Exists(out) => write!(
                f,
                "{} already exists: nothing was written. Choose another name, or add --force to replace it",
                out.display()
            ),
            BackupError::BadTarget { out, why } => write!(f, "cannot back up to {}: {why}", out.display()),
            BackupError::Store(e) => write!(f, "no backup was made: {e}"),
        }
    }
}

impl std::error::Error for BackupError {}

impl From<StoreError> for BackupError {
    fn from(e: StoreError) -> Self {
        BackupError::Store(e)
    }
}

/// A consistent copy of the database at `db` in `out`, safe while the bot runs (`VACUUM INTO`), checked by opening
/// it. Refuses to replace an existing `out` unless `force`; the database is only read.
pub async fn backup(db: &Path, out: &Path, force: bool) -> Result<Backup, BackupError> {
    if !matches!(std::fs::metadata(db), Ok(m) if m.is_file()) {
        return Err(BackupError::NoDatabase(db.to_path_buf()));
    }
    if let Ok(m) = std::fs::metadata(out) {
        if m.is_dir() {
            return Err(BackupError::BadTarget {
                out: out.to_path_buf(),
                why: "it is a directory; give a file name, such as backup.db",
            });
        }
        if file_id(out).ok().flatten() == file_id(db).ok().flatten() {
            return Err(BackupError::BadTarget {
                out: out.to_path_buf(),
                why: "it is the database itself",
            });
        }
        if !force {
            return Err(BackupError::Exists(out.to_path_buf()));
        }
    }
    let name = out.file_name().ok_or(BackupError::BadTarget {
        out: out.to_path_buf(),
        why: "give a file name, such as backup.db",
    })?;
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(BackupError::BadTarget {
            out: out.to_path_buf(),
            why: "its directory does not exist",
        });
    }
    let mut partial = name.to_owned();
    partial.push(format!(".partial-{}", std::process::id()));
    let partial = dir.join(partial);
    let _ = std::fs::remove_file(&partial);
    let made = copy_and_check(db, &partial).await;
    let result = made.and_then(|mut b| {
        if !force && out.exists() {
            return Err(BackupError::Exists(out.to_path_buf()));
        }
        std::fs::rename(&partial, out).map_err(|e| {
            BackupError::Store(StoreError::Io {
                path: out.display().to_string(),
                reason: format!("cannot move the copy into place: {e}"),
            })
        })?;
        b.out = out.to_path_buf();
        Ok(b)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// `VACUUM INTO partial` from a read-only connection to `db`, then the copy opened and counted.
async fn copy_and_check(db: &Path, partial: &Path) -> Result<Backup, BackupError> {
    let shown = db.display().to_string();
    let target = sql_path(partial)?;
    let source = SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .busy_timeout(BACKUP_WAIT);
    let mut conn = source
        .connect()
        .await
        .map_err(|e| classify(&shown, Backend::Sqlite, e))?;
    let copied = copy_into(&mut conn, target).await;
    let _ = conn.close().await;
    match copied {
        Ok(true) => Ok(count(partial).await?),
        Ok(false) => Err(BackupError::Store(StoreError::Io {
            path: shown,
            reason: "it is not a Rendezvous database (it has no schema_migrations table)".into(),
        })),
        Err(e) => Err(BackupError::Store(classify(&shown, Backend::Sqlite, e))),
    }
}

/// The copy itself; `false` when the database is not a Rendezvous one (nothing is copied).
async fn copy_into(conn: &mut SqliteConnection, target: &str) -> Result<bool, sqlx::Error> {
    let ours = sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    if ours {
        sqlx::query("VACUUM INTO ?").bind(target).execute(&mut *conn).await?;
    }
    Ok(ours)
}

/// Opens a copy read-only, checks it, and counts what it holds.
async fn count(copy: &Path) -> Result<Backup, StoreError> {
    let shown = copy.display().to_string();
    let mut conn = SqliteConnectOptions::new()
        .filename(copy)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| classify(&shown, Backend::Sqlite, e))?;
    let counted = async {
        let check: String = sqlx::query("PRAGMA quick_check").fetch_one(&mut conn).await?.get(0);
        let mut n = Vec::new();
        for table in ["games", "answers", "players", "events"] {
            let c: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&mut conn)
                .await?
                .get(0);
            n.push(c);
        }
        Ok::<_, sqlx::Error>((check, n))
    }
    .await;
    let _ = conn.close().await;
    let (check, n) = counted.map_err(|e| classify(&shown, Backend::Sqlite, e))?;
    if check != "ok" {
        return Err(StoreError::Corrupt { path: shown });
    }
    Ok(Backup {
        out: copy.to_path_buf(),
        bytes: std::fs::metadata(copy).map_or(0, |m| m.len()),
        games: n[0],
        answers: n[1],
        players: n[2],
        events: n[3],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_waits_the_usual_time_for_a_lock() {
        assert_eq!(busy_timeout(), "PRAGMA busy_timeout = 2000");
        assert!(writer_pragmas().starts_with(&busy_timeout()) && reader_pragmas().starts_with(&busy_timeout()));
    }

    #[test]
    fn any_file_name_reaches_sqlite_as_it_is() {
        let url = file_url(Path::new("/tmp/a b%20c?d#e.db"), "rw").unwrap();
        assert_eq!(url, "sqlite:///tmp/a b%2520c%3Fd%23e.db?mode=rw");
        let options: SqliteConnectOptions = url.parse::<url::Url>().unwrap().as_str().parse().unwrap();
        assert_eq!(options.get_filename(), Path::new("/tmp/a b%20c?d#e.db"));
        let relative = file_url(Path::new("x.db"), "rwc").unwrap();
        assert!(
            relative.starts_with("sqlite:///") && relative.ends_with("/x.db?mode=rwc"),
            "{relative}"
        );
    }

    #[test]
    fn sidecars_sit_beside_the_database() {
        let [wal, shm] = sidecars(Path::new("dir/scores.db"));
        assert_eq!(wal, Path::new("dir/scores.db-wal"));
        assert_eq!(shm, Path::new("dir/scores.db-shm"));
    }

    #[test]
    fn a_missing_file_has_no_identity_and_a_present_one_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        assert_eq!(file_id(&path).unwrap(), None);
        std::fs::write(&path, b"x").unwrap();
        let first = file_id(&path).unwrap();
        assert!(first.is_some());
        assert_eq!(file_id(&path).unwrap(), first);
    }
}
