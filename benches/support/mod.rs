//! Shared by the bench binaries: the knowledge-base generator, memory readings from `/proc`, and one way of printing
//! a figure (`figure: NAME: VALUE (target TARGET) ok|MISSED`), so `benches/run.sh` can collect them.

#![allow(dead_code)]

pub mod bot;
pub mod gen;
pub mod pg;

use std::path::PathBuf;
use std::time::Duration;

/// The knowledge base shipped in `data/`.
pub fn shipped_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A `kB` line of `/proc/<pid>/status` (`VmRSS`, `VmHWM`, …), in kB; `None` for this process.
pub fn status_kb(pid: Option<u32>, key: &str) -> Option<u64> {
    let path = match pid {
        Some(p) => format!("/proc/{p}/status"),
        None => "/proc/self/status".to_string(),
    };
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find(|l| l.starts_with(key) && l[key.len()..].starts_with(':'))
        .and_then(|l| l[key.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok())
}

/// Megabytes (10^6 bytes, as the targets are written) from the kernel's kB (KiB).
pub fn mb(kb: u64) -> f64 {
    kb as f64 * 1024.0 / 1e6
}

/// Print one figure in the shape `benches/run.sh` collects.
pub fn figure(name: &str, value: impl std::fmt::Display, target: &str, ok: bool) {
    println!(
        "figure: {name}: {value} (target {target}) {}",
        if ok { "ok" } else { "MISSED" }
    );
}

/// The `p`th percentile (0..=100) of sorted values, nearest rank.
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> T {
    assert!(!sorted.is_empty(), "percentile of nothing");
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Median of durations (sorts a copy).
pub fn median(samples: &[Duration]) -> Duration {
    let mut v = samples.to_vec();
    v.sort();
    percentile(&v, 50.0)
}

/// Microseconds, for printing.
pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One line about the machine: cores and memory, as the README's table names it.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or_else(
            || "?".to_string(),
            |kb| format!("{:.0} GiB", kb as f64 / 1024.0 / 1024.0),
        );
    format!("{cores} cores, {mem} memory")
}

/// A lookup as the bot answers it: the request read as a command (typed arguments), then answered.
pub fn lookup(
    kb: &rendezvous::kb::KnowledgeBase,
    req: &rendezvous::commands::Request,
    rng: &mut rand::rngs::StdRng,
) -> rendezvous::reply::Reply {
    match rendezvous::commands::Command::parse(req) {
        Ok(rendezvous::commands::Command::Lookup(l)) => rendezvous::commands::lookup::run(kb, &l, rng),
        other => panic!("not a lookup: {other:?}"),
    }
}
