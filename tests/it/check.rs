//! `rendezvous check`: the loader reports every problem, with file, line and key, and loads good data.

use crate::support::bin::Sandbox;
use rendezvous::kb::{load_dir, load_files, LoadError, Problem};
use std::path::PathBuf;

const META: &str = "[meta]\nas_of = \"2025-06-01\"\n\n[[destination]]\nname = \"Saturn\"\nkind = \"planet\"\n";

const AGENCIES: &str = r#"[[agency]]
id = "nasa"
name = "National Aeronautics and Space Administration"
acronym = "NASA"
country = "United States"
kind = "national-agency"
founded = "1958-07-29"
summary = "The US space agency."
sources = ["https://www.nasa.gov"]

[[agency]]
id = "esa"
name = "European Space Agency"
acronym = "ESA"
country = "International"
kind = "intergovernmental"
summary = "Europe's space agency."
sources = ["https://www.esa.int"]
"#;

const MISSION: &str = r#"[[mission]]
id = "cassini-huygens"
name = "Cassini-Huygens"
kind = "orbiter"
status = "completed"
launch = "1997-10-15"
end = "2017-09-15"
destination = "Saturn"
lead = "nasa"
summary = "Saturn orbiter and Titan probe."
sources = ["https://science.nasa.gov/mission/cassini/"]

[[mission.partner]]
agency = "esa"
role = "built the Huygens probe"

[[mission.fact]]
text = "Huygens landed on Titan in 2005."
source = "https://en.wikipedia.org/wiki/Huygens_(spacecraft)"
"#;

const QUESTION: &str = r#"[[question]]
id = "huygens-moon"
question = "Where did Huygens land?"
options = ["Titan", "Europa", "Io", "Enceladus"]
answer = "Titan"
explanation = "Huygens landed on Titan in 2005."
source = "https://en.wikipedia.org/wiki/Huygens_(spacecraft)"
difficulty = "easy"
missions = ["cassini-huygens"]
"#;

fn files(mission: &str, question: &str) -> Vec<(PathBuf, String)> {
    vec![
        ("data/meta.toml".into(), META.into()),
        ("data/agencies.toml".into(), AGENCIES.into()),
        ("data/missions.toml".into(), mission.into()),
        ("data/questions.toml".into(), question.into()),
    ]
}

fn problems(mission: &str, question: &str) -> Vec<Problem> {
    match load_files(&files(mission, question)) {
        Ok(_) => panic!("the broken fixture loaded without a problem"),
        Err(LoadError { problems }) => problems,
    }
}

/// The single problem a fixture has, checked for file, line and key.
fn only(problems: Vec<Problem>) -> Problem {
    assert_eq!(problems.len(), 1, "expected one problem, got: {problems:#?}");
    problems.into_iter().next().unwrap()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in fixture")
        + 1
}

#[test]
fn the_good_fixture_loads() {
    let kb = load_files(&files(MISSION, QUESTION)).expect("fixture is valid");
    assert_eq!(kb.missions.len(), 1);
    assert_eq!(kb.agencies.len(), 2);
    assert_eq!(kb.questions.len(), 1);
}

#[test]
fn toml_syntax_error_names_file_and_line() {
    let broken = MISSION.replace("destination = \"Saturn\"", "destination = \"Saturn");
    let ps = problems(&broken, QUESTION);
    let p = &ps[0];
    assert_eq!(p.file, PathBuf::from("data/missions.toml"));
    assert_eq!(p.line, line_of(&broken, "destination"));
    assert!(p.message.contains("TOML syntax error"), "{p}");
    // The question's reference into the unparsed file says why it cannot be resolved.
    assert!(ps[1..].iter().all(|p| p.message.contains("did not parse")), "{ps:#?}");
}

#[test]
fn missing_required_field() {
    let broken = MISSION.replace("destination = \"Saturn\"\n", "");
    let p = only(problems(&broken, QUESTION));
    assert_eq!(p.key, "mission[0].destination");
    assert!(p.message.contains("missing required field `destination`"), "{p}");
    assert_eq!(p.line, 1, "points at the [[mission]] header");
}

#[test]
fn unknown_key_is_a_typo_not_silence() {
    let broken = MISSION.replace("launch = ", "lanch = ");
    let ps = problems(&broken, QUESTION);
    let typo = ps.iter().find(|p| p.key == "mission[0].lanch").expect("typo reported");
    assert!(typo.message.contains("did you mean `launch`"), "{typo}");
    assert_eq!(typo.line, line_of(&broken, "lanch"));

    // Two letters swapped: as far (by edits) from `kind` as from `id`; the key of the same length is meant.
    let swapped = MISSION.replace("kind = ", "kidn = ");
    let ps = problems(&swapped, QUESTION);
    let typo = ps.iter().find(|p| p.key == "mission[0].kidn").expect("typo reported");
    assert!(typo.message.contains("did you mean `kind`"), "{typo}");
}

