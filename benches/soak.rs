//! A bounded soak with the score store on: 10,000 button presses over many games, in 24 channels of 4 servers, on a
//! virtual clock (one second a step, as the console's `wait` passes time), driving the core's `App` as the front ends
//! do: `/trivia start`, presses on the answer buttons, `App::tick` for timers and the store's upkeep.
//!
//! The store is a real SQLite file kept by a `Keeper` whose upkeep checkpoints every 10 s of virtual time (so a soak
//! of a few thousand virtual minutes runs hundreds of checkpoints and file checks). Three players in each channel
//! each press a random answer button on every question that has buttons (typed questions go unanswered, and two in a
//! row end a game, as they would). When a game ends, a new one starts in its channel. After the 10,000th press the
//! running games are ended as at a shutdown and the store is closed.
//!
//! What it shows:
//! - memory stays flat: resident memory (VmRSS) is sampled every 500 presses after a warm-up of 1,000; the figure is
//!   the growth from the first sample to the last, with the peak;
//! - every point is in the database: the sum of the points the games reported on their final scoreboards equals the
//!   sum of the points in the database (read back after closing), and every press taken is an answer there;
//! - the write-ahead log stays small (checkpoints keep folding it in).
//!
//! Run: `cargo bench --bench soak` (under a minute; part of `bash benches/run.sh`).

mod support;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rendezvous::app::{App, Post};
use rendezvous::commands::{self, User};
use rendezvous::context::Caller;
use rendezvous::ids::ButtonId;
use rendezvous::kb::load_dir;
use rendezvous::reply::Reply;
use rendezvous::store::{Keeper, Store, Upkeep};
use rendezvous::trivia::game::Settings;
use std::collections::HashMap;
use std::time::Instant;
use support::{figure, mb, status_kb};

/// Presses in a run; `cargo bench --bench soak -- --presses N` for another count (a longer soak).
const PRESSES: usize = 10_000;
const GUILDS: u64 = 4;
const CHANNELS_PER_GUILD: u64 = 6;
const PLAYERS: u64 = 3;
const SAMPLE_EVERY: usize = 500;
const WARM_UP: usize = 1_000;
/// 2025-06-01T00:00:00Z: virtual time starts here.
const START_MS: i64 = 1_748_736_000_000;
const STEP_MS: i64 = 1_000;

/// One channel's game as the players see it.
#[derive(Default)]
struct Channel {
    guild: u64,
    /// The answer buttons of the open question, and who has pressed one.
    open: Vec<String>,
    pressed: Vec<bool>,
    /// A game is running here.
    playing: bool,
}

struct Soak {
    app: App,
    /// How many presses this run makes.
    goal: usize,
    channels: HashMap<u64, Channel>,
    rng: StdRng,
    presses: usize,
    /// Presses the game took ("Got it"), and refused.
    taken: usize,
    refused: usize,
    games: usize,
    /// Points the games reported on their final scoreboards.
    reported: i64,
    finals: usize,
}

fn player(channel: u64, n: u64) -> User {
    User {
        id: channel * 10 + n,
        name: format!("player {n}"),
    }
}

/// The points on a final scoreboard: lines such as `🥇 player 1 — 25 pts (2 right)`.
fn scoreboard_points(reply: &Reply) -> i64 {
    let board = reply
        .fields
        .iter()
        .find(|f| f.name == "Scoreboard")
        .unwrap_or_else(|| panic!("a final reply without a scoreboard: {reply:?}"));
    if board.value.starts_with("No points") {
        return 0;
    }
    board
        .value
        .lines()
        .filter(|l| !l.starts_with("and "))
        .map(|l| {
            let after = l.rsplit(" — ").next().unwrap_or_default();
            after
                .split(" pts")
                .next()
                .and_then(|n| n.trim().parse::<i64>().ok())
                .unwrap_or_else(|| panic!("a scoreboard line without points: {l:?}"))
        })
        .sum()
}

