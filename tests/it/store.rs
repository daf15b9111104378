//! The score store, on every database it speaks (SQLite, and PostgreSQL when `RENDEZVOUS_TEST_PG` names a server:
//! `tests/support/stores.rs`): points survive a restart and a second process sees them, monthly boards, idempotent
//! endings, reset and forget-me, no lost points under concurrency, events; and what only a file has: clear errors for
//! corrupt and locked files.

use crate::support::stores::{each, TestDb};
use rendezvous::store::{AnswerRecord, EventAnswer, NewEvent, NewGame, NewPack, Saved, Store, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::Connection;
use std::path::Path;
use std::time::{Duration, Instant};

const GUILD: u64 = 900_000_000_000_000_001;
const OTHER_GUILD: u64 = 900_000_000_000_000_002;
const ALICE: u64 = 100_000_000_000_000_001;
const BOB: u64 = 100_000_000_000_000_002;
const CAROL: u64 = 100_000_000_000_000_003;

fn game(guild_id: u64, started_at_ms: i64) -> NewGame {
    NewGame {
        guild_id,
        channel_id: 42,
        started_by: ALICE,
        started_at_ms,
        rounds: 3,
        category: Some("moon".into()),
        difficulty: None,
        seed: 7,
    }
}

fn answer(game_id: i64, guild_id: u64, user_id: u64, round: u32, right: bool, points: i64, at_ms: i64) -> AnswerRecord {
    let user_name = match user_id {
        ALICE => "alice",
        BOB => "bob",
        CAROL => "carol",
        _ => "someone",
    };
    AnswerRecord {
        game_id,
        guild_id,
        user_id,
        user_name: user_name.into(),
        round,
        right,
        points,
        streak: if right { round } else { 0 },
        at_ms,
        question_id: format!("g:test:{game_id}:{round}"),
    }
}

/// (user, points, right, answered, games, wins, best streak) for each row of a board.
fn board(rows: &[rendezvous::store::LeaderRow]) -> Vec<(u64, i64, u32, u32, u32, u32, u32)> {
    rows.iter()
        .map(|r| (r.user_id, r.points, r.right, r.answered, r.games, r.wins, r.best_streak))
        .collect()
}

/// A 3-round game: alice right every time (10 points each), bob right in round 2 only (8 points).
async fn play_three_rounds(store: &Store, guild: u64, start_ms: i64) -> i64 {
    let id = store.start_game(game(guild, start_ms)).await.unwrap();
    for round in 1..=3 {
        let at = start_ms + i64::from(round) * 1000;
        assert!(store
            .record_answer(answer(id, guild, ALICE, round, true, 10, at))
            .await
            .unwrap());
        let bob_right = round == 2;
        let bob = answer(
            id,
            guild,
            BOB,
            round,
            bob_right,
            if bob_right { 8 } else { 0 },
            at + 500,
        );
        assert!(store.record_answer(bob).await.unwrap());
    }
    id
}

#[tokio::test]
async fn a_file_is_made_with_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    // The directory does not exist yet: open creates it.
    let path = dir.path().join("not/yet/here/scores.db");
    let store = Store::open(&path).await.unwrap();
    play_three_rounds(&store, GUILD, 1_000).await;
    store.close().await;
    assert!(path.is_file());
    assert_eq!(
        Store::open(&path)
            .await
            .unwrap()
            .leaderboard(GUILD, None, 10)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn points_survive_reopening_the_database_and_a_second_process_sees_them() {
    for db in each("points_survive").await {
        eprintln!("on {}", db.kind);
        points_survive(&db).await;
    }
}

async fn points_survive(db: &TestDb) {
    let first = db.open().await;
    let id = play_three_rounds(&first, GUILD, 1_000).await;

    // A second process opens the same database while the first still runs (the bot and a console), and sees the
    // points already written, before the game has even ended.
    let second = db.open().await;
    let rows = second.leaderboard(GUILD, None, 10).await.unwrap();
    assert_eq!(board(&rows), vec![(ALICE, 30, 3, 3, 0, 0, 3), (BOB, 8, 1, 3, 0, 0, 2)]);

    assert!(first.finish_game(id, 9_000, &[ALICE, BOB], &[ALICE]).await.unwrap());
    first.close().await;
    second.close().await;

    let reopened = db.open().await;
    assert_eq!(
        reopened.schema_versions().await.unwrap(),
        vec![1, 2, 3, 4, 5],
        "migrations apply once"
    );
    let rows = reopened.leaderboard(GUILD, None, 10).await.unwrap();
    assert_eq!(board(&rows), vec![(ALICE, 30, 3, 3, 1, 1, 3), (BOB, 8, 1, 3, 1, 0, 2)]);
    assert_eq!(
        rows.iter().map(|r| (r.rank, r.user_name.as_str())).collect::<Vec<_>>(),
        [(1, "alice"), (2, "bob")]
    );
    assert!(
        reopened.leaderboard(OTHER_GUILD, None, 10).await.unwrap().is_empty(),
        "boards are per guild"
    );

    let bob = reopened.player_stats(GUILD, BOB).await.unwrap().unwrap();
    assert_eq!((bob.rank, bob.points, bob.games, bob.wins), (2, 8, 1, 0));
    assert_eq!(reopened.player_stats(GUILD, CAROL).await.unwrap(), None);

    let games = reopened.recent_games(GUILD, 10).await.unwrap();
    assert_eq!(games.len(), 1);
    let g = &games[0];
    assert_eq!(
        (g.id, g.started_by, g.ended_at_ms, g.players),
        (id, Some(ALICE), Some(9_000), 2)
    );
    assert_eq!((g.rounds, g.category.as_deref(), g.seed), (3, Some("moon"), 7));
    assert_eq!(g.winners, vec![ALICE]);
}

/// Runs `$body` (an async block using `store`) on a fresh store of each kind.
macro_rules! on_each_store {
    ($test:literal, |$store:ident| $body:block) => {
        for db in each($test).await {
            eprintln!("on {}", db.kind);
            let $store = db.open().await;
            $body
            $store.close().await;
        }
    };
}

#[tokio::test]
async fn monthly_board_counts_only_answers_and_games_since_the_start_of_the_period() {
    on_each_store!("monthly_board", |store| { monthly_board(&store).await });
}

async fn monthly_board(store: &Store) {
    // Last month: alice plays and wins a game.
    let old = play_three_rounds(store, GUILD, 1_000).await;
    store.finish_game(old, 5_000, &[ALICE, BOB], &[ALICE]).await.unwrap();
    // This month (from 100_000): bob answers twice right, carol once; the game has not ended yet.
    let month = 100_000;
    let new = store.start_game(game(GUILD, month + 1)).await.unwrap();
    store
        .record_answer(answer(new, GUILD, BOB, 1, true, 9, month + 10))
        .await
        .unwrap();
    store
        .record_answer(answer(new, GUILD, CAROL, 1, true, 9, month + 11))
        .await
        .unwrap();
    store
        .record_answer(answer(new, GUILD, BOB, 2, true, 7, month + 20))
        .await
        .unwrap();
    store
        .record_answer(answer(new, GUILD, CAROL, 2, false, 0, month + 21))
        .await
        .unwrap();

    let rows = store.leaderboard(GUILD, Some(month), 10).await.unwrap();
    assert_eq!(board(&rows), vec![(BOB, 16, 2, 2, 0, 0, 2), (CAROL, 9, 1, 2, 0, 0, 1)]);
    assert_eq!(rows[1].user_name, "carol");

    store.finish_game(new, month + 30, &[BOB, CAROL], &[BOB]).await.unwrap();
    let rows = store.leaderboard(GUILD, Some(month), 10).await.unwrap();
    assert_eq!(board(&rows), vec![(BOB, 16, 2, 2, 1, 1, 2), (CAROL, 9, 1, 2, 1, 0, 1)]);
    assert_eq!(
        board(&store.leaderboard(GUILD, Some(month), 1).await.unwrap()),
        vec![(BOB, 16, 2, 2, 1, 1, 2)]
    );

    // All time still has alice on top, with everything.
    let all = store.leaderboard(GUILD, None, 10).await.unwrap();
    assert_eq!(
        board(&all),
        vec![
            (ALICE, 30, 3, 3, 1, 1, 3),
            (BOB, 24, 3, 5, 2, 1, 2),
            (CAROL, 9, 1, 2, 1, 0, 1)
        ]
    );
}

#[tokio::test]
async fn ties_are_broken_by_right_answers_then_user_id() {
    on_each_store!("ties", |store| { ties(&store).await });
}

async fn ties(store: &Store) {
    let id = store.start_game(game(GUILD, 0)).await.unwrap();
    store
        .record_answer(answer(id, GUILD, CAROL, 1, true, 5, 1))
        .await
        .unwrap();
    store
        .record_answer(answer(id, GUILD, BOB, 1, true, 5, 1))
        .await
        .unwrap();
    store
        .record_answer(answer(id, GUILD, ALICE, 1, false, 5, 1))
        .await
        .unwrap();
    let order: Vec<u64> = store
        .leaderboard(GUILD, None, 10)
        .await
        .unwrap()
        .iter()
        .map(|r| r.user_id)
        .collect();
    assert_eq!(order, vec![BOB, CAROL, ALICE]);
    let monthly: Vec<u64> = store
        .leaderboard(GUILD, Some(0), 10)
        .await
        .unwrap()
        .iter()
        .map(|r| r.user_id)
        .collect();
    assert_eq!(monthly, order);
    assert_eq!(store.player_stats(GUILD, ALICE).await.unwrap().unwrap().rank, 3);
}

#[tokio::test]
async fn standing_shares_ranks_names_who_is_just_ahead_and_counts_only_the_period() {
    on_each_store!("standing", |store| { standing(&store).await });
}

async fn standing(store: &Store) {
    let week = 7 * 86_400_000;
    let old = store.start_game(game(GUILD, 0)).await.unwrap();
    // Last week: carol far ahead.
    store
        .record_answer(answer(old, GUILD, CAROL, 1, true, 50, 10))
        .await
        .unwrap();
    let new = store.start_game(game(GUILD, week)).await.unwrap();
    // This week: alice and bob tie on points, bob with more right answers; carol scores less.
    for (who, round, right, points) in [
        (ALICE, 1, false, 6),
        (BOB, 1, true, 3),
        (BOB, 2, true, 3),
        (CAROL, 1, true, 2),
    ] {
        store
            .record_answer(answer(
                new,
                GUILD,
                who,
                round,
                right,
                points,
                week + 100 + i64::from(round),
            ))
            .await
            .unwrap();
    }
    let (me, rank, ahead) = store.standing(GUILD, ALICE, Some(week)).await.unwrap().unwrap();
    assert_eq!((me.points, me.right, rank), (6, 0, 2));
    assert_eq!(ahead.map(|a| a.user_id), Some(BOB), "bob: as many points, more right");
    let (_, rank, ahead) = store.standing(GUILD, CAROL, Some(week)).await.unwrap().unwrap();
    assert_eq!(
        (rank, ahead.map(|a| a.user_id)),
        (3, Some(ALICE)),
        "this week carol has 2"
    );
    let (_, rank, ahead) = store.standing(GUILD, CAROL, None).await.unwrap().unwrap();
    assert_eq!((rank, ahead), (1, None), "all time carol leads");
    let (_, rank, ahead) = store.standing(GUILD, BOB, None).await.unwrap().unwrap();
    assert_eq!((rank, ahead.map(|a| a.user_id)), (2, Some(CAROL)));
    assert!(
        store.standing(GUILD, ALICE, Some(2 * week)).await.unwrap().is_none(),
        "nothing next week"
    );
    assert!(store.standing(OTHER_GUILD, ALICE, None).await.unwrap().is_none());
    // A tie on points and right answers shares the rank, and nobody is ahead of the tied pair.
    for round in [2, 3] {
        store
            .record_answer(answer(new, GUILD, ALICE, round, true, 0, week + 300))
            .await
            .unwrap();
    }
    let (_, a_rank, a_ahead) = store.standing(GUILD, ALICE, Some(week)).await.unwrap().unwrap();
    let (_, b_rank, b_ahead) = store.standing(GUILD, BOB, Some(week)).await.unwrap().unwrap();
    assert_eq!((a_rank, b_rank), (1, 1));
    assert!(a_ahead.is_none() && b_ahead.is_none());
}

#[tokio::test]
async fn finishing_a_game_twice_and_recording_an_answer_twice_count_once() {
    on_each_store!("twice", |store| { twice(&store).await });
}

async fn twice(store: &Store) {
    let id = play_three_rounds(store, GUILD, 0).await;
    // The same click delivered twice (or a retry after an error) is not scored twice.
    assert!(!store
        .record_answer(answer(id, GUILD, ALICE, 1, true, 10, 99))
        .await
        .unwrap());

    assert!(store.finish_game(id, 10, &[ALICE, BOB], &[ALICE]).await.unwrap());
    assert!(!store.finish_game(id, 20, &[ALICE, BOB], &[ALICE, BOB]).await.unwrap());
    let rows = store.leaderboard(GUILD, None, 10).await.unwrap();
    assert_eq!(board(&rows), vec![(ALICE, 30, 3, 3, 1, 1, 3), (BOB, 8, 1, 3, 1, 0, 2)]);
    assert_eq!(store.recent_games(GUILD, 1).await.unwrap()[0].ended_at_ms, Some(10));

    let err = store.finish_game(id + 100, 10, &[], &[]).await.unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("no trivia game with id {}", id + 100)),
        "{err}"
    );
    let err = store
        .record_answer(answer(id, OTHER_GUILD, ALICE, 4, true, 1, 0))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Other(_)), "{err:?}");
}

