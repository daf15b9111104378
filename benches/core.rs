//! Criterion benchmarks of the core, with no Discord: lookup commands (parsed request → Reply), autocomplete,
//! question generation, the typed-answer matcher, and loading + checking the knowledge base, on the shipped data and
//! on a generated one of 10,000 missions and 500 agencies (benches/support/gen.rs, seed 42).
//!
//! Run: `cargo bench --bench core` (a filter works as usual: `cargo bench --bench core -- autocomplete`). After the
//! run, one `figure:` line per target is printed with criterion's median, read back from its estimates.

mod support;

use criterion::{BatchSize, Criterion};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rendezvous::commands::{self, Request, User};
use rendezvous::kb::{load_dir, KnowledgeBase};
use rendezvous::trivia::matcher::{Answer, Verdict};
use rendezvous::trivia::question::{generate, pick_questions, Filter, QKind};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};
use support::gen::{self, Spec};

const SEED: u64 = 42;

fn shipped() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| load_dir(&support::shipped_data()).expect("the shipped data loads"))
}

/// The generated 10k knowledge base: its directory (kept for the load benchmark) and the loaded data.
fn large() -> &'static (tempfile::TempDir, KnowledgeBase) {
    static KB: OnceLock<(tempfile::TempDir, KnowledgeBase)> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        gen::write(dir.path(), &Spec::large(SEED)).expect("write the generated data");
        let kb = load_dir(dir.path()).unwrap_or_else(|e| panic!("the generated data does not load:\n{e}"));
        (dir, kb)
    })
}

fn user() -> User {
    User {
        id: 1,
        name: "bench".into(),
    }
}

fn request(line: &str) -> Request {
    commands::parse(line, user()).unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// The lookups, each as a parsed request on the shipped data.
const LOOKUPS: [(&str, &str); 4] = [
    ("mission", "/mission name:cassini"),
    ("mission-typo", "/mission name:\"james web telescope\""),
    ("agency", "/agency name:NASA"),
    ("collab", "/collab first:NASA second:\"European Space Agency\""),
];

fn lookups(c: &mut Criterion) {
    let kb = shipped();
    let mut g = c.benchmark_group("lookup");
    for (id, line) in LOOKUPS {
        let req = request(line);
        let mut rng = StdRng::seed_from_u64(1);
        g.bench_function(id, |b| b.iter(|| support::lookup(kb, black_box(&req), &mut rng)));
    }
    g.finish();
}

/// Three-letter prefixes: a common first word, a later word, and one that starts no name (the scanning path).
const SHIPPED_PREFIXES: [(&str, &str, &str); 4] = [
    ("mission-cas", "mission", "cas"),
    ("mission-tel", "mission", "tel"),
    ("mission-qzx", "mission", "qzx"),
    ("agency-nat", "agency", "nat"),
];
const LARGE_PREFIXES: [(&str, &str, &str); 5] = [
    ("mission-aur", "mission", "aur"),
    ("mission-exp", "mission", "exp"),
    ("mission-qzx", "mission", "qzx"),
    ("mission-vgr", "mission", "vgr"),
    ("agency-ala", "agency", "ala"),
];

fn autocomplete(c: &mut Criterion) {
    let mut g = c.benchmark_group("autocomplete-shipped");
    for (id, cmd, partial) in SHIPPED_PREFIXES {
        g.bench_function(id, |b| {
            b.iter(|| commands::lookup::autocomplete(shipped(), cmd, None, "name", black_box(partial)))
        });
    }
    g.finish();
    let kb = &large().1;
    let mut g = c.benchmark_group("autocomplete-10k");
    for (id, cmd, partial) in LARGE_PREFIXES {
        g.bench_function(id, |b| {
            b.iter(|| commands::lookup::autocomplete(kb, cmd, None, "name", black_box(partial)))
        });
    }
    g.finish();
}

fn kind_id(k: QKind) -> String {
    format!("{k:?}").to_lowercase()
}

fn questions(c: &mut Criterion) {
    for (group, kb) in [("question-shipped", shipped()), ("question-10k", &large().1)] {
        let mut g = c.benchmark_group(group);
        for kind in QKind::GENERATED {
            let mut rng = StdRng::seed_from_u64(7);
            // Some missions cannot carry some kinds (no partners, no launch date): time until a question comes out.
            g.bench_function(kind_id(kind), |b| {
                b.iter(|| loop {
                    if let Some(q) = generate(kb, kind, &mut rng) {
                        break q;
                    }
                })
            });
        }
        let mut rng = StdRng::seed_from_u64(7);
        let filter = Filter::default();
        g.bench_function("game-of-10", |b| b.iter(|| pick_questions(kb, &filter, 10, &mut rng)));
        g.finish();
    }
}

/// (id, answer, accepted, guess, expected verdict).
type MatchCase = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    Verdict,
);

const MATCHES: [MatchCase; 5] = [
    (
        "exact",
        "Cassini–Huygens",
        &["Cassini"],
        "cassini huygens",
        Verdict::Right,
    ),
    ("typo", "Rosetta", &[], "Rossetta", Verdict::Right),
    ("number", "Apollo 11", &["Apollo XI"], "apollo eleven", Verdict::Right),
    ("wrong", "Apollo 11", &["Apollo XI"], "Apollo 12", Verdict::Wrong),
    (
        "too-long",
        "Voyager 1",
        &[],
        "voyager 1 voyager 2 pioneer 10 pioneer 11 new horizons cassini galileo juno",
        Verdict::TooLong,
    ),
];

