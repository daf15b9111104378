//! Trivia: generated questions hold up against the knowledge base, games run by the rules with time as an input,
//! scores last, and the console plays a whole game.

use crate::support::bin::{json_replies, stderr, Sandbox};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rendezvous::app::App;
use rendezvous::commands::{parse, Perms, Request, User};
use rendezvous::kb::KnowledgeBase;
use rendezvous::store::Store;
use rendezvous::trivia::game::{Game, Refusal, Settings, Step, EARLY_GRACE_MS};
use rendezvous::trivia::question::{pick_questions, Filter, QKind, Question};
use rendezvous::trivia::render;
use std::collections::HashSet;
use std::sync::Arc;

fn kb() -> &'static KnowledgeBase {
    super::commands::kb()
}

#[test]
fn the_same_seed_gives_the_same_game_and_filters_hold() {
    let f = Filter::default();
    let a = pick_questions(kb(), &f, 10, &mut StdRng::seed_from_u64(9));
    let b = pick_questions(kb(), &f, 10, &mut StdRng::seed_from_u64(9));
    assert_eq!(a, b);
    assert_eq!(a.len(), 10);
    let ids: HashSet<&str> = a.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), 10, "no question twice");
    let mars = Filter {
        category: Some("mars".into()),
        difficulty: Some(rendezvous::kb::Difficulty::Hard),
    };
    let qs = pick_questions(kb(), &mars, 8, &mut StdRng::seed_from_u64(4));
    assert!(!qs.is_empty());
    for q in &qs {
        assert!(
            q.tags.iter().any(|t| t == "mars") && q.difficulty == rendezvous::kb::Difficulty::Hard,
            "{q:#?}"
        );
    }
    // Curated questions come in too.
    let many = pick_questions(kb(), &f, 20, &mut StdRng::seed_from_u64(5));
    assert!(many.iter().any(|q| q.kind == QKind::Curated));
}

fn game(n: usize, now: i64) -> Game {
    let qs: Vec<Question> = pick_questions(kb(), &Filter::default(), 40, &mut StdRng::seed_from_u64(1))
        .into_iter()
        .filter(|q| !q.is_typed())
        .take(n)
        .collect();
    Game::new(
        7,
        Some(1),
        10,
        100,
        Settings {
            rounds: n,
            timer_ms: 20_000,
            gap_ms: 5_000,
        },
        qs,
        now,
    )
}

#[test]
fn a_game_reveals_at_the_deadline_then_asks_the_next_after_the_gap() {
    let mut g = game(3, 0);
    let right = g.question().correct;
    let wrong = (right + 1) % g.question().options.len();
    let s = g.answer(1, "ann", 0, right, 5_000).unwrap();
    assert!(s.right && s.points > 10 && s.points <= 15, "{s:?}");
    assert_eq!(g.answer(1, "ann", 0, wrong, 6_000), Err(Refusal::Already));
    assert!(!g.answer(2, "bob", 0, wrong, 7_000).unwrap().right);
    assert_eq!(g.tick(19_999), vec![], "not before the deadline");
    let steps = g.tick(20_000);
    let Step::Revealed(rev) = &steps[0] else {
        panic!("{steps:?}")
    };
    assert_eq!(rev.right.len(), 1);
    assert_eq!(rev.split.iter().sum::<usize>(), 2);
    assert_eq!(g.answer(3, "cy", 0, right, 21_000), Err(Refusal::Closed), "too late");
    assert_eq!(g.tick(24_999), vec![]);
    assert_eq!(g.tick(25_000), vec![Step::Asked(1)]);
    assert_eq!(
        g.answer(1, "ann", 0, right, 25_500),
        Err(Refusal::Stale),
        "an old round's button"
    );
}

