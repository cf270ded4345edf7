#!/usr/bin/env bash
# Quick start, main job: install what is missing, build, run the default suite (smoke).
# Prints the results table, writes results/accelbench-results.json and the report (Markdown,
# CSV, HTML, JSON) in results/report/. Extra arguments go to `accelbench run`, e.g.
#   scripts/run.sh --suite gemm-llm
# Results are set against this machine's ceilings ("% of peak", "% of ceiling"): the quick ones
# (peak --no-gemm), measured on the first run and cached per machine (run --ceilings auto), or
# results/ceilings.json when present (accelbench peak --out results/ceilings.json: with the
# best-GEMM search too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" release
exe="$root/build/release/bench/accelbench"
results="$root/results/accelbench-results.json"
ceilings=(--ceilings auto)
[ -f "$root/results/ceilings.json" ] && ceilings=(--ceilings "$root/results/ceilings.json")
mkdir -p "$root/results"
status=0
"$exe" run --out "$results" "${ceilings[@]}" "$@" || status=$?
# The report is written whenever the run left a result file (also after failed cases or Ctrl-C:
# what was measured is reported); the run's exit code is kept.
if [ -f "$results" ]; then
  "$exe" report "$results" --out "$root/results/report" || status=$((status == 0 ? $? : status))
fi
exit "$status"
