//! Does loading and checking, and do lookups, scale as they should? Generates knowledge bases of 1,000, 5,000 and
//! 10,000 missions (benches/support/gen.rs, fixed seed), times `load_dir` and a few lookups at each size, and prints
//! the time per mission: linear work keeps it flat; a quadratic step would multiply it by ten from 1k to 10k.
//!
//! Run: `cargo bench --bench scale` (part of `bash benches/run.sh`).

mod support;

use rand::rngs::StdRng;
use rand::SeedableRng;
use rendezvous::commands::{self, User};
use rendezvous::kb::{load_dir, KnowledgeBase, Want};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};
use support::gen::{self, Spec};
use support::{figure, median, ms, us};

const SEED: u64 = 42;

fn time_load(dir: &Path, runs: usize) -> (Duration, KnowledgeBase) {
    let mut samples = Vec::new();
    let mut kb = None;
    for _ in 0..runs {
        let t = Instant::now();
        let loaded = load_dir(dir).unwrap_or_else(|e| panic!("the generated data does not load:\n{e}"));
        samples.push(t.elapsed());
        kb = Some(loaded);
    }
    (median(&samples), kb.expect("at least one run"))
}

/// Median time of `f` over `n` calls, measured in batches of `batch`.
fn time_op(n: usize, batch: usize, mut f: impl FnMut()) -> Duration {
    let mut samples = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        samples.push(t.elapsed() / batch as u32);
    }
    median(&samples)
}

struct Row {
    missions: usize,
    load: Duration,
    mission_lookup: Duration,
    autocomplete: Duration,
    miss: Duration,
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read.
    let sizes = [1_000, 5_000, 10_000];
    let mut rows = Vec::new();
    let user = User {
        id: 1,
        name: "bench".into(),
    };
    for &n in &sizes {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let written = gen::write(dir.path(), &Spec::sized(SEED, n)).expect("write the generated data");
        let runs = if n >= 10_000 { 5 } else { 7 };
        let (load, kb) = time_load(dir.path(), runs);
        // An exact name near the end of the data, a 3-letter prefix shared by ~n/48 names, and a name that is not
        // there at all (the slow path: prefix scan, typo scan, "did you mean").
        let name = kb.missions[kb.missions.len() - 1].name.clone();
        let req = commands::parse(&format!("/mission name:\"{name}\""), user.clone()).expect("parse");
        let mut rng = StdRng::seed_from_u64(1);
        let mission_lookup = time_op(31, 200, || {
            black_box(support::lookup(&kb, &req, &mut rng));
        });
        let autocomplete = time_op(31, 200, || {
            black_box(kb.autocomplete("aur", Want::Mission, 25));
        });
        let miss = time_op(11, 5, || {
            black_box(kb.resolve("Quixotic Wanderer", Want::Mission));
        });
        println!(
            "{n:>6} missions ({} agencies, {} files, {:.1} MB): load+check {:.1} ms ({:.2} µs/mission); /mission exact \
             {:.1} µs; autocomplete \"aur\" {:.1} µs; unknown name {:.0} µs",
            kb.agencies.len(),
            written.files,
            written.bytes as f64 / 1e6,
            ms(load),
            us(load) / n as f64,
            us(mission_lookup),
            us(autocomplete),
            us(miss)
        );
        rows.push(Row {
            missions: n,
            load,
            mission_lookup,
            autocomplete,
            miss,
        });
    }
    let first = &rows[0];
    let last = &rows[rows.len() - 1];
    let grow = last.missions as f64 / first.missions as f64;
    let per = |r: &Row| us(r.load) / r.missions as f64;
    let load_ratio = per(last) / per(first);
    println!(
        "scaling 1k -> 10k ({grow:.0}x the data): load per mission x{load_ratio:.2}; /mission exact x{:.2}; \
         autocomplete x{:.2}; unknown name x{:.2} (linear scan: ~x{grow:.0} expected)",
        us(last.mission_lookup) / us(first.mission_lookup),
        us(last.autocomplete) / us(first.autocomplete),
        us(last.miss) / us(first.miss),
    );
    figure(
        "load+check 10k missions",
        format!("{:.0} ms", ms(last.load)),
        "≤ 500 ms",
        ms(last.load) <= 500.0,
    );
    figure(
        "load+check time per mission, 10k vs 1k",
        format!("x{load_ratio:.2}"),
        "≤ x2 (a quadratic step would be x10)",
        load_ratio <= 2.0,
    );
    let lookup_ratio = us(last.mission_lookup) / us(first.mission_lookup);
    figure(
        "/mission exact lookup, 10k vs 1k",
        format!("x{lookup_ratio:.2}"),
        "≤ x2 (indexed, not a scan)",
        lookup_ratio <= 2.0,
    );
    // Autocomplete gathers at most 4 × 25 candidates from its indexes: its time grows with the matches up to that cap
    // ("aur" starts ~20 names at 1k, ~100 at 5k, ~200 at 10k), and not with the size of the data beyond it.
    let mid = &rows[rows.len() - 2];
    let ac_ratio = us(last.autocomplete) / us(mid.autocomplete);
    figure(
        "autocomplete 3-letter prefix, 10k vs 5k (both past the candidate cap)",
        format!("x{ac_ratio:.2}"),
        "≤ x2 (sorted index, not a scan)",
        ac_ratio <= 2.0,
    );
}
