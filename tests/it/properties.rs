//! Property tests: the command parser, the answer matcher and the loader never panic, whatever they are given, and
//! keep their promises (option values round-trip, an answer matches itself whatever its case and accents, mutated
//! data loads or says what is wrong, where). A few hundred cases each, so the suite stays quick.

use proptest::prelude::*;
use rendezvous::commands::defs::{all_commands, OptKind, OptionDef};
use rendezvous::commands::{parse, User, Value};
use rendezvous::trivia::matcher::{Answer, Verdict};
use std::path::{Path, PathBuf};

fn me() -> User {
    User {
        id: 7,
        name: "me".into(),
    }
}

/// Every (command, subcommand, options) the parser knows.
fn paths() -> Vec<(&'static str, Option<&'static str>, &'static [OptionDef])> {
    let mut out = Vec::new();
    for c in all_commands() {
        if c.subcommands.is_empty() {
            out.push((c.name, None, c.options.as_slice()));
        }
        for s in &c.subcommands {
            out.push((c.name, Some(s.name), s.options.as_slice()));
        }
    }
    out
}

/// A value `o` accepts, as typed, and as parsed.
fn valid(o: &OptionDef) -> (String, Value) {
    if let Some((_, v)) = o.choices.first() {
        return (v.to_string(), Value::Str(v.to_string()));
    }
    match o.kind {
        OptKind::String => ("x".into(), Value::Str("x".into())),
        OptKind::Integer => {
            let n = o.min.unwrap_or(1).max(1).min(o.max.unwrap_or(i64::MAX));
            (n.to_string(), Value::Int(n))
        }
        OptKind::Number => ("1.5".into(), Value::Num(1.5)),
        OptKind::Boolean => ("yes".into(), Value::Bool(true)),
        OptKind::User => ("@bob".into(), Value::Str("bob".into())),
        OptKind::Channel => ("<#42>".into(), Value::Channel(42)),
        OptKind::Role => ("<@&7>".into(), Value::Role(7)),
        OptKind::Attachment => (
            "questions.csv".into(),
            Value::File(rendezvous::commands::Upload {
                filename: "questions.csv".into(),
                size: 0,
                bytes: None,
            }),
        ),
    }
}

/// `value` quoted so the parser reads it back as it is.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_parser_never_panics(line in any::<String>(), known in 0usize..64, tail in "[ -~“”’éü🚀]{0,40}") {
        let _ = parse(&line, me());
        let _ = rendezvous::commands::request::split_words(&line);
        // Lines that start like real commands reach the option parsing.
        let p = paths();
        let (name, sub, _) = p[known % p.len()];
        let line = format!("/{name} {} {tail}", sub.unwrap_or(""));
        if let Ok(req) = parse(&line, me()) {
            prop_assert_eq!(req.command.as_str(), name);
        }
    }

    #[test]
    fn an_option_value_comes_back_as_it_was_typed(
        which in 0usize..1000,
        text in "[^\u{0}-\u{1f}]{1,60}",
        int in any::<i64>(),
        num in -1.0e9f64..1.0e9,
        upper in any::<bool>(),
    ) {
        let p = paths();
        let targets: Vec<_> = p
            .iter()
            .flat_map(|(c, s, opts)| opts.iter().map(move |o| (*c, *s, *opts, o)))
            .filter(|(_, _, _, o)| o.choices.is_empty() && !matches!(o.kind, OptKind::User | OptKind::Attachment))
            .collect();
        let (name, sub, opts, target) = targets[which % targets.len()];
        let (typed, expected) = match target.kind {
            OptKind::String => {
                let max = target.max_len.map_or(usize::MAX, usize::from);
                let text: String = text.chars().take(max).collect();
                prop_assume!(!text.trim().is_empty());
                (quoted(&text), Value::Str(text))
            }
            OptKind::Integer => {
                let n = int.clamp(target.min.unwrap_or(i64::MIN), target.max.unwrap_or(i64::MAX));
                (n.to_string(), Value::Int(n))
            }
            OptKind::Number => (num.to_string(), Value::Num(num)),
            // An id, as a mention or bare.
            OptKind::Channel | OptKind::Role => {
                let id = int.unsigned_abs().max(1);
                let (open, value) = if target.kind == OptKind::Channel {
                    ("<#", Value::Channel(id))
                } else {
                    ("<@&", Value::Role(id))
                };
                (if upper { format!("{open}{id}>") } else { id.to_string() }, value)
            }
            _ => (if upper { "TRUE" } else { "false" }.to_string(), Value::Bool(upper)),
        };
        let mut line = format!("/{}", if upper { name.to_uppercase() } else { name.to_string() });
        if let Some(s) = sub {
            line.push(' ');
            line.push_str(s);
        }
        for o in opts.iter().filter(|o| o.required && o.name != target.name) {
            line.push_str(&format!(" {}:{}", o.name, quoted(&valid(o).0)));
        }
        line.push_str(&format!(" {}:{typed}", target.name));
        let req = parse(&line, me()).map_err(|e| TestCaseError::fail(format!("{line}: {e}")))?;
        prop_assert_eq!(req.command.as_str(), name);
        prop_assert_eq!(req.sub.as_deref(), sub);
        prop_assert_eq!(req.get(target.name), Some(&expected), "{}", line);
    }

    #[test]
    fn the_matcher_never_panics(answer in any::<String>(), accepted in proptest::collection::vec(any::<String>(), 0..3), guess in any::<String>()) {
        let a = Answer::new(answer.clone(), accepted);
        let _ = a.check(&guess);
        let _ = a.check(&answer);
    }

    #[test]
    fn an_answer_matches_itself_whatever_its_case_and_accents(
        answer in "[A-Za-zÀÉÈÊÍÓÖÜÑÇàéèêíóöüñç0-9][A-Za-zÀÉÈÊÍÓÖÜÑÇàéèêíóöüñç0-9 '-]{0,30}",
        alias in "[a-zàéü][a-zàéü0-9 ]{0,20}",
    ) {
        let a = Answer::new(answer.clone(), vec![alias.clone()]);
        prop_assert_eq!(a.check(&answer), Verdict::Right, "{}", answer);
        prop_assert_eq!(a.check(&alias), Verdict::Right, "alias {}", alias);
        prop_assert_eq!(a.check(&answer.to_lowercase()), Verdict::Right, "{}", answer);
        prop_assert_eq!(a.check(&answer.to_uppercase()), Verdict::Right, "{}", answer);
        prop_assert_eq!(a.check(&unaccented(&answer)), Verdict::Right, "{}", answer);
        // And the other way: an answer written without accents takes the accented guess.
        let plain = Answer::new(unaccented(&answer), Vec::new());
        prop_assert_eq!(plain.check(&answer), Verdict::Right, "{}", answer);
        // Case and accents never change a verdict, right or wrong.
        let other = format!("{alias} {answer}");
        prop_assert_eq!(a.check(&other), a.check(&unaccented(&other.to_uppercase())), "{}", other);
    }
}

