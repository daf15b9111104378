//! A slash command end to end, against a bare serenity bot, side by side in one run.
//!
//! Three processes, each connected to its own fake Discord (the one the tests use, tests/support, one instance per
//! bot because a fake holds one gateway session): the built `rendezvous run` on the shipped data as configured by
//! default; the same with `[discord] reply_cache = 0`, so that it builds every answer afresh; and a bare serenity
//! 0.12.5 bot that answers every slash command with a fixed string (this binary, started again with `--bare-bot`;
//! the same HTTP client set-up, runtime and intents as ours). For each sample the fake dispatches INTERACTION_CREATE
//! for `/mission name:cassini` and the time runs until the fake has read the bot's callback POST. Samples take the
//! bots in turn (each first as often), after a warm-up, so drift on a shared machine hits all alike. The figure is
//! the ratio of the medians, ours over the bare bot's; the bot keeping no answers is printed beside it.
//!
//! Run: `cargo bench --bench e2e` (about 30 s; part of `bash benches/run.sh`). `-- --samples N` changes N (500).

#[path = "../tests/support/mod.rs"]
mod fake;
mod support;

use fake::fake_discord::{check_interaction, FakeDiscord};
use fake::interactions::{s, slash};
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::{figure, mb, median, percentile, status_kb};

const WARM_UP: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bare-bot") {
        bare::run();
        return;
    }
    let samples = args
        .iter()
        .position(|a| a == "--samples")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(500);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(compare(samples));
}

/// The interaction both bots get.
fn mission_command() -> Value {
    let v = slash("mission", vec![s("name", "cassini")]);
    check_interaction(&v);
    v
}

/// Dispatch one interaction and time it until the fake has read the callback.
async fn one(fake: &FakeDiscord) -> (Duration, Value) {
    let interaction = mission_command();
    let id = interaction["id"].as_str().expect("an id").to_string();
    let t0 = Instant::now();
    fake.dispatch("INTERACTION_CREATE", interaction);
    let rec = fake.request("POST", &format!("/interactions/{id}/"), 1).await;
    assert_eq!(rec.status, 204, "the fake took the callback");
    (rec.at.saturating_duration_since(t0), rec.body)
}

