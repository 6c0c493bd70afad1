#!/usr/bin/env bash
# Builds the client into dist/ (the launcher serves it to the web chat page); installs its toolchain the first time.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/typescript ] || npm ci --no-audit --no-fund --loglevel=error
npm run -s build
