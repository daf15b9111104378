//! The rules of an event, each as it plays out.

use super::*;

fn q(id: &str, correct: usize) -> EventQuestion {
    EventQuestion {
        id: id.into(),
        text: format!("Question {id}?"),
        options: vec!["A1".into(), "B1".into(), "C1".into(), "D1".into()],
        correct,
        explanation: format!("Because {id}."),
        source: "https://example.org".into(),
        difficulty: "easy".into(),
    }
}

fn event(teams: usize) -> Event {
    let config = Config {
        creator: 1,
        seed: 7,
        category: None,
        difficulty: None,
        timer_ms: 20_000,
        extra_ms: 10_000,
        teams: parse_teams(&teams.to_string()).unwrap(),
        questions: vec![q("q1", 0), q("q2", 1), q("q3", 2)],
        pack: None,
        mix: false,
    };
    Event::new(5, Some(1), 10, "Club night".into(), config)
}

#[test]
fn teams_from_a_count_or_names() {
    let t = parse_teams("3").unwrap();
    assert_eq!(
        t.iter().map(Team::label).collect::<Vec<_>>(),
        ["🔴 Red", "🔵 Blue", "🟢 Green"]
    );
    let t = parse_teams("Comets, Rockets").unwrap();
    assert_eq!((t[0].name.as_str(), t[1].mark.as_str()), ("Comets", "🔵"));
    assert!(parse_teams("none").unwrap().is_empty());
    assert!(parse_teams("7").is_err());
    assert!(parse_teams("Solo").is_err());
    assert!(parse_teams("Stars, stars").is_err());
}

#[test]
fn joining_balances_teams_and_teams_are_fixed_once_questions_start() {
    let mut e = event(2);
    assert_eq!(e.join(11, "ann", None).unwrap().team, Some(0));
    assert_eq!(e.join(12, "bo", None).unwrap().team, Some(1));
    assert_eq!(e.join(13, "cy", None).unwrap().team, Some(0));
    // In the lobby a player may move.
    assert!(e.join(13, "cy", Some(1)).unwrap().changed);
    assert_eq!(e.join(14, "di", Some(7)), Err(Refusal::NoSuchTeam));
    e.next(1, 0).unwrap();
    assert_eq!(e.join(13, "cy", Some(0)), Err(Refusal::TeamsFixed(1)));
    assert!(!e.join(13, "cy", Some(1)).unwrap().changed);
}

#[test]
fn only_hosts_pace_the_event_and_each_step_comes_in_order() {
    let mut e = event(0);
    assert_eq!(e.next(2, 0), Err(Refusal::NotHost));
    assert_eq!(e.reveal(1), Err(Refusal::NothingAsked));
    assert_eq!(e.add_host(2, 3), Err(Refusal::NotHost));
    assert_eq!(e.add_host(1, 2), Ok(true));
    assert_eq!(e.next(2, 0), Ok(1));
    assert_eq!(e.next(1, 0), Err(Refusal::NotRevealed(1)));
    assert!(e.reveal(2).is_ok());
    assert_eq!(e.reveal(2), Err(Refusal::AlreadyRevealed(1)));
    assert_eq!(e.end(3, 0), Err(Refusal::NotHost));
    e.next(1, 0).unwrap();
    e.reveal(1).unwrap();
    e.next(1, 0).unwrap();
    e.reveal(1).unwrap();
    assert_eq!(e.next(1, 0), Err(Refusal::NoMoreQuestions));
    e.end(1, 9).unwrap();
    assert_eq!(e.next(1, 0), Err(Refusal::Ended));
}