#[test]
fn duplicate_ids() {
    let twice = format!("{MISSION}\n{}", MISSION.replace("Cassini-Huygens", "Another name"));
    let ps = problems(&twice, QUESTION);
    assert!(
        ps.iter()
            .any(|p| p.message.contains("duplicate mission id `cassini-huygens`")),
        "{ps:#?}"
    );
}

#[test]
fn ambiguous_names_and_aliases() {
    let broken = MISSION.replace("kind = \"orbiter\"", "aliases = [\"E.S.A.\"]\nkind = \"orbiter\"");
    let p = only(problems(&broken, QUESTION));
    assert!(p.message.contains("also used by agency `esa`"), "{p}");
    assert_eq!(p.line, line_of(&broken, "aliases"));
}

#[test]
fn unknown_lead_and_partner_ids() {
    let broken = MISSION
        .replace("lead = \"nasa\"", "lead = \"nassa\"")
        .replace("agency = \"esa\"", "agency = \"jaxa\"");
    let ps = problems(&broken, QUESTION);
    assert_eq!(ps.len(), 2, "{ps:#?}");
    assert!(
        ps[0]
            .message
            .contains("unknown agency id `nassa` (did you mean `nasa`?)"),
        "{}",
        ps[0]
    );
    assert_eq!(ps[0].line, line_of(&broken, "nassa"));
    assert!(ps[1].message.contains("unknown agency id `jaxa`"), "{}", ps[1]);
    assert_eq!(ps[1].line, line_of(&broken, "jaxa"));
}

#[test]
fn dates_that_do_not_parse_or_end_before_they_start() {
    let bad = MISSION.replace("launch = \"1997-10-15\"", "launch = \"1997-13-01\"");
    let p = only(problems(&bad, QUESTION));
    assert!(p.message.contains("is not a date"), "{p}");
    let feb = MISSION.replace("end = \"2017-09-15\"", "end = \"2017-02-30\"");
    assert!(only(problems(&feb, QUESTION)).message.contains("is not a date"));
    let backwards = MISSION.replace("end = \"2017-09-15\"", "end = \"1990\"");
    let p = only(problems(&backwards, QUESTION));
    assert!(p.message.contains("comes before `launch`"), "{p}");
    assert_eq!(p.key, "mission[0].end");
}

#[test]
fn a_fact_without_a_source() {
    let broken = MISSION.replace("source = \"https://en.wikipedia.org/wiki/Huygens_(spacecraft)\"\n", "");
    let p = only(problems(&broken, QUESTION));
    assert_eq!(p.key, "mission[0].fact[0].source");
    assert!(p.message.contains("missing required field `source`"), "{p}");
}

#[test]
fn empty_strings() {
    let broken = MISSION.replace("summary = \"Saturn orbiter and Titan probe.\"", "summary = \"  \"");
    let p = only(problems(&broken, QUESTION));
    assert!(p.message.contains("`summary` is empty"), "{p}");
    assert_eq!(p.line, line_of(&broken, "summary"));
}

#[test]
fn urls_that_are_not_http() {
    let broken = MISSION.replace("https://science.nasa.gov/mission/cassini/", "ftp://nasa.gov/cassini");
    let p = only(problems(&broken, QUESTION));
    assert!(p.message.contains("not an http(s) URL"), "{p}");
}

#[test]
fn wrong_kinds_and_statuses() {
    let broken = MISSION.replace("status = \"completed\"", "status = \"complete\"");
    let p = only(problems(&broken, QUESTION));
    assert!(p.message.contains("did you mean `completed`"), "{p}");
}

#[test]
fn launched_missions_need_a_launch_date() {
    let broken = MISSION.replace("launch = \"1997-10-15\"\n", "");
    let p = only(problems(&broken, QUESTION));
    assert!(p.message.contains("missing `launch`"), "{p}");
}

#[test]
fn curated_questions_are_checked_too() {
    let not_an_option = QUESTION.replace("answer = \"Titan\"", "answer = \"Mimas\"");
    assert!(only(problems(MISSION, &not_an_option))
        .message
        .contains("not one of the options"));
    let dup = QUESTION.replace("\"Io\"", "\"titan\"");
    assert!(only(problems(MISSION, &dup)).message.contains("given twice"));
    let unknown = QUESTION.replace("missions = [\"cassini-huygens\"]", "missions = [\"casini-huygens\"]");
    let p = only(problems(MISSION, &unknown));
    assert!(p.message.contains("did you mean `cassini-huygens`"), "{p}");
    let hard = QUESTION.replace("\"easy\"", "\"impossible\"");
    assert!(only(problems(MISSION, &hard))
        .message
        .contains("not one of: easy, medium, hard"));
}

