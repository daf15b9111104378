//! A PostgreSQL database for a benchmark: on the server `RENDEZVOUS_BENCH_PG` (or `RENDEZVOUS_TEST_PG`) names, or else
//! on a throwaway server started with `.ci/pg.sh` (Debian's PostgreSQL server programs) and stopped when dropped.

use sqlx::{Connection, Executor, PgConnection};

pub struct BenchDb {
    /// The URL of the benchmark's own database.
    pub url: String,
    /// The directory of the throwaway server, if one was started.
    server: Option<tempfile::TempDir>,
}

impl BenchDb {
    /// A fresh database named `name`.
    pub async fn new(name: &str) -> BenchDb {
        let given = ["RENDEZVOUS_BENCH_PG", "RENDEZVOUS_TEST_PG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty()));
        let (admin, server) = match given {
            Some(url) => (url, None),
            None => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/pg.sh");
                let _ = std::process::Command::new("chmod").arg("755").arg(dir.path()).status();
                let out = std::process::Command::new("bash")
                    .arg(&script)
                    .arg("start")
                    .arg(dir.path().join("pg"))
                    .output()
                    .expect("run .ci/pg.sh");
                assert!(
                    out.status.success(),
                    "could not start a PostgreSQL server (set RENDEZVOUS_BENCH_PG to use one): {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                (String::from_utf8_lossy(&out.stdout).trim().to_string(), Some(dir))
            }
        };
        let mut conn = PgConnection::connect(&admin)
            .await
            .expect("connect to the PostgreSQL server");
        conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .expect("drop the old benchmark database");
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create the benchmark database");
        let _ = conn.close().await;
        let (head, _) = admin.rsplit_once('/').expect("a database in the URL");
        BenchDb {
            url: format!("{head}/{name}"),
            server,
        }
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.server {
            let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/pg.sh");
            let _ = std::process::Command::new("bash")
                .arg(script)
                .arg("stop")
                .arg(dir.path().join("pg"))
                .status();
        }
    }
}
