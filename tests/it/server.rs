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

// ---- the question of the day ----------------------------------------------------------------------------------

fn utc(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

/// The day's question as stored: its right option.
async fn correct_of(app: &App, day: &str) -> usize {
    let post = app
        .store()
        .unwrap()
        .daily_post(GUILD, day)
        .await
        .unwrap()
        .expect("posted");
    serde_json::from_str::<rendezvous::daily::Asked>(&post.question)
        .unwrap()
        .correct
}

/// Press option `choice` of the question post `q` as `who`.
async fn answer(app: &App, q: &Reply, choice: usize, who: &(User, Perms), now: i64) -> Reply {
    let caller = rendezvous::context::Caller {
        user: who.0.clone(),
        guild: Some(GUILD),
        channel: 30,
        perms: who.1,
        roles: Vec::new(),
    };
    app.press(&q.buttons[choice].id, &caller, now).await.reply
}

/// Tick at `now`: the titles of what is posted.
async fn posted(app: &App, now: i64) -> Vec<Reply> {
    app.tick(now).await.into_iter().map(|p| p.reply).collect()
}

#[tokio::test]
async fn the_question_of_the_day_comes_at_nine_in_paris_before_and_after_the_clocks_change() {
    let app = app_on(Store::open_in_memory().await.unwrap()).await;
    let (ann, _) = (admin(), member());
    let set = say(
        &app,
        "/daily set channel:<#30> time:09:00 timezone:Europe/Paris",
        &ann,
        10,
        utc("2026-03-27T10:00:00Z"),
    )
    .await;
    assert!(
        set.text
            .contains("every day at 09:00 (Europe/Paris). The first: Saturday 28 March 2026 at 09:00"),
        "{}",
        set.text
    );
    // Saturday 28 March (CET, UTC+1): 08:00 UTC. Sunday 29 March, after the change to CEST (UTC+2): 07:00 UTC.
    for (day, nine) in [
        ("Saturday 28 March 2026", "2026-03-28T08:00:00Z"),
        ("Sunday 29 March 2026", "2026-03-29T07:00:00Z"),
        ("Monday 30 March 2026", "2026-03-30T07:00:00Z"),
    ] {
        assert_eq!(app.next_deadline(), Some(utc(nine)), "{day}");
        assert!(
            posted(&app, utc(nine) - 1).await.is_empty(),
            "nothing before 09:00 on {day}"
        );
        let posts = posted(&app, utc(nine)).await;
        let q = posts.last().expect("a question");
        assert_eq!(
            q.title.as_deref(),
            Some(format!("Question of the day — {day}").as_str())
        );
        assert!(q.buttons.len() >= 2, "answer buttons: {q:?}");
        assert!(posted(&app, utc(nine) + 60_000).await.is_empty(), "once a day");
    }
    // And in autumn, back to 08:00 UTC after Sunday 25 October.
    say(
        &app,
        "/daily set channel:<#30> time:09:00 timezone:Europe/Paris",
        &ann,
        10,
        utc("2026-10-24T12:00:00Z"),
    )
    .await;
    assert_eq!(app.next_deadline(), Some(utc("2026-10-25T08:00:00Z")));
}

#[tokio::test]
async fn after_a_restart_no_day_is_posted_twice_and_a_day_missed_while_down_is_posted_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daily.db");
    let (ann, bo) = (admin(), member());
    let day1 = utc("2026-12-07T08:00:00Z"); // 09:00 in Paris
    let app = app_on(Store::open(&path).await.unwrap()).await;
    say(
        &app,
        "/daily set channel:<#30> time:09:00 timezone:Europe/Paris",
        &ann,
        10,
        day1 - 86_400_000,
    )
    .await;
    let posts = posted(&app, day1).await;
    assert_eq!(posts.len(), 1, "the first day has nothing to reveal");
    let q = posts[0].clone();
    let right = correct_of(&app, "2026-12-07").await;
    let note = answer(&app, &q, right, &bo, day1 + 60_000).await;
    assert!(note.ephemeral && note.text.starts_with("Locked in:"), "{}", note.text);
    assert!(
        note.text.contains("Tuesday 8 December 2026 at 09:00 (Europe/Paris)"),
        "{}",
        note.text
    );
    let again = answer(&app, &q, right, &bo, day1 + 61_000).await;
    assert!(again.text.contains("already answered"), "{}", again.text);
    answer(&app, &q, (right + 1) % q.buttons.len(), &ann, day1 + 62_000).await;
    // The bot stops (no clean shutdown) and starts again five minutes later: nothing is posted again.
    drop(app);
    let app = app_on(Store::open(&path).await.unwrap()).await;
    app.resume().await.unwrap();
    assert!(
        posted(&app, day1 + 300_000).await.is_empty(),
        "no double post after a restart"
    );
    // Down from 10:00 on day 1 to 11:30 on day 2: day 2's post is made at start, after revealing day 1.
    drop(app);
    let day2 = day1 + 86_400_000;
    let app = app_on(Store::open(&path).await.unwrap()).await;
    app.resume().await.unwrap();
    let start = day2 + 9_000_000;
    assert!(app.next_deadline().is_some_and(|d| d <= start), "due at start");
    let posts = posted(&app, start).await;
    assert_eq!(posts.len(), 2, "{posts:#?}");
    let reveal = &posts[0];
    assert_eq!(reveal.title.as_deref(), Some("The answer to Monday's question"));
    let split = &reveal
        .fields
        .iter()
        .find(|f| f.name == "How this server answered")
        .unwrap()
        .value;
    assert!(split.ends_with("1 of 2 right."), "{split}");
    let streaks = &reveal.fields.iter().find(|f| f.name == "Streaks").unwrap().value;
    assert_eq!(streaks, "🔥 bo — 1 day in a row");
    assert_eq!(
        posts[1].title.as_deref(),
        Some("Question of the day — Tuesday 8 December 2026")
    );
    // Day 1's buttons are closed now.
    let late = answer(&app, &q, right, &ann, start + 1).await;
    assert!(late.text.contains("closed"), "{}", late.text);
    assert!(posted(&app, start + 60_000).await.is_empty());
    assert_eq!(app.next_deadline(), Some(day2 + 86_400_000));
}

