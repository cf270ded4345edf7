#!/usr/bin/env bash
# Reliability gate (docs/reliability.md), run by .ci/run: the whole ctest suite under
# AddressSanitizer + UBSan (the asan preset builds the backends as plugins), then each libFuzzer
# target for a bounded time (default 20 s; scripts/fuzz.sh 600 is the long run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/test.sh asan
bash scripts/fuzz.sh "${1:-20}"
