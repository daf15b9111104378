#!/usr/bin/env bash
# Hold every request body the tests made the bot send to the fake Discord (target/discord-requests/*.jsonl, written
# by tests/support/fake_discord.rs) against Discord's OpenAPI spec plus the limits its docs state (--docs-rules).
# Fails on any violation, and when nothing was recorded (the Discord tests did not run).
# Run after `cargo test`; .ci/run calls it. Needs python3; makes .venv-spec/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

SHARED="${DISCORD_SPEC_DIR:-../shared/discord}"
VENV=.venv-spec
# cargo's target directory (CARGO_TARGET_DIR may move it).
TARGET="${CARGO_TARGET_DIR:-target}"
LOGS="$TARGET/discord-requests"

for f in "$SHARED/openapi.json" "$SHARED/discord_spec_check.py" "$SHARED/requirements.txt"; do
  [ -f "$f" ] || { echo "spec-check: $f is missing (set DISCORD_SPEC_DIR to the directory holding it)" >&2; exit 2; }
done

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$SHARED/requirements.txt"

shopt -s nullglob
files=("$LOGS"/*.jsonl)
all="$(mktemp)"
trap 'rm -f "$all"' EXIT
if [ ${#files[@]} -gt 0 ]; then
  cat "${files[@]}" >"$all"
fi
count=$(grep -c . "$all" || true)
if [ "$count" -eq 0 ]; then
  echo "spec-check: no recorded requests in $LOGS; run the Discord tests first (cargo test --test it discord)" >&2
  exit 1
fi
echo "spec-check: $count requests from ${#files[@]} test(s) in $LOGS"

out="$(mktemp)"
trap 'rm -f "$all" "$out"' EXIT
set +e
"$VENV/bin/python" "$SHARED/discord_spec_check.py" "$SHARED/openapi.json" --docs-rules --batch "$all" >"$out" 2>&1
status=$?
set -e
# Show every record that failed, with its violations, then the summary line ('N passed, M failed').
awk '/^\[line [0-9]+\] OK/ {skip = 1; next} /^\[line/ {skip = 0} /^  / && skip {next} {print}' "$out"
if [ $status -ne 0 ]; then
  echo "spec-check: Discord would refuse some of these bodies (record lines refer to the concatenation of $LOGS/*.jsonl)" >&2
fi
exit $status
