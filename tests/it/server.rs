//! A server's own life: its settings (kept, shown, applied to `/trivia start`, refused when out of range), and its
//! question of the day.

use rendezvous::app::App;
use rendezvous::commands::{parse, Perms, Request, User};
use rendezvous::reply::Reply;
use rendezvous::store::Store;
use std::sync::Arc;

const GUILD: u64 = 5;

pub fn user(id: u64, name: &str) -> User {
    User { id, name: name.into() }
}

/// A member with Manage Server.
pub fn admin() -> (User, Perms) {
    (
        user(1, "ann"),
        Perms {
            manage_guild: true,
            manage_events: true,
            host_role: false,
        },
    )
}

pub fn member() -> (User, Perms) {
    (user(2, "bo"), Perms::default())
}

/// `line` as typed by `who` in `channel` of the test's server, with `roles`.
pub fn req(line: &str, who: &(User, Perms), channel: u64, roles: &[u64]) -> Request {
    let mut r = parse(line, who.0.clone()).unwrap_or_else(|e| panic!("{line}: {e}"));
    r.guild = Some(GUILD);
    r.channel = channel;
    r.perms = who.1;
    r.roles = roles.to_vec();
    r
}

async fn say(app: &App, line: &str, who: &(User, Perms), channel: u64, now: i64) -> Reply {
    app.command(&req(line, who, channel, &[]), now).await.reply
}

async fn app_on(store: Store) -> Arc<App> {
    Arc::new(App::new(super::commands::kb().clone(), Some(3)).with_store(Ok(store)))
}

#[tokio::test]
async fn settings_are_kept_shown_applied_and_refused_with_the_allowed_range() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let app = app_on(Store::open(&path).await.unwrap()).await;
    let (ann, bo) = (admin(), member());
    // Anyone sees the defaults; only Manage Server changes them.
    let shown = say(&app, "/settings show", &bo, 10, 0).await;
    assert_eq!(shown.title.as_deref(), Some("Settings for this server"));
    assert!(
        shown
            .text
            .starts_with("`/trivia start` with no options plays **5 questions** of **20 s**"),
        "{}",
        shown.text
    );
    let refused = say(&app, "/settings set rounds:8", &bo, 10, 0).await;
    assert!(
        refused.ephemeral && refused.text.contains("Manage Server"),
        "{}",
        refused.text
    );
    // Out of range: the parser names the range, as Discord's client would.
    let err = parse("/settings set rounds:50", ann.0.clone()).unwrap_err().0;
    assert!(err.contains("`rounds` must be between 1 and 20"), "{err}");
    let err = parse("/settings set cooldown:99999", ann.0.clone()).unwrap_err().0;
    assert!(err.contains("`cooldown` must be between 0 and 3600"), "{err}");
    let nothing = say(&app, "/settings set", &ann, 10, 0).await;
    assert!(
        nothing.text.starts_with("Give at least one setting"),
        "{}",
        nothing.text
    );
    // Set, then shown at the top.
    let set = say(&app, "/settings set rounds:3 timer:30 category:mars", &ann, 10, 0).await;
    assert!(
        set.text
            .starts_with("✅ Saved: 3 questions per game, 30 s per question, questions about Mars."),
        "{}",
        set.text
    );
    let shown = say(&app, "/settings show", &bo, 10, 0).await;
    assert!(
        shown
            .text
            .starts_with("`/trivia start` with no options plays **3 questions** of **30 s**, questions about Mars"),
        "{}",
        shown.text
    );
    // /trivia start with no options uses them: 3 Mars questions, 30 s each.
    let start = app.command(&req("/trivia start", &bo, 10, &[]), 1_000).await.reply;
    assert!(
        start
            .content
            .as_deref()
            .unwrap_or("")
            .contains("started trivia: 3 questions"),
        "{start:?}"
    );
    assert!(
        app.tick(30_999).await.is_empty(),
        "the timer is 30 s, not the default 20 s"
    );
    assert!(!app.tick(31_000).await.is_empty(), "revealed at 30 s");
    // An option given wins over the setting.
    let two = app
        .command(&req("/trivia start rounds:2", &bo, 11, &[]), 1_000)
        .await
        .reply;
    assert!(two.content.as_deref().unwrap_or("").contains("2 questions"), "{two:?}");
    // A restart reads them back from the database.
    drop(app);
    let again = app_on(Store::open(&path).await.unwrap()).await;
    let shown = say(&again, "/settings show", &bo, 10, 0).await;
    assert!(shown.text.contains("**3 questions** of **30 s**"), "{}", shown.text);
    // "any" takes the category back off; reset puts everything back.
    let any = say(&again, "/settings set category:any", &ann, 10, 0).await;
    assert!(any.text.contains("every category"), "{}", any.text);
    let reset = say(&again, "/settings reset", &ann, 10, 0).await;
    assert!(reset.text.contains("**5 questions** of **20 s**"), "{}", reset.text);
}