#[test]
fn everyone_answering_reveals_early_after_the_first_round() {
    let mut g = game(3, 0);
    let c = g.question().correct;
    g.answer(1, "ann", 0, c, 1_000).unwrap();
    g.answer(2, "bob", 0, c, 1_000).unwrap();
    assert_eq!(
        g.tick(2_000),
        vec![],
        "round one waits for the timer: players are still joining"
    );
    g.tick(20_000);
    g.tick(25_000);
    let c = g.question().correct;
    g.answer(1, "ann", 1, c, 26_000).unwrap();
    assert_eq!(g.tick(26_000), vec![]);
    g.answer(2, "bob", 1, c, 27_000).unwrap();
    // Both known players answered: the reveal comes a few seconds later, not at once, so a newcomer about to answer
    // still can (issue 14: cy was cut off).
    assert_eq!(g.deadline(), Some(27_000 + EARLY_GRACE_MS));
    assert_eq!(g.tick(28_000), vec![]);
    g.answer(3, "cy", 1, c, 29_000).unwrap();
    assert_eq!(
        g.deadline(),
        Some(29_000 + EARLY_GRACE_MS),
        "the newcomer is waited for too"
    );
    assert!(g.tick(29_000 + EARLY_GRACE_MS - 1).is_empty());
    let Step::Revealed(rev) = &g.tick(29_000 + EARLY_GRACE_MS)[0] else {
        panic!("revealed once the grace ran out")
    };
    assert_eq!(rev.answers, 3, "cy's answer counted");
    assert_eq!(g.player(1).unwrap().streak, 2);
}

#[test]
fn two_silent_questions_end_the_game() {
    let mut g = game(5, 0);
    let steps = g.tick(1_000_000);
    assert!(
        steps.contains(&Step::Ended(rendezvous::trivia::game::EndReason::Silent)),
        "{steps:?}"
    );
    assert!(g.is_over());
    assert_eq!(g.round, 1, "ended after the second unanswered question");
}

fn user(id: u64, name: &str) -> User {
    User { id, name: name.into() }
}

fn req(line: &str, u: &User, channel: u64) -> Request {
    let mut r = parse(line, u.clone()).unwrap();
    r.channel = channel;
    r.guild = Some(5);
    r
}

/// Who presses a button: a user in a channel of the test's server.
fn at(u: &User, channel: u64) -> rendezvous::context::Caller {
    rendezvous::context::Caller {
        user: u.clone(),
        guild: Some(5),
        channel,
        perms: Perms::default(),
        roles: Vec::new(),
    }
}

async fn app_with_store() -> Arc<App> {
    let store = Store::open_in_memory().await.unwrap();
    Arc::new(App::new(kb().clone(), Some(11)).with_store(Ok(store)))
}

#[tokio::test]
async fn one_game_per_channel_and_only_the_starter_or_a_manager_stops_it() {
    let app = app_with_store().await;
    let ann = user(1, "ann");
    let r = app.command(&req("/trivia start rounds:3", &ann, 10), 0).await.reply;
    assert!(r.title.as_deref().unwrap().starts_with("Question 1 of 3"));
    let again = app.command(&req("/trivia start", &user(2, "bob"), 10), 1).await.reply;
    assert!(
        again.ephemeral && again.text.contains("already running in this channel"),
        "{}",
        again.text
    );
    assert_eq!(app.running_games(), 1);
    let other = app.command(&req("/trivia start", &user(2, "bob"), 11), 1).await.reply;
    assert!(!other.ephemeral, "another channel may play");
    let refused = app.command(&req("/trivia stop", &user(2, "bob"), 10), 2).await.reply;
    assert!(refused.ephemeral && refused.text.contains("Only the player who started"));
    let mut mgr = req("/trivia stop", &user(3, "mod"), 10);
    mgr.perms = Perms {
        manage_guild: true,
        manage_events: false,
        host_role: false,
    };
    let stopped = app.command(&mgr, 3).await.reply;
    assert_eq!(stopped.title.as_deref(), Some("Final scores"));
    assert_eq!(app.running_games(), 1);
}

