#!/usr/bin/env bash
# Quick start, main job: install what is missing, build, run the default suite (smoke).
# Prints the results table and writes results/accelbench-results.json.
# Extra arguments go to `accelbench run`, e.g. scripts/run.sh --suite gemm-llm
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" release
mkdir -p "$root/results"
exec "$root/build/release/bench/accelbench" run --out "$root/results/accelbench-results.json" "$@"
