//! Beyond one process, the database side: a PostgreSQL database given by URL, and each way that can go wrong said
//! with what to do (a wrong URL, a server that is down, a refused login, a missing database, an older schema the
//! bot's user may not bring up to date), while lookups keep working; a server that goes away and comes back is used
//! again; `rendezvous migrate-store` copies every table of a SQLite file, and running it twice copies nothing twice.
//! The tests that need a server use `RENDEZVOUS_TEST_PG` (tests/support/stores.rs) and say when they are skipped.

use crate::support::bin::{stderr, stdout, Sandbox};
use crate::support::stores::{self, each, Proxy, TestDb};
use rendezvous::app::App;
use rendezvous::store::{Keeper, Location, Store, StoreError, Upkeep};
use std::time::{Duration, Instant};

/// A password that must never show.
const SECRET: &str = "s3cret-pw";

fn kb() -> rendezvous::kb::KnowledgeBase {
    super::commands::kb().clone()
}

#[tokio::test]
async fn a_server_that_is_down_says_so_with_what_to_do_and_never_shows_the_password() {
    let port = stores::free_port();
    let url = format!("postgres://bot:{SECRET}@127.0.0.1:{port}/rendezvous");
    let started = Instant::now();
    let err = Store::connect(&Location::parse(&url).unwrap()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(8), "{:?}", started.elapsed());
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err:?}");
    let said = err.to_string();
    assert!(
        said.starts_with(&format!(
            "cannot reach the PostgreSQL server of postgres://bot:***@127.0.0.1:{port}/rendezvous ("
        )),
        "{said}"
    );
    assert!(
        said.ends_with(
            "check that the server is running and that the host and port in the URL are right; scores \
                        are kept again once it answers"
        ),
        "{said}"
    );
    assert!(!said.contains(SECRET), "{said}");
}

#[test]
fn the_console_on_a_server_that_is_down_answers_lookups_and_says_scores_are_not_kept() {
    let port = stores::free_port();
    let url = format!("postgres://bot:{SECRET}@127.0.0.1:{port}/rendezvous");
    let out = Sandbox::new().run(
        &["console", "--db", &url],
        "/mission name:cassini\n/trivia leaderboard\n",
    );
    let (said, warned) = (stdout(&out), stderr(&out));
    assert!(out.status.success(), "{warned}");
    assert!(
        warned.contains("scores will not be kept until the database can be used: cannot reach the PostgreSQL server"),
        "{warned}"
    );
    assert!(said.contains("Cassini-Huygens"), "the lookup is answered:\n{said}");
    assert!(
        said.contains("cannot reach the PostgreSQL server"),
        "the board says why:\n{said}"
    );
    assert!(!said.contains(SECRET) && !warned.contains(SECRET), "{said}\n{warned}");
}

#[test]
fn a_wrong_database_url_is_refused_before_anything_starts() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(
        &[
            "ask",
            "/trivia leaderboard",
            "--db",
            "mysql://root:hunter2@localhost/db",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("mysql:// is not supported") && said.contains("postgres://USER:PASSWORD@HOST"),
        "{said}"
    );
    assert!(!said.contains("hunter2"), "{said}");

    let mut cmd = sandbox.cmd(&["console"]);
    cmd.env(
        "RENDEZVOUS_DB",
        format!("postgres://bot:{SECRET}@localhost:99999/rendezvous"),
    );
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.starts_with(
            "error: RENDEZVOUS_DB: `postgres://bot:***@localhost:99999/rendezvous` is not a valid PostgreSQL URL"
        ),
        "{said}"
    );
    assert!(!said.contains(SECRET), "{said}");
    assert!(!sandbox.path().join("rendezvous.db").exists(), "nothing was made");
}