#[tokio::test]
async fn a_hundred_players_clicking_at_once_are_each_scored_once() {
    let app = app_with_store().await;
    let host = user(1, "host");
    let start = app
        .command(&req("/trivia start rounds:2 timer:60", &host, 10), 0)
        .await
        .reply;
    let buttons = start.buttons.clone();
    assert!(!buttons.is_empty());
    let mut tasks = Vec::new();
    for i in 0..100u64 {
        let app = app.clone();
        let ids: Vec<String> = buttons.iter().map(|b| b.id.clone()).collect();
        tasks.push(tokio::spawn(async move {
            let u = user(1000 + i, &format!("p{i}"));
            let first = app
                .press(&ids[(i as usize) % ids.len()], &at(&u, 10), 1_000)
                .await
                .reply;
            let second = app.press(&ids[0], &at(&u, 10), 1_001).await.reply;
            (first.text, second.text)
        }));
    }
    for t in tasks {
        let (first, second) = t.await.unwrap();
        assert!(first.contains("locked in"), "{first}");
        assert!(second.contains("already answered"), "{second}");
    }
    let posts = app.tick(61_000).await;
    let reveal = &posts[0].reply;
    let split = reveal.fields.iter().find(|f| f.name == "How you answered").unwrap();
    let total: usize = split
        .value
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
    assert_eq!(total, 100, "{}", split.value);
    let board = app.store().unwrap().leaderboard(5, None, 200).await.unwrap();
    assert_eq!(board.len(), 100, "every player has a row");
    assert!(board.iter().all(|r| r.answered == 1));
}

#[tokio::test]
async fn typed_answers_use_the_matcher_and_refuse_shotgun_lists() {
    let app = app_with_store().await;
    let ann = user(1, "ann");
    // Start games until the first question is a typed one.
    let mut channel = 100;
    let found = loop {
        channel += 1;
        assert!(channel < 400, "no typed question in 300 games");
        let r = app
            .command(&req("/trivia start rounds:1", &ann, channel), 0)
            .await
            .reply;
        if r.buttons.is_empty() {
            break r;
        }
    };
    assert!(found.text.contains("/answer"));
    let shotgun = app
        .command(
            &req(
                "/answer text:\"titan europa ganymede callisto enceladus mimas io\"",
                &ann,
                channel,
            ),
            1_000,
        )
        .await
        .reply;
    assert!(shotgun.text.contains("One guess"), "{}", shotgun.text);
    let first = app
        .command(&req("/answer text:something", &ann, channel), 2_000)
        .await
        .reply;
    assert!(first.text.contains("locked in"));
    let twice = app
        .command(&req("/answer text:again", &ann, channel), 3_000)
        .await
        .reply;
    assert!(twice.text.contains("already answered"));
    let nothing_open = app.command(&req("/answer text:x", &ann, 99_999), 0).await.reply;
    assert!(nothing_open.text.contains("No trivia question is open"));
}

#[tokio::test]
async fn stale_answer_buttons_get_a_short_note() {
    let app = app_with_store().await;
    let r = app
        .press(&render::answer_id(424242, 0, 1), &at(&user(1, "ann"), 10), 0)
        .await
        .reply;
    assert!(r.ephemeral && r.text.contains("game that is over"), "{}", r.text);
}

#[tokio::test]
async fn without_a_database_games_play_and_the_leaderboard_says_why() {
    let locked = rendezvous::store::StoreError::Locked {
        path: "scores.db".into(),
    };
    let app = Arc::new(App::new(kb().clone(), Some(3)).with_store(Err(locked)));
    let ann = user(1, "ann");
    let r = app.command(&req("/trivia start rounds:1", &ann, 10), 0).await.reply;
    assert!(r.title.is_some());
    let lb = app.command(&req("/trivia leaderboard", &ann, 10), 0).await.reply;
    assert!(
        lb.ephemeral
            && lb
                .text
                .contains("Scores are unavailable right now: the database scores.db is busy or locked"),
        "{}",
        lb.text
    );
    let look = app.command(&req("/mission name:hubble", &ann, 10), 0).await.reply;
    assert!(look.title.unwrap().contains("Hubble"), "lookups still work");
}

