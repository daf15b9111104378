//! The Discord front end end to end: the real serenity client against the fake Discord in `tests/support/`.
//!
//! Assertions are on what the bot sent (registration body, response types, embeds, custom_ids, flags). Every
//! request body is also written to `target/discord-requests/`, where `.ci/spec-check.sh` holds it against Discord's
//! OpenAPI spec. Waits time out (see `fake_discord::WAIT`) so a hang fails instead of blocking.

use super::support::bin::Sandbox;
use super::support::fake_discord::{self as fake, FakeDiscord, Knobs, APP_ID, CHANNEL_ID, GUILD_ID};
use super::support::interactions::{self as ix, i, s};
use rendezvous::app::App;
use rendezvous::commands::defs::{self, OptKind};
use rendezvous::config::{Config, Token};
use rendezvous::discord::{self, Options};
use rendezvous::trivia::game::Settings;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A token that is easy to spot should it ever leak into output.
const TOKEN: &str = "FAKE.t0ken-that-must-never-show.Zq9x";

/// Interaction response types.
const MESSAGE: u64 = 4;
const DEFERRED_MESSAGE: u64 = 5;
const DEFERRED_UPDATE: u64 = 6;
const UPDATE: u64 = 7;
const AUTOCOMPLETE: u64 = 8;
const EPHEMERAL: u64 = 64;

/// The bot, run from the library with a shutdown signal the test controls (the other Discord tests use it too).
pub(super) struct Bot {
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), discord::Error>>,
}

impl Bot {
    fn start(fake: &FakeDiscord, guild: Option<u64>, options: Options) -> Bot {
        Bot::start_app(fake, guild, options, App::new(super::commands::kb().clone(), Some(7)))
    }

    pub(super) fn start_app(fake: &FakeDiscord, guild: Option<u64>, options: Options, app: App) -> Bot {
        let mut config = Config::default();
        config.discord.token = Token::new(TOKEN);
        config.discord.api_base = Some(fake.base());
        config.discord.guild_id = guild;
        let app = Arc::new(app);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let signal = async {
                let _ = stopped.await;
            };
            discord::run_with(&config, app, signal, options).await
        });
        Bot { stop: Some(stop), task }
    }

    /// Send the shutdown signal and wait for `run` to return.
    pub(super) async fn stop(mut self) -> Result<(), discord::Error> {
        let _ = self.stop.take().expect("stopped once").send(());
        tokio::time::timeout(fake::WAIT, &mut self.task)
            .await
            .expect("the bot stops within the timeout")
            .expect("the bot's task did not panic")
    }
}

/// A fake, and the bot connected to it with its commands registered in the fake's guild.
async fn session(test: &str) -> (FakeDiscord, Bot) {
    session_with(test, Knobs::default(), Options::default()).await
}

async fn session_with(test: &str, knobs: Knobs, options: Options) -> (FakeDiscord, Bot) {
    let fake = FakeDiscord::start_with(test, knobs).await;
    let bot = Bot::start(&fake, Some(GUILD_ID), options);
    fake.ready(1).await;
    fake.registration().await;
    (fake, bot)
}

/// The first embed of a message response.
fn embed(resp: &Value) -> &Value {
    &resp["data"]["embeds"][0]
}

