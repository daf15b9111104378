//! Shards through the fake Discord, as Discord has them: `GET /gateway/bot` recommends a count and a
//! `session_start_limit`; IDENTIFY carries `shard: [id, total]`, and an id outside the total is closed with 4010; each
//! server's events come over the shard `(guild_id >> 22) % total`. Then the bot split in two processes, shards 0 and
//! 1 of 2, over one PostgreSQL database: two servers playing at once, each answered by its own process; the same
//! leaderboard from either; one process killed with SIGKILL in the middle of an event and started again resumes it,
//! while the other never notices. That last test needs `RENDEZVOUS_TEST_PG` (tests/support/stores.rs).

use super::support::bin::Sandbox;
use super::support::child::Running;
use super::support::fake_discord::{self as fake, guild_on, shard_of, FakeDiscord, Knobs, CHANNEL_ID, GUILD_ID};
use super::support::interactions::{self as ix, i, s, MANAGER_PERMS, MEMBER_PERMS};
use super::support::stores::TestDb;
use futures_util::{SinkExt, StreamExt};
use rendezvous::app::App;
use rendezvous::config::{Config, Token};
use rendezvous::discord::{self, Options};
use rendezvous::shards::Shards;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const TOKEN: &str = "FAKE.t0ken-for-the-shard-tests.Kp2w";
const EPHEMERAL: u64 = 64;

/// The same interaction, from server `guild` and its channel `channel`.
fn in_guild(mut v: Value, guild: u64, channel: u64) -> Value {
    v["guild_id"] = json!(guild.to_string());
    v["channel_id"] = json!(channel.to_string());
    v["authorizing_integration_owners"] = json!({"0": guild.to_string()});
    if v["message"].is_object() {
        v["message"]["channel_id"] = json!(channel.to_string());
    }
    v
}

/// The same interaction, by someone else.
fn by(mut v: Value, id: u64, name: &str) -> Value {
    v["member"]["user"]["id"] = json!(id.to_string());
    v["member"]["user"]["username"] = json!(name);
    v["member"]["user"]["global_name"] = json!(name);
    v
}

