//! The running bot, idle: start the built `rendezvous run` on the shipped data against the fake Discord of the
//! tests (tests/support), wait until it has registered its commands, let it idle with heartbeats for a few seconds,
//! and read its resident memory (VmRSS, and the peak VmHWM) from /proc/PID/status.
//!
//! Run: `cargo bench --bench idle` (about 10 s; part of `bash benches/run.sh`).

#[path = "../tests/support/mod.rs"]
mod fake;
mod support;

use fake::fake_discord::FakeDiscord;
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::{figure, mb, status_kb};

const IDLE: Duration = Duration::from_secs(6);

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(run());
}

async fn run() {
    let fake = FakeDiscord::start("bench-idle").await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let started = Instant::now();
    let mut bot = BotProcess::rendezvous(&fake.base(), dir.path());
    let registered = tokio::select! {
        r = fake.registration() => r,
        () = async {
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                bot.assert_running(dir.path());
            }
        } => unreachable!(),
    };
    let ready_after = started.elapsed();
    let commands = registered.body.as_array().map_or(0, Vec::len);
    tokio::time::sleep(IDLE).await;
    bot.assert_running(dir.path());
    let rss = status_kb(Some(bot.pid()), "VmRSS").expect("the bot's VmRSS");
    let hwm = status_kb(Some(bot.pid()), "VmHWM").expect("the bot's VmHWM");
    let threads = status_kb(Some(bot.pid()), "Threads").unwrap_or(0);
    let heartbeats = fake.received().iter().filter(|v| v["op"] == 1).count();
    bot.stop(Duration::from_secs(10));
    println!(
        "connected and registered {commands} commands {:.0} ms after start; idle {} s ({heartbeats} heartbeats); \
         {threads} threads; VmRSS {:.1} MB, VmHWM {:.1} MB",
        ready_after.as_secs_f64() * 1000.0,
        IDLE.as_secs(),
        mb(rss),
        mb(hwm)
    );
    println!("machine: {}", support::machine());
    figure(
        "bot idle on the shipped data, resident memory (VmRSS)",
        format!("{:.1} MB", mb(rss)),
        "≤ 40 MB",
        mb(rss) <= 40.0,
    );
}
