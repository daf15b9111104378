//! Generated questions audited against the knowledge base, by the item-writing rules (`../shared/QUESTIONS.md`):
//! exactly one right option, options of the right kind, no claim the data cannot support, grammatical text, and no
//! fact asked twice in one game. Ten thousand questions on the shipped data and ten thousand on a generated
//! 1,000-mission knowledge base.

use rand::rngs::StdRng;
use rand::SeedableRng;
use rendezvous::kb::{Agency, Entity, KnowledgeBase, Mission};
use rendezvous::text::fold;
use rendezvous::trivia::question::phrase;
use rendezvous::trivia::question::{
    destination_class, existed_in, generate, group_of, has_launched, is_space_agency, pick_questions, reference_year,
    related, Filter, QKind, Question,
};
use std::collections::{HashMap, HashSet};

/// The benchmarks' generator of large knowledge bases.
#[allow(dead_code)]
#[path = "../../benches/support/gen.rs"]
pub mod gen;

fn shipped() -> &'static KnowledgeBase {
    super::commands::kb()
}

fn generated_kb() -> &'static KnowledgeBase {
    static KB: std::sync::OnceLock<KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        gen::write(dir.path(), &gen::Spec::sized(5, 1_000)).unwrap();
        rendezvous::kb::load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The agency an option names (its acronym or name, exactly).
fn agency_option<'a>(kb: &'a KnowledgeBase, label: &str) -> Result<&'a Agency, String> {
    kb.agencies
        .iter()
        .find(|a| phrase::agency_option(a) == label)
        .ok_or_else(|| format!("option {label:?} is not an agency"))
}

fn mission_option<'a>(kb: &'a KnowledgeBase, label: &str) -> Result<&'a Mission, String> {
    kb.missions
        .iter()
        .find(|m| m.name == label)
        .ok_or_else(|| format!("option {label:?} is not a mission"))
}

fn involved(kb: &KnowledgeBase, m: &Mission, a: &Agency) -> bool {
    m.agencies().filter_map(|i| kb.agency(i)).any(|i| related(kb, i, a))
}

