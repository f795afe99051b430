#!/usr/bin/env bash
# The README's picture of a rehearsal report: the handoff example's report as headless
# Chromium shows it, checked not to be blank.
#   scripts/report/screenshot.sh [RUNBOOK-BINARY] [OUT.png]
# Defaults: the debug build, and scripts/examples/handoff-report.png. Needs chromium.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/.build/debug/runbook}")
out=$(realpath -m "${2:-$root/scripts/examples/handoff-report.png}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Run from a copy, so the report's command line reads as the README's does.
mkdir -p "$work/scripts/examples"
cp "$root/scripts/examples/handoff.runbook" "$work/scripts/examples/"
cd "$work"
SOURCE_DATE_EPOCH=1764000000 "$bin" run --quiet scripts/examples/handoff.runbook --report handoff.html
timeout -s KILL 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" --window-size=1200,800 --screenshot="$out" "file://$work/handoff.html" 2>/dev/null
python3 "$root/scripts/report/inspect.py" png "$out" --not-blank
