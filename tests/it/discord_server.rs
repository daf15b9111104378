//! A server's own life through the real serenity client and the fake Discord: `/settings` with channel and role
//! options, the leaderboard's My rank button, and a question of the day posted by the driver and answered with a
//! button. Every body is recorded for `.ci/spec-check.sh`.

use super::discord::Bot;
use super::support::fake_discord::{FakeDiscord, CHANNEL_ID, GUILD_ID, USER_ID};
use super::support::interactions::{self as ix, i, s, MANAGER_PERMS, MEMBER_PERMS};
use rendezvous::app::App;
use rendezvous::discord::Options;
use rendezvous::store::{DailyAnswer, DailyPost, DailySchedule, Store};
use serde_json::{json, Value};
use std::time::Duration;

const MESSAGE: u64 = 4;
const EPHEMERAL: u64 = 64;
/// A role of the fake guild.
const QUIZMASTERS: u64 = 500_000_000_000_000_077;

/// Runs the bot on `store` against a new fake; returns the fake and the bot.
async fn start(test: &str, store: Store) -> (FakeDiscord, Bot) {
    let app = App::new(super::commands::kb().clone(), Some(5)).with_store(Ok(store));
    // As `rendezvous run` does before connecting: read back what was running.
    app.resume().await.unwrap();
    let fake = FakeDiscord::start(test).await;
    let options = Options {
        defer_after: Duration::from_secs(20),
        ..Options::default()
    };
    let bot = Bot::start_app(&fake, Some(GUILD_ID), options, app);
    fake.ready(1).await;
    fake.registration().await;
    (fake, bot)
}