fn check(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

/// Checks one generated question against the knowledge base; returns what is wrong, if anything.
fn audit(kb: &KnowledgeBase, q: &Question) -> Result<(), String> {
    let Some(Entity::Mission(mi)) = q.about else {
        return Err("not about a mission".into());
    };
    let m = &kb.missions[mi];
    let n = q.options.len();
    check(q.options[q.correct] == q.answer, || {
        "the answer is not the right option".into()
    })?;
    let folded: HashSet<String> = q.options.iter().map(|o| fold(o)).collect();
    check(folded.len() == n, || "two options read the same".into())?;
    text_reads_right(kb, &q.text)?;
    text_reads_right(kb, &q.explanation)?;
    check(!q.facts.is_empty(), || "no facts listed".into())?;
    let year = reference_year(kb, m);
    match q.kind {
        QKind::Lead | QKind::Partner | QKind::NotPartner => {
            check(n == 4, || format!("{n} options"))?;
            let agencies: Vec<&Agency> = q
                .options
                .iter()
                .map(|o| agency_option(kb, o))
                .collect::<Result<_, _>>()?;
            for a in &agencies {
                check(is_space_agency(a), || format!("{} is not a space agency", a.id))?;
            }
            let took_part: Vec<bool> = agencies.iter().map(|a| involved(kb, m, a)).collect();
            match q.kind {
                QKind::Lead => {
                    check(agencies[q.correct].id == m.lead, || "the answer did not lead".into())?;
                    for (i, a) in agencies.iter().enumerate().filter(|(i, _)| *i != q.correct) {
                        check(!took_part[i], || {
                            format!("{} took part: a second defensible answer", a.id)
                        })?;
                        check(existed_in(a, year), || format!("{} did not exist in {year}", a.id))?;
                    }
                }
                QKind::Partner => {
                    check(m.partners_complete, || {
                        "a partner question on an incomplete list".into()
                    })?;
                    check(took_part[q.correct] && agencies[q.correct].id != m.lead, || {
                        "the answer is no partner".into()
                    })?;
                    for (i, a) in agencies.iter().enumerate().filter(|(i, _)| *i != q.correct) {
                        check(!took_part[i], || format!("{} took part too", a.id))?;
                        check(existed_in(a, year), || format!("{} did not exist in {year}", a.id))?;
                    }
                }
                _ => {
                    check(q.text.contains("**NOT**"), || "the negative is not stressed".into())?;
                    let out = agencies[q.correct];
                    check(!took_part[q.correct], || "the answer took part".into())?;
                    let provable =
                        m.partners_complete || (m.end.is_some_and(|e| out.founded.is_some_and(|f| f.year > e.year)));
                    check(provable, || {
                        format!(
                            "{} is said not to have taken part, but the list is not complete",
                            out.id
                        )
                    })?;
                    for (i, a) in agencies.iter().enumerate().filter(|(i, _)| *i != q.correct) {
                        check(took_part[i], || format!("{} did not take part", a.id))?;
                    }
                }
            }
        }
        QKind::LaunchYear => {
            check(has_launched(kb, m) && group_of(m.kind).is_spacecraft(), || {
                "not a launched spacecraft".into()
            })?;
            let years: Vec<i32> = q
                .options
                .iter()
                .map(|o| o.parse().map_err(|_| format!("{o} is no year")))
                .collect::<Result<_, _>>()?;
            check(years[q.correct] == m.launch.unwrap().year, || {
                "not the launch year".into()
            })?;
            check(years.iter().all(|y| *y <= kb.meta.as_of.year && *y >= 1957), || {
                format!("a year out of range: {years:?}")
            })?;
            check(years.windows(2).all(|w| w[0] < w[1]), || "years not in order".into())?;
        }
        QKind::Destination => {
            let here = kb.destination_of(mi);
            check(has_launched(kb, m) && here.kind.is_journey(), || "not a journey".into())?;
            let places: Vec<_> = q
                .options
                .iter()
                .map(|o| {
                    kb.destinations
                        .iter()
                        .find(|d| phrase::destination_option(d) == *o)
                        .ok_or_else(|| format!("{o} is no destination"))
                })
                .collect::<Result<_, _>>()?;
            check(places[q.correct].name == here.name, || "not its destination".into())?;
            for (i, d) in places.iter().enumerate().filter(|(i, _)| *i != q.correct) {
                check(destination_class(d.kind) == destination_class(here.kind), || {
                    format!("{} is of another class", d.name)
                })?;
                check(!d.same_system(here), || format!("{} is of the same system", d.name))?;
                let _ = i;
            }
        }
        QKind::WhichMission | QKind::SharedMission => {
            let ms: Vec<&Mission> = q
                .options
                .iter()
                .map(|o| mission_option(kb, o))
                .collect::<Result<_, _>>()?;
            check(ms[q.correct].id == m.id, || "the answer is not the mission".into())?;
            for o in &ms {
                check(group_of(o.kind) == group_of(m.kind), || {
                    format!("{} is of another group", o.id)
                })?;
            }
            if q.kind == QKind::WhichMission {
                let clue = q
                    .text
                    .strip_prefix("Which mission is this? “")
                    .and_then(|t| t.strip_suffix('”'))
                    .ok_or("no clue")?;
                check(m.facts.iter().any(|f| f.clue.as_deref() == Some(clue)), || {
                    "the clue is not the data's".into()
                })?;
                for o in &ms {
                    check(has_launched(kb, o) == has_launched(kb, m), || {
                        format!("{} launched and the answer did not, or the other way", o.id)
                    })?;
                }
            } else {
                // The two agencies the stem names, in bold.
                let named: Vec<&Agency> = q
                    .text
                    .split("**")
                    .skip(1)
                    .step_by(2)
                    .filter_map(|n| kb.agencies.iter().find(|a| phrase::agency(a) == n))
                    .collect();
                check(named.len() == 2, || "two agencies".into())?;
                for (i, o) in ms.iter().enumerate() {
                    let both = named.iter().all(|a| involved(kb, o, a));
                    if i == q.correct {
                        check(both, || "the answer lacks one of the two".into())?;
                    } else {
                        check(!both, || format!("{} had both: a second defensible answer", o.id))?;
                        check(o.partners_complete, || format!("{}'s list is not complete", o.id))?;
                    }
                }
            }
        }
        QKind::TrueFalse => {
            check(q.options == ["True", "False"], || "true/false options".into())?;
            let statement = q.text.strip_prefix("True or false: ").ok_or("no statement")?;
            let truth = statement_is_true(kb, mi, statement)?;
            check(truth == (q.correct == 0), || {
                format!("{statement:?} is {truth} by the data")
            })?;
        }
        QKind::Curated | QKind::Pack => return Err("a curated question from the generator".into()),
    }
    Ok(())
}

/// Whether a generated statement is true, by the data; an error for a statement of no known form.
fn statement_is_true(kb: &KnowledgeBase, mi: usize, s: &str) -> Result<bool, String> {
    let m = &kb.missions[mi];
    let name = phrase::capitalise(&phrase::mission(m));
    if let Some(y) = s.strip_prefix(&format!("{name} launched in ")) {
        let y: i32 = y.trim_end_matches('.').parse().map_err(|_| format!("{y} is no year"))?;
        return Ok(m.launch.map(|l| l.year) == Some(y));
    }
    if let Some(d) = s.strip_prefix(&format!("{name} was bound for ")) {
        return Ok(d.trim_end_matches('.') == phrase::destination(kb.destination_of(mi)));
    }
    for verb in ["led", "leads"] {
        let tail = format!(" {verb} {}.", phrase::mission(m));
        if let Some(who) = s.strip_suffix(&tail) {
            let a = kb
                .agencies
                .iter()
                .find(|a| phrase::capitalise(&phrase::agency(a)) == who)
                .ok_or_else(|| format!("{who} is no agency"))?;
            return Ok(a.id == m.lead);
        }
    }
    if m.facts.iter().any(|f| f.text == s) {
        return Ok(true);
    }
    Err(format!("a statement of no known form: {s:?}"))
}

/// Template artifacts: unfilled slots, "the this", doubled articles, a dangling pronoun, and names that need their
/// article without it.
fn text_reads_right(kb: &KnowledgeBase, text: &str) -> Result<(), String> {
    let plain = text.replace("**", "");
    let lower = plain.to_lowercase();
    for bad in [
        "{",
        "}",
        "the this",
        "the the ",
        " a a ",
        " an an ",
        "this mission's this",
        "  ",
        " ,",
        "..",
        " it its ",
    ] {
        check(!lower.contains(bad), || format!("{bad:?} in {plain:?}"))?;
    }
    for start in ["it ", "its "] {
        check(!lower.starts_with(start), || {
            format!("starts with a dangling {start:?}: {plain:?}")
        })?;
    }
    // The article, or a word that stands for it ("its", "this", a possessive).
    let needs_the = |at: usize| {
        let before = plain[..at].to_lowercase();
        [
            "the ", "its ", "their ", "this ", "that ", "a ", "an ", "'s ", "’s ", "our ",
        ]
        .iter()
        .any(|d| before.ends_with(d))
    };
    for m in kb.missions.iter().filter(|m| m.takes_the) {
        for (at, _) in plain.match_indices(m.name.as_str()) {
            // A longer name that holds this one ("Hubble Space Telescope" in "… Telescope's") still needs it.
            check(needs_the(at), || {
                format!("{:?} without its article in {plain:?}", m.name)
            })?;
        }
    }
    for a in kb.agencies.iter().filter(|a| a.takes_the) {
        for (at, _) in plain.match_indices(a.name.as_str()) {
            check(needs_the(at), || {
                format!("{:?} without its article in {plain:?}", a.name)
            })?;
        }
    }
    Ok(())
}

/// Generate `count` questions, round robin over the kinds and over seeds, auditing each.
fn audit_many(kb: &KnowledgeBase, count: usize) -> HashMap<QKind, usize> {
    let mut made: HashMap<QKind, usize> = HashMap::new();
    let mut total = 0;
    let mut seed = 0;
    while total < count {
        seed += 1;
        assert!(seed < 200_000, "generation fails too often: {total} made");
        let mut rng = StdRng::seed_from_u64(seed);
        let kind = QKind::GENERATED[seed as usize % QKind::GENERATED.len()];
        let Some(q) = generate(kb, kind, &mut rng) else {
            continue;
        };
        if let Err(e) = audit(kb, &q) {
            panic!("seed {seed}, {:?} {}: {e}\n{q:#?}", q.kind, q.id);
        }
        *made.entry(q.kind).or_default() += 1;
        total += 1;
    }
    made
}

#[test]
fn ten_thousand_generated_questions_on_the_shipped_data_hold_up() {
    let made = audit_many(shipped(), 10_000);
    for kind in QKind::GENERATED {
        assert!(
            made.get(&kind).copied().unwrap_or(0) >= 100,
            "too few {kind:?}: {made:?}"
        );
    }
}

#[test]
fn ten_thousand_generated_questions_on_a_thousand_mission_knowledge_base_hold_up() {
    let made = audit_many(generated_kb(), 10_000);
    assert_eq!(made.len(), QKind::GENERATED.len(), "every kind was generated: {made:?}");
}

/// Games: no fact asked twice, no mission the subject of more than two questions in ten, and a curated question and
/// a generated one never about the same mission.
#[test]
fn a_game_never_asks_one_fact_twice() {
    for kb in [shipped(), generated_kb()] {
        for seed in 0..300 {
            let qs = pick_questions(kb, &Filter::default(), 10, &mut StdRng::seed_from_u64(seed));
            assert_eq!(qs.len(), 10, "seed {seed}");
            let mut facts = HashSet::new();
            let mut per_mission: HashMap<&str, usize> = HashMap::new();
            let mut curated_about = HashSet::new();
            let mut generated_about = HashSet::new();
            for q in &qs {
                for f in &q.facts {
                    assert!(facts.insert(f.clone()), "seed {seed}: {f} asked twice: {qs:#?}");
                }
                for m in &q.missions {
                    *per_mission.entry(m).or_default() += 1;
                    if q.kind == QKind::Curated {
                        curated_about.insert(m.clone());
                    } else {
                        generated_about.insert(m.clone());
                    }
                }
            }
            assert!(per_mission.values().all(|n| *n <= 2), "seed {seed}: {per_mission:?}");
            assert!(curated_about.is_disjoint(&generated_about), "seed {seed}");
        }
    }
}

/// The names QUESTIONS.md found without their article now carry it, and the data marks them.
#[test]
fn names_that_need_their_article_carry_it() {
    let kb = shipped();
    for (id, want) in [
        ("hubble", "the Hubble Space Telescope"),
        ("iss", "the International Space Station"),
        ("jwst", "the James Webb Space Telescope"),
    ] {
        let m = kb.mission(&rendezvous::kb::MissionId(id.into())).unwrap();
        assert_eq!(phrase::mission(m), want);
    }
    assert_eq!(
        phrase::mission(
            kb.mission(&rendezvous::kb::MissionId("cassini-huygens".into()))
                .unwrap()
        ),
        "Cassini-Huygens"
    );
    let moon = kb.destinations.iter().find(|d| d.name == "Moon").unwrap();
    assert_eq!(phrase::destination(moon), "the Moon");
    let nasa = kb.agency(&rendezvous::kb::AgencyId("nasa".into())).unwrap();
    assert_eq!(
        phrase::agency_full(nasa),
        "the National Aeronautics and Space Administration (NASA)"
    );
}

// ------------------------------------------------------------------------------------------- the review loop

use crate::support::bin::{json_replies, stderr, stdout, Sandbox};
use rand::Rng;

/// The questions `rendezvous preview --seed <seed> [--db]` prints, as JSON objects.
fn preview(sandbox: &Sandbox, seed: u64, rounds: usize, db: Option<&std::path::Path>) -> Vec<serde_json::Value> {
    let seed = seed.to_string();
    let rounds = rounds.to_string();
    let mut args = vec!["preview", "--json", "--seed", &seed, "--rounds", &rounds];
    let db = db.map(|d| d.to_str().unwrap().to_string());
    if let Some(db) = &db {
        args.extend(["--db", db.as_str()]);
    }
    let out = sandbox.cmd(&args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The seed of the first game a console started with `--seed console_seed` plays: the app's source draws it.
fn first_game_seed(console_seed: u64) -> u64 {
    StdRng::seed_from_u64(console_seed).gen()
}

#[test]
fn reports_are_kept_and_listed_and_three_keep_a_question_out_until_cleared() {
    let sandbox = Sandbox::new();
    let db = sandbox.path().join("club.db");
    // A console whose first game opens with a generated multiple-choice question.
    let console_seed = (1..200)
        .find(|s| {
            let qs = pick_questions(
                shipped(),
                &Filter::default(),
                5,
                &mut StdRng::seed_from_u64(first_game_seed(*s)),
            );
            qs[0].kind != QKind::Curated && !qs[0].is_typed()
        })
        .unwrap();
    let game_seed = first_game_seed(console_seed);
    let first = &preview(&sandbox, game_seed, 5, None)[0];
    let id = first["id"].as_str().unwrap().to_string();
    let script = "/trivia start\nwait 21\npress Report\npress Wrong\nas bob\npress Wrong\nas carol\npress Unclear\n\
                  as carol\npress Wrong\nas you\n/trivia stop\n/trivia reports\n";
    let out = sandbox.run(
        &[
            "console",
            "--json",
            "--seed",
            &console_seed.to_string(),
            "--db",
            db.to_str().unwrap(),
        ],
        script,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let replies = json_replies(&out);
    let thanks: Vec<&str> = replies
        .iter()
        .filter_map(|r| r["text"].as_str())
        .filter(|t| t.starts_with("Thank you: reported as") || t.starts_with("You already reported"))
        .collect();
    assert_eq!(
        thanks,
        [
            "Thank you: reported as wrong. The server's managers see it with `/trivia reports`.",
            "Thank you: reported as wrong. The server's managers see it with `/trivia reports`.",
            "Thank you: reported as unclear. The server's managers see it with `/trivia reports`.",
            "You already reported this question: one report each.",
        ],
        "{replies:#?}"
    );
    let listed = replies.last().unwrap();
    assert_eq!(listed["title"], "Reported questions", "{listed:#}");
    let field = &listed["fields"][0];
    assert_eq!(field["name"], format!("{id} (3 reports · kept out of games)"));
    assert!(
        field["value"].as_str().unwrap().starts_with("wrong ×2, unclear ×1\n"),
        "{field:#}"
    );
    // The question is out of this server's games: the same seed no longer asks it (without the database it does).
    let ids = |qs: Vec<serde_json::Value>| -> Vec<String> {
        qs.iter().map(|q| q["id"].as_str().unwrap().to_string()).collect()
    };
    assert!(ids(preview(&sandbox, game_seed, 5, None)).contains(&id));
    assert!(!ids(preview(&sandbox, game_seed, 5, Some(&db))).contains(&id));
    // Cleared by a manager, it comes back.
    let cleared = sandbox
        .cmd(&[
            "ask",
            "--db",
            db.to_str().unwrap(),
            &format!("/trivia reports clear:{id}"),
        ])
        .output()
        .unwrap();
    assert!(stdout(&cleared).contains("Cleared 3 reports"), "{}", stdout(&cleared));
    assert!(ids(preview(&sandbox, game_seed, 5, Some(&db))).contains(&id));
    // A player without Manage Server cannot see or clear them.
    let refused = sandbox.run(&["console", "--db", db.to_str().unwrap()], "as dave\n/trivia reports\n");
    assert!(
        stdout(&refused).contains("Only someone with Manage Server"),
        "{}",
        stdout(&refused)
    );
}

#[test]
fn play_moves_a_question_difficulty_once_twenty_have_answered() {
    let sandbox = Sandbox::new();
    let db = sandbox.path().join("calibration.db");
    // An event seed whose first question is a generated multiple-choice one not already labelled hard.
    let (seed, q) = (1..500u64)
        .find_map(|s| {
            let qs = pick_questions(shipped(), &Filter::default(), 2, &mut StdRng::seed_from_u64(s));
            let q = qs.into_iter().find(|q| !q.is_typed())?;
            (q.kind != QKind::Curated && q.difficulty != rendezvous::kb::Difficulty::Hard).then_some((s, q))
        })
        .unwrap();
    let wrong = ["A", "B", "C", "D"][(q.correct + 1) % q.options.len()];
    let mut script = format!("/event create name:Calibration rounds:1 seed:{seed}\n");
    for p in 1..=20 {
        script.push_str(&format!("as p{p}\npress Join\n"));
    }
    script.push_str("as you\n/event next\n");
    for p in 1..=20 {
        script.push_str(&format!("as p{p}\npress {wrong}\n"));
    }
    script.push_str("as you\n/event reveal\n/event end\n");
    let out = sandbox.run(&["console", "--db", db.to_str().unwrap()], &script);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = preview(&sandbox, seed, 2, None);
    let after = preview(&sandbox, seed, 2, Some(&db));
    let find = |qs: &[serde_json::Value]| qs.iter().find(|x| x["id"] == q.id.as_str()).cloned().expect("asked");
    assert_eq!(find(&before)["difficulty"], q.difficulty.label());
    assert_eq!(find(&after)["difficulty"], "hard", "nobody of twenty got it right");
}

#[test]
fn difficulty_follows_the_rate_of_right_answers_from_twenty_answers_on() {
    use rendezvous::kb::Difficulty::{Easy, Hard, Medium};
    use rendezvous::trivia::question::calibrated;
    assert_eq!(calibrated(19, 0), None, "too few answers to judge");
    assert_eq!(calibrated(20, 0), Some(Hard));
    assert_eq!(calibrated(20, 6), Some(Hard), "30% right");
    assert_eq!(calibrated(20, 7), Some(Medium), "35% right");
    assert_eq!(calibrated(20, 13), Some(Medium), "65% right");
    assert_eq!(calibrated(20, 14), Some(Easy), "70% right");
    assert_eq!(calibrated(1000, 1000), Some(Easy));
}