#[tokio::test]
async fn reset_clears_one_guild_and_forget_me_clears_a_person_everywhere() {
    on_each_store!("reset_forget", |store| { reset_and_forget(&store).await });
}

async fn reset_and_forget(store: &Store) {
    let here = play_three_rounds(store, GUILD, 0).await;
    store.finish_game(here, 10, &[ALICE, BOB], &[ALICE]).await.unwrap();
    let there = play_three_rounds(store, OTHER_GUILD, 0).await;
    store.finish_game(there, 10, &[ALICE, BOB], &[BOB]).await.unwrap();
    // A game still running in the reset guild keeps going across the reset.
    let running = store.start_game(game(GUILD, 20)).await.unwrap();
    store
        .record_answer(answer(running, GUILD, CAROL, 1, true, 4, 21))
        .await
        .unwrap();

    // 7 answers + 2 game players + 1 ended game + 3 player rows.
    assert_eq!(store.reset_guild(GUILD).await.unwrap(), 13);
    assert!(store.leaderboard(GUILD, None, 10).await.unwrap().is_empty());
    assert!(store.leaderboard(GUILD, Some(0), 10).await.unwrap().is_empty());
    assert_eq!(
        store
            .recent_games(GUILD, 10)
            .await
            .unwrap()
            .iter()
            .map(|g| g.id)
            .collect::<Vec<_>>(),
        [running]
    );
    assert_eq!(
        store.leaderboard(OTHER_GUILD, None, 10).await.unwrap().len(),
        2,
        "other guilds keep their scores"
    );
    assert!(store
        .record_answer(answer(running, GUILD, CAROL, 2, true, 4, 22))
        .await
        .unwrap());
    assert_eq!(
        board(&store.leaderboard(GUILD, None, 10).await.unwrap()),
        vec![(CAROL, 4, 1, 1, 0, 0, 2)]
    );

    // Alice asks to be forgotten: her scores and answers go, in every guild.
    // OTHER_GUILD: 3 answers + 1 game player + 1 player row; the 2 games left that she started lose their starter.
    assert_eq!(store.forget_user(ALICE).await.unwrap(), 7);
    assert_eq!(store.player_stats(OTHER_GUILD, ALICE).await.unwrap(), None);
    let other = store.leaderboard(OTHER_GUILD, Some(0), 10).await.unwrap();
    assert_eq!(other.iter().map(|r| r.user_id).collect::<Vec<_>>(), [BOB]);
    assert!(store
        .recent_games(OTHER_GUILD, 10)
        .await
        .unwrap()
        .iter()
        .all(|g| g.started_by.is_none()));
    assert_eq!(store.recent_games(OTHER_GUILD, 10).await.unwrap()[0].winners, vec![BOB]);
    assert_eq!(store.forget_user(ALICE).await.unwrap(), 0, "nothing left to forget");
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        (
            "garbage.db",
            b"this is not a database, just bytes \x00\x01\x02\xff".repeat(200),
        ),
        ("short.db", b"hello".to_vec()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let err = Store::open(&path).await.unwrap_err();
        assert_eq!(
            err,
            StoreError::Corrupt {
                path: path.display().to_string()
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{} is not a Rendezvous database (file is corrupt or not SQLite): move it aside or point `database` \
                 at a new path",
                path.display()
            )
        );
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file is left as it was");
    }
}

