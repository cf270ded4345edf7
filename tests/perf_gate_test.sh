#!/usr/bin/env bash
# The shipped CI gate (scripts/ci/perf-gate.sh --ab, the recipe docs/ci.md documents) on a
# 20-case suite (tests/fixtures/perf-gate-20.txt) of the mock test plugin:
#  1. base and new are the same build: PASS, exit 0, all 20 cases compared, none SLOWER;
#  2. new has a 2x slowdown planted in one case (MOCK_SLOWDOWN=2 MOCK_SLOWDOWN_M=72, the mock's
#     test-only switch: the work done twice, results still verified): exit 1, that case SLOWER,
#     no other case SLOWER;
#  3. the gate's second look: one round only (3 repetitions a side, too few for any verdict), so the
#     slowed case is UNSURE beyond the floor, is re-measured alone in the confirmation rounds and
#     ends SLOWER with 3 + 3 x 3 = 12 repetitions a side.
# Steps 2 and 3 are measured once more, and say so, when the planted case ends UNSURE: on a
# shared host a noisy stretch can leave even a 2x change inside the noise, and UNSURE is then
# the gate's correct answer. The second try must find it SLOWER; a gate that cannot see the
# slowdown fails both. Step 1 is never retried: a false alarm on identical builds is a failure.
# Usage: perf_gate_test.sh SOURCE_DIR ACCELBENCH MOCK_SLOWDOWN_PLUGIN_DIR WORK_DIR [plain|sanitized]
set -euo pipefail
source_dir="$1" accelbench="$2" plugin_dir="$3" work="$4"
if [ "${5:-plain}" = sanitized ]; then
  echo "SKIP: a timing acceptance test; under the sanitizers the timed code is instrumented (the release build runs it)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
export ACCELBENCH_SUITE="$source_dir/tests/fixtures/perf-gate-20.txt"
export ACCELBENCH_RUN_ARGS="--backend-dir $plugin_dir --backend mock --cache hot"
fail() { echo "FAIL: $*"; exit 1; }

# The "new build" with the planted slowdown: the same executable under the test-only switch.
slowed="$work/accelbench-slowed"
printf '#!/bin/sh\nMOCK_SLOWDOWN=2 MOCK_SLOWDOWN_M=72 exec "%s" "$@"\n' "$accelbench" >"$slowed"
chmod +x "$slowed"

status=0
ACCELBENCH_BIN="$accelbench" ACCELBENCH_OUT_DIR="$work/same" \
  bash "$source_dir/scripts/ci/perf-gate.sh" --ab "$accelbench" >"$work/same.log" 2>&1 || status=$?
cat "$work/same/compare.txt"
[ "$status" = 0 ] || { cat "$work/same.log"; fail "identical builds: exit $status, expected 0; $(grep -E -A1 "^(SLOWER|FAIL)" "$work/same/compare.txt" | tr -s " " | tr "\n" " ")"; }
grep -q '^PASS: 20 cases compared (0 SLOWER, 0 FAIL' "$work/same/compare.txt" || fail "identical builds: no PASS over 20 cases"

# slowed_gate NAME [VAR=VALUE ...]: the gate on the slowed build into $work/NAME (log NAME.log),
# its exit in $status; measured once more when the planted case ended UNSURE (see the top).
slowed_gate() {
  local name="$1" attempt
  shift
  for attempt in 1 2; do
    rm -rf "${work:?}/$name"
    status=0
    env "$@" ACCELBENCH_BIN="$slowed" ACCELBENCH_OUT_DIR="$work/$name" \
      bash "$source_dir/scripts/ci/perf-gate.sh" --ab "$accelbench" >"$work/$name.log" 2>&1 || status=$?
    if [ "$attempt" = 1 ] && grep -q '^UNSURE .* gemm:m=72,n=64,k=64,dt=f32 mock:0 hot' "$work/$name/compare.txt"; then
      echo "perf-gate test, $name: the planted 2x slowdown ended UNSURE (host noise); measuring once more:"
      grep -A1 '^UNSURE .* gemm:m=72,' "$work/$name/compare.txt"
      mv "$work/$name" "$work/$name-unsure" && mv "$work/$name.log" "$work/$name-unsure.log"
      continue
    fi
    return 0
  done
}

slowed_gate slowed
cat "$work/slowed/compare.txt"
planted_row() { grep -A1 'gemm:m=72,' "$work/slowed/compare.txt" | tr -s ' ' | tr '\n' ' '; }
[ "$status" = 1 ] || { cat "$work/slowed.log"; fail "planted slowdown: exit $status, expected 1; $(planted_row)"; }
grep -q '^REGRESSION: 20 cases compared (1 SLOWER, 0 FAIL' "$work/slowed/compare.txt" ||
  fail "planted slowdown: expected exactly 1 SLOWER of 20 cases; $(grep -E '^(PASS|REGRESSION)' "$work/slowed/compare.txt")"
grep -q '| \*\*SLOWER\*\* | `gemm:m=72,n=64,k=64,dt=f32` mock:0 hot |' "$work/slowed/compare.md" ||
  fail "planted slowdown: the slowed case gemm:m=72 is not the SLOWER one; $(planted_row)"
grep -q 'TEST-ONLY SLOWDOWN' "$work/slowed/new1.json" || fail "the slowed run does not say it was slowed"

slowed_gate second-look ACCELBENCH_ROUNDS=1
[ "$status" = 1 ] || { cat "$work/second-look.log"; fail "second look: exit $status, expected 1"; }
grep -q '^perf-gate: re-measuring the cases left UNSURE beyond the floor (3 more rounds): .*gemm:m=72,' \
  "$work/second-look.log" || { cat "$work/second-look.log"; fail "second look: gemm:m=72 was not re-measured"; }
grep -q '^SLOWER .* gemm:m=72,n=64,k=64,dt=f32 mock:0 hot' "$work/second-look/compare.txt" ||
  { cat "$work/second-look/compare.txt"; fail "second look: gemm:m=72 is not SLOWER after re-measuring"; }
grep -q 'NEW .*/new1.json (+3 pooled)' "$work/second-look/compare.txt" ||
  fail "second look: the three confirmation rounds were not pooled"
echo "perf-gate: PASS on identical builds, the planted 2x slowdown in 1 of 20 cases caught, at first sight and at the second look"
