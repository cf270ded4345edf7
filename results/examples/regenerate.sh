#!/usr/bin/env bash
# Regenerates this folder from a real run on the machine it is run on (docs/reports.md):
# ceilings (accelbench peak), the smoke suite against them, the report in every format, and a
# screenshot of the HTML report (when Chromium is installed).
# Usage: results/examples/regenerate.sh [BUILD_DIR] [--report-only]
#   (default build/release; build it first. --report-only: re-render the report and the
#   screenshot from the committed results, measuring nothing)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
report_only=0
build_arg=""
for arg in "$@"; do
  if [[ "$arg" == --report-only ]]; then report_only=1; else build_arg="$arg"; fi
done
build="$(cd "${build_arg:-$here/../../build/release}" && pwd)"
exe="$build/bench/accelbench"
[[ -x "$exe" ]] || { echo "missing $exe: build first (scripts/setup.sh)" >&2; exit 2; }
cd "$here"
if [[ $report_only == 0 ]]; then
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" > load.txt
  "$exe" peak --out ceilings.json | tee peak.txt
  "$exe" run --suite smoke --ceilings ceilings.json --out smoke-results.json -q | tee run.txt
fi
"$exe" report smoke-results.json --out report --compare-to H100-SXM5,H20,Ascend-910B
[[ $report_only == 1 ]] || echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> load.txt
# The top of the HTML report (summary cards and roofline), as a person first sees it.
if [[ -x /usr/bin/chromium ]]; then
  profile="$(mktemp -d)"
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$profile" --window-size=1100,1280 --screenshot="$here/report-screenshot.png" \
    "file://$here/report/report.html" 2>/dev/null
  rm -rf "$profile"
fi
