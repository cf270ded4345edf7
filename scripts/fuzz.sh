#!/usr/bin/env bash
# Bounded libFuzzer runs of every parser of user input (docs/reliability.md).
# Usage: scripts/fuzz.sh [SECONDS per target, default 30] [TARGET...]
# Builds the `fuzz` preset (clang, ASan + UBSan) if needed. New inputs go to build/fuzz/corpus/,
# crashes to build/fuzz/artifacts/; tests/fuzz/corpus/ (the committed seeds) is only read.
# A crash found becomes a regression test: add the input to the unit tests of that parser.
set -euo pipefail
seconds="${1:-30}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(workload suite result journal specs)
cd "$root"
source scripts/compiler-cache.sh
[ -f build/fuzz/build.ninja ] || cmake --preset fuzz "${compiler_cache_args[@]}" >/dev/null
cmake --build --preset fuzz --target "${targets[@]/#/fuzz_}"
mkdir -p build/fuzz/artifacts
status=0
for t in "${targets[@]}"; do
  case "$t" in
    workload) max_len=256 ;;
    suite) max_len=4096 ;;
    *) max_len=16384 ;;
  esac
  mkdir -p "build/fuzz/corpus/$t"
  echo "fuzz: $t for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "build/fuzz/tests/fuzz/fuzz_$t" "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" \
      -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="build/fuzz/artifacts/$t-" -print_final_stats=1 >"build/fuzz/$t.log" 2>&1; then
    echo "fuzz: $t FAILED; see build/fuzz/$t.log and build/fuzz/artifacts/"
    tail -40 "build/fuzz/$t.log"
    status=1
  else
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "build/fuzz/$t.log" | tail -2 | sed "s/^/fuzz: $t: /"
  fi
done
exit $status
