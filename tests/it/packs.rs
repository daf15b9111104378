//! Teachers' question packs: a table of the CSV dialects spreadsheets write and of broken packs (each refused with
//! its line, column and what to do, nothing stored); packs uploaded, previewed, played and exported through the
//! console (the library's and the binary's, with a TOML pack and a semicolon CSV pack); replacing and removing with
//! confirmation; "Learn more" only where a question names what the knowledge base has.

use crate::support::bin::{stderr, stdout, Sandbox};
use rendezvous::console::{Console, Output};
use rendezvous::events::{parse_csv, KEY_HEADER, RESULTS_HEADER};
use rendezvous::packs::{self, Format, PackError};

fn kb() -> &'static rendezvous::kb::KnowledgeBase {
    super::commands::kb()
}

const HEADER: &str = "question,answer,wrong1,wrong2,wrong3,explanation,source,difficulty,tags";

/// A comma CSV of `n` button questions.
fn csv_of(n: usize) -> String {
    let mut s = format!("{HEADER}\n");
    for i in 0..n {
        s.push_str(&format!(
            "What is {i} + 1?,{},{},{},,Counting: {i} and one more.,https://en.wikipedia.org/wiki/Addition,easy,maths\n",
            i + 1,
            i + 2,
            i + 3
        ));
    }
    s
}

/// The TOML pack of the console scripts: three button questions and a typed one; the first names a mission the
/// knowledge base has (by its id), the second names one in its text, the others none.
pub const MARS_TOML: &str = r#"# Last week's lesson
[[question]]
id = "red-planet-rovers"
question = "Which rover landed in Jezero crater in 2021?"
options = ["Perseverance", "Curiosity", "Spirit", "Opportunity"]
answer = "Perseverance"
explanation = "Perseverance landed in Jezero crater on 18 February 2021."
source = "https://en.wikipedia.org/wiki/Perseverance_(rover)"
difficulty = "easy"
tags = ["mars"]
missions = ["perseverance"]

[[question]]
id = "olympus"
question = "Olympus Mons, which Mars Express photographed, is the tallest what in the Solar System?"
options = ["Volcano", "Canyon", "Crater"]
answer = "Volcano"
explanation = "Olympus Mons is a shield volcano about 22 km high."
source = "https://en.wikipedia.org/wiki/Olympus_Mons"
difficulty = "medium"

[[question]]
id = "moons"
question = "How many moons does Mars have?"
options = ["Two", "One", "None"]
answer = "Two"
explanation = "Phobos and Deimos."
source = "https://en.wikipedia.org/wiki/Moons_of_Mars"
difficulty = "easy"

[[question]]
id = "red-colour"
question = "Which oxide makes Mars look red?"
answer = "Iron oxide"
accept = ["rust"]
explanation = "Iron oxide (rust) in its dust and rocks."
source = "https://en.wikipedia.org/wiki/Mars"
difficulty = "hard"
"#;

/// The semicolon CSV of the console scripts, as a French spreadsheet writes it: a byte-order mark, semicolons, CRLF,
/// quoted cells with semicolons, quotes and a line break, and accents.
pub const MOON_CSV: &str = "\u{feff}Question;Answer;Wrong1;Wrong2;Wrong3;Explanation;Source;Difficulty;Tags\r\n\
Qui a marché sur la Lune en premier ?;Neil Armstrong;Buzz Aldrin;Youri Gagarine;;\"Armstrong; puis Aldrin, \
le 21 juillet 1969.\r\nLe « premier pas ».\";https://fr.wikipedia.org/wiki/Apollo_11;Easy;\"moon, history\"\r\n\
Combien de temps met la lumière de la Lune ?;Environ 1,3 seconde;8 minutes;1 heure;;\"La Lune est à \
\"\"384 400 km\"\".\";https://fr.wikipedia.org/wiki/Lune;medium;moon\r\n\
;;;;;;;;\r\n\
Quelle face de la Lune voit-on toujours ?;La même;Elle change;;;La rotation synchrone.;\
https://fr.wikipedia.org/wiki/Rotation_synchrone;hard;\r\n";

fn problems(e: PackError) -> Vec<String> {
    match e {
        PackError::Problems(p) => p.iter().map(|p| p.to_string()).collect(),
        other => vec![other.to_string()],
    }
}

