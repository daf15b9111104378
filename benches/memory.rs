//! Peak memory of loading and checking the generated knowledge base of 10,000 missions and 500 agencies.
//!
//! The data is generated first (benches/support/gen.rs, seed 42), then this binary starts itself again with
//! `--load DIR` so the measuring process has done nothing but load: its VmHWM (peak resident memory, from
//! /proc/self/status) is the figure, with the process's baseline before loading for comparison.
//!
//! Run: `cargo bench --bench memory` (a few seconds; part of `bash benches/run.sh`).
//! `cargo bench --bench memory -- --write DIR` only writes the generated data to DIR, to try by hand
//! (`rendezvous check --data DIR`, `rendezvous console --data DIR`).

mod support;

use rendezvous::kb::load_dir;
use std::path::Path;
use std::process::Command;
use std::time::Instant;
use support::gen::{self, Spec};
use support::{figure, mb, status_kb};

const SEED: u64 = 42;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--load") {
        load(Path::new(&args[i + 1]));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let dir = Path::new(args.get(i + 1).expect("--write DIR"));
        let written = gen::write(dir, &Spec::large(SEED)).expect("write the generated data");
        println!(
            "wrote {} files, {:.1} MB of TOML to {}",
            written.files,
            written.bytes as f64 / 1e6,
            dir.display()
        );
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let written = gen::write(dir.path(), &Spec::large(SEED)).expect("write the generated data");
    println!(
        "generated {} files, {:.1} MB of TOML (10,000 missions, 500 agencies, {} facts, {} curated questions)",
        written.files,
        written.bytes as f64 / 1e6,
        written.facts,
        written.questions
    );
    let out = Command::new(std::env::current_exe().expect("this binary's path"))
        .arg("--load")
        .arg(dir.path())
        .output()
        .expect("run the loading process");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the loading process failed");
}

/// In the child: load, then report the peak.
fn load(dir: &Path) {
    let before = status_kb(None, "VmHWM").unwrap_or(0);
    let t = Instant::now();
    let kb = load_dir(dir).unwrap_or_else(|e| panic!("the generated data does not load:\n{e}"));
    let took = t.elapsed();
    let peak = status_kb(None, "VmHWM").unwrap_or(0);
    let after = status_kb(None, "VmRSS").unwrap_or(0);
    println!(
        "loaded {} missions, {} agencies in {:.0} ms; process peak {:.1} MB (before loading {:.1} MB); resident \
         with the knowledge base held {:.1} MB",
        kb.missions.len(),
        kb.agencies.len(),
        took.as_secs_f64() * 1000.0,
        mb(peak),
        mb(before),
        mb(after)
    );
    println!("machine: {}", support::machine());
    figure(
        "load + check 10k missions, peak memory (VmHWM)",
        format!("{:.1} MB", mb(peak)),
        "≤ 100 MB",
        mb(peak) <= 100.0,
    );
}
