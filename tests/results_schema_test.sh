#!/usr/bin/env bash
# The JSON Schema of the result file (docs/results.schema.json) against real files: the golden
# file, a committed older (1.x) result and a fresh run must validate, the edited copies must not
# (tests/results_schema_check.py).
# Debian's python3-jsonschema belongs to /usr/bin/python3 (PATH may start with a pyenv shim).
# Usage: results_schema_test.sh SOURCE_DIR ACCELBENCH WORK_DIR
set -euo pipefail
source_dir="$1" accelbench="$2" work="$3"
python=/usr/bin/python3
[ -x "$python" ] || { echo "skipped: $python not found"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
# One timed GEMM (two repetitions), one unsupported case: both kinds of record.
"$accelbench" run -w 'gemm:m=32,n=32,k=32,dt=f32' -w 'gemm:m=32,n=32,k=32,dt=f8e4m3' -b native --cache hot \
  --repetitions 2 --min-time 0.01 --warmup-time 0.01 --timeout 0.1 --quiet --out "$work/fresh.json"
"$python" "$source_dir/tests/results_schema_check.py" "$source_dir/docs/results.schema.json" \
  "$source_dir/tests/fixtures/golden_results.json" "$source_dir/results/examples/smoke-results.json" "$work/fresh.json"
