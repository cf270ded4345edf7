#!/usr/bin/env bash
# The performance-regression gate a CI job runs (docs/ci.md): measure a suite, compare, write the
# Markdown, JUnit and text reports, and exit as `accelbench compare` does: 0 no regression, 1
# regression, incorrect result or nothing compared, 2 bad input (e.g. a baseline from another
# machine: refresh it with --update-baseline).
#
# Usage: scripts/ci/perf-gate.sh --ab BASE_BIN      the recommended gate for pull requests:
#            interleaved A/B runs of the base build (BASE_BIN) and this build, pooled per side
#        scripts/ci/perf-gate.sh                    compare with this runner's stored baseline
#        scripts/ci/perf-gate.sh --update-baseline  measure and store as the baseline (main)
# Environment (all optional):
#   ACCELBENCH_BIN           this build's executable (default build/release/bench/accelbench)
#   ACCELBENCH_SUITE         suite name or file (default smoke)
#   ACCELBENCH_ROUNDS        --ab: rounds, each one run of base and one of new (default 3)
#   ACCELBENCH_CONFIRM_ROUNDS --ab: more rounds, of only the cases the first comparison left
#                            UNSURE with a change beyond the floor (default 3; 0: none)
#   ACCELBENCH_REPETITIONS   repetitions per run, interleaved across cases (default 3 with --ab,
#                            so each side pools 3 x 3 = 9; 9 without); a side needs >= 5 in all
#   ACCELBENCH_RUN_ARGS      more `accelbench run` arguments (e.g. "--backend openblas,onednn")
#   ACCELBENCH_COMPARE_ARGS  more `accelbench compare` arguments (e.g. "--fail-on-unsure")
#   ACCELBENCH_BASELINE_DIR  where stored baselines live (default ~/.cache/accelbench-baselines)
#   ACCELBENCH_OUT_DIR       where the results and compare.md, compare.xml, compare.txt go
#                            (default perf-out)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${ACCELBENCH_BIN:-$root/build/release/bench/accelbench}"
suite="${ACCELBENCH_SUITE:-smoke}"
baseline_dir="${ACCELBENCH_BASELINE_DIR:-$HOME/.cache/accelbench-baselines}"
out="${ACCELBENCH_OUT_DIR:-perf-out}"
mode=baseline base_bin=""
case "${1:-}" in
  --update-baseline) mode=update ;;
  --ab)
    mode=ab
    base_bin="${2:-}"
    [ -n "$base_bin" ] || { echo "perf-gate: --ab needs the base build's accelbench executable" >&2; exit 2; }
    ;;
  "") ;;
  *) echo "perf-gate: unknown argument '$1'; accepted: --ab BASE_BIN, --update-baseline" >&2; exit 2 ;;
esac
rounds="${ACCELBENCH_ROUNDS:-3}"
confirm_rounds="${ACCELBENCH_CONFIRM_ROUNDS:-3}"
for setting in "ACCELBENCH_ROUNDS=$rounds" "ACCELBENCH_CONFIRM_ROUNDS=$confirm_rounds"; do
  case "${setting#*=}" in
    '' | *[!0-9]*)
      echo "perf-gate: ${setting%%=*} '${setting#*=}': accepted: a whole number, e.g. 3" >&2
      exit 2
      ;;
  esac
done
[ "$rounds" -ge 1 ] || { echo "perf-gate: ACCELBENCH_ROUNDS '$rounds': accepted: 1 or more" >&2; exit 2; }
if [ "$mode" = ab ]; then repetitions="${ACCELBENCH_REPETITIONS:-3}"; else repetitions="${ACCELBENCH_REPETITIONS:-9}"; fi
mkdir -p "$out"