#[test]
fn every_problem_is_reported_at_once() {
    let broken = MISSION
        .replace("lead = \"nasa\"", "lead = \"nope\"")
        .replace("launch = ", "lanch = ")
        .replace("summary = \"Saturn orbiter and Titan probe.\"", "summary = \"\"");
    let question = QUESTION.replace("answer = \"Titan\"", "answer = \"Mimas\"");
    let ps = problems(&broken, &question);
    assert!(ps.len() >= 5, "{ps:#?}");
    let files: std::collections::BTreeSet<_> = ps.iter().map(|p| p.file.clone()).collect();
    assert_eq!(files.len(), 2, "problems from both files: {ps:#?}");
}

#[test]
fn the_shipped_data_passes_with_the_floors_of_issue_5() {
    let kb = load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap_or_else(|e| panic!("{e}"));
    assert!(kb.missions.len() >= 80, "{} missions", kb.missions.len());
    assert!(kb.agencies.len() >= 30, "{} agencies", kb.agencies.len());
    for m in &kb.missions {
        assert!(m.facts.len() >= 3, "{} has {} facts", m.id, m.facts.len());
    }
    for a in &kb.agencies {
        assert!(
            kb.missions.iter().any(|m| m.involves(&a.id)),
            "agency {} appears in no mission",
            a.id
        );
    }
}