#[tokio::test]
async fn a_refused_login_a_missing_database_and_an_older_schema_the_user_cannot_upgrade_say_what_to_do() {
    let Some(db) = TestDb::postgres("bad_input").await else {
        return;
    };
    let url = db.url().unwrap();
    let shown = |u: &str| Location::parse(u).unwrap().to_string();

    let wrong = stores::with_login(&url, "rendezvous", SECRET);
    let err = Store::connect(&Location::parse(&wrong).unwrap()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "the PostgreSQL server refused the login of user `rendezvous` for {}: check the user name and the \
             password in the URL (the password is not shown here)",
            shown(&wrong)
        )
    );

    let missing = stores::with_database(&url, "rvt_no_such_database");
    let err = Store::connect(&Location::parse(&missing).unwrap()).await.unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "the PostgreSQL server of {} has no database `rvt_no_such_database`: create it (createdb \
             rvt_no_such_database, or CREATE DATABASE rvt_no_such_database;)",
            shown(&missing)
        )),
        "{err}"
    );

    // A database an older build left at schema version 2, and a user who may read and write its tables but not
    // create new ones (PostgreSQL 15 gives nobody but the owner CREATE on the public schema).
    db.open().await.close().await;
    super::shared_store::older(&db).await;
    let role = format!("rvt_user_{}", std::process::id());
    let mut admin = stores::pg_connection(&url).await;
    sqlx::raw_sql(&format!(
        "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'; \
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}; \
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    let as_user = Location::parse(&stores::with_login(&url, &role, SECRET)).unwrap();
    let err = Store::connect(&as_user).await.unwrap_err();
    assert!(matches!(err, StoreError::Upgrade { found: 2, known: 5, .. }), "{err:?}");
    let said = err.to_string();
    assert!(
        said.starts_with(&format!(
            "{as_user} has schema version 2 and this build needs 5, but bringing it up to date failed (permission \
             denied for schema public"
        )),
        "{said}"
    );
    assert!(said.contains("GRANT CREATE ON SCHEMA public TO that user"), "{said}");
    assert!(!said.contains(SECRET), "{said}");
    // Once the owner has brought it up to date, the same user works.
    db.open().await.close().await;
    let store = Store::connect(&as_user).await.unwrap();
    assert_eq!(store.schema_versions().await.unwrap(), vec![1, 2, 3, 4, 5]);
    store.close().await;
    sqlx::raw_sql(&format!("DROP OWNED BY {role}; DROP ROLE {role}"))
        .execute(&mut admin)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_goes_away_and_comes_back_is_used_again_and_lookups_never_stop() {
    let Some(db) = TestDb::postgres("comes_back").await else {
        return;
    };
    let url = db.url().unwrap();
    let proxy = Proxy::down(&stores::server_of(&url));
    let through = Location::parse(&proxy.url(&url)).unwrap();
    let upkeep = Upkeep {
        checkpoint_ms: 1_000,
        first_retry_ms: 1_000,
        longest_retry_ms: 4_000,
    };
    // Down at start-up: the bot runs without scores and says why.
    let app = App::new(kb(), Some(3)).with_store(Keeper::open(&through, upkeep).await);
    assert!(app.store().is_none());
    let (ann, channel) = (super::server::admin(), 10);
    let card = app
        .command(&super::server::req("/mission name:cassini", &ann, channel, &[]), 0)
        .await;
    assert_eq!(card.reply.title.as_deref(), Some("Cassini-Huygens"), "lookups work");
    let game = app
        .command(&super::server::req("/trivia start rounds:1", &ann, channel, &[]), 0)
        .await;
    let intro = format!("{:?}", game.reply);
    assert!(
        intro.contains("Points in this game will not be saved: cannot reach the PostgreSQL server"),
        "{intro}"
    );
    app.command(&super::server::req("/trivia stop", &ann, channel, &[]), 1)
        .await;

    // It comes up: the next upkeep connects, and scores are kept.
    proxy.up().await;
    app.tick(1_500).await;
    let store = app.store().expect("connected at the next upkeep");
    let game = store
        .start_game(rendezvous::store::NewGame {
            guild_id: 5,
            channel_id: 11,
            started_by: 1,
            started_at_ms: 2_000,
            rounds: 2,
            category: None,
            difficulty: None,
            seed: 9,
        })
        .await
        .unwrap();
    let answer = |round| rendezvous::store::AnswerRecord {
        game_id: game,
        guild_id: 5,
        user_id: 1,
        user_name: "ann".into(),
        round,
        right: true,
        points: 7,
        streak: round,
        at_ms: 2_000,
        question_id: String::new(),
    };
    assert!(store.record_answer(answer(1)).await.unwrap());

    // It goes away while the bot runs: writes fail with what to do, lookups go on.
    proxy.cut().await;
    let started = Instant::now();
    let err = store.record_answer(answer(2)).await.unwrap_err();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(8), "{:?}", started.elapsed());
    let card = app
        .command(&super::server::req("/agency name:ESA", &ann, channel, &[]), 3_000)
        .await;
    assert!(card.reply.title.is_some_and(|t| t.contains("European Space Agency")));
    app.tick(3_000).await;

    // Back: the same answer goes through (retrying is safe), on the same store, with nothing reopened.
    proxy.up().await;
    assert!(store.record_answer(answer(2)).await.unwrap());
    let direct = db.open().await;
    assert_eq!(direct.player_stats(5, 1).await.unwrap().unwrap().points, 14);
    direct.close().await;
    app.keeper().close().await;
}

/// A console session over `db` that leaves a game, an event, settings and a report behind.
const SESSION: &str = "/settings set rounds:1\n/trivia start rounds:1\npress 1\nas bob\npress 2\nas carol\npress 3\n\
                       wait 30\nas you\n/event create name:Moon rounds:1 seed:4\nas dave\npress Join\nas you\n/event next\n\
                       as dave\npress 1\nas you\nwait 40\n/event end\n";

#[test]
fn migrate_store_copies_every_table_and_running_it_twice_copies_nothing_twice() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["console", "--seed", "7", "--db", "scores.db"], SESSION);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = sandbox.path().join("scores.db");
    for target in rt.block_on(each("migrate_store")) {
        eprintln!("into {}", target.kind);
        let to = match (target.url(), target.location.file()) {
            (Some(url), _) => url,
            (None, Some(path)) => path.display().to_string(),
            _ => unreachable!(),
        };
        let first = sandbox.run(&["migrate-store", "--from", "scores.db", "--to", &to], "");
        assert!(first.status.success(), "{}", stderr(&first));
        let said = stdout(&first);
        let shown = target.location.to_string();
        assert!(said.starts_with(&format!("Copied scores.db into {shown}:\n")), "{said}");
        assert!(said.contains("rows copied. Point the bot at it"), "{said}");
        let counts = rt.block_on(table_counts(&file, &target));
        for (table, (mine, theirs)) in &counts {
            assert_eq!(mine, theirs, "{table}: every row copied");
            assert!(
                said.lines().any(
                    |l| l.trim_start().starts_with(table.as_str()) && l.contains(&format!("{mine} of {mine} rows"))
                ),
                "{table}: {said}"
            );
        }
        for table in [
            "games",
            "answers",
            "players",
            "events",
            "event_players",
            "event_answers",
            "guild_settings",
        ] {
            assert!(counts[table].0 > 0, "the session left rows in {table}: {counts:?}");
        }
        let second = sandbox.run(&["migrate-store", "--from", "scores.db", "--to", &to], "");
        assert!(second.status.success(), "{}", stderr(&second));
        assert!(
            stdout(&second).contains("Nothing new: every row was already there."),
            "{}",
            stdout(&second)
        );
        assert_eq!(rt.block_on(table_counts(&file, &target)), counts, "nothing doubled");
        rt.block_on(async {
            let (a, b) = (Store::open(&file).await.unwrap(), target.open().await);
            assert_eq!(
                a.leaderboard(rendezvous::console::CONSOLE_GUILD, None, 10)
                    .await
                    .unwrap(),
                b.leaderboard(rendezvous::console::CONSOLE_GUILD, None, 10)
                    .await
                    .unwrap()
            );
            assert_eq!(a.list_events(1, 10).await.unwrap(), b.list_events(1, 10).await.unwrap());
            // Ids go on after the copied ones.
            let next = b.start_game(new_game()).await.unwrap();
            let copied = b
                .recent_games(1, 100)
                .await
                .unwrap()
                .iter()
                .map(|g| g.id)
                .filter(|id| *id != next)
                .max();
            assert!(Some(next) > copied, "{next} after {copied:?}");
            a.close().await;
            b.close().await;
        });
        // Another bot's file into the same database: its games have the same ids, so nothing is copied.
        let other = Sandbox::new();
        let out = other.run(&["console", "--seed", "8", "--db", "other.db"], SESSION);
        assert!(out.status.success(), "{}", stderr(&out));
        let clash = other.run(&["migrate-store", "--from", "other.db", "--to", &to], "");
        assert_eq!(clash.status.code(), Some(1), "{}", stdout(&clash));
        assert!(
            stderr(&clash).contains("nothing was copied:")
                && stderr(&clash).contains("already holds a different row in games with id 1"),
            "{}",
            stderr(&clash)
        );
    }
    let none = sandbox.run(&["migrate-store", "--from", "missing.db", "--to", "x.db"], "");
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).contains("there is no database at missing.db: nothing to copy"),
        "{}",
        stderr(&none)
    );
    let same = sandbox.run(&["migrate-store", "--from", "scores.db", "--to", "./scores.db"], "");
    assert_eq!(same.status.code(), Some(2));
    assert!(
        stderr(&same).contains("is both the source and the target"),
        "{}",
        stderr(&same)
    );
}

