//! The databases the store tests run on: a SQLite file always, and a PostgreSQL database of its own for each test
//! when `RENDEZVOUS_TEST_PG` names a server (a URL whose user may create databases; `.ci/run` starts one and sets
//! it). Without it, one line says the PostgreSQL suite was skipped and how to run it.

#![allow(dead_code)]

use rendezvous::store::{Location, Store};
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Executor};
use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;

/// The variable naming the PostgreSQL server the tests may use.
pub const PG_VAR: &str = "RENDEZVOUS_TEST_PG";

/// A fresh database for one test.
pub struct TestDb {
    pub location: Location,
    /// `sqlite` or `postgres`, for messages.
    pub kind: &'static str,
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL database's name and the server's URL, to drop it afterwards.
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A new SQLite file in a directory of its own.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        TestDb {
            location: Location::File(dir.path().join("scores.db")),
            kind: "sqlite",
            _dir: Some(dir),
            pg: None,
        }
    }

    /// A new, empty PostgreSQL database named after `test`, or `None` when no server is given.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let admin = pg_admin()?;
        let name = database_name(test);
        let mut conn = PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("{PG_VAR} is set but its server cannot be used: {e}"));
        conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .unwrap();
        conn.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        let _ = conn.close().await;
        Some(TestDb {
            location: Location::parse(&with_database(&admin, &name)).unwrap(),
            kind: "postgres",
            _dir: None,
            pg: Some((name, admin)),
        })
    }

    /// The store, opened (migrated) as the bot opens it.
    pub async fn open(&self) -> Store {
        Store::connect(&self.location)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", self.kind))
    }

    /// The URL of the PostgreSQL database, password included (to hand to a child process).
    pub fn url(&self) -> Option<String> {
        self.pg.as_ref().map(|(name, admin)| with_database(admin, name))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((name, admin)) = self.pg.take() else {
            return;
        };
        // Dropped from a thread of its own: the test's runtime may be the one being dropped.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut conn = PgConnection::connect(&admin).await.ok()?;
                let _ = conn
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
                let _ = conn.close().await;
                Some(())
            })
        })
        .join();
    }
}

/// A fresh database of each kind the tests can use: SQLite, then PostgreSQL when a server is given.
pub async fn each(test: &str) -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite()];
    dbs.extend(TestDb::postgres(test).await);
    dbs
}

/// The server's URL from the environment; without one, says once that the PostgreSQL suite is skipped.
pub fn pg_admin() -> Option<String> {
    static SKIPPED: Once = Once::new();
    match std::env::var(PG_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => {
            SKIPPED.call_once(|| {
                // Straight to the terminal: the test harness captures eprintln! of passing tests.
                let _ = writeln!(
                    std::io::stderr(),
                    "note: the PostgreSQL suite (the store tests on PostgreSQL, the two-process test) was skipped ({PG_VAR} is \
                     not set): to run it, set \
                     {PG_VAR}=postgres://USER:PASSWORD@HOST:PORT/postgres (a user who may create databases), or run \
                     .ci/run, which starts a throwaway server"
                );
            });
            None
        }
    }
}

/// `rvt_<test>_<pid>_<n>`: unique across the tests of this run and of runs side by side, at most 63 bytes.
fn database_name(test: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let tag: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(36)
        .collect();
    format!("rvt_{tag}_{}_{n}", std::process::id())
}

/// The server URL `admin` with its database replaced by `name`.
pub fn with_database(admin: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin).expect("RENDEZVOUS_TEST_PG is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// The same URL with another user and password.
pub fn with_login(url: &str, user: &str, password: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_username(user).unwrap();
    u.set_password(Some(password)).unwrap();
    u.to_string()
}

/// A raw connection to the PostgreSQL database at `url`, for setting up what a test needs.
pub async fn pg_connection(url: &str) -> PgConnection {
    PgConnection::connect(url).await.unwrap()
}

/// A port nothing listens on (bound, then let go).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The `host:port` of a PostgreSQL URL.
pub fn server_of(url: &str) -> String {
    let u = url::Url::parse(url).unwrap();
    format!("{}:{}", u.host_str().unwrap_or("127.0.0.1"), u.port().unwrap_or(5432))
}

/// A TCP proxy on a port of its own to a server: the server as seen through it can go away (every connection cut,
/// nothing listening) and come back on the same port.
pub struct Proxy {
    pub port: u16,
    target: String,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    /// A proxy that is down: nothing listens on its port yet.
    pub fn down(target: &str) -> Proxy {
        Proxy {
            port: free_port(),
            target: target.to_string(),
            tasks: Default::default(),
        }
    }

    /// Start listening and forwarding.
    pub async fn up(&self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        let (target, tasks) = (self.target.clone(), self.tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                let conn = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().unwrap().push(conn);
            }
        });
        self.tasks.lock().unwrap().push(accept);
    }

    /// Cut every connection and stop listening.
    pub async fn cut(&self) {
        for t in self.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
        // Let the aborted tasks drop their sockets (and the listener) before the caller goes on.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    /// `url` pointed at this proxy instead of its server.
    pub fn url(&self, url: &str) -> String {
        let mut u = url::Url::parse(url).unwrap();
        u.set_host(Some("127.0.0.1")).unwrap();
        u.set_port(Some(self.port)).unwrap();
        u.to_string()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        for t in self.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
    }
}