#[test]
fn the_binary_reports_a_broken_copy_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files(&MISSION.replace("lead = \"nasa\"", "lead = \"nope\""), QUESTION) {
        let p = dir.path().join(path.file_name().unwrap());
        std::fs::write(p, text).unwrap();
    }
    std::fs::write(dir.path().join("broken.toml"), "[[mission]\nid = 1\n").unwrap();
    // Not UTF-8: the file cannot be read as text; said, with the other problems.
    std::fs::write(dir.path().join("latin1.toml"), b"[meta]\n# caf\xe9\n").unwrap();
    let out = Sandbox::new()
        .cmd(&["check", "--data", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.toml:1: TOML syntax error"), "{err}");
    assert!(
        err.contains("missions.toml:9: mission[0].lead: unknown agency id `nope`"),
        "{err}"
    );
    assert!(err.contains("latin1.toml: cannot read the file"), "{err}");
    assert!(err.contains("problems found"), "{err}");
}

#[test]
fn the_binary_prints_counts_on_the_shipped_data() {
    let out = Sandbox::new().cmd(&["check"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("ok: ") && text.contains(" missions, ") && text.contains(" agencies"),
        "{text}"
    );
}

#[test]
fn the_issue_5_must_haves_are_in_the_knowledge_base() {
    let kb = load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap();
    assert!(kb.questions.len() >= 200, "{} curated questions", kb.questions.len());
    let missions = [
        "apollo-soyuz",
        "iss",
        "hubble",
        "cassini-huygens",
        "huygens",
        "jwst",
        "rosetta",
        "philae",
        "sojourner",
        "spirit",
        "opportunity",
        "curiosity",
        "perseverance",
        "mars-sample-return",
        "elt",
        "commercial-crew",
        "shuttle-mir",
        "mir",
        "spacelab",
        "soho",
        "ulysses",
        "giotto",
        "galileo",
        "voyager-1",
        "voyager-2",
        "mars-express",
        "exomars-tgo",
        "schiaparelli",
        "rosalind-franklin",
        "bepicolombo",
        "gaia",
        "planck",
        "herschel",
        "xmm-newton",
        "chandra",
        "spitzer",
        "kepler",
        "tess",
        "juno",
        "new-horizons",
        "dawn",
        "insight",
        "solar-orbiter",
        "parker-solar-probe",
        "juice",
        "euclid",
        "hera",
        "dart",
        "osiris-rex",
        "hayabusa",
        "hayabusa2",
        "slim",
        "chandrayaan-1",
        "chandrayaan-2",
        "chandrayaan-3",
        "mars-orbiter-mission",
        "change-4",
        "change-5",
        "tianwen-1",
        "artemis-1",
        "lunar-gateway",
        "crew-dragon-demo-2",
        "apollo-11",
        "sputnik-1",
        "vostok-1",
    ];
    for id in missions {
        assert!(
            kb.mission(&rendezvous::kb::MissionId(id.into())).is_some(),
            "mission {id} missing"
        );
    }
    let agencies = [
        "nasa",
        "ussr",
        "roscosmos",
        "esa",
        "jaxa",
        "isas",
        "nasda",
        "csa",
        "asi",
        "cnes",
        "dlr",
        "uksa",
        "isro",
        "cnsa",
        "eso",
        "eumetsat",
        "kari",
        "uaesa",
        "israel-space-agency",
        "aeb",
        "conae",
        "spacex",
        "blue-origin",
        "boeing",
        "airbus",
        "arianespace",
        "thales-alenia-space",
        "northrop-grumman",
    ];
    for id in agencies {
        assert!(
            kb.agency(&rendezvous::kb::AgencyId(id.into())).is_some(),
            "agency {id} missing"
        );
    }
    // The seed article's errors are not repeated.
    let jwst = kb.mission(&rendezvous::kb::MissionId("jwst".into())).unwrap();
    assert_eq!(jwst.launch.unwrap().to_string(), "2021-12-25");
    let msr = kb
        .mission(&rendezvous::kb::MissionId("mars-sample-return".into()))
        .unwrap();
    let ids: Vec<&str> = msr.agencies().map(|a| a.as_str()).collect();
    assert!(
        ids.contains(&"nasa") && ids.contains(&"esa") && !ids.contains(&"roscosmos"),
        "{ids:?}"
    );
    let elt = kb.mission(&rendezvous::kb::MissionId("elt".into())).unwrap();
    assert_eq!(elt.name, "Extremely Large Telescope");
    let huygens = kb.mission(&rendezvous::kb::MissionId("huygens".into())).unwrap();
    assert!(
        huygens.facts.iter().all(|f| !f.text.to_lowercase().contains("lakes")),
        "Huygens did not find the lakes"
    );
}

#[test]
fn destinations_must_be_declared_and_written_the_same() {
    let broken = MISSION.replace("destination = \"Saturn\"", "destination = \"Saturnn\"");
    let p = only(problems(&broken, QUESTION));
    assert_eq!(p.key, "mission[0].destination");
    assert_eq!(p.line, line_of(&broken, "Saturnn"));
    assert!(
        p.message
            .contains("the destination `Saturnn` (did you mean `Saturn`?) is not declared"),
        "{p}"
    );
}

#[test]
fn articles_completeness_and_renown_are_checked() {
    let broken = MISSION.replace(
        "lead = \"nasa\"\n",
        "lead = \"nasa\"\narticle = \"an\"\nrenown = \"famous\"\npartners_complete = true\n",
    );
    let ps = problems(&broken, QUESTION);
    assert_eq!(ps.len(), 3, "{ps:#?}");
    let has = |needle: &str, key: &str| {
        ps.iter().any(|p| {
            p.message.contains(needle) && p.key == format!("mission[0].{key}") && p.line == line_of(&broken, key)
        })
    };
    assert!(
        has("`article` = `an` is not an article I know here", "article"),
        "{ps:#?}"
    );
    assert!(
        has("`renown` = `famous` is not one of: high, medium, low", "renown"),
        "{ps:#?}"
    );
    assert!(
        has(
            "`partners_complete = true` needs `partners_source`",
            "partners_complete"
        ),
        "{ps:#?}"
    );
    // A source without the mark is refused as well; both together load.
    let stray = MISSION.replace(
        "lead = \"nasa\"\n",
        "lead = \"nasa\"\npartners_source = \"https://www.esa.int\"\n",
    );
    let p = only(problems(&stray, QUESTION));
    assert!(p.message.contains("without `partners_complete = true`"), "{p}");
    let good = MISSION.replace(
        "lead = \"nasa\"\n",
        "lead = \"nasa\"\narticle = \"the\"\nrenown = \"high\"\npartners_complete = true\npartners_source = \"https://www.esa.int\"\n",
    );
    let kb = load_files(&files(&good, QUESTION)).unwrap_or_else(|e| panic!("{e}"));
    let m = &kb.missions[0];
    assert!(m.takes_the && m.partners_complete);
    assert_eq!(m.renown, rendezvous::kb::Renown::High);
}

#[test]
fn a_clue_may_not_name_the_mission_or_a_word_of_its_names() {
    let with_clue = |clue: &str| {
        MISSION.replace(
            "text = \"Huygens landed on Titan in 2005.\"\n",
            &format!("text = \"Huygens landed on Titan in 2005.\"\nclue = \"{clue}\"\n"),
        )
    };
    // "Huygens" is a word of the name "Cassini-Huygens": it gives the answer away.
    let leaky = with_clue("Its Huygens probe landed on Titan in 2005.");
    let p = only(problems(&leaky, QUESTION));
    assert_eq!(p.key, "mission[0].fact[0].clue");
    assert_eq!(p.line, line_of(&leaky, "clue"));
    assert!(p.message.contains("the clue still says `huygens`"), "{p}");
    let fair = with_clue("This mission's probe landed on Titan in 2005.");
    let kb = load_files(&files(&fair, QUESTION)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kb.missions[0].facts[0].clue.as_deref(),
        Some("This mission's probe landed on Titan in 2005.")
    );
}

#[test]
fn successors_must_exist_and_never_loop() {
    let mut fs = files(MISSION, QUESTION);
    fs[1].1 = AGENCIES
        .replace(
            "founded = \"1958-07-29\"\n",
            "founded = \"1958-07-29\"\nsuccessor = \"esa\"\n",
        )
        .replace(
            "kind = \"intergovernmental\"\n",
            "kind = \"intergovernmental\"\nsuccessor = \"nasa\"\n",
        );
    let ps = match load_files(&fs) {
        Ok(_) => panic!("a successor loop loaded"),
        Err(e) => e.problems,
    };
    assert_eq!(ps.len(), 2, "{ps:#?}");
    assert!(
        ps.iter().all(|p| p.message.contains("`successor` makes a loop")),
        "{ps:#?}"
    );
    fs[1].1 = AGENCIES.replace(
        "founded = \"1958-07-29\"\n",
        "founded = \"1958-07-29\"\nsuccessor = \"nsaa\"\n",
    );
    let ps = match load_files(&fs) {
        Ok(_) => panic!("an unknown successor loaded"),
        Err(e) => e.problems,
    };
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(ps[0].message.contains("unknown agency id `nsaa`"), "{ps:#?}");
}

#[test]
fn roles_complete_a_sentence_about_their_agency() {
    for (role, says) in [
        (
            "its German centre supported the flight",
            "starts with the pronoun `its`",
        ),
        (
            "NASA's prime contractor; built the bus",
            "starts with `NASA's`, a capital",
        ),
        (
            "designing the telescope",
            "starts with `designing`, not a finished verb",
        ),
    ] {
        let broken = MISSION.replace("role = \"built the Huygens probe\"", &format!("role = \"{role}\""));
        let p = only(problems(&broken, QUESTION));
        assert_eq!(p.key, "mission[0].partner[0].role");
        assert!(p.message.contains(says), "{role}: {p}");
        assert!(p.message.contains("completes “ESA …”"), "{p}");
    }
    let lead = MISSION.replace(
        "lead = \"nasa\"\n",
        "lead = \"nasa\"\nlead_role = \"its JPL ran the orbiter\"\n",
    );
    let p = only(problems(&lead, QUESTION));
    assert_eq!(p.key, "mission[0].lead_role");
}

#[test]
fn a_name_that_takes_the_is_written_with_it_in_the_entrys_own_texts() {
    let with_article = MISSION.replace("lead = \"nasa\"\n", "lead = \"nasa\"\narticle = \"the\"\n");
    // "Cassini-Huygens" never stands alone in this fixture's texts: it loads.
    load_files(&files(&with_article, QUESTION)).unwrap_or_else(|e| panic!("{e}"));
    let bare = with_article.replace(
        "text = \"Huygens landed on Titan in 2005.\"",
        "text = \"Cassini-Huygens carried Huygens to Titan.\"",
    );
    let p = only(problems(&bare, QUESTION));
    assert_eq!(p.key, "mission[0].fact[0].text");
    assert!(p.message.contains("write \"the Cassini-Huygens\""), "{p}");
    let fixed = with_article.replace(
        "text = \"Huygens landed on Titan in 2005.\"",
        "text = \"The Cassini-Huygens mission carried Huygens to Titan, and its Cassini-Huygens team cheered.\"",
    );
    load_files(&files(&fixed, QUESTION)).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn places_of_one_system_name_their_body() {
    let mut fs = files(MISSION, QUESTION);
    fs[0]
        .1
        .push_str("\n[[destination]]\nname = \"Titan\"\nkind = \"planetary-moon\"\naround = \"Saturnus\"\n");
    let ps = match load_files(&fs) {
        Ok(_) => panic!("an unknown body loaded"),
        Err(e) => e.problems,
    };
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert!(
        ps[0]
            .message
            .contains("the destination `Saturnus` (did you mean `Saturn`?) is not declared"),
        "{}",
        ps[0]
    );
}
