//! Scores are not lost: the database file alone holds every score after a session ends, `rendezvous backup` copies
//! the live database, a database locked at start-up is tried again until it frees (and players are told meanwhile),
//! and a database file deleted under the running bot is noticed, saved and made anew (and players are told).

use crate::support::bin::{stderr, stdout, Sandbox};
use rendezvous::console::{Console, Output, CONSOLE_GUILD};
use rendezvous::store::{LeaderRow, Store};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};

/// A game of one question in which four players press the four buttons: whatever the answer, one of them is right.
/// (Seed 7 asks a question with buttons first; a true-or-false one has two, and the other presses are refused.)
const EVERYONE_ANSWERS: &str =
    "/trivia start rounds:1\npress 1\nas bob\npress 2\nas carol\npress 3\nas dave\npress 4\n\
                                wait 30\nas you\n";

/// The all-time board of the console's server in the database at `db` (opened by the library, as the bot would).
fn board(db: &Path) -> Vec<LeaderRow> {
    runtime().block_on(board_of(db, CONSOLE_GUILD))
}

async fn board_of(db: &Path, guild: u64) -> Vec<LeaderRow> {
    let store = Store::open(db).await.unwrap();
    let rows = store.leaderboard(guild, None, 10).await.unwrap();
    store.close().await;
    rows
}