async fn compare(samples: usize) {
    let ours_fake = FakeDiscord::start("bench-e2e-rendezvous").await;
    let fresh_fake = FakeDiscord::start("bench-e2e-rendezvous-no-cache").await;
    let bare_fake = FakeDiscord::start("bench-e2e-bare").await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fresh_dir = tempfile::tempdir().expect("a temporary directory");
    // The same bot keeping no answers: its configuration file is read from its working directory.
    std::fs::write(fresh_dir.path().join("rendezvous.toml"), "[discord]\nreply_cache = 0\n").expect("a config file");
    let mut ours = BotProcess::rendezvous(&ours_fake.base(), dir.path());
    let mut fresh = BotProcess::rendezvous(&fresh_fake.base(), fresh_dir.path());
    let mut cmd = Command::new(std::env::current_exe().expect("this binary's path"));
    cmd.arg("--bare-bot");
    let mut bare = BotProcess::spawn("bare-serenity", cmd, &bare_fake.base(), dir.path());

    // Ready: ours once it registered its commands, the bare one once it got READY.
    ours_fake.registration().await;
    fresh_fake.registration().await;
    bare_fake.ready(1).await;
    ours.assert_running(dir.path());
    fresh.assert_running(fresh_dir.path());
    bare.assert_running(dir.path());

    let (_, card) = one(&ours_fake).await;
    let title = card["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        title.contains("Cassini"),
        "our bot answered with the Cassini card: {card:#}"
    );
    let (_, body) = one(&ours_fake).await;
    assert_eq!(body, card, "the kept answer is the card");
    let (_, body) = one(&fresh_fake).await;
    assert_eq!(body, card, "the bot keeping nothing sends the same card");
    let (_, body) = one(&bare_fake).await;
    assert_eq!(body["data"]["content"], "pong", "the bare bot answered: {body:#}");
    let fakes = [&ours_fake, &fresh_fake, &bare_fake];
    for _ in 0..WARM_UP {
        for fake in fakes {
            one(fake).await;
        }
    }

    // Each sample asks the three bots in turn, each first as often as the others.
    let mut times: [Vec<Duration>; 3] = std::array::from_fn(|_| Vec::with_capacity(samples));
    for i in 0..samples {
        for k in 0..3 {
            let b = (i + k) % 3;
            times[b].push(one(fakes[b]).await.0);
        }
    }
    let rss = [ours.pid(), fresh.pid(), bare.pid()].map(|pid| status_kb(Some(pid), "VmRSS").unwrap_or(0));
    ours.stop(Duration::from_secs(10));
    fresh.stop(Duration::from_secs(10));
    bare.stop(Duration::from_secs(5));

    for t in &mut times {
        t.sort();
    }
    let [ours_t, fresh_t, bare_t] = &times;
    let line = |name: &str, t: &[Duration], rss: u64| {
        println!(
            "{name:<30} n={} p10 {:.0} µs, median {:.0} µs, p90 {:.0} µs, p99 {:.0} µs; VmRSS after the run {:.1} MB",
            t.len(),
            support::us(percentile(t, 10.0)),
            support::us(percentile(t, 50.0)),
            support::us(percentile(t, 90.0)),
            support::us(percentile(t, 99.0)),
            mb(rss)
        )
    };
    println!("/mission name:cassini, INTERACTION_CREATE dispatched → callback POST read by the fake:");
    line("rendezvous", ours_t, rss[0]);
    line("rendezvous, reply_cache = 0", fresh_t, rss[1]);
    line("bare serenity bot", bare_t, rss[2]);
    println!("machine: {}", support::machine());
    let ratio = |t: &[Duration]| support::us(median(t)) / support::us(median(bare_t));
    println!(
        "each answer built afresh (reply_cache = 0): x{:.2} the bare bot's median ({:.0} µs)",
        ratio(fresh_t),
        support::us(median(fresh_t))
    );
    figure(
        "slash command end to end, our median / bare serenity bot's median",
        format!(
            "x{:.2} ({:.0} µs vs {:.0} µs, n={samples} each)",
            ratio(ours_t),
            support::us(median(ours_t)),
            support::us(median(bare_t))
        ),
        "≤ x1.2",
        ratio(ours_t) <= 1.2,
    );
}

/// The bare serenity bot: the smallest bot that answers a slash command, set up as ours is (HTTP client through the
/// configured API base with serenity's rate limiter off, GUILDS intent, a multi-threaded tokio runtime).
mod bare {
    use serenity::all::{
        Context, CreateInteractionResponse, CreateInteractionResponseMessage, EventHandler, GatewayIntents, Interaction,
    };
    use serenity::async_trait;
    use serenity::client::ClientBuilder;
    use serenity::http::HttpBuilder;

    struct Bare;

    #[async_trait]
    impl EventHandler for Bare {
        async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
            if let Interaction::Command(cmd) = interaction {
                let reply = CreateInteractionResponseMessage::new().content("pong");
                if let Err(e) = cmd
                    .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
                    .await
                {
                    eprintln!("bare bot: could not answer: {e}");
                }
            }
        }
    }

    pub fn run() {
        let token = std::env::var("DISCORD_TOKEN").expect("DISCORD_TOKEN");
        let base = std::env::var("RENDEZVOUS_DISCORD_API").expect("RENDEZVOUS_DISCORD_API");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        rt.block_on(async {
            let http = HttpBuilder::new(&token).proxy(&base).ratelimiter_disabled(true).build();
            let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
                .event_handler(Bare)
                .await
                .expect("build the serenity client");
            let url = client.ws_url.lock().await.clone();
            assert!(
                url.starts_with("ws://127.0.0.1"),
                "the bare bot would connect to {url}, not the fake"
            );
            if let Err(e) = client.start().await {
                eprintln!("bare bot: the gateway failed: {e}");
            }
        });
    }
}