#[tokio::test]
async fn channels_roles_and_a_cooldown_limit_who_starts_games_where() {
    let app = app_on(Store::open_in_memory().await.unwrap()).await;
    let (ann, bo) = (admin(), member());
    let set = say(&app, "/settings channels action:add channel:<#20>", &ann, 10, 0).await;
    assert!(set.text.starts_with("✅ Games may now run in <#20>."), "{}", set.text);
    let elsewhere = say(&app, "/trivia start rounds:1", &bo, 10, 0).await;
    assert!(
        elsewhere.ephemeral && elsewhere.text.starts_with("Games run in <#20> on this server."),
        "{}",
        elsewhere.text
    );
    let missing = say(&app, "/settings channels action:remove channel:<#21>", &ann, 10, 0).await;
    assert!(missing.text.contains("not on the list"), "{}", missing.text);
    // Roles: members without one of them are refused; with one, or with Manage Server, they may start.
    let roles = say(&app, "/settings roles action:add role:<@&77>", &ann, 10, 0).await;
    assert!(roles.text.contains("<@&77>"), "{}", roles.text);
    let no_role = say(&app, "/trivia start rounds:1", &bo, 20, 0).await;
    assert!(
        no_role.text.starts_with("Only members with <@&77> can start games"),
        "{}",
        no_role.text
    );
    let with_role = app
        .command(&req("/trivia start rounds:1 timer:10", &bo, 20, &[77]), 0)
        .await
        .reply;
    assert!(
        with_role.content.is_some(),
        "a member with the role starts: {with_role:?}"
    );
    say(&app, "/trivia stop", &bo, 20, 5_000).await;
    // Cooldown: 60 s after the game in #20 ended (at 5 s), not before.
    let cd = say(&app, "/settings set cooldown:60", &ann, 10, 5_000).await;
    assert!(cd.text.contains("a cooldown of 1 min between games"), "{}", cd.text);
    let early = say(&app, "/trivia start rounds:1", &ann, 20, 35_000).await;
    assert!(
        early.text.ends_with("the next one can start here in 30 s."),
        "{}",
        early.text
    );
    let admin_start = say(&app, "/trivia start rounds:1", &ann, 20, 65_000).await;
    assert!(admin_start.content.is_some(), "{admin_start:?}");
    // Back to any channel and everyone.
    say(&app, "/settings channels action:any", &ann, 10, 70_000).await;
    say(&app, "/settings roles action:everyone", &ann, 10, 70_000).await;
    let anywhere = say(&app, "/trivia start rounds:1", &bo, 12, 70_000).await;
    assert!(anywhere.content.is_some(), "{anywhere:?}");
}

#[tokio::test]
async fn without_a_database_settings_say_why_and_games_use_the_defaults() {
    let app = Arc::new(App::new(super::commands::kb().clone(), Some(3)));
    let (ann, bo) = (admin(), member());
    let set = say(&app, "/settings set rounds:3", &ann, 10, 0).await;
    assert!(
        set.text.starts_with("Settings cannot be saved right now"),
        "{}",
        set.text
    );
    let start = say(&app, "/trivia start", &bo, 10, 0).await;
    assert!(
        start.content.as_deref().unwrap_or("").contains("5 questions"),
        "{start:?}"
    );
}