fn field_names(e: &Value) -> Vec<String> {
    e["fields"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| f["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Every button of a message body (`data` of a response, or a webhook body).
fn buttons(data: &Value) -> Vec<Value> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect()
}

fn custom_ids(data: &Value) -> Vec<String> {
    buttons(data)
        .iter()
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

fn flags(resp: &Value) -> u64 {
    resp["data"]["flags"].as_u64().unwrap_or(0)
}

/// An ephemeral message answer; returns its text.
fn ephemeral_text(resp: &Value) -> String {
    assert_eq!(resp["type"], MESSAGE, "{resp:#}");
    assert_eq!(flags(resp) & EPHEMERAL, EPHEMERAL, "not ephemeral: {resp:#}");
    resp["data"]["content"].as_str().unwrap_or_default().to_string()
}

/// What the core itself answers to a button press, to hold the rendering against.
async fn core_press(custom_id: &str) -> rendezvous::reply::Reply {
    let app = App::new(super::commands::kb().clone(), Some(7));
    let user = rendezvous::commands::User {
        id: 1,
        name: "t".into(),
    };
    app.press(custom_id, &at(&user, CHANNEL_ID), 0).await.reply
}

/// A card answering a button: a new message (public or private, as the core says); returns its embed.
async fn button_card(custom_id: &str, resp: &Value) -> Value {
    assert_eq!(resp["type"], MESSAGE, "{resp:#}");
    let private = core_press(custom_id).await.ephemeral;
    assert_eq!(
        flags(resp) & EPHEMERAL == EPHEMERAL,
        private,
        "ephemeral flag as the core says: {resp:#}"
    );
    let e = embed(resp).clone();
    assert!(e.is_object(), "no embed in {resp:#}");
    e
}

/// A public card; returns its embed.
fn card(resp: &Value) -> Value {
    assert_eq!(resp["type"], MESSAGE, "{resp:#}");
    assert_eq!(flags(resp) & EPHEMERAL, 0, "unexpectedly ephemeral: {resp:#}");
    let e = embed(resp).clone();
    assert!(e.is_object(), "no embed in {resp:#}");
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identifies_with_no_privileged_intents_and_registers_every_command_in_the_guild() {
    let fake = FakeDiscord::start("identify_and_register_guild").await;
    let bot = Bot::start(&fake, Some(GUILD_ID), Options::default());

    let identify = fake.identify().await;
    let sent = identify["token"].as_str().expect("a token");
    assert_eq!(sent.strip_prefix("Bot ").unwrap_or(sent), TOKEN);
    let intents = identify["intents"].as_u64().expect("intents");
    assert_eq!(intents, 1, "only GUILDS (1) is needed");
    let privileged = (1 << 1) | (1 << 8) | (1 << 15);
    assert_eq!(intents & privileged, 0);
    fake.ready(1).await;

    let reg = fake.registration().await;
    assert_eq!(
        reg.path,
        format!("/api/v10/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    );
    assert_eq!(reg.authorization.as_deref(), Some(format!("Bot {TOKEN}").as_str()));
    let first = &fake.requests()[0];
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("GET", "/api/v10/gateway")
    );

    // The body says what the definitions say, whatever commands there are.
    let body = reg.body.as_array().expect("an array of commands").clone();
    let defs = defs::all_commands();
    let names: Vec<&str> = body.iter().map(|c| c["name"].as_str().unwrap()).collect();
    let want: Vec<&str> = defs.iter().map(|d| d.name).collect();
    assert_eq!(names, want);
    for (c, d) in body.iter().zip(defs) {
        assert_eq!(c["description"], d.description, "/{}", d.name);
        let contexts = c["contexts"].as_array().expect("contexts");
        assert!(contexts.contains(&json!(0)), "/{} usable in servers", d.name);
        assert_eq!(contexts.contains(&json!(1)), d.dm, "/{} in DMs", d.name);
        if d.admin {
            assert_eq!(c["default_member_permissions"], "32", "/{} needs Manage Server", d.name);
        } else {
            assert!(absent(c.get("default_member_permissions")), "/{}", d.name);
        }
        let opts = c["options"].as_array().cloned().unwrap_or_default();
        if d.subcommands.is_empty() {
            check_options(&format!("/{}", d.name), &opts, &d.options);
        } else {
            assert_eq!(opts.len(), d.subcommands.len(), "/{}", d.name);
            for (o, sd) in opts.iter().zip(&d.subcommands) {
                assert_eq!((o["name"].as_str(), o["type"].as_u64()), (Some(sd.name), Some(1)));
                let sub_opts = o["options"].as_array().cloned().unwrap_or_default();
                check_options(&format!("/{} {}", d.name, sd.name), &sub_opts, &sd.options);
            }
        }
    }
    bot.stop().await.expect("clean stop");
}

/// A key that is missing or null.
fn absent(v: Option<&Value>) -> bool {
    v.is_none_or(Value::is_null)
}

fn check_options(path: &str, got: &[Value], want: &[defs::OptionDef]) {
    assert_eq!(got.len(), want.len(), "{path}: options");
    for (o, d) in got.iter().zip(want) {
        let at = format!("{path} {}", d.name);
        assert_eq!(o["name"], d.name, "{at}");
        assert_eq!(o["description"], d.description, "{at}");
        let kind = match d.kind {
            OptKind::String => 3,
            OptKind::Integer => 4,
            OptKind::Boolean => 5,
            OptKind::User => 6,
            OptKind::Channel => 7,
            OptKind::Role => 8,
            OptKind::Number => 10,
            OptKind::Attachment => 11,
        };
        assert_eq!(o["type"], kind, "{at}: type");
        if d.kind == OptKind::Channel {
            // Text and announcement channels only.
            assert_eq!(o["channel_types"], serde_json::json!([0, 5]), "{at}: channel types");
        }
        assert_eq!(o["required"].as_bool().unwrap_or(false), d.required, "{at}: required");
        let autocomplete = d.autocomplete.is_some() && d.choices.is_empty();
        assert_eq!(
            o["autocomplete"].as_bool().unwrap_or(false),
            autocomplete,
            "{at}: autocomplete"
        );
        if let Some(min) = d.min {
            assert_eq!(o["min_value"].as_f64(), Some(min as f64), "{at}: min");
        }
        if let Some(max) = d.max {
            assert_eq!(o["max_value"].as_f64(), Some(max as f64), "{at}: max");
        }
        if let Some(len) = d.max_len {
            assert_eq!(o["max_length"], len, "{at}: max_length");
        }
        let choices: Vec<(String, String)> = o["choices"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["value"].to_string().trim_matches('"').to_string(),
                )
            })
            .collect();
        let want_choices: Vec<(String, String)> =
            d.choices.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        assert_eq!(choices, want_choices, "{at}: choices");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_base_that_gives_no_gateway_stops_the_bot_instead_of_falling_back_to_discord() {
    // A port nobody listens on: serenity alone would warn and connect to the real gateway.
    let unused = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut config = Config::default();
    config.discord.token = Token::new(TOKEN);
    config.discord.api_base = Some(format!("http://{unused}"));
    let app = Arc::new(App::new(super::commands::kb().clone(), Some(1)));
    let run = discord::run(&config, app, std::future::pending());
    let err = tokio::time::timeout(fake::WAIT, run)
        .await
        .expect("fails fast")
        .expect_err("no gateway, no bot");
    let text = err.to_string();
    assert!(matches!(err, discord::Error::Gateway { .. }), "{text}");
    assert!(
        text.contains("RENDEZVOUS_DISCORD_API") && !text.contains(TOKEN),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_globally_without_a_guild() {
    let fake = FakeDiscord::start("register_global").await;
    let bot = Bot::start(&fake, None, Options::default());
    let reg = fake.registration().await;
    assert_eq!(reg.path, format!("/api/v10/applications/{APP_ID}/commands"));
    assert_eq!(reg.body.as_array().map(Vec::len), Some(defs::all_commands().len()));
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mission_answers_with_a_card_partner_fields_and_buttons() {
    let (fake, bot) = session("mission").await;
    let resp = fake.interact(ix::slash("mission", vec![s("name", "cassini")])).await;
    let e = card(&resp);
    assert_eq!(e["title"], "Cassini-Huygens");
    assert!(e["url"].as_str().is_some_and(|u| u.starts_with("https://")));
    let fields = field_names(&e);
    for f in ["Launch", "Destination", "Partners", "Facts"] {
        assert!(fields.iter().any(|n| n == f), "no {f} field in {fields:?}");
    }
    assert!(e["footer"]["text"].as_str().is_some_and(|t| t.contains("Sources")));
    let ids = custom_ids(&resp["data"]);
    assert!(ids.contains(&"rv1:partners:cassini-huygens".to_string()), "{ids:?}");
    assert!(ids.iter().all(|id| id.len() <= 100 && id.starts_with("rv1:")));
    let links: Vec<Value> = buttons(&resp["data"]).into_iter().filter(|b| b["style"] == 5).collect();
    assert!(links
        .iter()
        .all(|b| b["url"].is_string() && b.get("custom_id").is_none()));
    // Nobody is pinged by text the bot repeats.
    assert_eq!(resp["data"]["allowed_mentions"]["parse"], json!([]));
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agency_partners_collab_fact_and_search_answer_with_cards() {
    let (fake, bot) = session("lookups").await;

    let e = card(&fake.interact(ix::slash("agency", vec![s("name", "esa")])).await);
    assert_eq!(e["title"], "European Space Agency (ESA)");
    assert!(field_names(&e).iter().any(|n| n == "Most frequent partners"), "{e:#}");

    let e = card(&fake.interact(ix::slash("partners", vec![s("mission", "iss")])).await);
    assert_eq!(e["title"], "Who flew International Space Station");
    let fields = field_names(&e);
    assert!(
        fields.iter().any(|n| n.contains("NASA") && n.contains("lead")),
        "{fields:?}"
    );
    assert!(fields.iter().any(|n| n.contains("ESA")), "{fields:?}");

    let e = card(
        &fake
            .interact(ix::slash("collab", vec![s("first", "nasa"), s("second", "esa")]))
            .await,
    );
    assert_eq!(e["title"], "NASA × ESA");
    assert!(
        field_names(&e).iter().any(|n| n.starts_with("Cassini-Huygens")),
        "{e:#}"
    );

    let resp = fake.interact(ix::slash("fact", vec![])).await;
    let e = card(&resp);
    assert_eq!(e["title"], "Did you know?");
    assert_eq!(field_names(&e), ["About", "Source"]);
    assert!(custom_ids(&resp["data"]).iter().any(|id| id.starts_with("rv1:card:")));

    let e = card(&fake.interact(ix::slash("search", vec![s("query", "comet")])).await);
    assert_eq!(e["title"], "Search: comet");
    assert!(field_names(&e).iter().any(|n| n == "Mission: Rosetta"), "{e:#}");

    // A name nobody knows: a short private note that says what to try, not an error.
    let text = ephemeral_text(
        &fake
            .interact(ix::slash("mission", vec![s("name", "Starship Enterprise")]))
            .await,
    );
    assert!(text.contains("/search"), "{text}");
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_work_in_direct_messages() {
    let (fake, bot) = session("direct_message").await;
    let e = card(
        &fake
            .interact(ix::slash_in_dm("mission", vec![s("name", "rosetta")]))
            .await,
    );
    assert_eq!(e["title"], "Rosetta");
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_suggests_names_within_discords_limits() {
    let (fake, bot) = session("autocomplete").await;
    let resp = fake.interact(ix::autocomplete("mission", "name", "cass", vec![])).await;
    assert_eq!(resp["type"], AUTOCOMPLETE, "{resp:#}");
    let choices = resp["data"]["choices"].as_array().expect("choices").clone();
    assert!(!choices.is_empty() && choices.len() <= 25, "{choices:?}");
    assert!(
        choices.iter().any(|c| c["name"].as_str().unwrap().contains("Cassini")),
        "{choices:?}"
    );
    for c in &choices {
        let n = c["name"].as_str().unwrap().chars().count();
        let v = c["value"].as_str().expect("string values").chars().count();
        assert!((1..=100).contains(&n) && (1..=100).contains(&v), "{c}");
    }

    // The second agency of /collab, with the first already chosen.
    let resp = fake
        .interact(ix::autocomplete("collab", "second", "jax", vec![s("first", "nasa")]))
        .await;
    let choices = resp["data"]["choices"].as_array().expect("choices");
    assert!(
        choices.iter().any(|c| c["name"].as_str().unwrap().contains("JAXA")),
        "{choices:?}"
    );

    // An option without autocomplete, and a command that does not exist: no suggestions, still an answer.
    let resp = fake.interact(ix::autocomplete("search", "query", "x", vec![])).await;
    assert_eq!(resp["data"]["choices"], json!([]));
    let resp = fake.interact(ix::autocomplete("nosuch", "name", "x", vec![])).await;
    assert_eq!(resp["type"], AUTOCOMPLETE);
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_open_cards_and_page_the_timeline_in_place() {
    let (fake, bot) = session("buttons").await;

    // The Partners button of a mission card, as the card itself offers it.
    let resp = fake.interact(ix::slash("mission", vec![s("name", "cassini")])).await;
    let partners = custom_ids(&resp["data"])
        .into_iter()
        .find(|id| id.starts_with("rv1:partners:"))
        .expect("a Partners button");
    let resp = fake.interact(ix::button(&partners)).await;
    assert_eq!(button_card(&partners, &resp).await["title"], "Who flew Cassini-Huygens");

    // The timeline's next page replaces the message (type 7), with its own buttons.
    let resp = fake.interact(ix::slash("timeline", vec![])).await;
    let first_page = card(&resp);
    let next = custom_ids(&resp["data"])
        .into_iter()
        .find(|id| id.starts_with("rv1:tl:"))
        .expect("a next-page button");
    let resp = fake.interact(ix::button(&next)).await;
    assert_eq!(resp["type"], UPDATE, "{resp:#}");
    let page2 = embed(&resp);
    assert!(page2["title"].as_str().unwrap().starts_with("Timeline"), "{page2:#}");
    assert_ne!(page2["description"], first_page["description"]);
    assert!(!custom_ids(&resp["data"]).is_empty(), "page 2 has buttons to move on");
    assert!(absent(resp["data"].get("flags")) || flags(&resp) & EPHEMERAL == 0);
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_commands_stale_buttons_and_huge_values_get_a_short_private_note() {
    let (fake, bot) = session("unknown_and_stale").await;

    let text = ephemeral_text(&fake.interact(ix::slash("nosuch", vec![s("x", "y")])).await);
    assert!(text.contains("`/help` lists what I can do"), "{text}");

    for stale in ["rv0:x", "rv1:card:m:no-such-id", "rv1:tl:x:y:z", "", "rv1"] {
        let text = ephemeral_text(&fake.interact(ix::button(stale)).await);
        assert!(!text.trim().is_empty(), "{stale}");
    }

    // 6,000 characters in an option Discord limits to 100: refused politely, nothing echoed back at length.
    let huge = "a".repeat(6000);
    for (cmd, opt) in [("search", "query"), ("mission", "name")] {
        let text = ephemeral_text(&fake.interact(ix::slash(cmd, vec![s(opt, &huge)])).await);
        assert!(text.contains("longer than 100"), "{text}");
        assert!(text.chars().count() < 300, "{text}");
    }
    // Out of range for an integer option.
    let text = ephemeral_text(&fake.interact(ix::slash("timeline", vec![i("from", 1200)])).await);
    assert!(text.contains("between"), "{text}");
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_answer_is_followed_by_a_private_note() {
    let knobs = Knobs {
        refuse_callbacks: 1,
        ..Knobs::default()
    };
    let (fake, bot) = session_with("refused_answer", knobs, Options::default()).await;
    let interaction = ix::slash("mission", vec![s("name", "cassini")]);
    let id = interaction["id"].as_str().unwrap().to_string();
    fake.interact(interaction).await;
    let note = fake.request("POST", &format!("/interactions/{id}/"), 2).await.body;
    assert!(ephemeral_text(&note).contains("went wrong"), "{note:#}");
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_answers_are_deferred_then_edited_in() {
    let options = Options {
        defer_after: Duration::ZERO,
        ..Options::default()
    };
    let (fake, bot) = session_with("deferred", Knobs::default(), options).await;

    // A command: "thinking…", then the original response edited into the card.
    let resp = fake.interact(ix::slash("mission", vec![s("name", "cassini")])).await;
    assert_eq!(resp["type"], DEFERRED_MESSAGE, "{resp:#}");
    let edit = fake.request("PATCH", "/messages/@original", 1).await;
    assert_eq!(edit.body["embeds"][0]["title"], "Cassini-Huygens");

    // An ephemeral answer cannot replace a public "thinking…": it is deleted and a private followup sent.
    fake.interact(ix::slash("nosuch", vec![])).await;
    fake.request("DELETE", "/messages/@original", 1).await;
    let followup = fake.request("POST", &format!("/webhooks/{APP_ID}/"), 1).await;
    assert_eq!(followup.body["flags"], EPHEMERAL, "{:#}", followup.body);

    // A button: acknowledged silently, then the page edited in place.
    let resp = fake.interact(ix::button("rv1:tl:::1")).await;
    assert_eq!(resp["type"], DEFERRED_UPDATE, "{resp:#}");
    let edit = fake.request("PATCH", "/messages/@original", 2).await;
    assert!(edit.body["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Timeline"));
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_reconnect_resumes_and_commands_are_still_answered() {
    let (fake, bot) = session("reconnect").await;
    let e = card(&fake.interact(ix::slash("about", vec![])).await);
    assert!(e["title"].is_string());

    fake.reconnect();
    // Sent while the bot reconnects: the fake holds it until the session is resumed.
    let resp = fake.interact(ix::slash("mission", vec![s("name", "hubble")])).await;
    assert_eq!(card(&resp)["title"], "Hubble Space Telescope");
    let resume = fake
        .received()
        .into_iter()
        .find(|p| p["op"] == 6)
        .expect("the bot sent RESUME (op 6)");
    assert_eq!(resume["d"]["session_id"], "fake-session-1");
    assert!(resume["d"]["token"].as_str().is_some_and(|t| t.ends_with(TOKEN)));
    assert!(fake.connections() >= 2);
    // Resumed, not re-identified: one IDENTIFY, one registration.
    assert_eq!(fake.received().iter().filter(|p| p["op"] == 2).count(), 1);
    assert_eq!(fake.requests().iter().filter(|r| r.method == "PUT").count(), 1);
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_the_gateway_with_1000_and_returns() {
    let (fake, bot) = session("shutdown").await;
    card(&fake.interact(ix::slash("agency", vec![s("name", "jaxa")])).await);
    let started = std::time::Instant::now();
    bot.stop().await.expect("run returns Ok after the signal");
    assert!(fake.close_codes().contains(&1000), "closes: {:?}", fake.close_codes());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

/// A fake and a bot whose app keeps scores in a fresh database and plays trivia with these defaults.
async fn trivia_session(test: &str, defaults: Settings) -> (FakeDiscord, Bot, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = rendezvous::store::Store::open(&dir.path().join("scores.db")).await;
    let app = App::new(super::commands::kb().clone(), Some(5))
        .with_store(store)
        .with_defaults(defaults);
    let fake = FakeDiscord::start(test).await;
    let bot = Bot::start_app(&fake, Some(GUILD_ID), Options::default(), app);
    fake.ready(1).await;
    fake.registration().await;
    (fake, bot, dir)
}

/// The embed titles of the messages the bot posted in the test channel so far.
fn posted_titles(fake: &FakeDiscord) -> Vec<String> {
    let path = format!("/api/v10/channels/{CHANNEL_ID}/messages");
    fake.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .map(|r| r.body["embeds"][0]["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trivia_timers_run_out_and_the_driver_posts_the_reveal_and_the_final_scores() {
    let defaults = Settings {
        rounds: 1,
        timer_ms: 300,
        gap_ms: 100,
    };
    let (fake, bot, _dir) = trivia_session("trivia_timers", defaults).await;
    let resp = fake.interact(ix::slash_sub("trivia", "start", vec![])).await;
    assert_eq!(card(&resp)["title"], "Question 1 of 1");
    // Answer: a click on the first choice, or for a typed-answer question, /answer. Acknowledged privately.
    let answers: Vec<String> = custom_ids(&resp["data"]);
    assert!(answers.iter().all(|id| id.starts_with("rv1:ans:")), "{answers:?}");
    let ack = match answers.first() {
        Some(first) => fake.interact(ix::button(first)).await,
        None => fake.interact(ix::slash("answer", vec![s("text", "Zhurong")])).await,
    };
    assert!(!ephemeral_text(&ack).is_empty(), "{ack:#}");

    // Nobody interacts any more: the timer task reveals the answer and ends the game by itself.
    let path = format!("/channels/{CHANNEL_ID}/messages");
    fake.request("POST", &path, 2).await;
    let titles = posted_titles(&fake);
    assert!(titles.iter().any(|t| t == "Final scores"), "{titles:?}");
    // The whole game ran on one gateway connection.
    assert_eq!(fake.connections(), 1);
    bot.stop().await.expect("clean stop");
    assert_eq!(
        posted_titles(&fake).len(),
        titles.len(),
        "no game left for shutdown to end"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_ends_a_running_game_and_posts_its_final_scores_before_closing() {
    let (fake, bot, _dir) = trivia_session("trivia_shutdown", Settings::default()).await;
    let resp = fake
        .interact(ix::slash_sub("trivia", "start", vec![i("rounds", 3)]))
        .await;
    assert!(card(&resp)["title"].as_str().unwrap().starts_with("Question 1"));
    bot.stop().await.expect("clean stop");
    let last = fake
        .request("POST", &format!("/channels/{CHANNEL_ID}/messages"), 1)
        .await;
    assert_eq!(last.body["embeds"][0]["title"], "Final scores", "{:#}", last.body);
    assert!(fake.close_codes().contains(&1000));
    // The post went out before the gateway closed: it is not lost to a half-stopped bot.
    let order: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(order.last().is_some_and(|r| r.contains("/messages")), "{order:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fakes_answers_are_what_serenity_reads() {
    // The fake's answer to a channel message is one serenity can read (a full Message).
    let m = fake::message(&CHANNEL_ID.to_string(), &json!({"content": "hi"}));
    serde_json::from_value::<serenity::model::channel::Message>(m).expect("a Message");
    let cmds = fake::commands_echo(&serde_json::to_value(discord_commands_body().await).unwrap(), None);
    serde_json::from_value::<Vec<serenity::model::application::Command>>(cmds).expect("Commands");
    serde_json::from_value::<serenity::model::application::CurrentApplicationInfo>(fake::application())
        .expect("an application");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_reads_multipart_bodies_as_payload_json_and_files() {
    use serenity::all::{Builder, CreateAttachment, CreateInteractionResponse, CreateInteractionResponseMessage};
    let fake = FakeDiscord::start("multipart").await;
    let http = serenity::http::HttpBuilder::new(TOKEN)
        .proxy(fake.base())
        .ratelimiter_disabled(true)
        .build();
    let csv = "player,points\nastro,3\n";
    let message = CreateInteractionResponseMessage::new()
        .content("Results attached")
        .ephemeral(true)
        .add_file(CreateAttachment::bytes(csv.as_bytes().to_vec(), "results.csv"));
    CreateInteractionResponse::Message(message)
        .execute(&http, (serenity::all::InteractionId::new(fake::next_id()), "tok"))
        .await
        .expect("the fake accepts a multipart callback");
    let rec = fake.request("POST", "/callback", 1).await;
    assert_eq!(rec.body["type"], MESSAGE);
    assert_eq!(rec.body["data"]["content"], "Results attached");
    assert_eq!(rec.body["data"]["attachments"][0]["filename"], "results.csv");
    assert_eq!(rec.files.len(), 1);
    assert_eq!(
        (rec.files[0].1.as_str(), rec.files[0].2.as_slice()),
        ("results.csv", csv.as_bytes())
    );
}

/// The registration body the bot sends, as recorded by a fake.
async fn discord_commands_body() -> Value {
    let fake = FakeDiscord::start("registration_body").await;
    let bot = Bot::start(&fake, None, Options::default());
    let body = fake.registration().await.body;
    bot.stop().await.expect("clean stop");
    body
}

/// Who presses a button: a user in a channel of the test's server.
fn at(u: &rendezvous::commands::User, channel: u64) -> rendezvous::context::Caller {
    rendezvous::context::Caller {
        user: u.clone(),
        guild: Some(GUILD_ID),
        channel,
        perms: rendezvous::commands::Perms::default(),
        roles: Vec::new(),
    }
}

// ------------------------------------------------------------------------------------------- the built binary

/// Wait for a child process (the built binary), killing it if it does not exit in time.
async fn wait_output(child: std::process::Child) -> std::process::Output {
    let pid = child.id();
    let waiting = tokio::task::spawn_blocking(move || child.wait_with_output());
    match tokio::time::timeout(fake::WAIT, waiting).await {
        Ok(done) => done.expect("the wait did not panic").expect("wait for the binary"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("the binary did not exit within {:?}", fake::WAIT);
        }
    }
}

/// A child's stderr, read as it comes (so a test can wait for a line) and kept whole.
struct Stderr(Arc<std::sync::Mutex<String>>, std::thread::JoinHandle<()>);

impl Stderr {
    fn read(child: &mut std::process::Child) -> Stderr {
        use std::io::BufRead;
        let pipe = child.stderr.take().expect("stderr is piped");
        let text = Arc::new(std::sync::Mutex::new(String::new()));
        let sink = text.clone();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut t = sink.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
            }
        });
        Stderr(text, reader)
    }

    async fn wait_for(&self, what: &str) {
        let end = std::time::Instant::now() + fake::WAIT;
        while !self.0.lock().unwrap().contains(what) {
            assert!(
                std::time::Instant::now() < end,
                "no `{what}` in stderr:\n{}",
                self.0.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Everything, once the child has exited.
    fn all(self) -> String {
        let _ = self.1.join();
        let t = self.0.lock().unwrap();
        t.clone()
    }
}

/// Kills the binary should the test fail before it exits.
struct KillOnDrop(u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &self.0.to_string()])
                .status();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_against_the_fake_and_stops_on_sigterm_without_showing_the_token() {
    let fake = FakeDiscord::start("binary_run").await;
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .cmd(&["run"])
        .env("DISCORD_TOKEN", TOKEN)
        .env("RENDEZVOUS_DISCORD_API", fake.base())
        .env("RENDEZVOUS_DB", sandbox.path().join("bot.db"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the binary");
    let _guard = KillOnDrop(child.id());
    let stderr = Stderr::read(&mut child);

    fake.ready(1).await;
    let reg = fake.registration().await;
    assert_eq!(
        reg.path,
        format!("/api/v10/applications/{APP_ID}/commands"),
        "global without a guild id"
    );
    let e = card(&fake.interact(ix::slash("mission", vec![s("name", "Cassini")])).await);
    assert_eq!(e["title"], "Cassini-Huygens");
    let resp = fake
        .interact(ix::autocomplete("agency", "name", "Roscos", vec![]))
        .await;
    assert_eq!(resp["type"], AUTOCOMPLETE);
    let resp = fake.interact(ix::button("rv1:card:a:esa")).await;
    assert_eq!(
        button_card("rv1:card:a:esa", &resp).await["title"],
        "European Space Agency (ESA)"
    );

    // SIGHUP reloads the knowledge base and the bot keeps answering.
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    stderr.wait_for("knowledge base reloaded").await;
    let e = card(&fake.interact(ix::slash("agency", vec![s("name", "JAXA")])).await);
    assert!(e["title"].as_str().unwrap().contains("JAXA"), "{e:#}");

    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = wait_output(child).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = stderr.all();
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(fake.close_codes().contains(&1000), "closes: {:?}", fake.close_codes());
    assert!(
        !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
        "the token leaked:\n{stdout}\n{stderr}"
    );
    // One info line per interaction, with the command but never what was typed.
    assert!(stderr.contains("/mission"), "{stderr}");
    assert!(!stderr.contains("WARN") && !stderr.contains("ERROR"), "{stderr}");
    assert!(
        fake.requests().iter().all(|r| r.status != 404),
        "the bot called a route Discord does not have"
    );
    assert!(!stderr.contains("Roscos") && !stderr.contains("Cassini\""), "{stderr}");
}

#[test]
fn the_binary_without_a_token_says_how_to_get_one() {
    let out = Sandbox::new().cmd(&["run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("DISCORD_TOKEN") && stderr.contains("rendezvous console"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_subcommand_registers_in_a_guild_and_prints_the_commands() {
    let fake = FakeDiscord::start("binary_register").await;
    let sandbox = Sandbox::new();
    let child = sandbox
        .cmd(&["register", "--guild", "4242"])
        .env("DISCORD_TOKEN", TOKEN)
        .env("RENDEZVOUS_DISCORD_API", fake.base())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the binary");
    let out = wait_output(child).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reg = fake.registration().await;
    assert_eq!(reg.path, format!("/api/v10/applications/{APP_ID}/guilds/4242/commands"));
    for d in defs::all_commands() {
        assert!(stdout.contains(&format!("/{}", d.name)), "{stdout}");
    }
    assert!(!stdout.contains(TOKEN));
}

/// The same interaction, sent by another member.
fn from(mut v: Value, id: u64, name: &str) -> Value {
    v["member"]["user"]["id"] = json!(id.to_string());
    v["member"]["user"]["username"] = json!(name);
    v["member"]["user"]["global_name"] = json!(name);
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_trivia_game_with_three_players_through_the_gateway() {
    let defaults = Settings {
        rounds: 2,
        timer_ms: 2_000,
        gap_ms: 100,
    };
    let (fake, bot, _dir) = trivia_session("trivia_three_players", defaults).await;
    let players = [
        (710_000_000_000_000_001u64, "ann"),
        (710_000_000_000_000_002, "bob"),
        (710_000_000_000_000_003, "cy"),
    ];
    let start = fake.interact(ix::slash_sub("trivia", "start", vec![])).await;
    assert_eq!(card(&start)["title"], "Question 1 of 2");
    let channel_posts = format!("/channels/{CHANNEL_ID}/messages");

    // Each of the three answers once; a second click is refused privately. Answer buttons or /answer.
    let answer = |resp: &Value, who: usize| {
        let ids = custom_ids(&resp["data"]);
        let (id, name) = players[who];
        match ids.get(who % ids.len().max(1)) {
            Some(b) => from(ix::button(b), id, name),
            None => from(ix::slash("answer", vec![s("text", "Titan")]), id, name),
        }
    };
    for who in 0..3 {
        let ack = fake.interact(answer(&start, who)).await;
        assert!(ephemeral_text(&ack).contains("locked in"), "{ack:#}");
    }
    let again = fake.interact(answer(&start, 0)).await;
    assert!(ephemeral_text(&again).contains("already answered"), "{again:#}");

    // Round one waits for its timer (players may still be joining); then the reveal and the next question.
    let second = fake.request("POST", &channel_posts, 2).await;
    let titles = posted_titles(&fake);
    assert!(titles[0].starts_with("Answer: "), "{titles:?}");
    assert_eq!(titles[1], "Question 2 of 2");
    let first_post = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with(&channel_posts))
        .unwrap();
    let reveal = &first_post.body["embeds"][0];
    let split = reveal["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "How you answered");
    if let Some(split) = split {
        let total: usize = split["value"]
            .as_str()
            .unwrap()
            .lines()
            .map(|l| {
                l.rsplit(": ")
                    .next()
                    .unwrap()
                    .trim_end_matches(" ✅")
                    .parse::<usize>()
                    .unwrap()
            })
            .sum();
        assert_eq!(total, 3, "three answers counted: {split:#}");
    }

    // Round two: once all three known players have answered, the reveal comes at once, then the final scores.
    let q2 = json!({"type": 4, "data": second.body.clone()});
    for who in 0..3 {
        let ack = fake.interact(answer(&q2, who)).await;
        assert!(ephemeral_text(&ack).contains("locked in"), "{ack:#}");
    }
    fake.request("POST", &channel_posts, 4).await;
    let titles = posted_titles(&fake);
    assert!(titles[2].starts_with("Answer: "), "{titles:?}");
    assert_eq!(titles[3], "Final scores");
    let last = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with(&channel_posts))
        .unwrap();
    let board = last.body["embeds"][0]["fields"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    for (_, name) in players {
        assert!(board.contains(name), "{name} on the scoreboard: {board}");
    }
    bot.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_host_role_may_create_an_event_without_manage_events() {
    const HOST_ROLE: u64 = 555_000_000_000_000_001;
    let fake = FakeDiscord::start("event_host_role").await;
    let options = Options {
        host_roles: vec![HOST_ROLE],
        ..Options::default()
    };
    let app = App::new(super::commands::kb().clone(), Some(2));
    let bot = Bot::start_app(&fake, Some(GUILD_ID), options, app);
    fake.ready(1).await;
    fake.registration().await;
    let create = |roles: Vec<String>| {
        let mut v = ix::slash_sub("event", "create", vec![s("name", "Club night")]);
        v["member"]["roles"] = json!(roles);
        v
    };
    let refused = fake.interact(create(vec![])).await;
    assert!(ephemeral_text(&refused).contains("Manage Events"), "{refused:#}");
    let allowed = fake.interact(create(vec![HOST_ROLE.to_string()])).await;
    assert_eq!(
        allowed["data"]["flags"].as_u64().unwrap_or(0) & 64,
        0,
        "a public lobby: {allowed:#}"
    );
    assert!(
        card(&allowed)["title"].as_str().unwrap().contains("Club night"),
        "{allowed:#}"
    );
    bot.stop().await.expect("clean stop");
}

/// A pure command's answer is kept and sent again as it was; a different request gets its own answer; a reload makes
/// the bot answer from the new data; and a bot that keeps nothing sends the very same body.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pure_answers_are_kept_until_the_data_is_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    super::reload::copy_dir(
        &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"),
        &data,
    );
    let app = App::new(rendezvous::kb::load_dir(&data).unwrap(), Some(7))
        .with_data_dir(data.clone())
        .with_owners(vec![fake::USER_ID]);
    let fake = FakeDiscord::start("reply_cache").await;
    let bot = Bot::start_app(&fake, Some(GUILD_ID), Options::default(), app);
    fake.ready(1).await;
    fake.registration().await;
    let rosetta = || ix::slash("mission", vec![s("name", "Rosetta")]);

    let first = fake.interact(rosetta()).await;
    assert_eq!(first["type"], MESSAGE);
    assert_eq!(embed(&first)["title"], "Rosetta");
    let again = fake.interact(rosetta()).await;
    assert_eq!(again, first, "the same request, the same answer");
    let other = fake.interact(ix::slash("mission", vec![s("name", "Cassini")])).await;
    assert_eq!(embed(&other)["title"], "Cassini-Huygens");
    let partners = fake
        .interact(ix::slash("partners", vec![s("mission", "Rosetta")]))
        .await;
    assert_ne!(
        partners, first,
        "another command on the same mission has its own answer"
    );
    // Errors are for the asker only and are never kept; the second is built afresh, and the same.
    let unknown = || ix::slash("mission", vec![s("name", "Nonexistent Probe")]);
    let e1 = ephemeral_text(&fake.interact(unknown()).await);
    assert_eq!(e1, ephemeral_text(&fake.interact(unknown()).await));

    // The data changes and the owner reloads it: the next answer is the new card.
    let file = data.join("missions/solar-system.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let old_role = "lead_role = \"built and operated the Rosetta orbiter\"";
    assert_eq!(text.matches(old_role).count(), 1, "the test edits one line of Rosetta");
    std::fs::write(
        &file,
        text.replace(old_role, "lead_role = \"flew the orbiter (changed by a test)\""),
    )
    .unwrap();
    let reloaded = ephemeral_text(&fake.interact(ix::slash("reload", vec![])).await);
    assert!(reloaded.starts_with("Reloaded:"), "{reloaded}");
    let after = fake.interact(rosetta()).await;
    let lead = &embed(&after)["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Lead")
        .expect("a Lead field")["value"];
    assert!(
        lead.as_str().unwrap().contains("changed by a test"),
        "a stale card: {after:#}"
    );
    bot.stop().await.unwrap();

    // A bot that keeps nothing sends what the keeping bot sent, through serenity's own response builder.
    let options = Options {
        reply_cache: 0,
        ..Options::default()
    };
    let (fake, bot) = session_with("reply_cache_off", Knobs::default(), options).await;
    assert_eq!(fake.interact(rosetta()).await, first);
    bot.stop().await.unwrap();
}

/// A display name, an event name and a team name are shown as the text they are: no masked link, no bold, no
/// clickable address in what the bot sends (issue 14, item 8).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_people_chose_are_shown_as_text() {
    let defaults = Settings {
        rounds: 1,
        timer_ms: 60_000,
        gap_ms: 100,
    };
    let (fake, bot, _dir) = trivia_session("hostile_names", defaults).await;
    let hostile = "[Free Nitro](https://evil.example)";
    let start = fake
        .interact(from(
            ix::slash_sub("trivia", "start", vec![]),
            710_000_000_000_000_009,
            hostile,
        ))
        .await;
    let content = start["data"]["content"].as_str().unwrap();
    assert!(content.starts_with("**\\[Free Nitro\\]\\(https\\:"), "{content}");
    assert!(!content.contains("](") && !content.contains("://"), "{content}");
    let stopped = fake
        .interact(from(
            ix::slash_sub("trivia", "stop", vec![]),
            710_000_000_000_000_009,
            hostile,
        ))
        .await;
    assert_eq!(card(&stopped)["title"], "Final scores");
    let event = fake
        .interact(ix::slash_sub_with_perms(
            "event",
            "create",
            vec![
                s("name", "**Bold** [club](https://evil.example)"),
                s("teams", "[a](https://x.example),_b_"),
            ],
            "8589934592",
        ))
        .await;
    let lobby = card(&event);
    let teams = lobby["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Teams")
        .unwrap()["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        teams.contains("\\[a\\]\\(https\\:") && teams.contains("\\_b\\_"),
        "{teams}"
    );
    let list = fake.interact(ix::slash_sub("event", "list", vec![])).await;
    let text = card(&list)["description"].as_str().unwrap().to_string();
    assert!(text.contains("\\*\\*Bold\\*\\* \\[club\\]"), "{text}");
    assert!(!text.contains("://"), "a name never becomes a link: {text}");
    bot.stop().await.expect("clean stop");
}

fn rendezvous_check(interaction: &Value) {
    fake::check_interaction(interaction);
}

/// Discord failing to take an answer (a 5xx, a dropped connection) gets the answer sent once more; "already
/// acknowledged" to the retry means the first went through; and the bot never tells the user something went wrong
/// on its side for Discord's failure (issue 14, item 12).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_failing_to_take_an_answer_gets_one_retry_and_no_blame() {
    let callbacks = |fake: &FakeDiscord, id: &str| -> Vec<(u16, Value)> {
        fake.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path.contains(&format!("/interactions/{id}/")))
            .map(|r| (r.status, r.body))
            .collect()
    };
    let cases = [
        (
            "retry_500",
            Knobs {
                fail_callbacks: 1,
                ..Knobs::default()
            },
            vec![500, 204],
        ),
        (
            "retry_dropped",
            Knobs {
                drop_callbacks: 1,
                ..Knobs::default()
            },
            vec![0, 204],
        ),
        (
            "retry_lost",
            Knobs {
                lose_callbacks: 2,
                ..Knobs::default()
            },
            vec![500, 400],
        ),
        (
            "retry_twice",
            Knobs {
                fail_callbacks: 2,
                ..Knobs::default()
            },
            vec![500, 500],
        ),
    ];
    for (test, knobs, statuses) in cases {
        let (fake, bot) = session_with(test, knobs, Options::default()).await;
        // A kept answer's body (a card) and an answer built each time (a fact).
        for command in [
            ix::slash("mission", vec![s("name", "cassini")]),
            ix::slash("fact", vec![]),
        ] {
            let id = command["id"].as_str().unwrap().to_string();
            rendezvous_check(&command);
            fake.dispatch("INTERACTION_CREATE", command);
            // Wait for the second callback, then a moment for a third that must not come.
            fake.request("POST", &format!("/interactions/{id}/"), 2).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let sent = callbacks(&fake, &id);
            let got: Vec<u16> = sent.iter().map(|(status, _)| *status).collect();
            assert_eq!(got, statuses, "{test}: {sent:#?}");
            assert_eq!(sent[0].1, sent[1].1, "{test}: the same answer again");
            assert!(
                sent.iter().all(|(_, body)| !body.to_string().contains("went wrong")),
                "{test}: no blame: {sent:#?}"
            );
        }
        bot.stop().await.expect("clean stop");
    }
}

/// `/help` through Discord: the overview card, and one command explained (bodies checked against the spec in CI).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_through_discord() {
    let (fake, bot) = session("help").await;
    let all = card(&fake.interact(ix::slash("help", vec![])).await);
    assert_eq!(all["title"], "Rendezvous — what I can do");
    assert!(all["description"].as_str().unwrap().contains("`/trivia start`"));
    let one = card(&fake.interact(ix::slash("help", vec![s("command", "event")])).await);
    assert_eq!(one["title"], "/event");
    assert_eq!(one["fields"].as_array().unwrap().len(), 9, "{one:#}");
    bot.stop().await.expect("clean stop");
}