#[tokio::test]
async fn streaks_count_days_answered_right_in_a_row_and_show_lists_them() {
    let app = app_on(Store::open_in_memory().await.unwrap()).await;
    let (ann, bo) = (admin(), member());
    let day = |n: i64| utc("2026-12-07T09:00:00Z") + n * 86_400_000;
    say(
        &app,
        "/daily set channel:<#30> time:09:00 timezone:UTC",
        &ann,
        10,
        day(-1),
    )
    .await;
    let mut last = Vec::new();
    // bo: right, right, right; ann: right, wrong, right.
    for (n, ann_right) in [(0, true), (1, false), (2, true)] {
        last = posted(&app, day(n)).await;
        let q = last.last().unwrap().clone();
        let key = format!("2026-12-{:02}", 7 + n);
        let right = correct_of(&app, &key).await;
        let wrong = (right + 1) % q.buttons.len();
        answer(&app, &q, right, &bo, day(n) + 1_000).await;
        answer(&app, &q, if ann_right { right } else { wrong }, &ann, day(n) + 2_000).await;
    }
    let streaks = |r: &Reply| r.fields.iter().find(|f| f.name == "Streaks").map(|f| f.value.clone());
    assert_eq!(
        streaks(&last[0]).as_deref(),
        Some("🔥 bo — 2 days in a row"),
        "day 2's reveal"
    );
    let posts = posted(&app, day(3)).await;
    assert_eq!(
        streaks(&posts[0]).as_deref(),
        Some("🔥 bo — 3 days in a row\n🔥 ann — 1 day in a row")
    );
    let show = say(&app, "/daily show", &bo, 10, day(3) + 5).await;
    assert!(
        show.text.starts_with("Every day at 09:00 (UTC) in <#30>."),
        "{}",
        show.text
    );
    let mine = &show.fields.iter().find(|f| f.name == "Your streak").unwrap().value;
    assert_eq!(mine, "🔥 3 days in a row (best 3 days)");
    // Off: the open question is revealed at once; nothing more is posted.
    let off = app.command(&req("/daily off", &ann, 10, &[]), day(3) + 10).await;
    assert_eq!(off.posts.len(), 1, "the last answer");
    assert_eq!(app.next_deadline(), None);
    let refused = say(&app, "/daily set channel:<#30> time:9h timezone:UTC", &ann, 10, day(4)).await;
    assert!(refused.text.contains("HH:MM"), "{}", refused.text);
    let refused = say(
        &app,
        "/daily set channel:<#30> time:09:00 timezone:Mars/Olympus",
        &ann,
        10,
        day(4),
    )
    .await;
    assert!(refused.text.contains("not a time zone I know"), "{}", refused.text);
    let member_set = say(
        &app,
        "/daily set channel:<#30> time:09:00 timezone:UTC",
        &bo,
        10,
        day(4),
    )
    .await;
    assert!(member_set.text.contains("Manage Server"), "{}", member_set.text);
}

