//! A community event end to end through the real serenity client and the fake Discord: a host and three players in
//! two teams, buttons, reveals, a podium, a private refusal, and the CSV export as a multipart upload whose
//! `payload_json` is recorded (in `target/discord-requests/`) for `.ci/spec-check.sh`.

use super::discord::Bot;
use super::support::fake_discord::{FakeDiscord, GUILD_ID};
use super::support::interactions::{self as ix, i, s, MANAGER_PERMS, MEMBER_PERMS};
use rendezvous::app::App;
use rendezvous::discord::Options;
use rendezvous::events::{parse_csv, RESULTS_HEADER};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

const MESSAGE: u64 = 4;
const EPHEMERAL: u64 = 64;

/// Who plays: (user id, display name).
const HOST: (u64, &str) = (610_000_000_000_000_001, "Ms Rivera");
const ALICE: (u64, &str) = (610_000_000_000_000_002, "alice");
const BOB: (u64, &str) = (610_000_000_000_000_003, "bob");
const CAROL: (u64, &str) = (610_000_000_000_000_004, "carol");

/// The same interaction, sent by someone else.
fn by(mut v: Value, who: (u64, &str)) -> Value {
    let user = &mut v["member"]["user"];
    user["id"] = json!(who.0.to_string());
    user["username"] = json!(who.1.to_lowercase().replace(' ', "_"));
    user["global_name"] = json!(who.1);
    v
}

fn event(sub: &str, options: Vec<Value>, perms: &str, who: (u64, &str)) -> Value {
    let v = ix::slash_with_perms(
        "event",
        vec![json!({"name": sub, "type": 1, "options": options})],
        perms,
    );
    by(v, who)
}

fn host(sub: &str, options: Vec<Value>) -> Value {
    event(sub, options, MANAGER_PERMS, HOST)
}

fn press(custom_id: &str, who: (u64, &str)) -> Value {
    by(ix::button(custom_id), who)
}

fn flags(resp: &Value) -> u64 {
    resp["data"]["flags"].as_u64().unwrap_or(0)
}

/// A public card's embed.
fn card(resp: &Value) -> Value {
    assert_eq!(resp["type"], MESSAGE, "{resp:#}");
    assert_eq!(flags(resp) & EPHEMERAL, 0, "unexpectedly private: {resp:#}");
    resp["data"]["embeds"][0].clone()
}

/// A private note's text.
fn private(resp: &Value) -> String {
    assert_eq!(resp["type"], MESSAGE, "{resp:#}");
    assert_eq!(flags(resp) & EPHEMERAL, EPHEMERAL, "not private: {resp:#}");
    resp["data"]["content"].as_str().unwrap_or_default().to_string()
}

