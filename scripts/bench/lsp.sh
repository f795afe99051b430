#!/usr/bin/env bash
# The language server's speed with a client of its own (scripts/bench/lsp.py), on the
# release build: diagnostics after one-character edits of a 5,000-line runbook with 20
# scenarios, hover and completion, and memory over 10,000 edits; then the outline
# (documentSymbol) of a 10,000-line document of 200,000 names (scripts/bench/outline.py).
#   scripts/bench/lsp.sh [EDITS] [MEMORY_EDITS]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(scripts/build-release.sh)
python3 scripts/bench/lsp.py "$bin" "${1:-500}" "${2:-10000}"
python3 scripts/bench/outline.py "$bin"
