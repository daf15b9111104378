//! One process running 4 shards for 40,000 servers: the built `rendezvous run`, auto-sharded (the default), against
//! the fake Discord of the tests, which recommends 4 shards (`GET /gateway/bot`, `max_concurrency` 1) and sends each
//! shard's 10,000 servers as Discord does: listed in READY, then one GUILD_CREATE each.
//!
//! Time until every shard is ready: from the process's start until each shard has answered a command sent after its
//! servers (so every GUILD_CREATE before it was read), against serenity's floor: it starts one shard every 5 s, so 4
//! shards cannot all be up before 15 s. Memory: the process's peak resident memory (VmHWM) once all are up.
//!
//! Run: `cargo bench --bench shards` (about 30 s; part of `bash benches/run.sh`).

#[path = "../tests/support/mod.rs"]
mod fake;
mod support;

use fake::fake_discord::{guild_on, FakeDiscord, Knobs, CHANNEL_ID};
use fake::interactions::{s, slash};
use serde_json::json;
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::{figure, mb, status_kb};

const SHARDS: u32 = 4;
const GUILDS_PER_SHARD: u64 = 10_000;
/// serenity 0.12.5 waits this long between two shard starts in one process.
const FLOOR_PER_SHARD: Duration = Duration::from_secs(5);

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(run());
}

async fn run() {
    let guilds: Vec<u64> = (0..SHARDS)
        .flat_map(|shard| (1..=GUILDS_PER_SHARD).map(move |n| guild_on(shard, SHARDS, n)))
        .collect();
    let knobs = Knobs {
        shards: SHARDS,
        max_concurrency: 1,
        guilds,
        ..Knobs::default()
    };
    let fake = FakeDiscord::start_with("bench-shards", knobs).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let started = Instant::now();
    let mut bot = BotProcess::rendezvous(&fake.base(), dir.path());
    let limit = started + Duration::from_secs(120);
    while fake.live_shards().len() < SHARDS as usize {
        assert!(
            Instant::now() < limit,
            "the shards did not all connect: {:?}",
            fake.live_shards()
        );
        bot.assert_running(dir.path());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut ready = Vec::new();
    for shard in 0..SHARDS {
        ready.push(fake.ready_on(shard).await.duration_since(started));
    }
    // A command on each shard, behind its servers: answered once the process has read them all.
    let mut answered = Vec::new();
    for shard in 0..SHARDS {
        let mut v = slash("mission", vec![s("name", "cassini")]);
        let guild = guild_on(shard, SHARDS, 1);
        v["guild_id"] = json!(guild.to_string());
        v["authorizing_integration_owners"] = json!({"0": guild.to_string()});
        v["channel_id"] = json!(CHANNEL_ID.to_string());
        let resp = fake.interact(v).await;
        assert_eq!(resp["data"]["embeds"][0]["title"], "Cassini-Huygens", "{resp:#}");
        answered.push(started.elapsed());
    }
    let all_up = *answered.iter().max().expect("shards");
    let floor = FLOOR_PER_SHARD * (SHARDS - 1);
    let rss_kb = status_kb(Some(bot.pid()), "VmRSS").unwrap_or(0);
    let peak_kb = status_kb(Some(bot.pid()), "VmHWM").unwrap_or(0);
    bot.stop(Duration::from_secs(10));
    let ids: Vec<(u32, u32)> = fake.identified().iter().map(|(id, total, _)| (*id, *total)).collect();
    println!(
        "{SHARDS} shards, {} servers: IDENTIFY {ids:?}; READY at {}; each shard answering at {}",
        SHARDS as u64 * GUILDS_PER_SHARD,
        ready
            .iter()
            .map(|d| format!("{:.1} s", d.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", "),
        answered
            .iter()
            .map(|d| format!("{:.1} s", d.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("memory: {:.1} MB resident, peak {:.1} MB", mb(rss_kb), mb(peak_kb));
    println!("machine: {}", support::machine());
    figure(
        "4 shards, 40,000 servers: time until every shard is ready",
        format!("{:.1} s", all_up.as_secs_f64()),
        &format!("serenity's floor {} s + 2 s", floor.as_secs()),
        all_up <= floor + Duration::from_secs(2),
    );
    figure(
        "4 shards, 40,000 servers: peak memory (VmHWM)",
        format!("{:.1} MB", mb(peak_kb)),
        "≤ 150 MB",
        mb(peak_kb) <= 150.0,
    );
}