impl Soak {
    /// What a channel's message says about its game: a question opens (answer buttons), a reveal closes it, final
    /// scores end the game.
    fn see(&mut self, channel: u64, reply: &Reply) {
        let title = reply.title.as_deref().unwrap_or_default();
        let ch = self.channels.get_mut(&channel).expect("a known channel");
        if title.starts_with("Question ") {
            ch.open = reply
                .buttons
                .iter()
                .filter(|b| matches!(ButtonId::parse(&b.id), Some(ButtonId::Answer { .. })))
                .map(|b| b.id.clone())
                .collect();
            ch.pressed = vec![false; PLAYERS as usize];
        } else if title.starts_with("Answer") {
            ch.open.clear();
        } else if title == "Final scores" {
            ch.open.clear();
            ch.playing = false;
            self.finals += 1;
            self.reported += scoreboard_points(reply);
        }
    }

    fn see_posts(&mut self, posts: &[Post]) {
        for p in posts {
            self.see(p.channel, &p.reply);
        }
    }

    async fn start(&mut self, channel: u64, now: i64) {
        let guild = self.channels[&channel].guild;
        let mut req = commands::parse("/trivia start rounds:5 timer:20", player(channel, 1)).expect("parse");
        req.channel = channel;
        req.guild = Some(guild);
        let outcome = self.app.command(&req, now).await;
        assert!(
            outcome
                .reply
                .title
                .as_deref()
                .is_some_and(|t| t.starts_with("Question 1")),
            "a game starts in channel {channel}: {:?}",
            outcome.reply
        );
        assert!(
            !outcome.reply.content.as_deref().unwrap_or_default().contains('⚠'),
            "the store is on: {:?}",
            outcome.reply.content
        );
        self.channels.get_mut(&channel).expect("known").playing = true;
        self.games += 1;
        self.see(channel, &outcome.reply);
        self.see_posts(&outcome.posts);
    }