# One measurement: BIN OUT_FILE [more run arguments]. run exits 1 when a case is incorrect or failed (compare reports it
# as FAIL); 2 and above is a usage or input error and ends the gate.
measure() {
  local status=0
  # shellcheck disable=SC2086  # the *_ARGS variables are word lists on purpose
  "$1" run --suite "$suite" --repetitions "$repetitions" --out "$2" --quiet ${ACCELBENCH_RUN_ARGS:-} "${@:3}" ||
    status=$?
  if [ "$status" -ge 2 ]; then
    echo "perf-gate: accelbench run failed (exit $status): $1" >&2
    exit "$status"
  fi
  return "$status"
}

# compare BASE NEW [more compare arguments]: the three reports; exits as compare does.
compare_and_report() {
  local status=0
  # shellcheck disable=SC2086
  "$bin" compare "$@" --format md --out "$out/compare.md" ${ACCELBENCH_COMPARE_ARGS:-} 2>"$out/compare.err" ||
    status=$?
  if [ "$status" -ge 2 ]; then
    # Bad input (another machine, an unreadable baseline): say so in the comment too.
    local fence='```'
    printf '## accelbench compare: could not compare\n\n%s\n%s\n%s\n' "$fence" "$(cat "$out/compare.err")" "$fence" \
      >"$out/compare.md"
    cat "$out/compare.err" >&2
    exit "$status"
  fi
  # shellcheck disable=SC2086
  "$bin" compare "$@" --format junit --out "$out/compare.xml" ${ACCELBENCH_COMPARE_ARGS:-} >/dev/null || true
  # shellcheck disable=SC2086
  "$bin" compare "$@" ${ACCELBENCH_COMPARE_ARGS:-} | tee "$out/compare.txt" || true
  exit "$status"
}

if [ "$mode" = ab ]; then
  # Base and new alternate as processes (A B, then B A, ...), so a change of machine load falls on
  # both sides alike; inside each run the repetitions of all cases are randomly interleaved.
  pool=()
  ab_round() {  # ROUND [more run arguments]
    local round="$1"
    shift
    if [ $((round % 2)) = 1 ]; then
      measure "$base_bin" "$out/base$round.json" "$@" || true
      measure "$bin" "$out/new$round.json" "$@" || true
    else
      measure "$bin" "$out/new$round.json" "$@" || true
      measure "$base_bin" "$out/base$round.json" "$@" || true
    fi
    if [ "$round" -gt 1 ]; then pool+=(--pool-base "$out/base$round.json" --pool-new "$out/new$round.json"); fi
  }
  for round in $(seq 1 "$rounds"); do ab_round "$round"; done
  # A second look: a change beyond the floor that a noisy stretch left UNSURE is measured again,
  # those cases only, and pooled; a real regression then clears the noise, a fluke fades. (Two
  # looks at most double the false-alarm rate, from alpha to 2 alpha: docs/ci.md.)
  if [ "$confirm_rounds" -gt 0 ]; then
    status=0
    # shellcheck disable=SC2086
    unsure="$("$bin" compare "$out/base1.json" "$out/new1.json" "${pool[@]}" --format rerun \
      ${ACCELBENCH_COMPARE_ARGS:-} 2>"$out/compare.err")" || status=$?
    if [ "$status" -ge 2 ]; then compare_and_report "$out/base1.json" "$out/new1.json" "${pool[@]}"; fi
    if [ -n "$unsure" ]; then
      echo "perf-gate: re-measuring the cases left UNSURE beyond the floor ($confirm_rounds more rounds): $unsure"
      for round in $(seq $((rounds + 1)) $((rounds + confirm_rounds))); do
        ab_round "$round" "--benchmark_filter=$unsure"
      done
    fi
  fi
  compare_and_report "$out/base1.json" "$out/new1.json" "${pool[@]}"
fi

mkdir -p "$baseline_dir"
# One baseline per suite and runner host: compare refuses files from different machines anyway.
baseline="$baseline_dir/$(basename "$suite" .txt)-$(hostname -s).json"
run_status=0
measure "$bin" "$out/new.json" || run_status=$?
if [ "$mode" = update ]; then
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
compare_and_report "$baseline" "$out/new.json"