fn private(resp: &Value) -> Value {
    assert_eq!(resp["type"], MESSAGE, "{resp:#}");
    assert_eq!(
        resp["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "not private: {resp:#}"
    );
    resp["data"].clone()
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

fn settings(sub: &str, options: Vec<Value>, perms: &str) -> Value {
    ix::slash_sub_with_perms("settings", sub, options, perms)
}

/// The same interaction from a member with `roles`.
fn with_roles(mut v: Value, roles: &[u64]) -> Value {
    v["member"]["roles"] = json!(roles.iter().map(u64::to_string).collect::<Vec<_>>());
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_with_channel_and_role_options_and_my_rank_through_discord() {
    let store = Store::open_in_memory().await.unwrap();
    let (fake, bot) = start("discord_settings", store.clone()).await;
    let refused = fake.interact(settings("set", vec![i("rounds", 3)], MEMBER_PERMS)).await;
    let text = private(&refused)["content"].as_str().unwrap().to_string();
    assert!(text.contains("Manage Server"), "{text}");
    let set = fake
        .interact(settings("set", vec![i("rounds", 3), i("timer", 30)], MANAGER_PERMS))
        .await;
    let card = &private(&set)["embeds"][0];
    assert_eq!(card["title"], "Settings for this server");
    assert!(
        card["description"]
            .as_str()
            .unwrap()
            .contains("**3 questions** of **30 s**"),
        "{card:#}"
    );
    // A channel option (type 7) and a role option (type 8), as Discord sends them: ids.
    let channel = json!({"name": "channel", "type": 7, "value": CHANNEL_ID.to_string()});
    let added = fake
        .interact(settings("channels", vec![s("action", "add"), channel], MANAGER_PERMS))
        .await;
    let text = private(&added)["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains(&format!("Games may now run in <#{CHANNEL_ID}>.")),
        "{text}"
    );
    let role = json!({"name": "role", "type": 8, "value": QUIZMASTERS.to_string()});
    fake.interact(settings("roles", vec![s("action", "add"), role], MANAGER_PERMS))
        .await;
    let no_role = fake.interact(ix::slash_sub("trivia", "start", vec![])).await;
    let text = private(&no_role)["content"].as_str().unwrap().to_string();
    assert!(
        text.starts_with(&format!("Only members with <@&{QUIZMASTERS}> can start games")),
        "{text}"
    );
    let start = fake
        .interact(with_roles(ix::slash_sub("trivia", "start", vec![]), &[QUIZMASTERS]))
        .await;
    assert!(
        start["data"]["content"]
            .as_str()
            .unwrap_or_default()
            .contains("3 questions"),
        "a member with the role starts a game of the server's length: {start:#}"
    );
    fake.interact(ix::slash_sub("trivia", "stop", vec![])).await;

    // My rank: the member scored 12 points this week (recorded as the game would); the board's button answers
    // privately.
    let answer = rendezvous::store::AnswerRecord {
        game_id: store.recent_games(GUILD_ID, 1).await.unwrap()[0].id,
        guild_id: GUILD_ID,
        user_id: USER_ID,
        user_name: "Astro Naut".into(),
        round: 9,
        right: true,
        points: 12,
        streak: 1,
        at_ms: rendezvous::clock::wall_ms(),
        question_id: String::new(),
    };
    store.record_answer(answer).await.unwrap();
    let board = fake
        .interact(ix::slash_sub("trivia", "leaderboard", vec![s("period", "week")]))
        .await;
    assert_eq!(board["data"]["embeds"][0]["title"], "Leaderboard — this week");
    let ids = custom_ids(&board["data"]);
    assert_eq!(ids, ["rv1:rank:w"]);
    let mine = fake.interact(ix::button(&ids[0])).await;
    let text = private(&mine)["content"].as_str().unwrap().to_string();
    assert!(
        text.starts_with("You are **1st** on this server's board for this week, with 12 points"),
        "{text}"
    );
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_of_the_day_missed_while_down_is_posted_at_start_and_answered_with_a_button() {
    let store = Store::open_in_memory().await.unwrap();
    let now = rendezvous::clock::wall_ms();
    // Set two days ago for 00:00 UTC; yesterday's question was posted and answered right by the member.
    store
        .set_daily(&DailySchedule {
            guild_id: GUILD_ID,
            channel_id: CHANNEL_ID,
            local_time: "00:00".into(),
            timezone: "UTC".into(),
            set_by: USER_ID,
            set_at: now - 2 * 86_400_000,
        })
        .await
        .unwrap();
    let yesterday = rendezvous::clock::date_string(now - 86_400_000);
    let asked = rendezvous::daily::Asked {
        id: "c:test".into(),
        text: "Which agency led the Rosetta mission?".into(),
        options: vec!["ESA".into(), "NASA".into(), "JAXA".into(), "CNES".into()],
        correct: 0,
        explanation: "Rosetta was an ESA mission.".into(),
        source: "https://www.esa.int/Science_Exploration/Space_Science/Rosetta".into(),
    };
    let post = DailyPost {
        guild_id: GUILD_ID,
        day: yesterday.clone(),
        channel_id: CHANNEL_ID,
        posted_at: now - 86_400_000,
        question_id: asked.id.clone(),
        question: serde_json::to_string(&asked).unwrap(),
        revealed: false,
    };
    assert!(store.claim_daily_post(&post).await.unwrap());
    let right = DailyAnswer {
        user_id: USER_ID,
        user_name: "Astro Naut".into(),
        choice: 0,
        correct: true,
        at_ms: now - 80_000_000,
    };
    store.record_daily_answer(GUILD_ID, &yesterday, &right).await.unwrap();

    let (fake, bot) = start("discord_daily", store.clone()).await;
    // At start: yesterday's answer, then today's question, in the channel.
    let path = format!("/channels/{CHANNEL_ID}/messages");
    fake.request("POST", &path, 2).await;
    let posts: Vec<Value> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with(&path))
        .map(|r| r.body)
        .collect();
    let reveal = &posts[0]["embeds"][0];
    assert!(
        reveal["description"].as_str().unwrap().contains("**Answer: A · ESA**"),
        "{reveal:#}"
    );
    assert!(
        reveal.to_string().contains("🔥 Astro Naut — 1 day in a row"),
        "{reveal:#}"
    );
    let question = &posts[1];
    assert!(
        question["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Question of the day — "),
        "{question:#}"
    );
    let buttons = custom_ids(question);
    assert!(
        buttons.len() >= 2 && buttons.iter().all(|b| b.starts_with("rv1:daily:")),
        "{buttons:?}"
    );
    let locked = fake.interact(ix::button(&buttons[1])).await;
    let text = private(&locked)["content"].as_str().unwrap().to_string();
    assert!(text.starts_with("Locked in: **B**"), "{text}");
    let twice = fake.interact(ix::button(&buttons[0])).await;
    assert!(private(&twice)["content"]
        .as_str()
        .unwrap()
        .contains("already answered"));
    // Yesterday's buttons are closed.
    let old = fake.interact(ix::button(&format!("rv1:daily:{yesterday}:0"))).await;
    assert!(private(&old)["content"].as_str().unwrap().contains("closed"));
    bot.stop().await.expect("clean stop");
}