#[tokio::test]
async fn a_path_that_cannot_hold_a_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // The path is a directory.
    let err = Store::open(dir.path()).await.unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("cannot use the database {}: ", dir.path().display())),
        "{err}"
    );
    // Its "directory" is a file.
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let err = Store::open(&file.join("scores.db")).await.unwrap_err();
    assert!(err.to_string().contains("cannot create the directory"), "{err}");
}

#[tokio::test]
async fn another_programs_database_and_a_newer_schema_are_refused_untouched() {
    for db in each("foreign").await {
        eprintln!("on {}", db.kind);
        raw_sql(&db, "CREATE TABLE invoices (id BIGINT PRIMARY KEY)").await;
        let err = Store::connect(&db.location).await.unwrap_err();
        assert_eq!(
            err,
            StoreError::Foreign {
                path: db.location.to_string(),
                tables: "invoices".into()
            }
        );
        assert!(
            err.to_string()
                .contains("holds another program's tables (invoices), not a Rendezvous database"),
            "{err}"
        );
        raw_sql(&db, "INSERT INTO invoices VALUES (1)").await;
    }
    for db in each("newer").await {
        eprintln!("on {}", db.kind);
        db.open().await.close().await;
        raw_sql(&db, "INSERT INTO schema_migrations VALUES (99, 'future', 0)").await;
        let err = Store::connect(&db.location).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Newer {
                    found: 99,
                    known: 5,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("written by a newer Rendezvous"), "{err}");
    }
}

