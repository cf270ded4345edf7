#!/usr/bin/env bash
# Regenerates this folder from a real run on the machine it is run on (docs/reports.md):
# ceilings (accelbench peak), the smoke suite against them, and the report in every format.
# Usage: results/examples/regenerate.sh [BUILD_DIR]   (default build/release; build it first)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "${1:-$here/../../build/release}" && pwd)"
exe="$build/bench/accelbench"
[[ -x "$exe" ]] || { echo "missing $exe: build first (scripts/setup.sh)" >&2; exit 2; }
cd "$here"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" > load.txt
"$exe" peak --out ceilings.json | tee peak.txt
"$exe" run --suite smoke --ceilings ceilings.json --out smoke-results.json -q | tee run.txt
"$exe" report smoke-results.json --out report --compare-to H100-SXM5,H20,Ascend-910B
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> load.txt