fn points(rows: &[LeaderRow]) -> i64 {
    rows.iter().map(|r| r.points).sum()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Copies `db` alone (no `-wal`, no `-shm`) into a directory of its own, as `cp rendezvous.db copy.db` does.
fn copy_alone(db: &Path, dir: &Path) -> PathBuf {
    let copy = dir.join("copy.db");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(db, &copy).unwrap();
    copy
}

/// Runs console lines one by one; returns everything they printed (errors too), joined.
fn play(console: &mut Console, script: &str) -> String {
    script
        .lines()
        .map(|l| match console.line(l) {
            Output::Text(t) => t,
            Output::Error(e) => format!("error: {e}"),
            Output::Quit => String::new(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn kb() -> rendezvous::kb::KnowledgeBase {
    super::commands::kb().clone()
}

#[test]
fn after_a_console_session_the_database_file_alone_holds_every_score() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["console", "--seed", "7", "--db", "scores.db"], EVERYONE_ANSWERS);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = sandbox.path().join("scores.db");
    let wal = sandbox.path().join("scores.db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the write-ahead log was folded into the file at the end"
    );
    // An admin's backup: the main file only.
    let copy = copy_alone(&db, &sandbox.path().join("backup"));
    let rows = board(&copy);
    assert!(rows.len() >= 2, "{rows:?}\n{}", stdout(&out));
    assert!(points(&rows) > 0, "somebody was right: {rows:?}");
    assert_eq!(rows, board(&db), "the copy has what the database has");
}

#[test]
fn backup_copies_the_live_database_while_another_process_holds_it_and_never_overwrites_by_accident() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["console", "--seed", "7", "--db", "scores.db"], EVERYONE_ANSWERS);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = sandbox.path().join("scores.db");
    let scored = board(&db);
    assert!(points(&scored) > 0);

    // Another process (the running bot) has it open, in the middle of a write it has not committed.
    let rt = runtime();
    let mut other: SqliteConnection = rt.block_on(async {
        let mut c = SqliteConnectOptions::new().filename(&db).connect().await.unwrap();
        sqlx::raw_sql("BEGIN IMMEDIATE; UPDATE players SET points = points + 1000")
            .execute(&mut c)
            .await
            .unwrap();
        c
    });
    let backup = sandbox.run(&["backup", "copy.db", "--db", "scores.db"], "");
    assert!(backup.status.success(), "{}", stderr(&backup));
    let said = stdout(&backup);
    let n = scored.len();
    assert!(
        said.contains(&format!(
            "Backed up scores.db to copy.db: 1 game, {n} answers, {n} players, 0 events"
        )),
        "{said}"
    );
    assert!(said.contains("To restore it: stop the bot"), "{said}");
    let copy = sandbox.path().join("copy.db");
    assert!(
        !sandbox.path().join("copy.db-wal").exists(),
        "the copy is one self-contained file"
    );
    // The copy has every committed score, and nothing of the write still under way.
    assert_eq!(board(&copy_alone(&copy, &sandbox.path().join("restore"))), scored);

    // An existing file is never replaced by accident…
    let before = std::fs::read(&copy).unwrap();
    let again = sandbox.run(&["backup", "copy.db", "--db", "scores.db"], "");
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("copy.db already exists: nothing was written. Choose another name, or add --force"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    // …only with --force, once the copy is complete.
    rt.block_on(async {
        sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
        other.close().await.unwrap();
    });
    let forced = sandbox.run(&["backup", "copy.db", "--db", "scores.db", "--force"], "");
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(board(&copy), scored);
    let leftovers: Vec<_> = std::fs::read_dir(sandbox.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Nothing to back up: said, and nothing made.
    let none = sandbox.run(&["backup", "other.db", "--db", "missing.db"], "");
    assert_eq!(none.status.code(), Some(1));
    assert!(
        stderr(&none).contains("there is no database at missing.db: nothing to back up"),
        "{}",
        stderr(&none)
    );
    assert!(!sandbox.path().join("other.db").exists() && !sandbox.path().join("missing.db").exists());
    // The database itself is not a target.
    let itself = sandbox.run(&["backup", "scores.db", "--db", "scores.db", "--force"], "");
    assert_eq!(itself.status.code(), Some(2));
    assert!(
        stderr(&itself).contains("it is the database itself"),
        "{}",
        stderr(&itself)
    );
}

#[test]
fn a_database_locked_at_start_up_is_tried_again_and_keeps_the_points_once_it_frees() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scores.db");
    let rt = runtime();
    // An existing database, then another process holding its lock as the console starts.
    rt.block_on(async { Store::open(&db).await.unwrap().close().await });
    let mut other: SqliteConnection = rt.block_on(async {
        let mut c = SqliteConnectOptions::new().filename(&db).connect().await.unwrap();
        sqlx::raw_sql("BEGIN EXCLUSIVE").execute(&mut c).await.unwrap();
        c
    });
    let (mut console, warning) = Console::open(kb(), Some(7), Some(&db.clone().into()), None);
    let warning = warning.expect("the console says scores are not kept for now");
    assert!(warning.contains("busy or locked"), "{warning}");

    // A game meanwhile runs, and says, at its start and at its reveal, that its points are not saved.
    let first = play(&mut console, EVERYONE_ANSWERS);
    assert!(first.contains("[1: "), "the first question has buttons: {first}");
    assert!(
        first.contains("⚠ Points in this game will not be saved: the database")
            && first.contains("scores are kept again once the database is back"),
        "{first}"
    );
    assert!(
        first
            .contains("⚠ Points in this game are not being saved: the score database was unavailable when it started."),
        "{first}"
    );

    // The other process lets go; time passes; the database is tried again, and the next game is saved.
    rt.block_on(async {
        sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
        other.close().await.unwrap();
    });
    play(&mut console, "wait 5");
    let second = play(&mut console, EVERYONE_ANSWERS);
    assert!(!second.contains('⚠'), "{second}");
    drop(console);
    let rows = board(&db);
    assert!(rows.len() >= 2 && points(&rows) > 0, "{rows:?}");
    assert!(
        rows.iter().all(|r| r.games == 1),
        "only the second game was saved: {rows:?}"
    );
}

#[test]
fn a_database_file_deleted_mid_session_is_saved_aside_made_anew_and_players_are_told() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scores.db");
    let (mut console, warning) = Console::open(kb(), Some(7), Some(&db.clone().into()), None);
    assert_eq!(warning, None);
    let first = play(&mut console, EVERYONE_ANSWERS);
    assert!(!first.contains('⚠'), "{first}");

    // A long game is running when the file goes: its points so far went to the old file.
    let long = play(&mut console, "/trivia start rounds:2 timer:120\npress 1");
    assert!(long.contains("Got it"), "{long}");
    std::fs::remove_file(&db).unwrap();
    // At the next upkeep (a minute after the last, at the first game's reveal), the console notices, saves the old
    // file aside and makes a new one. The long game's question is still open.
    play(&mut console, "wait 60");
    assert!(db.exists(), "a new database was made at the same path");
    let late = play(&mut console, "as bob\npress 2");
    assert!(
        late.contains("⚠ Your points could not be saved: the score database was made anew after this game started."),
        "{late}"
    );
    let reveal = play(&mut console, "wait 121");
    assert!(reveal.contains("⚠ Points in this game are not being saved"), "{reveal}");
    play(&mut console, "as you\n/trivia stop");

    // The next game tells its players what happened, once.
    let next = play(&mut console, EVERYONE_ANSWERS);
    assert!(
        next.contains(
            "⚠ The score database was deleted while the bot was running: scores start again in a new, empty one"
        ) && next.contains("The old scores are not lost"),
        "{next}"
    );
    let after = play(&mut console, EVERYONE_ANSWERS);
    assert!(!after.contains("was deleted"), "told once: {after}");
    drop(console);

    // The new file has the games after the deletion; the saved copy has everything the old one held.
    let now = board(&db);
    assert!(now.iter().all(|r| r.games == 2), "{now:?}");
    let saved: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("scores.deleted-"))
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let old = board(&saved[0]);
    assert!(
        old.len() >= 2 && points(&old) > 0 && old.iter().all(|r| r.games == 1),
        "{old:?}"
    );
    assert!(
        old.iter().any(|r| r.user_name == "you" && r.answered == 2),
        "the long game's first answer is in the saved copy: {old:?}"
    );
}

