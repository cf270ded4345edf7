#!/usr/bin/env bash
# accelbench_native_extras row-kernel (tools/native_extras): one verified JSON line per run with
# the row kernel's rate, f32 and bf16, odd sizes, hot and --cold; pool-wake: one JSON line; bad
# input exits 2 with one line naming the field and the accepted form.
# Usage: native_extras_test.sh NATIVE_EXTRAS_EXECUTABLE
set -euo pipefail
tool="$1"
fail() { echo "FAIL: $*"; exit 1; }

for dtype in f32 bf16; do
  for rows in 1 3 8; do
    line="$("$tool" row-kernel "$rows" --n 100 --k 9 --dtype "$dtype" --calls 3)" ||
      fail "row-kernel $rows --dtype $dtype: exit $?"
    echo "$line"
    grep -q "^{\"rows\": $rows, \"n\": 100, \"k\": 9, \"dtype\": \"$dtype\", .*\"verified\": true," <<<"$line" ||
      fail "row-kernel $rows --dtype $dtype: not the expected verified line"
    if ! grep -Eq '"fma_per_cycle": [0-9]+\.[0-9]+' <<<"$line" || grep -q '"fma_per_cycle": 0.00' <<<"$line"; then
      fail "row-kernel $rows --dtype $dtype: no positive rate"
    fi
  done
done

line="$("$tool" row-kernel 4 --n 64 --k 16 --dtype bf16 --calls 5 --cold)" || fail "row-kernel --cold: exit $?"
echo "$line"
grep -q '"cache": "cold", .*"verified": true,' <<<"$line" || fail "row-kernel --cold: not a verified cold line"

# bad input: ARGS | the words its one-line error must hold
while IFS='|' read -r args expected; do
  status=0
  # shellcheck disable=SC2086  # ARGS is a word list on purpose
  err="$("$tool" row-kernel $args 2>&1 >/dev/null)" || status=$?
  [ "$status" = 2 ] || fail "row-kernel $args: exit $status, expected 2"
  [ "$(wc -l <<<"$err")" = 1 ] || fail "row-kernel $args: expected one line, got: $err"
  grep -qF -- "$expected" <<<"$err" || fail "row-kernel $args: '$err' does not say '$expected'"
done <<'CASES'
9|ROWS 9: expected 1 to 8
0|ROWS 0: expected 1 to 8
x|ROWS: expected a count of rows of C
4 --dtype f16|--dtype 'f16': expected f32 or bf16
4 --n|--n: expected a value after it
4 --k -3|--k: expected a count of B rows
4 --bogus 1|unknown option '--bogus'
CASES
# pool-wake: one JSON line with both delays (how they compare is for docs/performance.md, not a
# test); one CPU is refused with the reason, as is bad input.
if [ "$(nproc)" -ge 2 ]; then
  line="$("$tool" pool-wake --idle-us 2000 --calls 5)" || fail "pool-wake: exit $?"
  echo "$line"
  grep -Eq '^\{"threads": [0-9]+, "idle_us": 2000, "calls": 5, "asleep_median_us": [0-9.]+, "asleep_q3_us": [0-9.]+, "woken_median_us": [0-9.]+, "woken_q3_us": [0-9.]+\}$' <<<"$line" ||
    fail "pool-wake: not the expected line"
fi
while IFS='|' read -r args expected; do
  status=0
  # shellcheck disable=SC2086  # ARGS is a word list on purpose
  err="$(env $args 2>&1 >/dev/null)" || status=$?
  [ "$status" = 2 ] || fail "$args: exit $status, expected 2"
  [ "$(wc -l <<<"$err")" = 1 ] || fail "$args: expected one line, got: $err"
  grep -qF -- "$expected" <<<"$err" || fail "$args: '$err' does not say '$expected'"
done <<CASES
ACCELBENCH_NATIVE_THREADS=1 $tool pool-wake|pool-wake: needs 2 or more threads
$tool pool-wake --idle-us x|--idle-us: expected microseconds of idle sleep
$tool pool-wake --calls|--calls: expected a value after it
$tool pool-wake --bogus 1|unknown option '--bogus'
CASES
echo "native_extras row-kernel and pool-wake: verified lines for f32 and bf16, bad input refused with exit 2"