fn custom_ids(resp: &Value) -> Vec<String> {
    resp["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

fn field<'a>(embed: &'a Value, starts: &str) -> &'a str {
    embed["fields"]
        .as_array()
        .and_then(|fs| {
            fs.iter()
                .find(|f| f["name"].as_str().is_some_and(|n| n.starts_with(starts)))
        })
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field `{starts}` in {embed:#}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_with_three_players_in_two_teams_runs_end_to_end_and_exports_a_csv_upload() {
    let dir = tempfile::tempdir().unwrap();
    let store = rendezvous::store::Store::open(&dir.path().join("events.db")).await;
    let app = App::new(super::commands::kb().clone(), Some(5)).with_store(store);
    let fake = FakeDiscord::start("discord_event_end_to_end").await;
    // Answer directly (no deferral) however slow the shared machine is: the bodies are what is checked here.
    let options = Options {
        defer_after: Duration::from_secs(20),
        ..Options::default()
    };
    let bot = Bot::start_app(&fake, Some(GUILD_ID), options, app);
    fake.ready(1).await;
    let reg = fake.registration().await;
    assert!(
        reg.body.as_array().unwrap().iter().any(|c| c["name"] == "event"),
        "/event is registered"
    );

    // A member without Manage Events cannot create one; the host can.
    let refused = fake
        .interact(event("create", vec![s("name", "Nope")], MEMBER_PERMS, ALICE))
        .await;
    assert!(private(&refused).contains("Manage Events"), "{refused:#}");
    let lobby = fake
        .interact(host(
            "create",
            vec![
                s("name", "Discord Night"),
                i("rounds", 3),
                s("teams", "2"),
                i("timer", 60),
                i("seed", 42),
            ],
        ))
        .await;
    assert_eq!(card(&lobby)["title"], "📣 Discord Night");
    let ids = custom_ids(&lobby);
    assert_eq!(
        ids,
        ["rv1:ev:1:0:join", "rv1:ev:1:0:t0", "rv1:ev:1:0:t1", "rv1:ev:1:0:ext"]
    );
    assert!(private(&fake.interact(press(&ids[1], ALICE)).await).contains("team 🔴 Red"));
    assert!(private(&fake.interact(press(&ids[2], BOB)).await).contains("team 🔵 Blue"));
    assert!(private(&fake.interact(press(&ids[0], CAROL)).await).contains("team 🔴 Red"));

    // Three questions: alice always presses A, bob B, carol A (B on the last).
    let mut right: HashMap<&str, u32> = HashMap::new();
    for round in 1..=3 {
        let q = fake.interact(host("next", vec![])).await;
        let title = card(&q)["title"].as_str().unwrap().to_string();
        assert_eq!(title, format!("Discord Night · Question {round} of 3"));
        let answers = custom_ids(&q);
        assert!(
            answers.iter().all(|id| id.starts_with(&format!("rv1:ev:1:{round}:a"))),
            "{answers:?}"
        );
        // A player cannot advance: a private refusal.
        let no = fake.interact(event("next", vec![], MEMBER_PERMS, BOB)).await;
        assert!(private(&no).contains("Only this event's hosts"), "{no:#}");
        let carol_picks = if round == 3 { 1 } else { 0 };
        for (who, pick) in [(ALICE, 0), (BOB, 1), (CAROL, carol_picks)] {
            let ack = fake.interact(press(&answers[pick], who)).await;
            assert!(private(&ack).contains("locked in"), "{ack:#}");
        }
        let again = fake.interact(press(&answers[0], ALICE)).await;
        assert!(private(&again).contains("already answered"), "{again:#}");
        let rev = card(&fake.interact(host("reveal", vec![])).await);
        let letter = rev["title"]
            .as_str()
            .unwrap()
            .trim_start_matches("Answer: ")
            .chars()
            .next()
            .unwrap();
        for (who, pick) in [("alice", 0), ("bob", 1), ("carol", carol_picks)] {
            if (b'A' + pick as u8) as char == letter {
                *right.entry(who).or_default() += 1;
            }
        }
        assert!(field(&rev, "How you answered").contains("✅"), "{rev:#}");
        assert!(
            field(&rev, "Teams — average points per player").contains("🔴 Red"),
            "{rev:#}"
        );
        // A click on this question after its reveal gets a short note.
        let late = fake.interact(press(&answers[0], CAROL)).await;
        assert!(private(&late).contains("Time's up"), "{late:#}");
    }
    let end = fake.interact(event("end", vec![], MANAGER_PERMS, ALICE)).await;
    assert!(
        private(&end).contains("Only this event's hosts"),
        "Manage Events alone does not host: {end:#}"
    );
    let podium = card(&fake.interact(host("end", vec![])).await);
    assert_eq!(podium["title"], "🏆 Discord Night — podium");
    let players = field(&podium, "Players");
    for (name, n) in [
        ("alice", right.get("alice")),
        ("bob", right.get("bob")),
        ("carol", right.get("carol")),
    ] {
        assert!(players.contains(&format!("{name} (")), "{players}");
        assert!(
            players.contains(&format!("({} right)", n.copied().unwrap_or(0))),
            "{players}"
        );
    }
    field(&podium, "Teams — average points per player: the teams differ in size");

    // The export: a private message with two CSV files, sent as multipart (the fake records payload_json).
    let export = fake.interact(host("export", vec![])).await;
    assert_eq!(export["type"], MESSAGE);
    assert_eq!(flags(&export) & EPHEMERAL, EPHEMERAL, "results go to the host only");
    let uploads: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/callback") && !r.files.is_empty())
        .collect();
    assert_eq!(uploads.len(), 1, "only the export carries files");
    let rec = &uploads[0];
    assert_eq!(rec.body, export, "the recorded body is the payload_json part");
    let names: Vec<&str> = rec.files.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(names, ["event-1-results.csv", "event-1-most-missed.csv"]);
    let listed: Vec<&str> = export["data"]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["filename"].as_str())
        .collect();
    assert_eq!(listed, names, "payload_json describes the files it carries");
    let csv = parse_csv(std::str::from_utf8(&rec.files[0].2).unwrap());
    assert_eq!(csv[0], RESULTS_HEADER);
    assert_eq!(csv.len(), 1 + 3 * 3, "one row per player per question");
    for row in &csv[1..] {
        let team = match row[3].as_str() {
            "alice" | "carol" => "Red",
            "bob" => "Blue",
            other => panic!("unknown player {other}"),
        };
        assert_eq!((row[0].as_str(), row[4].as_str()), ("Discord Night", team), "{row:?}");
        assert!(
            !row[5].is_empty() && !row[7].is_empty(),
            "everyone answered every question: {row:?}"
        );
    }
    for name in ["alice", "bob", "carol"] {
        let yes = csv[1..].iter().filter(|r| r[3] == name && r[6] == "yes").count() as u32;
        assert_eq!(yes, right.get(name).copied().unwrap_or(0), "{name}: {csv:?}");
    }
    bot.stop().await.expect("clean stop");
}