/// How many answers the database file at `path` holds, read on its own (`None` while a copy caught a write half-way).
async fn answers_in(path: &Path) -> Option<i64> {
    use sqlx::Row;
    let mut c = SqliteConnectOptions::new().filename(path).connect().await.ok()?;
    let n = sqlx::query("SELECT COUNT(*) FROM answers")
        .fetch_one(&mut c)
        .await
        .ok()?
        .get(0);
    c.close().await.ok()?;
    Some(n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_discord_the_file_is_checkpointed_while_the_bot_runs_and_the_store_closed_at_shutdown() {
    use crate::support::fake_discord::{FakeDiscord, GUILD_ID, WAIT};
    use crate::support::interactions::{self as ix, s};
    use rendezvous::app::App;
    use rendezvous::config::{Config, Token};
    use rendezvous::discord::{self, Options};
    use rendezvous::store::{Keeper, Upkeep};
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scores.db");
    // A checkpoint every tenth of a second instead of every minute.
    let upkeep = Upkeep {
        checkpoint_ms: 100,
        ..Upkeep::default()
    };
    let app = App::new(kb(), Some(5)).with_store(Keeper::open(&db.clone().into(), upkeep).await);
    let fake = FakeDiscord::start("durability_checkpoints").await;
    let mut config = Config::default();
    config.discord.token = Token::new("FAKE.t0ken-that-must-never-show.Zq9x");
    config.discord.api_base = Some(fake.base());
    config.discord.guild_id = Some(GUILD_ID);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        discord::run_with(
            &config,
            Arc::new(app),
            async { drop(stopped.await) },
            Options::default(),
        )
        .await
    });
    fake.ready(1).await;
    fake.registration().await;

    let question = fake.interact(ix::slash_sub("trivia", "start", vec![])).await;
    let buttons: Vec<String> = question["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect();
    let ack = match buttons.first() {
        Some(first) => fake.interact(ix::button(first)).await,
        None => fake.interact(ix::slash("answer", vec![s("text", "Zhurong")])).await,
    };
    assert!(
        ack["data"]["content"].as_str().unwrap_or_default().contains("Got it"),
        "{ack:#}"
    );

    // While the bot runs, the driver's upkeep folds the answer into the file itself: a plain copy has it.
    let deadline = std::time::Instant::now() + WAIT;
    for n in 0.. {
        let copy = copy_alone(&db, &dir.path().join(format!("copy{n}")));
        if answers_in(&copy).await == Some(1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the file alone never got the answer"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // Shutdown ends the game and closes the store: the log is folded in and gone, the file has the game's end.
    let _ = stop.send(());
    tokio::time::timeout(WAIT, task).await.unwrap().unwrap().unwrap();
    let wal = dir.path().join("scores.db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the log is empty"
    );
    let rows = board_of(&copy_alone(&db, &dir.path().join("after")), GUILD_ID).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].games, 1, "the game's end is in the file: {rows:?}");
}

/// SQLite's own check of a database file.
fn integrity(db: &Path) -> String {
    use sqlx::Row;
    runtime().block_on(async {
        let mut c = SqliteConnectOptions::new().filename(db).connect().await.unwrap();
        let r: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&mut c)
            .await
            .unwrap()
            .get(0);
        c.close().await.unwrap();
        r
    })
}

#[test]
fn a_backup_moved_over_the_live_file_is_used_intact_and_the_replaced_scores_are_saved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scores.db");
    let snap = dir.path().join("snap.db");
    let (mut console, _) = Console::open(kb(), Some(7), Some(&db.clone().into()), None);
    play(&mut console, EVERYONE_ANSWERS);
    let at_backup = board(&db);
    runtime()
        .block_on(rendezvous::store::backup(&db, &snap, false))
        .unwrap();
    // Another game after the backup, then the backup is moved over the live file (its log files stay beside it).
    play(&mut console, EVERYONE_ANSWERS);
    std::fs::rename(&snap, &db).unwrap();
    let next = play(&mut console, &format!("wait 61\n{EVERYONE_ANSWERS}"));
    assert!(
        next.contains("⚠ The score database was replaced while the bot was running: scores now go to the new one."),
        "{next}"
    );
    drop(console);

    // The restored file was never paired with the old file's log: intact, with the backup's games and the new one.
    assert_eq!(integrity(&db), "ok");
    // (The players of the first game play every game: two each, in either file.)
    let restored = board(&db);
    for before in &at_backup {
        let now = restored.iter().find(|r| r.user_id == before.user_id);
        assert!(
            now.is_some_and(|r| r.games == 2 && r.points >= before.points),
            "{before:?} then {now:?}"
        );
    }
    let replaced: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("scores.replaced-"))
        .collect();
    assert_eq!(replaced.len(), 1, "{replaced:?}");
    assert_eq!(integrity(&replaced[0]), "ok");
    let saved = board(&replaced[0]);
    assert!(
        at_backup
            .iter()
            .all(|b| saved.iter().any(|r| r.user_id == b.user_id && r.games == 2)),
        "the game after the backup is in the saved copy: {saved:?}"
    );
}
