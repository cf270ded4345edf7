#!/usr/bin/env bash
# The performance-regression gate a CI job runs (docs/ci.md): measure a suite on this machine,
# compare it with this machine's stored baseline, write the Markdown and JUnit reports, and exit
# as `accelbench compare` does: 0 no regression, 1 regression or incorrect result, 2 bad input
# (e.g. the baseline came from another machine: refresh it with --update-baseline).
#
# Usage: scripts/ci/perf-gate.sh               measure and compare (pull/merge requests)
#        scripts/ci/perf-gate.sh --update-baseline   measure and store as the baseline (main)
# Environment (all optional):
#   ACCELBENCH_BIN           the executable (default build/release/bench/accelbench)
#   ACCELBENCH_SUITE         suite name or file (default smoke)
#   ACCELBENCH_REPETITIONS   repetitions per case, interleaved across cases (default 9; >= 5)
#   ACCELBENCH_RUN_ARGS      more `accelbench run` arguments (e.g. "--backend openblas,onednn")
#   ACCELBENCH_COMPARE_ARGS  more `accelbench compare` arguments (e.g. "--fail-on-unsure")
#   ACCELBENCH_BASELINE_DIR  where baselines live on the runner (default ~/.cache/accelbench-baselines)
#   ACCELBENCH_OUT_DIR       where new.json, compare.md, compare.xml, compare.txt go (default perf-out)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${ACCELBENCH_BIN:-$root/build/release/bench/accelbench}"
suite="${ACCELBENCH_SUITE:-smoke}"
repetitions="${ACCELBENCH_REPETITIONS:-9}"
baseline_dir="${ACCELBENCH_BASELINE_DIR:-$HOME/.cache/accelbench-baselines}"
out="${ACCELBENCH_OUT_DIR:-perf-out}"
update=0
[ "${1:-}" = "--update-baseline" ] && update=1

mkdir -p "$out" "$baseline_dir"
# One baseline per suite and runner host: compare refuses files from different machines anyway.
baseline="$baseline_dir/$(basename "$suite" .txt)-$(hostname -s).json"

run_status=0
# shellcheck disable=SC2086  # the *_ARGS variables are word lists on purpose
"$bin" run --suite "$suite" --repetitions "$repetitions" --out "$out/new.json" --quiet ${ACCELBENCH_RUN_ARGS:-} ||
  run_status=$?
if [ "$run_status" -ge 2 ]; then
  echo "perf-gate: accelbench run failed (exit $run_status)" >&2
  exit "$run_status"
fi
# run exits 1 when a case is incorrect or failed: compare reports it as FAIL below.

if [ "$update" = 1 ]; then
  cp "$out/new.json" "$baseline.tmp" && mv "$baseline.tmp" "$baseline"
  echo "perf-gate: baseline updated: $baseline"
  exit "$run_status"
fi
if [ ! -f "$baseline" ]; then
  cp "$out/new.json" "$baseline"
  printf '## accelbench compare: no baseline yet\n\nThis run (%s) is now the baseline for %s on %s.\n' \
    "$suite" "$suite" "$(hostname -s)" >"$out/compare.md"
  echo "perf-gate: no baseline at $baseline; this run is stored as the baseline"
  exit "$run_status"
fi

status=0
# shellcheck disable=SC2086
"$bin" compare "$baseline" "$out/new.json" --format md --out "$out/compare.md" ${ACCELBENCH_COMPARE_ARGS:-} \
  2>"$out/compare.err" || status=$?
if [ "$status" -ge 2 ]; then
  # Bad input (another machine, an unreadable baseline): say so in the comment too.
  fence='```'
  printf '## accelbench compare: could not compare\n\n%s\n%s\n%s\n' "$fence" "$(cat "$out/compare.err")" "$fence" \
    >"$out/compare.md"
  cat "$out/compare.err" >&2
  exit "$status"
fi
# shellcheck disable=SC2086
"$bin" compare "$baseline" "$out/new.json" --format junit --out "$out/compare.xml" ${ACCELBENCH_COMPARE_ARGS:-} \
  >/dev/null || true
# shellcheck disable=SC2086
"$bin" compare "$baseline" "$out/new.json" ${ACCELBENCH_COMPARE_ARGS:-} | tee "$out/compare.txt" || true
exit "$status"