/// Runs `sql` on the test's database with a connection of its own (another program, or an older build).
pub async fn raw_sql(db: &TestDb, sql: &str) {
    match (&db.location, db.url()) {
        (rendezvous::store::Location::File(path), _) => {
            let mut conn = raw_connection(path).await;
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            conn.close().await.unwrap();
        }
        (_, Some(url)) => {
            let mut conn = crate::support::stores::pg_connection(&url).await;
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            conn.close().await.unwrap();
        }
        _ => unreachable!(),
    }
}

async fn raw_connection(path: &Path) -> SqliteConnection {
    let options = SqliteConnectOptions::new().filename(path).create_if_missing(true);
    SqliteConnection::connect_with(&options).await.unwrap()
}

#[tokio::test]
async fn a_locked_database_is_reported_within_seconds_and_reads_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scores.db");
    let store = Store::open(&path).await.unwrap();
    let id = store.start_game(game(GUILD, 0)).await.unwrap();
    store
        .record_answer(answer(id, GUILD, ALICE, 1, true, 10, 1))
        .await
        .unwrap();

    // Another process holds the write lock.
    let mut other = raw_connection(&path).await;
    sqlx::raw_sql("BEGIN EXCLUSIVE").execute(&mut other).await.unwrap();

    let started = Instant::now();
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        store.record_answer(answer(id, GUILD, BOB, 1, true, 10, 2)),
    )
    .await
    .expect("record_answer hung on a locked database");
    let waited = started.elapsed();
    let err = result.unwrap_err();
    assert_eq!(
        err,
        StoreError::Locked {
            path: path.display().to_string()
        }
    );
    assert!(
        err.to_string().contains("is busy or locked by another process"),
        "{err}"
    );
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(10),
        "waited {waited:?}"
    );

    // A second process starting meanwhile gets the same clear error, not a hang.
    let opening = tokio::time::timeout(Duration::from_secs(20), Store::open(&path))
        .await
        .expect("open hung");
    assert!(matches!(opening, Err(StoreError::Locked { .. })), "{opening:?}");

    // Reads do not wait for the writer (WAL): lookups and boards keep answering.
    let rows = store.leaderboard(GUILD, None, 10).await.unwrap();
    assert_eq!(board(&rows), vec![(ALICE, 10, 1, 1, 0, 0, 1)]);

    // Once the lock is gone, the same answer goes through: retrying is safe.
    sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
    assert!(store
        .record_answer(answer(id, GUILD, BOB, 1, true, 10, 2))
        .await
        .unwrap());
    assert_eq!(store.leaderboard(GUILD, None, 10).await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_players_answering_at_once_are_each_scored_once() {
    on_each_store!("hundred", |store| { hundred_at_once(&store).await });
}

async fn hundred_at_once(store: &Store) {
    let id = store.start_game(game(GUILD, 0)).await.unwrap();
    let tasks: Vec<_> = (1..=100u64)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                let record = AnswerRecord {
                    game_id: id,
                    guild_id: GUILD,
                    user_id: n,
                    user_name: format!("player {n}"),
                    round: 1,
                    right: n % 2 == 0,
                    points: n as i64,
                    streak: 1,
                    at_ms: 1_000,
                    question_id: "g:lead:hubble".into(),
                };
                store.record_answer(record).await
            })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().unwrap());
    }
    let players: Vec<u64> = (1..=100).collect();
    store.finish_game(id, 2_000, &players, &[100]).await.unwrap();

    for since in [None, Some(0)] {
        let rows = store.leaderboard(GUILD, since, 1000).await.unwrap();
        assert_eq!(rows.len(), 100);
        assert_eq!(rows.iter().map(|r| r.points).sum::<i64>(), 5050, "every point counted");
        assert_eq!(rows.iter().map(|r| r.right).sum::<u32>(), 50);
        assert!(rows.iter().all(|r| r.answered == 1 && r.games == 1));
        assert_eq!((rows[0].user_id, rows[0].wins, rows[0].rank), (100, 1, 1));
        assert_eq!((rows[99].user_id, rows[99].rank), (1, 100));
    }
}