// ---- console scripts ------------------------------------------------------------------------------------------

/// Runs `script` in the console (seed 3, a database in `dir`) and returns what it printed.
fn console_run(dir: &std::path::Path, script: &str) -> String {
    let db = dir.join("console.db");
    let out =
        crate::support::bin::Sandbox::new().run(&["console", "--seed", "3", "--db", db.to_str().unwrap()], script);
    assert!(out.status.success(), "{}", crate::support::bin::stderr(&out));
    crate::support::bin::stdout(&out)
}

#[test]
fn console_script_help_settings_used_by_trivia_start_and_a_refused_setting() {
    let dir = tempfile::tempdir().unwrap();
    let out = console_run(
        dir.path(),
        "help settings\n/settings set rounds:2 timer:15 category:moon\n/settings set rounds:50\n\
         as bob\n/settings set rounds:3\n/settings show\n/trivia start\n",
    );
    assert!(out.contains("/settings set") && out.contains("cooldown"), "help: {out}");
    assert!(
        out.contains("Saved: 2 questions per game, 15 s per question, questions about The Moon."),
        "{out}"
    );
    assert!(out.contains("`rounds` must be between 1 and 20"), "{out}");
    assert!(
        out.contains("Only someone with Manage Server can change this server's settings"),
        "{out}"
    );
    assert!(
        out.contains("`/trivia start` with no options plays 2 questions of 15 s, questions about The Moon"),
        "{out}"
    );
    assert!(out.contains("bob started trivia: 2 questions"), "{out}");
    assert!(out.contains("15 seconds to answer"), "{out}");
}

#[test]
fn console_script_a_question_of_the_day_over_three_virtual_days_with_a_streak() {
    let set = "/daily set channel:#space time:09:00 timezone:Europe/Paris\nas bob\n";
    // A first run with nobody answering: the reveals say which letter was right each day (the days' questions
    // come from the server and the day, so a second run asks the same).
    let probe = console_run(
        tempfile::tempdir().unwrap().path(),
        &format!("{set}{}", "wait 86400\n".repeat(4)),
    );
    let letters: Vec<&str> = probe
        .lines()
        .filter_map(|l| l.strip_prefix("Answer: "))
        .map(|l| l.split(" · ").next().unwrap())
        .collect();
    assert_eq!(letters.len(), 3, "three reveals: {probe}");
    let mut script = set.to_string();
    for l in &letters {
        script.push_str(&format!("wait 86400\npress {l}\n"));
    }
    script.push_str("wait 86400\n/daily show\n");
    let out = console_run(tempfile::tempdir().unwrap().path(), &script);
    assert_eq!(out.matches("Locked in:").count(), 3, "{out}");
    for (n, streak) in ["1 day", "2 days", "3 days"].iter().enumerate() {
        assert!(
            out.contains(&format!("🔥 bob — {streak} in a row")),
            "day {}: {out}",
            n + 1
        );
    }
    assert!(
        out.contains("(in #space)\n== Question of the day — Saturday 4 January 2025"),
        "{out}"
    );
    assert!(out.contains("🔥 3 days in a row (best 3 days)"), "{out}");
}