fn new_game() -> rendezvous::store::NewGame {
    rendezvous::store::NewGame {
        guild_id: 1,
        channel_id: 1,
        started_by: 1,
        started_at_ms: 0,
        rounds: 1,
        category: None,
        difficulty: None,
        seed: 1,
    }
}

/// Every table of the file: (rows in the file, rows in the target).
async fn table_counts(file: &std::path::Path, target: &TestDb) -> std::collections::BTreeMap<String, (i64, i64)> {
    use sqlx::{Connection, Row};
    let mut source = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
    )
    .fetch_all(&mut source)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    let mut out = std::collections::BTreeMap::new();
    for t in tables {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let mine: i64 = sqlx::query(&sql).fetch_one(&mut source).await.unwrap().get(0);
        let theirs: i64 = match (target.url(), target.location.file()) {
            (Some(url), _) => {
                let mut c = stores::pg_connection(&url).await;
                let n = sqlx::query(&sql).fetch_one(&mut c).await.unwrap().get(0);
                c.close().await.unwrap();
                n
            }
            (None, Some(path)) => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                    .await
                    .unwrap();
                let n = sqlx::query(&sql).fetch_one(&mut c).await.unwrap().get(0);
                c.close().await.unwrap();
                n
            }
            _ => unreachable!(),
        };
        out.insert(t, (mine, theirs));
    }
    source.close().await.unwrap();
    out
}