#[tokio::test]
async fn an_event_survives_a_restart_and_exports_what_was_played() {
    for db in each("event_restart").await {
        eprintln!("on {}", db.kind);
        event_restart(&db).await;
    }
}

async fn event_restart(db: &TestDb) {
    let host = 555;
    let store = db.open().await;
    let event = store
        .create_event(NewEvent {
            guild_id: GUILD,
            channel_id: 77,
            name: "Moon night".into(),
            hosts: vec![host],
            seed: u64::MAX - 1,
            config_json: r#"{"rounds":3,"teams":["Red","Blue"]}"#.into(),
            created_at_ms: 1_000,
        })
        .await
        .unwrap();
    store.add_event_player(event, BOB, "bob", Some("Blue")).await.unwrap();
    store
        .add_event_player(event, ALICE, "alice", Some("Red"))
        .await
        .unwrap();
    store.add_event_player(event, CAROL, "carol", None).await.unwrap();
    store
        .add_event_player(event, CAROL, "carol", Some("Red"))
        .await
        .unwrap(); // picks a team later
    let ans = |user_id, round, answer: &str, right, time_ms, points| EventAnswer {
        event_id: event,
        round,
        question_id: format!("q{round}"),
        user_id,
        answer: answer.into(),
        right,
        time_ms,
        points,
    };
    assert!(store
        .record_event_answer(ans(ALICE, 1, "B", true, 3_200, 10))
        .await
        .unwrap());
    assert!(store
        .record_event_answer(ans(BOB, 1, "C", false, 8_000, 0))
        .await
        .unwrap());
    assert!(store
        .record_event_answer(ans(CAROL, 1, "B", true, 5_100, 9))
        .await
        .unwrap());
    assert!(
        !store
            .record_event_answer(ans(BOB, 1, "B", true, 9_000, 9))
            .await
            .unwrap(),
        "one answer a round"
    );
    store
        .save_event_state(event, 1, r#"{"phase":"revealed"}"#)
        .await
        .unwrap();
    store.close().await;

    // The bot restarts mid-event: the event is found, with where it stood.
    let store = db.open().await;
    let open = store.open_events().await.unwrap();
    assert_eq!(open.len(), 1);
    let e = &open[0];
    assert_eq!(
        (e.id, e.guild_id, e.channel_id, e.name.as_str()),
        (event, GUILD, 77, "Moon night")
    );
    assert_eq!(
        (e.seed, e.round, e.state_json.as_str()),
        (u64::MAX - 1, 1, r#"{"phase":"revealed"}"#)
    );
    assert_eq!(e.config_json, r#"{"rounds":3,"teams":["Red","Blue"]}"#);
    assert_eq!(e.hosts, vec![host]);
    let players: Vec<(u64, &str, Option<&str>)> = e
        .players
        .iter()
        .map(|p| (p.user_id, p.user_name.as_str(), p.team.as_deref()))
        .collect();
    assert_eq!(
        players,
        [
            (BOB, "bob", Some("Blue")),
            (ALICE, "alice", Some("Red")),
            (CAROL, "carol", Some("Red"))
        ]
    );

    store.add_event_host(event, 556).await.unwrap();
    store
        .record_event_answer(ans(ALICE, 2, "Apollo 11", true, 4_000, 10))
        .await
        .unwrap();
    store.save_event_state(event, 2, r#"{"phase":"done"}"#).await.unwrap();
    assert!(store.end_event(event, 9_000).await.unwrap());
    assert!(
        !store.end_event(event, 9_500).await.unwrap(),
        "ending twice changes nothing"
    );
    assert!(store.open_events().await.unwrap().is_empty());

    let listed = store.list_events(GUILD, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].ended_at_ms, listed[0].round, listed[0].hosts.clone()),
        (Some(9_000), 2, vec![host, 556])
    );
    assert!(store.list_events(OTHER_GUILD, 10).await.unwrap().is_empty());
    assert_eq!(store.load_event(event).await.unwrap().as_ref(), Some(&listed[0]));
    assert_eq!(store.load_event(event + 1).await.unwrap(), None);

    let rows = store.event_answers(event).await.unwrap();
    let csv: Vec<String> = rows
        .iter()
        .map(|r| {
            let team = r.team.as_deref().unwrap_or("-");
            let (round, q, name, answer) = (r.round, &r.question_id, &r.user_name, &r.answer);
            format!(
                "{round},{q},{name},{team},{answer},{},{},{}",
                r.right, r.time_ms, r.points
            )
        })
        .collect();
    assert_eq!(
        csv,
        [
            "1,q1,alice,Red,B,true,3200,10",
            "1,q1,bob,Blue,C,false,8000,0",
            "1,q1,carol,Red,B,true,5100,9",
            "2,q2,alice,Red,Apollo 11,true,4000,10",
        ]
    );

    // Forget-me reaches events too: bob's answer and membership go; the host leaves the host list.
    assert_eq!(store.forget_user(BOB).await.unwrap(), 2);
    assert_eq!(store.forget_user(host).await.unwrap(), 1);
    let e = store.load_event(event).await.unwrap().unwrap();
    assert_eq!((e.hosts, e.players.len()), (vec![556], 2));
    assert_eq!(store.event_answers(event).await.unwrap().len(), 3);

    let err = store.save_event_state(event + 1, 1, "{}").await.unwrap_err();
    assert!(
        err.to_string().contains(&format!("no event with id {}", event + 1)),
        "{err}"
    );
    assert!(store.add_event_player(event + 1, BOB, "bob", None).await.is_err());
}

// ------------------------------------------------------------------------------------------ question packs

fn pack(guild: u64, name: &str, body: &str) -> NewPack {
    NewPack {
        guild_id: guild,
        name: name.into(),
        name_key: rendezvous::text::fold(name),
        format: "csv".into(),
        filename: "q.csv".into(),
        body: body.into(),
        questions: 3,
        uploaded_by: 7,
        uploaded_at_ms: 1,
    }
}

#[tokio::test]
async fn packs_are_kept_per_server_by_folded_name_and_replaced_only_when_asked() {
    for db in each("packs").await {
        eprintln!("on {}", db.kind);
        packs_kept(db.open().await).await;
    }
}

async fn packs_kept(store: Store) {
    let Saved::Added(id) = store.save_pack(pack(1, "Mars Lesson", "a"), false, 2).await.unwrap() else {
        panic!("added");
    };
    match store.save_pack(pack(1, "mars lesson", "b"), false, 2).await.unwrap() {
        Saved::Taken(info) => assert_eq!((info.id, info.name.as_str()), (id, "Mars Lesson")),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.pack(1, "mars lesson").await.unwrap().unwrap().body,
        "a",
        "nothing stored"
    );
    assert_eq!(
        store.save_pack(pack(1, "MARS lesson", "b"), true, 2).await.unwrap(),
        Saved::Replaced(id)
    );
    let row = store.pack(1, "mars lesson").await.unwrap().unwrap();
    assert_eq!((row.body.as_str(), row.info.name.as_str()), ("b", "MARS lesson"));
    assert!(store.pack(2, "mars lesson").await.unwrap().is_none(), "per server");
    assert!(matches!(
        store.save_pack(pack(1, "Moon", "c"), false, 2).await.unwrap(),
        Saved::Added(_)
    ));
    assert_eq!(
        store.save_pack(pack(1, "Sun", "d"), false, 2).await.unwrap(),
        Saved::Full(2)
    );
    assert_eq!(store.packs(1).await.unwrap().len(), 2);
    store.forget_user(7).await.unwrap();
    assert_eq!(
        store.packs(1).await.unwrap()[0].uploaded_by,
        None,
        "the uploader is forgotten"
    );
    assert_eq!(store.remove_pack(1, id).await.unwrap().as_deref(), Some("MARS lesson"));
    assert_eq!(store.remove_pack(1, id).await.unwrap(), None);
    assert_eq!(store.remove_pack(2, 999).await.unwrap(), None);
}