#[test]
fn a_seeded_console_game_ends_with_a_scoreboard_and_a_second_process_sees_the_points() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scores.db");
    let script =
        "/trivia start rounds:3\npress A\nas bob\npress B\nwait 25\nas you\npress A\nas bob\npress A\nwait 25\n\
                  as you\npress B\nas bob\npress B\nwait 30\n";
    let run = |input: &str, db: &std::path::Path| {
        let out = Sandbox::new().run(
            &["console", "--seed", "7", "--json", "--db", db.to_str().unwrap()],
            input,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        json_replies(&out)
    };
    let game = run(script, &db);
    // What players read (the second game has the next game id in its buttons, nothing else differs).
    let read = |replies: &[serde_json::Value]| -> Vec<String> {
        replies
            .iter()
            .map(|r| format!("{} | {} | {}", r["title"], r["text"], r["fields"]))
            .collect()
    };
    // Another server (a new database: no history of questions asked) plays the same game with the same seed.
    assert_eq!(
        read(&game),
        read(&run(script, &dir.path().join("other.db"))),
        "the same seed plays the same game"
    );
    let last = game.last().expect("replies");
    assert_eq!(last["title"], "Final scores", "{game:#?}");
    // The final scoreboard's lines, e.g. "🥇 you — 25 pts (2 right)".
    let scoreboard = last["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Scoreboard")
        .and_then(|f| f["value"].as_str())
        .expect("a scoreboard");
    let board: Vec<&str> = scoreboard.lines().collect();
    assert_eq!(board.len(), 2, "{scoreboard}");
    let points = |name: &str| -> i64 {
        board
            .iter()
            .find(|l| l.contains(&format!(" {name} — ")))
            .and_then(|l| l.split(" — ").nth(1))
            .and_then(|r| r.split(" pts").next())
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("no points for {name} in {board:?}"))
    };
    let (you, bob) = (points("you"), points("bob"));
    // A second process reads the leaderboard from the same database.
    let out = Sandbox::new()
        .cmd(&["ask", "--json", "/trivia leaderboard", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let lb: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON reply");
    assert_eq!(lb["title"], "Leaderboard — all time");
    let lb = lb["text"].as_str().unwrap();
    assert!(lb.contains(&format!("**you** — {you} pts")), "{lb}");
    assert!(lb.contains(&format!("**bob** — {bob} pts")), "{lb}");
}

#[test]
fn curated_questions_about_predecessor_agencies_count_toward_their_family() {
    let china = Filter {
        category: Some("china".into()),
        difficulty: None,
    };
    let qs = pick_questions(kb(), &china, 30, &mut StdRng::seed_from_u64(8));
    assert!(
        qs.iter().any(|q| q.kind == QKind::Curated),
        "curated China questions are offered"
    );
    let ussr_only = kb()
        .questions
        .iter()
        .find(|q| q.agencies.iter().any(|a| a.as_str() == "ussr"))
        .unwrap();
    let q = rendezvous::trivia::question::curated(kb(), ussr_only, &mut StdRng::seed_from_u64(1));
    assert!(q.tags.iter().any(|t| t == "roscosmos"), "{:?}", q.tags);
}

/// The questions seeded games ask on a fixed knowledge base (the benchmarks' generator, which no data edit
/// changes): pinned, so a refactoring that changes what a seed asks fails here. A deliberate change to question
/// generation updates these lists, and says so in its commit (the last: the item-writing rules of issue 13).
#[test]
fn seeded_games_ask_the_pinned_questions() {
    let dir = tempfile::tempdir().unwrap();
    crate::questions::gen::write(dir.path(), &crate::questions::gen::Spec::sized(3, 200)).unwrap();
    let fixed = rendezvous::kb::load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let ids = |seed: u64| -> Vec<String> {
        pick_questions(&fixed, &Filter::default(), 10, &mut StdRng::seed_from_u64(seed))
            .into_iter()
            .map(|q| q.id)
            .collect()
    };
    let pinned: [(u64, [&str; 10]); 3] = [
        (
            1,
            [
                "g:partner:photon-pathfinder-1:dacad",
                "g:which-mission:tethys-pathfinder-1:0",
                "c:gen-q-1",
                "g:which-mission:titania-observer-1:0",
                "g:shared-mission:echo-lander-1:bacab:hlsah",
                "g:partner:spectra-surveyor-1:asaaa",
                "c:gen-q-5",
                "g:shared-mission:echo-observer-1:dacad:hlsah",
                "g:shared-mission:prospector-pathfinder-1:dacad:gsaag",
                "c:gen-q-7",
            ],
        ),
        (
            7,
            [
                "g:not-partner:odyssey-explorer-1:bacab",
                "c:gen-q-9",
                "c:gen-q-2",
                "g:launch-year:pegasus-observer-1",
                "g:destination:stellar-pathfinder-1",
                "g:destination:umbra-pathfinder-1",
                "c:gen-q-3",
                "g:which-mission:odyssey-pathfinder-1:0",
                "c:gen-q-7",
                "g:destination:zenith-surveyor-1",
            ],
        ),
        (
            42,
            [
                "g:launch-year:gemini-observer-1",
                "g:shared-mission:orion-pathfinder-1:bacab:dacad",
                "g:true-false:stellar-explorer-1:lead-bacab",
                "g:true-false:polaris-observer-1:lead-asaaa",
                "g:partner:spectra-surveyor-1:asaaa",
                "g:destination:zephyr-pathfinder-1",
                "g:partner:quasar-explorer-1:gsaag",
                "g:true-false:horizon-surveyor-1:year2024",
                "c:gen-q-5",
                "g:which-mission:lyra-explorer-1:0",
            ],
        ),
    ];
    for (seed, want) in pinned {
        assert_eq!(ids(seed), want, "seed {seed}");
    }
    // The app draws each game's seed from its own seeded source: the console with --seed 7. (A /fact before the game
    // now draws a whole seed for itself rather than using the shared source under its lock, so a game after a
    // /fact differs from before the restructuring; a game on its own does not.)
    let app = std::sync::Arc::new(App::new(fixed.clone(), Some(7)));
    let mut console = rendezvous::console::Console::new(app.clone());
    console.json = true;
    let _ = console.line("/trivia start rounds:5 timer:10");
    let mut asked = Vec::new();
    for _ in 0..6 {
        for g in console.advance(16_000) {
            asked.push(g);
        }
    }
    let titles: Vec<String> = asked
        .iter()
        .filter_map(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .filter(|v| v["title"].as_str().is_some_and(|t| t.starts_with("Answer")))
        .map(|v| v["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Answer: C · FACAF", "Answer: C · IOSAI"]);
}

// ------------------------------------------------------------------- issue 14, item 10: games

/// `/trivia forget-me` asks first; only the asker can confirm; Cancel deletes nothing.
#[tokio::test]
async fn forget_me_asks_for_confirmation_first() {
    let app = app_with_store().await;
    let ann = user(1, "ann");
    let start = app.command(&req("/trivia start rounds:1", &ann, 10), 0).await.reply;
    let first = start.buttons.first().map(|b| b.id.clone());
    if let Some(id) = first {
        app.press(&id, &at(&ann, 10), 1_000).await;
    } else {
        app.command(&req("/answer text:x", &ann, 10), 1_000).await;
    }
    app.tick(60_000).await;
    let ask = app.command(&req("/trivia forget-me", &ann, 10), 70_000).await.reply;
    assert!(ask.ephemeral && ask.text.contains("cannot be undone"), "{ask:?}");
    let labels: Vec<&str> = ask.buttons.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Delete my data", "Cancel"]);
    let stats = |app: Arc<App>| async move {
        app.command(&req("/trivia stats", &user(1, "ann"), 10), 80_000)
            .await
            .reply
    };
    assert!(stats(app.clone()).await.title.is_some(), "nothing deleted by asking");
    let bob = app
        .press(&ask.buttons[0].id, &at(&user(2, "bob"), 10), 71_000)
        .await
        .reply;
    assert!(bob.text.contains("Only the person who asked"), "{bob:?}");
    let cancel = app.press(&ask.buttons[1].id, &at(&ann, 10), 72_000).await.reply;
    assert!(cancel.text.contains("nothing was deleted"));
    assert!(stats(app.clone()).await.title.is_some(), "nothing deleted by Cancel");
    let done = app.press(&ask.buttons[0].id, &at(&ann, 10), 73_000).await.reply;
    assert!(done.text.starts_with("Done: I deleted everything"), "{done:?}");
    assert!(stats(app.clone()).await.text.contains("No trivia record"));
}

/// Ties share a rank; a one-question game and a single winner read right.
#[test]
fn the_scoreboard_reads_right_for_ties_one_question_and_one_winner() {
    let mut g = game(1, 0);
    let c = g.question().correct;
    for (id, name) in [(1, "ann"), (2, "bo"), (3, "cy")] {
        g.answer(id, name, 0, c, 1_000).unwrap();
    }
    g.tick(30_000);
    let fin = render::final_reply(&g, &rendezvous::trivia::game::EndReason::Finished);
    assert!(fin.text.starts_with("That was the only question!"), "{}", fin.text);
    let board = &fin.fields[0].value;
    assert_eq!(board.matches("🥇").count(), 3, "three-way tie: {board}");
    let mut g = game(2, 0);
    let c = g.question().correct;
    g.answer(1, "you", 0, c, 1_000).unwrap();
    g.answer(2, "bo", 0, (c + 1) % 2, 1_000).unwrap();
    g.tick(60_000);
    g.tick(120_000);
    let fin = render::final_reply(&g, &rendezvous::trivia::game::EndReason::Finished);
    assert!(
        fin.text.contains("That's all 2 questions! 🏆 Winner: **you**!"),
        "{}",
        fin.text
    );
    let board = &fin.fields[0].value;
    assert!(board.starts_with("🥇 you") && board.contains("\n🥈 bo"), "{board}");
}

/// The week board counts from Monday 00:00 UTC; "My rank" answers privately with the presser's place and who is just
/// ahead; `/trivia stats` shows the rank.
#[tokio::test]
async fn week_boards_and_my_rank() {
    let app = app_with_store().await;
    let store = app.store().unwrap();
    let (ann, bo) = (user(1, "ann"), user(2, "bo"));
    // Monday 2026-11-30 00:00 UTC.
    let monday = rendezvous::clock::days_from_civil(2026, 11, 30) * rendezvous::clock::DAY_MS;
    let game = store
        .start_game(rendezvous::store::NewGame {
            guild_id: 5,
            channel_id: 10,
            started_by: 1,
            started_at_ms: monday - 7_200_000,
            rounds: 10,
            category: None,
            difficulty: None,
            seed: 1,
        })
        .await
        .unwrap();
    let score = |who: &User, points: i64, at_ms: i64| rendezvous::store::AnswerRecord {
        game_id: game,
        guild_id: 5,
        user_id: who.id,
        user_name: who.name.clone(),
        round: (at_ms % 1000) as u32,
        right: true,
        points,
        streak: 1,
        at_ms,
        question_id: String::new(),
    };
    // Sunday evening bo scores 30; Monday morning ann scores 20.
    store.record_answer(score(&bo, 30, monday - 3_600_000)).await.unwrap();
    store.record_answer(score(&ann, 20, monday + 3_600_001)).await.unwrap();
    let now = monday + 7_200_000;
    let week = app
        .command(&req("/trivia leaderboard period:week", &ann, 10), now)
        .await
        .reply;
    assert_eq!(week.title.as_deref(), Some("Leaderboard — this week"));
    assert_eq!(week.text, "🥇 **ann** — 20 pts · 1 right");
    assert!(week.footer.as_deref().unwrap_or("").contains("Monday at 00:00 UTC"));
    let all = app.command(&req("/trivia leaderboard", &ann, 10), now).await.reply;
    assert_eq!(all.text, "🥇 **bo** — 30 pts · 1 right\n🥈 **ann** — 20 pts · 1 right");
    // Every board has a My rank button; its answer is private and about that board.
    let rank_button = |r: &rendezvous::reply::Reply| {
        r.buttons
            .iter()
            .find(|b| b.label == "My rank")
            .expect("a My rank button")
            .id
            .clone()
    };
    let mine = app.press(&rank_button(&week), &at(&bo, 10), now).await.reply;
    assert!(mine.ephemeral, "My rank is private");
    assert!(
        mine.text.contains("no points on this server's board for this week"),
        "{}",
        mine.text
    );
    let mine = app.press(&rank_button(&week), &at(&ann, 10), now).await.reply;
    assert_eq!(
        mine.text,
        "You are **1st** on this server's board for this week, with 20 points (1 right).\nNobody is ahead of you."
    );
    let mine = app.press(&rank_button(&all), &at(&ann, 10), now).await.reply;
    assert_eq!(
        mine.text,
        "You are **2nd** on this server's board for all time, with 20 points (1 right).\n\
         Just ahead of you: **bo** with 30 points (10 points more than you)."
    );
    let stats = app.command(&req("/trivia stats", &ann, 10), now).await.reply;
    let rank = stats.fields.iter().find(|f| f.name == "Rank").expect("a Rank field");
    assert_eq!(rank.value, "2nd of all time");
    // A week later, the week board is empty again.
    let next = app
        .command(
            &req("/trivia leaderboard period:week", &ann, 10),
            now + 7 * rendezvous::clock::DAY_MS,
        )
        .await
        .reply;
    assert!(
        next.text.starts_with("Nobody has scored this week yet"),
        "{}",
        next.text
    );
}
