#!/usr/bin/env bash
# Neovim's LSP client, headless, drives `runbook lsp` end to end (nvim-e2e.lua).
# usage: scripts/editors/nvim-e2e.sh [RUNBOOK_BINARY]   (default: the debug build)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/debug/runbook}
RUNBOOK_BIN=$(realpath "$bin") timeout 120 nvim --headless --clean -u NONE \
    -c "luafile scripts/editors/nvim-e2e.lua" </dev/null