    /// Every player who has not answered the open question presses a random answer button.
    async fn press_all(&mut self, now: i64) {
        let mut ids: Vec<u64> = self.channels.keys().copied().collect();
        ids.sort_unstable();
        for channel in ids {
            for n in 0..PLAYERS as usize {
                if self.presses >= self.goal {
                    return;
                }
                let ch = &self.channels[&channel];
                if ch.open.is_empty() || ch.pressed[n] {
                    continue;
                }
                let id = ch.open[self.rng.gen_range(0..ch.open.len())].clone();
                let caller = Caller {
                    user: player(channel, n as u64 + 1),
                    guild: Some(ch.guild),
                    channel,
                    perms: Default::default(),
                    roles: Vec::new(),
                };
                self.channels.get_mut(&channel).expect("known").pressed[n] = true;
                let outcome = self.app.press(&id, &caller, now).await;
                self.presses += 1;
                if outcome.reply.text.starts_with("Got it") {
                    self.taken += 1;
                    assert!(!outcome.reply.text.contains('⚠'), "{}", outcome.reply.text);
                } else {
                    self.refused += 1;
                }
                self.see_posts(&outcome.posts);
            }
        }
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(run());
}

async fn run() {
    let kb = load_dir(&support::shipped_data()).expect("the shipped data loads");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("soak.db");
    let upkeep = Upkeep {
        checkpoint_ms: 10_000,
        ..Upkeep::default()
    };
    let keeper = Keeper::open(&db.clone().into(), upkeep).await;
    assert!(
        keeper.current().is_ok(),
        "the store opens: {:?}",
        keeper.current().err()
    );
    let app = App::new(kb, Some(1)).with_store(keeper).with_defaults(Settings {
        rounds: 5,
        timer_ms: 20_000,
        gap_ms: 2_000,
    });
    let mut channels = HashMap::new();
    for g in 0..GUILDS {
        for c in 0..CHANNELS_PER_GUILD {
            let guild = 500 + g;
            channels.insert(
                guild * 100 + c,
                Channel {
                    guild,
                    ..Channel::default()
                },
            );
        }
    }
    let goal = std::env::args()
        .skip_while(|a| a != "--presses")
        .nth(1)
        .map_or(PRESSES, |n| n.parse().expect("--presses takes a number"));
    let mut soak = Soak {
        app,
        goal,
        channels,
        rng: StdRng::seed_from_u64(14),
        presses: 0,
        taken: 0,
        refused: 0,
        games: 0,
        reported: 0,
        finals: 0,
    };

    let began = Instant::now();
    let mut now = START_MS;
    let mut samples: Vec<(usize, u64)> = Vec::new();
    let mut wal_peak = 0u64;
    let wal = dir.path().join("soak.db-wal");
    while soak.presses < goal {
        let mut idle: Vec<u64> = soak
            .channels
            .iter()
            .filter(|(_, c)| !c.playing)
            .map(|(id, _)| *id)
            .collect();
        idle.sort_unstable();
        for channel in idle {
            soak.start(channel, now).await;
        }
        let before = soak.presses;
        soak.press_all(now).await;
        for done in (before + 1)..=soak.presses {
            if done >= WARM_UP && done % SAMPLE_EVERY == 0 {
                samples.push((done, status_kb(None, "VmRSS").unwrap_or(0)));
            }
        }
        now += STEP_MS;
        let posts = soak.app.tick(now).await;
        soak.see_posts(&posts);
        wal_peak = wal_peak.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
    }
    let running = soak.app.running_games();
    let posts = soak.app.shutdown(now).await;
    soak.see_posts(&posts);
    soak.app.keeper().close().await;
    let elapsed = began.elapsed();
    let wal_after = std::fs::metadata(&wal).map_or(0, |m| m.len());

    // Everything read back from the file, after closing.
    let store = Store::open(&db).await.expect("the database opens again");
    let (mut stored_points, mut stored_answers) = (0i64, 0u64);
    for g in 0..GUILDS {
        for row in store.leaderboard(500 + g, None, 10_000).await.expect("the board") {
            stored_points += row.points;
            stored_answers += u64::from(row.answered);
        }
    }
    store.close().await;

    let virtual_minutes = (now - START_MS) / 60_000;
    println!(
        "{} presses ({} taken, {} refused as late) over {} games in {} channels, {} virtual minutes ({} checkpoints \
         due), in {:.1} s; {} games still running at the end were ended as at a shutdown",
        soak.presses,
        soak.taken,
        soak.refused,
        soak.games,
        soak.channels.len(),
        virtual_minutes,
        (now - START_MS) / upkeep.checkpoint_ms,
        elapsed.as_secs_f64(),
        running
    );
    println!(
        "points: {} reported on {} final scoreboards, {} in the database; answers: {} taken, {} in the database",
        soak.reported, soak.finals, stored_points, soak.taken, stored_answers
    );
    let rss: Vec<u64> = samples.iter().map(|(_, kb)| *kb).collect();
    let (first, last) = (rss[0], *rss.last().expect("samples"));
    let peak = rss.iter().copied().max().unwrap_or(0);
    println!(
        "resident memory every {SAMPLE_EVERY} presses after {WARM_UP}: {}",
        samples
            .iter()
            .map(|(n, kb)| format!("{n}: {:.1}", mb(*kb)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "write-ahead log: at most {:.0} kB while running, {} bytes after closing",
        wal_peak as f64 / 1000.0,
        wal_after
    );
    println!("machine: {}", support::machine());
    figure(
        "soak: button presses with the store on",
        soak.presses,
        "10,000",
        soak.presses >= PRESSES,
    );
    figure(
        "soak: points in the database = points the games reported",
        format!("{stored_points} = {}", soak.reported),
        "equal",
        stored_points == soak.reported && soak.finals == soak.games && stored_answers == soak.taken as u64,
    );
    let growth = mb(last) - mb(first);
    figure(
        "soak: resident memory first / last / peak (VmRSS)",
        format!("{:.1} / {:.1} / {:.1} MB", mb(first), mb(last), mb(peak)),
        "last ≤ first + 5 MB",
        growth <= 5.0,
    );
}
