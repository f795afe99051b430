#!/usr/bin/env bash
# The performance benchmark: runbook against the same workload written in Lua 5.4.
#   scripts/bench/run.sh [STATEMENTS] [ROUNDS]      (default 1,000,000 statements, 5 rounds)
# Builds the release binary (scripts/build-release.sh), generates the workload
# (deterministic) once under .build-bench/, checks that both versions run clean,
# then runs them side by side, alternating. Needs lua5.4 (apt-get install lua5.4).
set -euo pipefail
cd "$(dirname "$0")/../.."
statements=${1:-1000000}
rounds=${2:-5}
command -v lua5.4 >/dev/null || { echo "lua5.4 is needed: apt-get install lua5.4" >&2; exit 1; }
bin=$(scripts/build-release.sh)
work=.build-bench/workload
mkdir -p "$work"
if [ ! -f "$work/$statements.runbook" ]; then
    python3 scripts/bench/generate.py "$statements" "$work/$statements.runbook" "$work/$statements.lua"
fi
"$bin" run --quiet "$work/$statements.runbook"
lua5.4 "$work/$statements.lua" scripts/bench/rules.lua >/dev/null
python3 scripts/bench/compare.py "$bin" "$work/$statements.runbook" "$work/$statements.lua" scripts/bench/rules.lua --rounds "$rounds"