/// The letters of the strategy above without their accents.
fn unaccented(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'À' => 'A',
            'É' | 'È' | 'Ê' => 'E',
            'Í' => 'I',
            'Ó' | 'Ö' => 'O',
            'Ü' => 'U',
            'Ñ' => 'N',
            'Ç' => 'C',
            'à' => 'a',
            'é' | 'è' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ö' => 'o',
            'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// The shipped data's files, relative to the data directory, with their bytes.
fn shipped() -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push((p.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&p).unwrap()));
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

/// One change to a file's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    DeleteLine { line: usize },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            any::<usize>(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..8),
                "[\\[\\]=\"',\\n#{}a-z0-9 ]{1,12}".prop_map(String::into_bytes),
            ]
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        any::<usize>().prop_map(|line| Mutation::DeleteLine { line }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len().max(1);
    match m {
        Mutation::Flip { at, byte } => {
            if !bytes.is_empty() {
                bytes[at % n] = *byte;
            }
        }
        Mutation::Delete { at, len } => {
            let start = (at % n).min(bytes.len());
            let end = (start + len).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::Insert { at, bytes: new } => {
            let at = (at % n).min(bytes.len());
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::DeleteLine { line } | Mutation::DuplicateLine { line } | Mutation::SwapLines { a: line, .. } => {
            let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            let count = lines.len();
            let i = line % count;
            match m {
                Mutation::DeleteLine { .. } => {
                    lines.remove(i);
                }
                Mutation::DuplicateLine { .. } => {
                    let copy = lines[i].clone();
                    lines.insert(i, copy);
                }
                Mutation::SwapLines { b, .. } => lines.swap(i, b % count),
                _ => unreachable!(),
            }
            *bytes = lines.join(&b'\n');
        }
    }
}

#[test]
fn the_loader_never_panics_on_mutated_copies_of_the_shipped_data() {
    use proptest::test_runner::{Config, TestRunner};
    let files = shipped();
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in &files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    rendezvous::kb::load_dir(dir.path()).expect("the shipped data loads");
    // Each case changes one file in a few places, loads the whole directory, and puts the file back.
    let mut runner = TestRunner::new(Config {
        cases: 100,
        ..Config::default()
    });
    let strategy = (0..files.len(), proptest::collection::vec(mutation(), 1..4));
    runner
        .run(&strategy, |(which, mutations)| {
            let (rel, original) = &files[which];
            let mut bytes = original.clone();
            for m in &mutations {
                apply(&mut bytes, m);
            }
            let path = dir.path().join(rel);
            std::fs::write(&path, &bytes).unwrap();
            let loaded = std::panic::catch_unwind(|| rendezvous::kb::load_dir(dir.path()));
            std::fs::write(&path, original).unwrap();
            match loaded {
                Err(_) => {
                    return Err(TestCaseError::fail(format!(
                        "the loader panicked on {rel:?} after {mutations:?}"
                    )))
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    prop_assert!(!e.problems.is_empty());
                    for p in &e.problems {
                        prop_assert!(
                            p.file.starts_with(dir.path()) && p.file.is_file(),
                            "a problem names a file of the directory: {p}"
                        );
                        prop_assert!(!p.message.trim().is_empty(), "a problem says what is wrong: {p:?}");
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}