fn private(resp: &Value) -> String {
    assert_eq!(
        resp["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "not private: {resp:#}"
    );
    resp["data"]["content"].as_str().unwrap_or_default().to_string()
}

fn title(resp: &Value) -> String {
    resp["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn custom_ids(data: &Value) -> Vec<String> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// Messages the bot posted in `channel` so far, as JSON text.
fn posts_in(fake: &FakeDiscord, channel: u64) -> Vec<String> {
    let path = format!("/api/v10/channels/{channel}/messages");
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .map(|r| r.body.to_string())
        .collect()
}

/// Wait until something posted in `channel` contains `what`.
async fn posted(fake: &FakeDiscord, channel: u64, what: &str) {
    let end = std::time::Instant::now() + fake::WAIT * 2;
    while !posts_in(fake, channel).iter().any(|p| p.contains(what)) {
        assert!(
            std::time::Instant::now() < end,
            "nothing posted in {channel} contains `{what}`: {:#?}",
            posts_in(fake, channel)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_fake_recommends_shards_and_closes_an_identify_outside_the_total_with_4010() {
    let knobs = Knobs {
        shards: 4,
        max_concurrency: 2,
        ..Knobs::default()
    };
    let fake = FakeDiscord::start_with("shards_gateway_bot", knobs).await;
    let http = serenity::http::HttpBuilder::new(TOKEN)
        .proxy(fake.base())
        .ratelimiter_disabled(true)
        .build();
    let bot = http.get_bot_gateway().await.expect("GET /gateway/bot");
    assert_eq!(bot.shards, 4);
    assert_eq!(bot.session_start_limit.max_concurrency, 2);
    assert!(bot.session_start_limit.remaining > 0);

    // A client identifying as shard 4 of 4 (numbered 0 to 3) is refused as Discord refuses it; shard 3 of 4 gets
    // READY with its own number.
    for (shard, expect) in [(4u32, Some(4010u16)), (3, None)] {
        let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{}/gateway", fake.port()))
            .await
            .expect("connect to the fake gateway");
        let hello = ws.next().await.unwrap().unwrap();
        assert!(hello.to_text().unwrap().contains("\"op\":10"), "{hello:?}");
        let identify = json!({"op": 2, "d": {"token": TOKEN, "intents": 0, "shard": [shard, 4],
                               "properties": {"os": "linux", "browser": "test", "device": "test"}}});
        ws.send(Message::Text(identify.to_string())).await.unwrap();
        let next = tokio::time::timeout(fake::WAIT, ws.next())
            .await
            .expect("an answer")
            .unwrap()
            .unwrap();
        match (expect, next) {
            (Some(code), Message::Close(Some(frame))) => assert_eq!(u16::from(frame.code), code),
            (None, Message::Text(t)) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                assert_eq!(v["t"], "READY");
                assert_eq!(v["d"]["shard"], json!([shard, 4]));
            }
            (_, other) => panic!("shard {shard}: unexpected {other:?}"),
        }
    }
    assert_eq!(
        fake.identified()
            .iter()
            .map(|(id, total, _)| (*id, *total))
            .collect::<Vec<_>>(),
        [(4, 4), (3, 4)]
    );
    assert_eq!(fake.live_shards(), [3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auto_sharded_bot_runs_every_recommended_shard_and_gets_each_servers_events_on_its_shard() {
    // Two shards recommended; a second server whose events go over shard 1.
    let other = guild_on(1 - shard_of(GUILD_ID, 2), 2, 0);
    let knobs = Knobs {
        shards: 2,
        guilds: vec![other],
        ..Knobs::default()
    };
    let fake = FakeDiscord::start_with("shards_auto", knobs).await;
    let mut config = Config::default();
    config.discord.token = Token::new(TOKEN);
    config.discord.api_base = Some(fake.base());
    config.discord.shards = Shards::Auto;
    let app = Arc::new(App::new(super::commands::kb().clone(), Some(3)));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        discord::run_with(&config, app, async { drop(stopped.await) }, Options::default()).await
    });
    // serenity starts one shard every 5 s: the second READY comes at least that long after the first.
    let first = fake.ready_on(0).await;
    let second = tokio::time::timeout(Duration::from_secs(30), fake.ready_on(1))
        .await
        .expect("shard 1 is ready");
    assert!(
        second.duration_since(first) >= Duration::from_millis(4_500),
        "{:?}",
        second - first
    );
    let mut ids: Vec<(u32, u32)> = fake.identified().iter().map(|(id, t, _)| (*id, *t)).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [(0, 2), (1, 2)],
        "IDENTIFY with [id, total] for each recommended shard"
    );
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.path == "/api/v10/gateway/bot")
            .count(),
        1
    );
    assert_eq!(fake.live_shards(), [0, 1]);

    // Each server's command, over its own shard's session, is answered; one set of commands registered.
    for guild in [GUILD_ID, other] {
        let resp = fake
            .interact(in_guild(
                ix::slash("mission", vec![s("name", "cassini")]),
                guild,
                CHANNEL_ID,
            ))
            .await;
        assert_eq!(title(&resp), "Cassini-Huygens", "{guild}");
    }
    assert_eq!(fake.requests().iter().filter(|r| r.method == "PUT").count(), 1);
    let _ = stop.send(());
    tokio::time::timeout(fake::WAIT, task)
        .await
        .expect("the bot stops")
        .expect("no panic")
        .expect("clean stop");
}

/// One `rendezvous run` process of shards `shards` over `db`, in a directory of its own (another machine).
fn process(name: &str, sandbox: &Sandbox, fake: &FakeDiscord, db: &str, shards: &str) -> Running {
    let mut cmd = sandbox.cmd(&["run"]);
    cmd.env("DISCORD_TOKEN", TOKEN)
        .env("RENDEZVOUS_DISCORD_API", fake.base())
        .env("RENDEZVOUS_DB", db)
        .env("RENDEZVOUS_SHARDS", shards);
    Running::spawn(name, cmd)
}

/// Lines of a process's log about interactions from `guild`.
fn interactions_from(log: &str, guild: u64) -> usize {
    log.lines()
        .filter(|l| l.contains("interaction") && l.contains(&format!("guild={guild}")))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_of_one_bot_share_a_postgresql_database_and_one_survives_the_others_sigkill() {
    let Some(db) = TestDb::postgres("two_processes").await else {
        return;
    };
    let url = db.url().unwrap();
    // Server A's events go over shard 0, server B's over shard 1; each has a channel.
    let (a, b) = (guild_on(0, 2, 0), guild_on(1, 2, 0));
    let (chan_a, chan_b) = (CHANNEL_ID, CHANNEL_ID + 1);
    let knobs = Knobs {
        shards: 2,
        // Both processes may identify at once: neither waits its turn.
        max_concurrency: 2,
        guilds: vec![a, b].into_iter().filter(|g| *g != GUILD_ID).collect(),
        ..Knobs::default()
    };
    let fake = FakeDiscord::start_with("two_processes", knobs).await;
    let (dir0, dir1) = (Sandbox::new(), Sandbox::new());
    for dir in [&dir0, &dir1] {
        std::fs::write(
            dir.path().join("rendezvous.toml"),
            "[trivia]\nrounds = 1\ntimer_secs = 5\n",
        )
        .unwrap();
    }
    let p0 = process("shards 0/2", &dir0, &fake, &url, "0/2");
    let p1 = process("shards 1/2", &dir1, &fake, &url, "1/2");
    fake.ready_on(0).await;
    fake.ready_on(1).await;
    p0.wait_for("registered the slash commands").await;
    p1.wait_for("the commands are registered by the process running shard 0")
        .await;
    assert_eq!(
        fake.requests().iter().filter(|r| r.method == "PUT").count(),
        1,
        "one process registers"
    );

    // A game in each server at the same time; one player in each answers.
    let players = [
        (a, chan_a, 720_000_000_000_000_001u64, "ann"),
        (b, chan_b, 720_000_000_000_000_002, "bo"),
    ];
    let mut starts = Vec::new();
    for (guild, chan, _, _) in players {
        let start = fake
            .interact(in_guild(
                ix::slash_sub("trivia", "start", vec![i("rounds", 1)]),
                guild,
                chan,
            ))
            .await;
        assert_eq!(title(&start), "Question 1 of 1", "{start:#}");
        starts.push(start);
    }
    for ((guild, chan, id, name), start) in players.into_iter().zip(&starts) {
        let ids = custom_ids(&start["data"]);
        let answer = match ids.first() {
            Some(button) => ix::button(button),
            None => ix::slash("answer", vec![s("text", "Titan")]),
        };
        let ack = fake.interact(by(in_guild(answer, guild, chan), id, name)).await;
        assert!(private(&ack).contains("locked in"), "{ack:#}");
    }
    for (_, chan, _, _) in players {
        posted(&fake, chan, "Final scores").await;
    }
    let (log0, log1) = (p0.stderr(), p1.stderr());
    assert_eq!(
        (interactions_from(&log0, a), interactions_from(&log0, b)),
        (2, 0),
        "shard 0's process answers server A only:\n{log0}"
    );
    assert_eq!(
        (interactions_from(&log1, a), interactions_from(&log1, b)),
        (0, 2),
        "shard 1's process answers server B only:\n{log1}"
    );

    // The same leaderboard from either process (Discord moves a server to another shard when the total changes).
    for (guild, chan, _, name) in players {
        let board = || in_guild(ix::slash_sub("trivia", "leaderboard", vec![]), guild, chan);
        let from0 = fake.interact_on(0, board()).await;
        let from1 = fake.interact_on(1, board()).await;
        assert!(from0["data"]["embeds"][0].to_string().contains(name), "{from0:#}");
        assert_eq!(from0["data"]["embeds"], from1["data"]["embeds"], "{guild}");
    }

    // An event in server B, on shard 1's process: a player joins and answers, then the process is killed.
    let host = |v: Value| by(in_guild(v, b, chan_b), 730_000_000_000_000_001, "host");
    let player = |v: Value, who: u64| by(in_guild(v, b, chan_b), who, &format!("p{who}"));
    let create = vec![json!({"name": "create", "type": 1,
                             "options": [s("name", "Launch Night"), i("rounds", 2), i("timer", 20)]})];
    let lobby = fake
        .interact(host(ix::slash_with_perms("event", create, MANAGER_PERMS)))
        .await;
    assert_eq!(title(&lobby), "📣 Launch Night", "{lobby:#}");
    let join = custom_ids(&lobby["data"])
        .into_iter()
        .find(|id| id.ends_with(":join"))
        .unwrap();
    for who in [1, 2] {
        let joined = fake.interact(player(ix::button(&join), who)).await;
        assert!(private(&joined).starts_with("You're in"), "{joined:#}");
    }
    let next = vec![json!({"name": "next", "type": 1, "options": []})];
    let question = fake
        .interact(host(ix::slash_with_perms("event", next, MANAGER_PERMS)))
        .await;
    assert_eq!(title(&question), "Launch Night · Question 1 of 2");
    let answers = custom_ids(&question["data"]);
    let ack = fake.interact(player(ix::button(&answers[0]), 1)).await;
    assert!(private(&ack).contains("locked in"), "{ack:#}");
    let (status, _) = p1.signal_and_wait("KILL").await;
    assert!(!status.success());

    // Meanwhile the other process answers its server as before.
    let resp = fake
        .interact(in_guild(ix::slash("mission", vec![s("name", "hubble")]), a, chan_a))
        .await;
    assert_eq!(title(&resp), "Hubble Space Telescope");

    // Started again, shard 1's process resumes the event: the answer given stays given, the other player's counts,
    // and the question's timer, resumed, closes it.
    let p1 = process("shards 1/2, again", &dir1, &fake, &url, "1/2");
    p1.wait_for("resumed open events").await;
    p1.wait_for("connected to Discord").await;
    let again = fake.interact(player(ix::button(&answers[0]), 1)).await;
    assert!(private(&again).contains("already answered"), "{again:#}");
    let ack = fake.interact(player(ix::button(&answers[1]), 2)).await;
    assert!(private(&ack).contains("locked in"), "{ack:#}");
    posted(&fake, chan_b, "Time's up for question 1 of 2").await;
    let end = vec![json!({"name": "end", "type": 1, "options": []})];
    let podium = fake
        .interact(host(ix::slash_with_perms("event", end, MANAGER_PERMS)))
        .await;
    assert_eq!(title(&podium), "🏆 Launch Night — podium", "{podium:#}");
    let players_field = podium["data"]["embeds"][0]["fields"].to_string();
    assert!(
        players_field.contains("p1 — ") && players_field.contains("p2 — "),
        "{podium:#}"
    );

    // The other process never noticed: one session all along, no event of server B, nothing wrong in its log.
    let shard0_identifies = fake.identified().iter().filter(|(id, _, _)| *id == 0).count();
    assert_eq!(shard0_identifies, 1);
    assert_eq!(fake.identified().iter().filter(|(id, _, _)| *id == 1).count(), 2);
    let member = in_guild(ix::slash_with_perms("about", vec![], MEMBER_PERMS), a, chan_a);
    assert!(!title(&fake.interact(member).await).is_empty());
    let (s0, log0) = p0.signal_and_wait("TERM").await;
    let (s1, log1) = p1.signal_and_wait("TERM").await;
    assert!(s0.success() && s1.success(), "{log0}\n{log1}");
    assert_eq!(
        interactions_from(&log0, b),
        1,
        "only the leaderboard sent over its shard: {log0}"
    );
    assert!(!log0.contains("resumed open events"), "{log0}");
    assert!(!log0.contains("WARN") && !log0.contains("ERROR"), "{log0}");
    assert!(!log1.contains(TOKEN) && !log0.contains(TOKEN));
}

#[tokio::test]
async fn the_question_of_the_day_is_posted_by_the_process_that_owns_its_server_only() {
    use super::server::{admin, req};
    use rendezvous::store::Store;
    for db in super::support::stores::each("daily_shards").await {
        eprintln!("on {}", db.kind);
        // Server 5 is on shard 0 of 2, the next one up the timestamp bits on shard 1.
        let (a, b) = (5u64, 5 + (1 << 22));
        assert_eq!((Shards::of_guild(a, 2), Shards::of_guild(b, 2)), (0, 1));
        let app = |store: Store, shards: &str| {
            App::new(super::commands::kb().clone(), Some(3))
                .with_store(Ok(store))
                .with_shards(Shards::parse(shards).unwrap())
        };
        let day = "2026-12-07T09:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond();
        // Each server's schedule is set through the process that owns it, as Discord routes the commands.
        for (guild, shards, channel) in [(a, "0/2", 30), (b, "1/2", 31)] {
            let owner = app(db.open().await, shards);
            let line = format!("/daily set channel:<#{channel}> time:09:00 timezone:UTC");
            let mut set = req(&line, &admin(), 10, &[]);
            set.guild = Some(guild);
            let reply = owner.command(&set, day - 86_400_000).await.reply;
            assert!(reply.text.contains("09:00"), "{reply:?}");
        }
        // Both processes start (again) over the database: each posts its own server's question, once.
        let (p0, p1) = (app(db.open().await, "0/2"), app(db.open().await, "1/2"));
        p0.resume().await.unwrap();
        p1.resume().await.unwrap();
        let (posts0, posts1) = (p0.tick(day).await, p1.tick(day).await);
        let channels = |posts: &[rendezvous::app::Post]| posts.iter().map(|p| p.channel).collect::<Vec<_>>();
        assert_eq!(channels(&posts0), [30], "{posts0:#?}");
        assert_eq!(channels(&posts1), [31], "{posts1:#?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_whose_range_starts_later_waits_its_turn_to_identify_within_max_concurrency() {
    // Shard 1 of 4 with max_concurrency 1 waits for shard 0's turn (5 s); with max_concurrency 2, shards 0 and 1
    // identify together, so shard 1 does not wait and shard 2 waits one turn.
    for (shards, concurrency, wait_s) in [("1/4", 1u32, 5u64), ("1/4", 2, 0), ("2/4", 2, 5)] {
        let knobs = Knobs {
            shards: 4,
            max_concurrency: concurrency,
            ..Knobs::default()
        };
        let fake = FakeDiscord::start_with(&format!("shards_turn_{concurrency}_{}", &shards[..1]), knobs).await;
        let mut config = Config::default();
        config.discord.token = Token::new(TOKEN);
        config.discord.api_base = Some(fake.base());
        config.discord.shards = Shards::parse(shards).unwrap();
        let app = Arc::new(App::new(super::commands::kb().clone(), Some(3)));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let started = std::time::Instant::now();
        let task = tokio::spawn(async move {
            discord::run_with(&config, app, async { drop(stopped.await) }, Options::default()).await
        });
        let shard: u32 = shards[..1].parse().unwrap();
        let ready = tokio::time::timeout(Duration::from_secs(wait_s + 10), async {
            loop {
                if let Some((_, _, at)) = fake.identified().into_iter().find(|(id, _, _)| *id == shard) {
                    return at;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the shard identifies");
        let waited = ready.duration_since(started);
        assert!(
            waited >= Duration::from_millis(wait_s * 1000).saturating_sub(Duration::from_millis(300))
                && waited < Duration::from_millis(wait_s * 1000 + 3_000),
            "{shards} with max_concurrency {concurrency}: identified after {waited:?}, expected about {wait_s} s"
        );
        assert_eq!(
            fake.identified().iter().map(|(id, t, _)| (*id, *t)).collect::<Vec<_>>(),
            [(shard, 4)]
        );
        let _ = stop.send(());
        tokio::time::timeout(fake::WAIT, task)
            .await
            .expect("the bot stops")
            .expect("no panic")
            .expect("clean stop");
    }
}
