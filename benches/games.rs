//! Many games at once: 1,000 channels, each running a trivia game with real timers, in one process, driving the
//! core's `App` the way the Discord front end does (src/discord/driver.rs): a task sleeps until
//! `App::next_deadline`, calls `App::tick`, and goes round again; interactions wake it.
//!
//! Games start spread over five seconds (`/trivia start rounds:3 timer:10`, a 2 s pause between questions) with
//! the score store on (SQLite in a temporary directory), as the bot runs. In each channel three players answer by
//! pressing buttons (or typing, for an open question) at random moments: one answers every question, one about half
//! of them, one only the first, so no question closes early because everyone answered and every reveal waits for its
//! timer. Lateness of a reveal = when the core produced it − its deadline. Peak memory is the process's VmHWM.
//!
//! The same run goes on each score store in turn, side by side: SQLite, then PostgreSQL (the server
//! `RENDEZVOUS_BENCH_PG` or `RENDEZVOUS_TEST_PG` names, or a throwaway one from `.ci/pg.sh`); each in a process of its
//! own (this binary again, with `--store`), so each peak memory is its own. After the games, a burst: 1,000 more games
//! and 20 players answering 3 rounds each, 60,000 answers written through the store 100 at a time (one transaction
//! each, as the bot writes them): answers written per second.
//!
//! Run: `cargo bench --bench games` (about 2 minutes; part of `bash benches/run.sh`).

mod support;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rendezvous::app::{App, Post};
use rendezvous::commands::{self, User};
use rendezvous::kb::load_dir;
use rendezvous::reply::Reply;
use rendezvous::store::{AnswerRecord, Location, NewGame, Store};
use rendezvous::trivia::game::Settings;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use support::{figure, mb, percentile, status_kb};
use tokio::sync::Notify;

const CHANNELS: u64 = 1_000;
const ROUNDS: usize = 3;
const TIMER_MS: i64 = 10_000;
const GAP_MS: i64 = 2_000;
const START_WINDOW_MS: u64 = 5_000;
const GUILD: u64 = 77;

/// Microseconds since the Unix epoch (finer than the core's milliseconds, for lateness).
fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

fn now_ms() -> i64 {
    now_us() / 1000
}

/// A post the core produced, and when (µs).
struct Produced {
    channel: u64,
    title: String,
    at_us: i64,
}

struct Sim {
    app: Arc<App>,
    wake: Notify,
    produced: Mutex<Vec<Produced>>,
    /// When each channel's game started (ms), as passed to the core.
    started: Mutex<HashMap<u64, i64>>,
    answers: std::sync::atomic::AtomicUsize,
}

impl Sim {
    fn record(&self, posts: &[Post]) {
        let at_us = now_us();
        let mut p = self.produced.lock().unwrap();
        for post in posts {
            p.push(Produced {
                channel: post.channel,
                title: post.reply.title.clone().unwrap_or_default(),
                at_us,
            });
        }
    }
}

fn player(channel: u64, n: u64) -> User {
    User {
        id: channel * 10 + n,
        name: format!("player {n}"),
    }
}

/// A question is on screen in `channel` (round `round`): schedule the players' answers.
fn schedule_answers(sim: &Arc<Sim>, channel: u64, round: usize, question: &Reply, rng: &mut StdRng) {
    let buttons: Vec<String> = question.buttons.iter().map(|b| b.id.clone()).collect();
    for n in 1..=3u64 {
        let answers = match n {
            1 => true,
            2 => rng.gen_bool(0.5),
            _ => round == 0,
        };
        if !answers {
            continue;
        }
        let delay = Duration::from_millis(rng.gen_range(300..(TIMER_MS as u64 - 1_000)));
        let choice = if buttons.is_empty() {
            None
        } else {
            Some(buttons[rng.gen_range(0..buttons.len())].clone())
        };
        let sim = sim.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let user = player(channel, n);
            let outcome = match choice {
                Some(id) => {
                    let caller = rendezvous::context::Caller {
                        user,
                        guild: Some(GUILD),
                        channel,
                        perms: Default::default(),
                        roles: Vec::new(),
                    };
                    sim.app.press(&id, &caller, now_ms()).await
                }
                None => {
                    let mut req = commands::parse("/answer text:\"Apollo 11\"", user).expect("parse /answer");
                    req.channel = channel;
                    req.guild = Some(GUILD);
                    sim.app.command(&req, now_ms()).await
                }
            };
            sim.answers.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            sim.record(&outcome.posts);
            for post in &outcome.posts {
                after_post(&sim, post);
            }
            sim.wake.notify_one();
        });
    }
}

/// A question post opens a new round: schedule its answers.
fn after_post(sim: &Arc<Sim>, post: &Post) {
    let title = post.reply.title.as_deref().unwrap_or_default();
    if let Some(rest) = title.strip_prefix("Question ") {
        let round: usize = rest.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(1);
        let mut rng = StdRng::seed_from_u64(post.channel * 31 + round as u64);
        schedule_answers(sim, post.channel, round - 1, &post.reply, &mut rng);
    }
}

