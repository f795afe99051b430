#!/usr/bin/env bash
# Fuzzes the whole path, bytes -> lexer -> parser -> formatter -> interpreter, with
# libFuzzer and AddressSanitizer (Sources/RunbookFuzz states the properties it checks).
#   scripts/fuzz/run.sh [SECONDS] [JOBS]      (default 600 seconds, 1 job)
# The corpus lives in .build-fuzz/corpus, seeded from scripts/examples, scripts/acceptance
# and the golden runbooks; crashing inputs are written to .build-fuzz/crashes/. Every input
# that ever failed belongs in Tests/RunbookLanguageTests/FuzzRegressionTests.swift.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
jobs=${2:-1}
RUNBOOK_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product RunbookFuzz \
    --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address >&2
corpus=.build-fuzz/corpus
mkdir -p "$corpus" .build-fuzz/crashes
find scripts/examples scripts/acceptance Tests/RunbookCLITests/golden -name '*.runbook' -exec cp {} "$corpus/" \;
parallel=()
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")  # workers log to .build-fuzz/fuzz-N.log
cd .build-fuzz
SWIFT_BACKTRACE=enable=no ./release/RunbookFuzz corpus "${parallel[@]}" \
    -max_total_time="$seconds" -max_len=4096 -artifact_prefix=crashes/ -print_final_stats=1
