//! One database shared by several processes, on every database the store speaks (SQLite, and PostgreSQL when
//! `RENDEZVOUS_TEST_PG` is set): each store here is opened on its own connections, as another process would. What
//! must happen once happens once, through the database's keys and conditional updates: an answer counted, a game
//! ended, an event ended, a day's question claimed and revealed, a schema step applied. A server's settings and its
//! question of the day are kept the same way on both; an older schema is brought up to date.

use crate::support::stores::{each, TestDb};
use rendezvous::store::{
    AnswerRecord, DailyAnswer, DailyPost, DailySchedule, NewEvent, NewGame, ServerSettings, Store,
};

const GUILD: u64 = 900_000_000_000_000_001;

fn answer(game_id: i64, user_id: u64, round: u32) -> AnswerRecord {
    AnswerRecord {
        game_id,
        guild_id: GUILD,
        user_id,
        user_name: format!("player {user_id}"),
        round,
        right: true,
        points: 10,
        streak: round,
        at_ms: 1_000 + i64::from(round),
        question_id: format!("q{round}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_happens_once_happens_once_when_two_processes_race() {
    for db in each("race").await {
        eprintln!("on {}", db.kind);
        race(&db).await;
    }
}

async fn race(db: &TestDb) {
    let (a, b) = (db.open().await, db.open().await);
    let game = a
        .start_game(NewGame {
            guild_id: GUILD,
            channel_id: 1,
            started_by: 1,
            started_at_ms: 0,
            rounds: 3,
            category: None,
            difficulty: None,
            seed: 1,
        })
        .await
        .unwrap();
    // Both processes receive the same 60 presses (a retried delivery, a second process answering the same button)
    // and record them at the same time.
    let mut tasks = Vec::new();
    for user in 1..=20u64 {
        for round in 1..=3 {
            for store in [a.clone(), b.clone()] {
                tasks.push(tokio::spawn(async move {
                    store.record_answer(answer(game, user, round)).await
                }));
            }
        }
    }
    let mut counted = 0;
    for t in tasks {
        counted += u32::from(t.await.unwrap().unwrap());
    }
    assert_eq!(counted, 60, "each answer is counted by exactly one of the two");
    // Both end the game at once: one of them counts it.
    let players: Vec<u64> = (1..=20).collect();
    let (ea, eb) = tokio::join!(
        a.finish_game(game, 5_000, &players, &[1]),
        b.finish_game(game, 5_001, &players, &[1])
    );
    assert_eq!(u8::from(ea.unwrap()) + u8::from(eb.unwrap()), 1, "one ending counts");
    let board = b.leaderboard(GUILD, None, 100).await.unwrap();
    assert_eq!(board.len(), 20);
    assert!(
        board.iter().all(|r| r.points == 30 && r.answered == 3 && r.games == 1),
        "{board:?}"
    );
    assert_eq!(board.iter().map(|r| r.wins).sum::<u32>(), 1);
    assert_eq!(
        a.leaderboard(GUILD, None, 100).await.unwrap(),
        board,
        "the same board from either"
    );
    assert_eq!(a.question_stats("q1").await.unwrap(), (20, 20), "question counts too");

    let event = a
        .create_event(NewEvent {
            guild_id: GUILD,
            channel_id: 2,
            name: "Race".into(),
            hosts: vec![1],
            seed: 2,
            config_json: "{}".into(),
            created_at_ms: 0,
        })
        .await
        .unwrap();
    let (ea, eb) = tokio::join!(a.end_event(event, 10), b.end_event(event, 11));
    assert_eq!(
        u8::from(ea.unwrap()) + u8::from(eb.unwrap()),
        1,
        "one ending of the event"
    );

    let post = DailyPost {
        guild_id: GUILD,
        day: "2025-01-02".into(),
        channel_id: 3,
        posted_at: 0,
        question_id: "q9".into(),
        question: "{}".into(),
        revealed: false,
    };
    let (ca, cb) = tokio::join!(a.claim_daily_post(&post), b.claim_daily_post(&post));
    assert_eq!(
        u8::from(ca.unwrap()) + u8::from(cb.unwrap()),
        1,
        "one process posts the day"
    );
    let (ra, rb) = tokio::join!(
        a.reveal_daily(GUILD, "2025-01-02", None),
        b.reveal_daily(GUILD, "2025-01-02", None)
    );
    assert_eq!(u8::from(ra.unwrap()) + u8::from(rb.unwrap()), 1, "one reveal");
    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_starting_together_on_a_new_database_apply_each_schema_step_once() {
    for db in each("migrate_together").await {
        eprintln!("on {}", db.kind);
        let opening: Vec<_> = (0..4)
            .map(|_| {
                let location = db.location.clone();
                tokio::spawn(async move { Store::connect(&location).await })
            })
            .collect();
        for o in opening {
            let store = o.await.unwrap().unwrap_or_else(|e| panic!("{}: {e}", db.kind));
            assert_eq!(store.schema_versions().await.unwrap(), vec![1, 2, 3, 4, 5]);
            store.close().await;
        }
    }
}

#[tokio::test]
async fn settings_and_the_question_of_the_day_are_kept_on_both_databases() {
    for db in each("server_life").await {
        eprintln!("on {}", db.kind);
        let store = db.open().await;
        assert_eq!(store.settings(GUILD).await.unwrap(), ServerSettings::default());
        let s = ServerSettings {
            rounds: Some(3),
            timer_s: None,
            category: Some("moon".into()),
            difficulty: None,
            channels: vec![u64::MAX, 20],
            roles: vec![30],
            cooldown_s: 60,
        };
        store.save_settings(GUILD, &s, 1, 100).await.unwrap();
        let schedule = DailySchedule {
            guild_id: GUILD,
            channel_id: 7,
            local_time: "09:00".into(),
            timezone: "Europe/Paris".into(),
            set_by: 1,
            set_at: 100,
        };
        store.set_daily(&schedule).await.unwrap();
        let mut days = Vec::new();
        for (day, right) in [("2025-01-01", [true, true]), ("2025-01-02", [true, false])] {
            let post = DailyPost {
                guild_id: GUILD,
                day: day.into(),
                channel_id: 7,
                posted_at: 0,
                question_id: format!("q-{day}"),
                question: "{\"text\":\"…\"}".into(),
                revealed: false,
            };
            assert!(store.claim_daily_post(&post).await.unwrap());
            for (user, right) in [(10u64, right[0]), (11, right[1])] {
                let a = DailyAnswer {
                    user_id: user,
                    user_name: format!("u{user}"),
                    choice: 1,
                    correct: right,
                    at_ms: user as i64,
                };
                assert!(store.record_daily_answer(GUILD, day, &a).await.unwrap());
                assert!(
                    !store.record_daily_answer(GUILD, day, &a).await.unwrap(),
                    "one answer a day"
                );
            }
            assert!(store
                .reveal_daily(GUILD, day, days.last().map(String::as_str))
                .await
                .unwrap());
            days.push(day.to_string());
        }
        store.close().await;

        // Another process reads the same.
        let store = db.open().await;
        assert_eq!(store.settings(GUILD).await.unwrap(), s);
        assert_eq!(
            store.daily_schedules().await.unwrap(),
            vec![(schedule, Some("2025-01-02".to_string()))]
        );
        let latest = store.latest_daily_post(GUILD).await.unwrap().unwrap();
        assert_eq!((latest.day.as_str(), latest.revealed), ("2025-01-02", true));
        assert_eq!(store.daily_answers(GUILD, "2025-01-02").await.unwrap().len(), 2);
        let streaks: Vec<(u64, u32, u32)> = store
            .daily_streaks(GUILD, None, 10)
            .await
            .unwrap()
            .iter()
            .map(|s| (s.user_id, s.streak, s.best))
            .collect();
        assert_eq!(streaks, vec![(10, 2, 2)], "u11's streak broke on the second day");
        let broken = store.daily_streak(GUILD, 11).await.unwrap().unwrap();
        assert_eq!((broken.streak, broken.best), (0, 1));
        assert!(store.remove_daily(GUILD).await.unwrap());
        assert_eq!(store.forget_user(10).await.unwrap(), 3, "2 answers and a streak");
        store.close().await;
    }
}

#[tokio::test]
async fn a_database_of_an_older_schema_is_brought_up_to_date_and_keeps_its_scores() {
    for db in each("older_schema").await {
        eprintln!("on {}", db.kind);
        let store = db.open().await;
        let game = store
            .start_game(NewGame {
                guild_id: GUILD,
                channel_id: 1,
                started_by: 1,
                started_at_ms: 0,
                rounds: 1,
                category: None,
                difficulty: None,
                seed: 1,
            })
            .await
            .unwrap();
        assert!(store.record_answer(answer(game, 5, 1)).await.unwrap());
        store.close().await;
        // As an older build left it: schema version 2, without the later tables.
        older(&db).await;
        let store = db.open().await;
        assert_eq!(store.schema_versions().await.unwrap(), vec![1, 2, 3, 4, 5]);
        assert_eq!(store.player_stats(GUILD, 5).await.unwrap().unwrap().points, 10);
        assert_eq!(store.settings(GUILD).await.unwrap(), ServerSettings::default());
        store.close().await;
    }
}

/// Takes the database back to schema version 2 (the tables of migrations 3 to 5 dropped).
pub async fn older(db: &TestDb) {
    let sql = "DROP TABLE question_stats; DROP TABLE asked_questions; DROP TABLE question_reports; \
               DROP TABLE guild_settings; DROP TABLE daily_schedules; DROP TABLE daily_posts; \
               DROP TABLE daily_answers; DROP TABLE daily_streaks; DROP TABLE packs; DELETE FROM schema_migrations WHERE version > 2";
    super::store::raw_sql(db, sql).await;
}