#[test]
fn extended_time_keeps_a_question_open_longer_for_those_who_need_it() {
    let mut e = event(0);
    e.join(11, "ann", None).unwrap();
    e.join(12, "bo", None).unwrap();
    assert_eq!(e.toggle_extended(12, "bo"), Ok((true, None)));
    e.next(1, 1_000).unwrap();
    assert_eq!(e.deadline(), Some(31_000));
    assert_eq!(e.answer(11, "ann", 1, 0, 21_000), Err(Refusal::TimeUp));
    let s = e.answer(12, "bo", 1, 0, 21_000).unwrap();
    assert!(s.answer.right && s.answer.time_ms == 20_000);
    // 10 s of 30 left: 10 points and a third of the 5-point bonus, rounded down.
    assert_eq!(s.answer.points, 11);
    assert_eq!(e.tick(30_999), None);
    assert_eq!(e.tick(31_000), Some(1));
    assert_eq!(e.deadline(), None);
    assert_eq!(e.answer(11, "ann", 1, 0, 31_000), Err(Refusal::TimeUp));
}

#[test]
fn answers_are_taken_once_and_old_buttons_are_stale() {
    let mut e = event(2);
    e.next(1, 0).unwrap();
    assert_eq!(e.answer(1, "host", 1, 0, 1_000), Err(Refusal::HostsDoNotPlay));
    assert_eq!(e.join(1, "host", None), Err(Refusal::HostsDoNotPlay));
    let s = e.answer(21, "late", 1, 0, 1_000).unwrap();
    assert!(s.joined, "answering joins");
    assert_eq!(e.answer(21, "late", 1, 1, 2_000), Err(Refusal::Already));
    e.reveal(1).unwrap();
    e.next(1, 5_000).unwrap();
    assert_eq!(e.answer(21, "late", 1, 0, 6_000), Err(Refusal::Stale));
    assert_eq!(e.answer(21, "late", 2, 9, 6_000), Err(Refusal::Stale));
}

#[test]
fn team_scores_are_sums_for_equal_teams_and_averages_otherwise() {
    let mut e = event(2);
    e.join(11, "ann", Some(0)).unwrap();
    e.join(12, "bo", Some(1)).unwrap();
    e.next(1, 0).unwrap();
    e.answer(11, "ann", 1, 0, 0).unwrap(); // 15
    e.answer(12, "bo", 1, 0, 10_000).unwrap(); // 12

    // Until the host reveals the question, its points are not shown: they would give the answer away.
    let (_, t) = e.team_standings();
    assert!(t.iter().all(|t| t.total == 0), "{t:?}");
    assert!(e.standings().iter().all(|p| p.points == 0 && p.right == 0));
    e.reveal(1).unwrap();
    let (mode, t) = e.team_standings();
    assert_eq!(mode, TeamMode::Sum);
    assert_eq!((t[0].team, t[0].total), (0, 15));
    e.join(13, "cy", Some(1)).unwrap(); // Blue: 12 over 2 players
    let (mode, t) = e.team_standings();
    assert_eq!(mode, TeamMode::Average);
    assert_eq!((t[0].team, t[1].score(mode)), (0, 6.0));
}

#[test]
fn export_has_a_row_per_player_per_question_and_the_most_missed_first() {
    let mut e = event(2);
    e.join(11, "ann", Some(0)).unwrap();
    e.join(12, "=bo, \"the\" great", Some(1)).unwrap();
    e.next(1, 0).unwrap();
    e.answer(11, "ann", 1, 0, 2_000).unwrap();
    e.reveal(1).unwrap();
    e.next(1, 0).unwrap();
    e.answer(11, "ann", 2, 0, 3_000).unwrap();
    e.answer(12, "=bo, \"the\" great", 2, 0, 4_000).unwrap();
    let x = export(&e, &e.roster(), &e.given());
    assert_eq!(x.rows, 4);
    let rows = parse_csv(&x.results_csv);
    assert_eq!(rows[0], RESULTS_HEADER);
    assert_eq!(
        rows[1],
        [
            "Club night",
            "1",
            "Question q1?",
            "ann",
            "Red",
            "A1",
            "yes",
            "2000",
            "14"
        ]
    );
    assert_eq!(
        rows[2],
        [
            "Club night",
            "1",
            "Question q1?",
            "'=bo, \"the\" great",
            "Blue",
            "",
            "no",
            "",
            "0"
        ]
    );
    let summary = parse_csv(&x.summary_csv);
    assert_eq!(summary[1][..7], ["2", "Question q2?", "B1", "0", "2", "2", "100"]);
    assert_eq!(summary[1][7], "Because q2.");
}