/// The dialects spreadsheets write: each is read, with its questions' cells as written.
#[test]
fn every_csv_dialect_spreadsheets_write_is_read() {
    let quoted = format!(
        "{HEADER}\n\"Which probe, built by ESA, landed on Titan?\",Huygens,Philae,\"Beagle 2\",,\"It rode on \
         Cassini, and landed on 14 January 2005.\nA \"\"first\"\" in the outer Solar System.\",\
         https://en.wikipedia.org/wiki/Huygens_(spacecraft),hard,\"saturn, esa\"\n"
    );
    let cases: Vec<(&str, String, usize)> = vec![
        ("comma", csv_of(3), 3),
        ("byte-order mark", format!("\u{feff}{}", csv_of(2)), 2),
        ("semicolon", csv_of(2).replace(',', ";"), 2),
        ("tab", csv_of(2).replace(',', "\t"), 2),
        ("CRLF line ends", csv_of(2).replace('\n', "\r\n"), 2),
        ("quoted cells with commas, quotes and a line break", quoted.clone(), 1),
        ("semicolon, BOM, CRLF, accents", MOON_CSV.to_string(), 3),
        (
            "columns in another order, header in capitals, no wrong answers (typed)",
            "Difficulty,Source,Explanation,Answer,Question\nEASY,https://en.wikipedia.org/wiki/Moon,Luna.,Moon,\
             Which body orbits Earth?\n"
                .to_string(),
            1,
        ),
        (
            "blank rows and padding cells",
            format!(
                "{HEADER},,\n\n{}\n,,,,,,,,,,\n",
                csv_of(1).lines().nth(1).unwrap().to_owned() + ",,"
            ),
            1,
        ),
    ];
    for (what, text, n) in cases {
        let checked = packs::check("pack.csv", text.as_bytes(), kb()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(checked.format, Format::Csv, "{what}");
        assert_eq!(checked.questions.len(), n, "{what}");
        assert!(!checked.text.starts_with('\u{feff}'), "{what}: the mark is not kept");
    }
    let q = &packs::check("pack.csv", quoted.as_bytes(), kb()).unwrap().questions[0];
    assert_eq!(q.question, "Which probe, built by ESA, landed on Titan?");
    assert_eq!(q.options, ["Huygens", "Philae", "Beagle 2"]);
    assert_eq!(
        q.explanation,
        "It rode on Cassini, and landed on 14 January 2005.\nA \"first\" in the outer Solar System."
    );
    assert_eq!(q.tags, ["saturn", "esa"]);
    let moon = packs::check("moon.csv", MOON_CSV.as_bytes(), kb()).unwrap().questions;
    assert_eq!(moon[0].question, "Qui a marché sur la Lune en premier ?");
    assert_eq!(
        moon[0].explanation,
        "Armstrong; puis Aldrin, le 21 juillet 1969.\r\nLe « premier pas »."
    );
    assert_eq!(moon[1].explanation, "La Lune est à \"384 400 km\".");
    assert_eq!(
        moon[1].answer, "Environ 1,3 seconde",
        "a comma inside a semicolon CSV is text"
    );
    assert_eq!(moon[0].tags, ["moon", "history"]);
    let typed = &packs::check(
        "q.csv",
        b"question,answer,explanation,source,difficulty\nWhich?,Moon,x.,https://a.org/b,easy\n",
        kb(),
    )
    .unwrap()
    .questions[0];
    assert!(typed.options.is_empty(), "no wrong answers: a typed question");
    let toml = packs::check("mars.toml", MARS_TOML.as_bytes(), kb()).unwrap();
    assert_eq!((toml.format, toml.questions.len()), (Format::Toml, 4));
}

/// Broken packs: each is refused with where and what to do; nothing is stored (checked through the console below).
#[test]
fn broken_packs_are_refused_with_line_column_and_what_to_do() {
    let row = |cells: &str| format!("{HEADER}\n{cells}\n");
    let ok_row = "Which?,Titan,Europa,,,Because.,https://en.wikipedia.org/wiki/Titan,easy,";
    let cases: Vec<(&str, &str, Vec<u8>, &[&str])> = vec![
        ("a binary file", "photo.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe".to_vec(), &["not UTF-8 text"]),
        ("a workbook", "lesson.xlsx", b"PK\x03\x04\x14\0\0\0".to_vec(), &["workbook", "CSV UTF-8"]),
        ("UTF-16", "q.csv", b"\xff\xfeq\0u\0".to_vec(), &["UTF-16"]),
        ("an old encoding", "q.csv", row("Qu\u{e9}?,a,b,,,c.,https://a.org/x,easy,").replace('\u{e9}', "\u{1}").into_bytes().into_iter().map(|b| if b == 1 { 0xe9 } else { b }).collect(), &["line 2 ", "Windows-1252"]),
        (
            "a missing column",
            "q.csv",
            b"question,answer,wrong1,explanation,difficulty\nA?,b,c,d.,easy\n".to_vec(),
            &["q.csv:1: ", "lacks the column `source`"],
        ),
        (
            "an unknown column",
            "q.csv",
            format!("{HEADER},answr2\n{ok_row},x\n").into_bytes(),
            &["q.csv:1: column J: unknown column `answr2`"],
        ),
        (
            "an extra cell (a comma not in quotes)",
            "q.csv",
            row("Which one, really?,Titan,Europa,,,Because.,https://en.wikipedia.org/wiki/Titan,easy,mars").into_bytes(),
            &["q.csv:2: column J: this cell is outside the named columns", "double quotes"],
        ),
        (
            "a row with cells missing",
            "q.csv",
            row("Which?,Titan,Europa").into_bytes(),
            &["q.csv:2: this row has 3 cells but the header has 9 columns"],
        ),
        (
            "an answer that is also a wrong answer",
            "q.csv",
            row("Which?,Titan,titan,,,Because.,https://en.wikipedia.org/wiki/Titan,easy,").into_bytes(),
            &["q.csv:2: column C (wrong1): option `titan` is given twice"],
        ),
        (
            "duplicate questions",
            "q.csv",
            format!("{HEADER}\n{ok_row}\n{}\n", ok_row.replace("Which?", "which")).into_bytes(),
            &["q.csv:3: column A (question): the same question as at line 2"],
        ),
        (
            "a formula cell",
            "q.csv",
            row("Which?,\"=HYPERLINK(\"\"https://evil.example\"\",\"\"Titan\"\")\",Europa,,,Because.,https://en.wikipedia.org/wiki/Titan,easy,")
                .into_bytes(),
            &["q.csv:2: column B (answer): `=HYPERLINK(", "looks like a spreadsheet formula", "Paste special"],
        ),
        (
            "a missing cell, a bad source and difficulty",
            "q.csv",
            row("Which?,Titan,Europa,,,,www.nasa.gov,hrad,").into_bytes(),
            &[
                "column F (explanation): the `explanation` cell is empty",
                "column G (source): `source` is not an http(s) URL",
                "column H (difficulty): `difficulty` = `hrad` is not one of: easy, medium, hard (did you mean `hard`?)",
            ],
        ),
        (
            "an option longer than a button label",
            "q.csv",
            row(&format!("Which?,Titan,{},,,Because.,https://en.wikipedia.org/wiki/Titan,easy,", "x".repeat(81)))
                .into_bytes(),
            &["column C (wrong1): option `", "longer than 80 characters"],
        ),
        (
            "a TOML answer not among its options",
            "mars.toml",
            MARS_TOML.replace("answer = \"Two\"", "answer = \"Three\"").into_bytes(),
            &["mars.toml:26: question[2].answer: `answer` = `Three` is not one of the options"],
        ),
        (
            "a TOML pack with a mission in it, and an unknown mission id",
            "mars.toml",
            format!("{}\n[[mission]]\nid = \"x\"\n", MARS_TOML.replace("perseverance\"]", "perseverence\"]")).into_bytes(),
            &[
                "question[0].missions: unknown mission id `perseverence` (did you mean `perseverance`?)",
                "a question pack holds only `[[question]]` entries, not `mission`",
            ],
        ),
        (
            "more than 500 questions",
            "big.csv",
            csv_of(501).into_bytes(),
            &["the pack has 501 questions, more than 500: split it into two packs"],
        ),
        ("an empty file", "q.csv", Vec::new(), &["the file is empty"]),
        ("a header and nothing else", "q.csv", format!("{HEADER}\n").into_bytes(), &["no questions under it"]),
    ];
    for (what, file, bytes, want) in cases {
        let got = match packs::check(file, &bytes, kb()) {
            Ok(c) => panic!("{what}: accepted {} questions", c.questions.len()),
            Err(e) => problems(e).join("\n"),
        };
        for w in want {
            assert!(got.contains(w), "{what}: wanted {w:?} in:\n{got}");
        }
    }
    // Lines count as the file has them: after a cell with a line break in it, and a blank row.
    let broken = MOON_CSV.replace(";hard;", ";hrad;");
    let got = problems(packs::check("moon.csv", broken.as_bytes(), kb()).unwrap_err()).join("\n");
    assert!(
        got.starts_with("moon.csv:6: column H (difficulty): `difficulty` = `hrad`"),
        "{got}"
    );
    // Over 1 MB: refused from its size.
    let big = vec![b'a'; packs::MAX_BYTES as usize + 1];
    assert_eq!(
        packs::check("big.csv", &big, kb()),
        Err(PackError::TooBig {
            size: packs::MAX_BYTES + 1
        })
    );
    // Every problem at once.
    let many = format!(
        "{HEADER}\n{}\n{}\n",
        row("=1,,,,,,,,").trim(),
        row("a,b,,,,,,,").lines().nth(1).unwrap()
    );
    assert!(problems(packs::check("q.csv", many.as_bytes(), kb()).unwrap_err()).len() >= 5);
}

/// A console over an in-memory store, in a directory holding the two packs.
fn console_with_packs() -> (Console, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mars.toml"), MARS_TOML).unwrap();
    std::fs::write(dir.path().join("moon.csv"), MOON_CSV).unwrap();
    let (console, warning) = Console::open(kb().clone(), Some(3), Some(&dir.path().join("scores.db").into()), None);
    assert_eq!(warning, None);
    (console, dir)
}

fn say(c: &mut Console, line: &str) -> String {
    match c.line(line) {
        Output::Text(t) => t,
        other => panic!("{line}: {other:?}"),
    }
}

#[test]
fn uploads_replace_and_remove_only_when_confirmed_and_store_nothing_broken() {
    let (mut c, dir) = console_with_packs();
    let path = |f: &str| dir.path().join(f).display().to_string();
    let saved = say(&mut c, &format!("upload {} name:\"Mars lesson\"", path("mars.toml")));
    assert!(saved.contains("Saved: Mars lesson"), "{saved}");
    assert!(saved.contains("4 questions (3 with buttons, 1 typed)"), "{saved}");
    assert!(
        saved.contains("`/trivia start pack:\"Mars lesson\"`"),
        "typed as it is: {saved}"
    );
    // A broken file under another name: refused, nothing stored.
    std::fs::write(
        dir.path().join("bad.csv"),
        format!("{HEADER}\nA?,b,b,,,c.,https://a.org/x,easy,\n"),
    )
    .unwrap();
    let bad = say(&mut c, &format!("upload {} name:Broken", path("bad.csv")));
    assert!(
        bad.contains("The pack was not stored") && bad.contains("bad.csv:2"),
        "{bad}"
    );
    // A name with markdown is shown as text; one of 200 characters is refused before anything is read.
    let md = say(
        &mut c,
        &format!("upload {} name:\"**Moon** [x](https://e.org)\"", path("moon.csv")),
    );
    assert!(md.contains("Saved: **Moon** [x](https://e.org)"), "{md}");
    let long = c.line(&format!("upload {} name:{}", path("moon.csv"), "n".repeat(200)));
    assert!(
        matches!(&long, Output::Error(e) if e.contains("longer than 50")),
        "{long:?}"
    );
    let list = say(&mut c, "/pack list");
    assert!(
        list.contains("Mars lesson — 4 questions")
            && list.contains("Moon")
            && list.contains("[x](https://e.org) — 3 questions"),
        "{list}"
    );
    assert!(!list.contains("Broken"), "{list}");
    // A second upload under a used name asks first; keeping the old one stores nothing.
    std::fs::write(dir.path().join("three.csv"), csv_of(3)).unwrap();
    let ask = say(&mut c, &format!("upload {} name:\"mars LESSON\"", path("three.csv")));
    assert!(
        ask.contains("already has a pack named Mars lesson (4 questions"),
        "{ask}"
    );
    let kept = say(&mut c, "press Keep");
    assert!(kept.contains("Kept the old Mars lesson"), "{kept}");
    assert!(say(&mut c, "/pack list").contains("Mars lesson — 4 questions"));
    let ask = say(&mut c, &format!("upload {} name:\"mars LESSON\"", path("three.csv")));
    assert!(ask.contains("Replace it"), "{ask}");
    // Only the uploader may answer.
    say(&mut c, "as bob admin");
    assert!(matches!(c.line("press Replace"), Output::Text(t) if t.contains("Only the person who uploaded")));
    say(&mut c, "as you");
    let replaced = say(&mut c, "press Replace");
    assert!(
        replaced.contains("Replaced: mars LESSON") && replaced.contains("3 questions"),
        "{replaced}"
    );
    // Export gives the file back as uploaded; a CSV starts with a byte-order mark.
    let export = say(&mut c, "/pack export name:\"mars lesson\"");
    assert!(
        export.contains("--- three.csv ---\n\u{feff}question,answer"),
        "{export}"
    );
    // Removing asks; cancelling keeps it.
    let ask = say(&mut c, "/pack remove name:\"Mars lesson\"");
    assert!(ask.contains("Remove mars LESSON"), "{ask}");
    assert!(say(&mut c, "press Cancel").contains("the pack stays"));
    say(&mut c, "/pack remove name:\"Mars lesson\"");
    assert!(say(&mut c, "press Remove").contains("Removed mars LESSON"));
    let gone = say(&mut c, "/trivia start pack:\"Mars lesson\"");
    assert!(gone.contains("no pack named Mars lesson"), "{gone}");
    // A member without Manage Server (nor a host role) may not manage packs.
    say(&mut c, "as carol");
    let refused = say(&mut c, "/pack list");
    assert!(
        refused.contains("Manage Server") && refused.contains("host_roles"),
        "{refused}"
    );
}

#[test]
fn a_pack_game_asks_the_packs_questions_and_learn_more_only_where_the_knowledge_base_has_the_subject() {
    let (mut c, dir) = console_with_packs();
    say(
        &mut c,
        &format!("upload {} name:Mars", dir.path().join("mars.toml").display()),
    );
    let start = say(&mut c, "/trivia start pack:Mars rounds:4");
    assert!(start.contains("4 questions from the pack Mars."), "{start}");
    let mut reveals = Vec::new();
    for _ in 0..4 {
        say(&mut c, "press 1");
        reveals.push(say(&mut c, "wait 25"));
    }
    let all = reveals.join("\n");
    for q in ["Jezero crater", "Olympus Mons", "How many moons", "Which oxide"] {
        assert!(start.contains(q) || all.contains(q), "{q} asked:\n{start}\n{all}");
    }
    // Each reveal: Learn more for the rover (listed) and Olympus Mons (names Mars Express), not for the others.
    for reveal in all.split("== Answer: ").skip(1) {
        let learn = reveal.split("== ").next().unwrap_or("").contains("Learn more");
        let subject = reveal.contains("Perseverance landed") || reveal.contains("shield volcano");
        assert_eq!(learn, subject, "{reveal}");
    }
    // Mixed with the knowledge base: both kinds.
    say(&mut c, "wait 60");
    let bad = say(&mut c, "/trivia start mix:true");
    assert!(bad.contains("give the pack too"), "{bad}");
    let mixed = say(&mut c, "/trivia start pack:Mars mix:true rounds:10");
    assert!(mixed.contains("from the pack Mars and the knowledge base"), "{mixed}");
}

/// The "Must show" console script, through the built binary: a TOML pack and a semicolon CSV pack uploaded, an
/// event previewed with each, played, and exported; the preview's answer key is the event that was played.
#[test]
fn a_console_script_uploads_two_packs_previews_plays_and_exports_an_event_with_each() {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.path().join("mars.toml"), MARS_TOML).unwrap();
    std::fs::write(sandbox.path().join("moon.csv"), MOON_CSV).unwrap();
    let mut script = String::from(
        "upload mars.toml name:\"Mars lesson\"\nupload moon.csv name:Lune\n/pack list\n/pack show name:lune\n",
    );
    for (name, pack, rounds) in [("Mars club", "\"Mars lesson\"", 3), ("Club Lune", "Lune", 3)] {
        script.push_str(&format!("/event preview seed:7 rounds:{rounds} pack:{pack}\n"));
        script.push_str(&format!(
            "/event create name:\"{name}\" seed:7 rounds:{rounds} pack:{pack}\n"
        ));
        for _ in 0..rounds {
            script.push_str("/event next\nas alice\npress 1\nas you\n/event reveal\n");
        }
        script.push_str("/event end\n/event export\n");
    }
    let out = sandbox.run(&["console", "--db", "scores.db"], &script);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Saved: Mars lesson") && text.contains("Saved: Lune"),
        "{text}"
    );
    assert!(
        text.contains("Qui a marché sur la Lune en premier ?"),
        "the CSV's accents survive: {text}"
    );
    // Each event: the preview's key, then the results; the questions asked are the key's, in its order.
    let files = |prefix: &str| -> Vec<Vec<Vec<String>>> {
        text.split(&format!("--- {prefix}"))
            .skip(1)
            .map(|rest| {
                let body = rest.split_once("---\n").unwrap().1;
                let body = body.split("--- end of").next().unwrap();
                assert!(body.starts_with('\u{feff}'), "every CSV starts with a byte-order mark");
                parse_csv(body)
            })
            .collect()
    };
    let keys = files("answer-key-seed-7.csv ");
    let results = files("event-");
    assert_eq!(keys.len(), 2, "{text}");
    assert_eq!(results.len(), 4, "two files per export: {text}");
    for (e, key) in keys.iter().enumerate() {
        assert_eq!(key[0], KEY_HEADER);
        assert_eq!(key.len(), 1 + 3);
        let played = &results[2 * e];
        assert_eq!(played[0], RESULTS_HEADER);
        let asked: Vec<&str> = played[1..].iter().map(|r| r[2].as_str()).collect();
        let previewed: Vec<&str> = key[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(asked, previewed, "the event asked exactly what the preview showed");
        // alice pressed A each time: right exactly when the key's answer is A.
        for (row, k) in played[1..].iter().zip(&key[1..]) {
            assert_eq!(row[3], "alice");
            assert_eq!(row[6] == "yes", k[6] == "A", "{row:?} {k:?}");
            assert_eq!(row[5], k[2], "alice's answer is option A");
        }
    }
    // The Lune event asked the CSV's questions (typed ones left out: events ask button questions).
    let lune: Vec<&str> = keys[1][1..].iter().map(|r| r[1].as_str()).collect();
    assert!(lune.iter().all(|q| MOON_CSV.contains(q)), "{lune:?}");
    // And `rendezvous preview --pack` reads the same file in the terminal.
    let key = sandbox.run(&["preview", "--pack", "moon.csv", "--seed", "7", "--rounds", "3"], "");
    assert!(key.status.success(), "{}", stderr(&key));
    assert!(
        stdout(&key).contains("from the pack alone") && stdout(&key).contains("← answer"),
        "{}",
        stdout(&key)
    );
    std::fs::write(sandbox.path().join("bad.csv"), "question;answer\n=1;2\n").unwrap();
    let bad = sandbox.run(&["preview", "--pack", "bad.csv"], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("bad.csv:1: the header row lacks the columns"),
        "{}",
        stderr(&bad)
    );
}

/// The README's examples for teachers are packs that pass the check.
#[test]
fn the_readmes_pack_examples_pass_the_check() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("## For teachers").nth(1).unwrap();
    let block = |lang: &str| {
        let start = section.find(&format!("```{lang}\n")).unwrap() + lang.len() + 4;
        section[start..][..section[start..].find("```").unwrap()].to_string()
    };
    let csv = packs::check("readme.csv", block("csv").as_bytes(), kb()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(csv.questions.len(), 2);
    assert!(csv.questions[1].options.is_empty(), "the second is typed");
    let toml = packs::check("readme.toml", block("toml").as_bytes(), kb()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(toml.questions.len(), 1);
}