fn matcher(c: &mut Criterion) {
    let mut g = c.benchmark_group("match");
    for (id, answer, accepted, guess, expected) in MATCHES {
        let a = Answer::new(answer, accepted.iter().map(|s| s.to_string()).collect());
        assert_eq!(a.check(guess), expected, "{id}: {guess} against {answer}");
        g.bench_function(id, |b| b.iter(|| a.check(black_box(guess))));
    }
    g.finish();
}

/// Reading, parsing and checking the files into a knowledge base, until it is ready to serve. Freeing it afterwards
/// is not loading (the bot frees a knowledge base only after a reload has replaced it): each one is dropped outside
/// the timed part.
fn loading(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    let shipped = support::shipped_data();
    g.bench_function("shipped", |b| {
        b.iter_batched(|| (), |()| load_dir(&shipped).expect("loads"), BatchSize::PerIteration)
    });
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    let dir = large().0.path().to_path_buf();
    g.bench_function("10k", |b| {
        b.iter_batched(|| (), |()| load_dir(&dir).expect("loads"), BatchSize::PerIteration)
    });
    g.finish();
}

/// Where criterion writes its estimates for this build's target directory.
fn criterion_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .join("criterion")
}

/// Criterion's median for a benchmark measured in this run (`None` when it was filtered out).
fn median_of(dir: &Path, id: &str, since: SystemTime) -> Option<Duration> {
    let path = dir.join(id).join("new").join("estimates.json");
    let fresh = std::fs::metadata(&path).and_then(|m| m.modified()).ok()? >= since;
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).ok()?).ok()?;
    let ns = v["median"]["point_estimate"].as_f64()?;
    fresh.then(|| Duration::from_secs_f64(ns / 1e9))
}

/// The worst median among `ids`, with which one it was.
fn worst(dir: &Path, ids: &[String], since: SystemTime) -> Option<(Duration, String)> {
    ids.iter()
        .filter_map(|id| median_of(dir, id, since).map(|d| (d, id.clone())))
        .max()
}

fn print_figures(dir: &Path, since: SystemTime) {
    let ids = |group: &str, names: &[&str]| -> Vec<String> { names.iter().map(|n| format!("{group}/{n}")).collect() };
    let show = |name: &str, target: &str, limit: Duration, found: Option<(Duration, String)>| match found {
        Some((d, id)) => {
            let value = if d < Duration::from_millis(1) {
                format!("{:.2} µs median, worst case {id}", support::us(d))
            } else {
                format!("{:.1} ms median", support::ms(d))
            };
            support::figure(name, value, target, d <= limit)
        }
        None => println!("figure: {name}: not measured in this run (filtered out)"),
    };
    for (id, line) in LOOKUPS {
        let found = worst(dir, &ids("lookup", &[id]), since);
        if id == "mission-typo" {
            // Not a target: a name the data does not have, answered with "did you mean" after every fallback.
            if let Some((d, _)) = found {
                println!(
                    "figure: lookup `{line}` (no such name: the did-you-mean path), shipped data: {:.2} µs median \
                     (no target)",
                    support::us(d)
                );
            }
            continue;
        }
        show(
            &format!("lookup `{line}`, shipped data"),
            "p50 ≤ 20 µs",
            Duration::from_micros(20),
            found,
        );
    }
    let shipped_ac: Vec<&str> = SHIPPED_PREFIXES.iter().map(|p| p.0).collect();
    show(
        "autocomplete 3-letter prefix, shipped data",
        "≤ 200 µs",
        Duration::from_micros(200),
        worst(dir, &ids("autocomplete-shipped", &shipped_ac), since),
    );
    let large_ac: Vec<&str> = LARGE_PREFIXES.iter().map(|p| p.0).collect();
    show(
        "autocomplete 3-letter prefix, 10k missions + 500 agencies",
        "≤ 200 µs",
        Duration::from_micros(200),
        worst(dir, &ids("autocomplete-10k", &large_ac), since),
    );
    let kinds: Vec<String> = QKind::GENERATED.iter().map(|k| kind_id(*k)).collect();
    let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
    show(
        "question generation per question (8 kinds), shipped data",
        "≤ 50 µs",
        Duration::from_micros(50),
        worst(dir, &ids("question-shipped", &kinds), since),
    );
    show(
        "question generation per question (8 kinds), 10k missions",
        "≤ 50 µs",
        Duration::from_micros(50),
        worst(dir, &ids("question-10k", &kinds), since),
    );
    for (group, label) in [("question-shipped", "shipped data"), ("question-10k", "10k missions")] {
        if let Some(d) = median_of(dir, &format!("{group}/game-of-10"), since) {
            let per = d / 10;
            support::figure(
                &format!("questions for a game of 10, per question, {label}"),
                format!("{:.2} µs", support::us(per)),
                "≤ 50 µs",
                per <= Duration::from_micros(50),
            );
        }
    }
    let matches: Vec<&str> = MATCHES.iter().map(|m| m.0).collect();
    show(
        "answer matcher, per match",
        "≤ 5 µs",
        Duration::from_micros(5),
        worst(dir, &ids("match", &matches), since),
    );
    show(
        "load + check, shipped data",
        "≤ 20 ms",
        Duration::from_millis(20),
        worst(dir, &ids("load", &["shipped"]), since),
    );
    show(
        "load + check, 10k missions + 500 agencies",
        "≤ 500 ms",
        Duration::from_millis(500),
        worst(dir, &ids("load", &["10k"]), since),
    );
}

fn main() {
    let since = SystemTime::now();
    let dir = criterion_dir();
    let mut c = Criterion::default()
        .output_directory(&dir)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    lookups(&mut c);
    autocomplete(&mut c);
    questions(&mut c);
    matcher(&mut c);
    loading(&mut c);
    c.final_summary();
    println!("machine: {}", support::machine());
    print_figures(&dir, since);
}
