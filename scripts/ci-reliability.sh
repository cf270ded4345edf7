#!/usr/bin/env bash
# Reliability gate (docs/reliability.md): the whole suite under AddressSanitizer + UBSan, then
# each libFuzzer target for a bounded time (default 30 s).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/test.sh asan
bash scripts/fuzz.sh 30