/// The timer task, as in src/discord/driver.rs: sleep until the next deadline (or a wake), tick, hand the posts on.
async fn drive(sim: Arc<Sim>, stop: Arc<Notify>) {
    loop {
        let app = sim.app.clone();
        let deadline = tokio::task::spawn_blocking(move || app.next_deadline())
            .await
            .expect("next_deadline");
        let wait = match deadline {
            Some(d) => Duration::from_millis(d.saturating_sub(now_ms()).max(0) as u64),
            None => Duration::from_secs(30),
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = sim.wake.notified() => continue,
            () = stop.notified() => break,
        }
        if deadline.is_none_or(|d| now_ms() < d) {
            continue;
        }
        let app = sim.app.clone();
        let now = now_ms();
        let posts = tokio::spawn(async move { app.tick(now).await }).await.expect("tick");
        sim.record(&posts);
        for post in &posts {
            after_post(&sim, post);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--store") {
        let db = args.get(i + 1).expect("--store sqlite|URL").clone();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        rt.block_on(run(db));
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let pg = rt.block_on(support::pg::BenchDb::new("rendezvous_bench_games"));
    let mut table = Vec::new();
    for db in ["sqlite".to_string(), pg.url.clone()] {
        let out = std::process::Command::new(std::env::current_exe().expect("this binary's path"))
            .args(["--store", &db])
            .output()
            .expect("run the games on one store");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        print!("{text}");
        assert!(
            out.status.success(),
            "the run on {} failed:\n{}",
            if db == "sqlite" { "SQLite" } else { "PostgreSQL" },
            String::from_utf8_lossy(&out.stderr)
        );
        table.extend(
            text.lines()
                .filter(|l| l.starts_with("side by side:"))
                .map(str::to_string),
        );
    }
    drop(pg);
    println!("== side by side (store: answers written/s in the burst; reveal lateness p99; peak memory)");
    for line in table {
        println!("{line}");
    }
}

async fn run(db: String) {
    let kb = load_dir(&support::shipped_data()).expect("the shipped data loads");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (name, location) = if db == "sqlite" {
        ("SQLite", Location::File(dir.path().join("scores.db")))
    } else {
        // As many connections as the bot's default pool.
        ("PostgreSQL", Location::parse(&db).expect("a PostgreSQL URL"))
    };
    let store = rendezvous::store::Store::connect(&location).await;
    assert!(store.is_ok(), "the score store opens: {:?}", store.as_ref().err());
    let burst_store = store.as_ref().ok().cloned();
    let app = App::new(kb, Some(1)).with_store(store).with_defaults(Settings {
        rounds: ROUNDS,
        timer_ms: TIMER_MS,
        gap_ms: GAP_MS,
    });
    let before_kb = status_kb(None, "VmHWM").unwrap_or(0);
    let sim = Arc::new(Sim {
        app: Arc::new(app),
        wake: Notify::new(),
        produced: Mutex::new(Vec::new()),
        started: Mutex::new(HashMap::new()),
        answers: Default::default(),
    });
    let stop = Arc::new(Notify::new());
    let driver = tokio::spawn(drive(sim.clone(), stop.clone()));

    let began = std::time::Instant::now();
    let mut start_lat = Vec::new();
    for c in 0..CHANNELS {
        let channel = 1_000 + c;
        let due = Duration::from_millis(START_WINDOW_MS * c / CHANNELS);
        tokio::time::sleep_until(tokio::time::Instant::from_std(began + due)).await;
        let mut req = commands::parse(
            &format!("/trivia start rounds:{ROUNDS} timer:{}", TIMER_MS / 1000),
            player(channel, 1),
        )
        .expect("parse /trivia start");
        req.channel = channel;
        req.guild = Some(GUILD);
        let now = now_ms();
        let t = std::time::Instant::now();
        let outcome = sim.app.command(&req, now).await;
        start_lat.push(t.elapsed());
        assert!(
            outcome
                .reply
                .title
                .as_deref()
                .is_some_and(|t| t.starts_with("Question 1")),
            "a game starts in channel {channel}: {:?}",
            outcome.reply
        );
        sim.started.lock().unwrap().insert(channel, now);
        let mut rng = StdRng::seed_from_u64(channel);
        schedule_answers(&sim, channel, 0, &outcome.reply, &mut rng);
        sim.wake.notify_one();
    }
    let all_started = began.elapsed();
    let running_peak = sim.app.running_games();

    // Wait for every game to end (bounded: the schedule takes about 41 s).
    let limit = began + Duration::from_secs(120);
    while sim.app.running_games() > 0 && std::time::Instant::now() < limit {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Let the last answer tasks finish.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.notify_one();
    let _ = driver.await;
    let elapsed = began.elapsed();
    let peak_kb = status_kb(None, "VmHWM").unwrap_or(0);

    // Each channel's reveals, in order, against the deadlines its schedule gives.
    let produced = std::mem::take(&mut *sim.produced.lock().unwrap());
    let started = sim.started.lock().unwrap().clone();
    let mut per_channel: HashMap<u64, usize> = HashMap::new();
    let mut late_us: Vec<i64> = Vec::new();
    let mut finals = 0;
    for p in &produced {
        if p.title.starts_with("Answer") {
            let k = per_channel.entry(p.channel).or_default();
            let start = started[&p.channel];
            let deadline_ms = start + *k as i64 * (TIMER_MS + GAP_MS) + TIMER_MS;
            late_us.push(p.at_us - deadline_ms * 1000);
            *k += 1;
        } else if p.title.starts_with("Final") {
            finals += 1;
        }
    }
    late_us.sort_unstable();
    let reveals = late_us.len();
    let expected = CHANNELS as usize * ROUNDS;
    start_lat.sort();
    println!(
        "{CHANNELS} games started in {:.1} s ({} running at once; /trivia start p50 {:.0} µs, p99 {:.0} µs); \
         all over after {:.1} s; {} answers; {reveals} reveals (expected {expected}); {finals} final scoreboards; \
         {} still running",
        all_started.as_secs_f64(),
        running_peak,
        support::us(percentile(&start_lat, 50.0)),
        support::us(percentile(&start_lat, 99.0)),
        elapsed.as_secs_f64(),
        sim.answers.load(std::sync::atomic::Ordering::Relaxed),
        sim.app.running_games()
    );
    assert_eq!(reveals, expected, "every question was revealed once");
    assert!(
        late_us[0] >= 0,
        "no reveal came before its deadline (earliest {} µs)",
        late_us[0]
    );
    let p = |q: f64| percentile(&late_us, q) as f64 / 1000.0;
    println!(
        "reveal lateness: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        p(50.0),
        p(90.0),
        p(99.0),
        *late_us.last().expect("reveals") as f64 / 1000.0
    );
    println!(
        "memory: peak {:.1} MB (before the games: {:.1} MB)",
        mb(peak_kb),
        mb(before_kb)
    );
    println!("machine: {}", support::machine());
    let per_s = burst(burst_store.expect("the store"), &mut rand::thread_rng()).await;
    println!(
        "side by side: {name:<10} {per_s:>8.0} answers/s   p99 {:>6.1} ms   peak {:>6.1} MB",
        p(99.0),
        mb(peak_kb)
    );
    figure(
        &format!("1,000 concurrent games on {name}, p99 reveal lateness"),
        format!("{:.1} ms", p(99.0)),
        "≤ 50 ms",
        p(99.0) <= 50.0,
    );
    figure(
        &format!("1,000 concurrent games on {name}, peak memory (VmHWM)"),
        format!("{:.1} MB", mb(peak_kb)),
        "≤ 150 MB",
        mb(peak_kb) <= 150.0,
    );
    figure(
        &format!("answers written per second on {name} (60,000, 100 at a time, one transaction each)"),
        format!("{per_s:.0}"),
        "recorded",
        true,
    );
}

/// 1,000 games, 20 players each answering 3 rounds: 60,000 answers written through the store, 100 at a time;
/// answers/s.
async fn burst(store: Store, rng: &mut impl Rng) -> f64 {
    const GAMES: u64 = 1_000;
    const PLAYERS: u64 = 20;
    const ROUNDS: u32 = 3;
    /// Answers being written at once (interactions a busy process handles together).
    const IN_FLIGHT: usize = 100;
    let mut games = Vec::new();
    for g in 0..GAMES {
        let id = store
            .start_game(NewGame {
                guild_id: GUILD,
                channel_id: 50_000 + g,
                started_by: 1,
                started_at_ms: now_ms(),
                rounds: ROUNDS,
                category: None,
                difficulty: None,
                seed: g,
            })
            .await
            .expect("start a game");
        games.push(id);
    }
    let permits = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let began = std::time::Instant::now();
    let mut tasks = Vec::new();
    for (g, game_id) in games.iter().enumerate() {
        for player in 0..PLAYERS {
            for round in 1..=ROUNDS {
                let store = store.clone();
                let right = rng.gen_bool(0.5);
                let a = AnswerRecord {
                    game_id: *game_id,
                    guild_id: GUILD,
                    user_id: 9_000_000 + g as u64 * 100 + player,
                    user_name: format!("player {player}"),
                    round,
                    right,
                    points: if right { 10 } else { 0 },
                    streak: round,
                    at_ms: now_ms(),
                    question_id: format!("q{round}"),
                };
                let permits = permits.clone();
                tasks.push(tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await.expect("the semaphore stays open");
                    store.record_answer(a).await
                }));
            }
        }
    }
    let n = tasks.len();
    for t in tasks {
        assert!(
            t.await.expect("no panic").expect("the answer is written"),
            "counted once"
        );
    }
    let took = began.elapsed();
    println!("burst: {n} answers written in {:.2} s", took.as_secs_f64());
    n as f64 / took.as_secs_f64()
}
