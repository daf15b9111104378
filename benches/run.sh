#!/usr/bin/env bash
# Run every benchmark and print each figure: `bash benches/run.sh` (about 10 minutes on 2 cores, after the build).
# The games bench runs on SQLite and on PostgreSQL: a throwaway server from .ci/pg.sh, or RENDEZVOUS_BENCH_PG's.
# The figures are the lines starting `figure:`; everything each bench printed is kept in target/bench-output/.
# Benchmarks are never part of `cargo test` or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench-output
mkdir -p "$out"
echo "== building the benchmarks (release profile)"
cargo bench --no-run -q 2>&1 | grep -v '^ *Executable' || true
for bench in core scale memory idle games shards e2e soak; do
  echo "== $bench"
  cargo bench -q --bench "$bench" 2>&1 | tee "$out/$bench.txt" | grep -E '^(figure|machine):' || {
    echo "the $bench bench failed: see $out/$bench.txt" >&2
    exit 1
  }
done
echo "== all figures"
grep -h "^figure:" "$out"/{core,scale,memory,idle,games,shards,e2e,soak}.txt
