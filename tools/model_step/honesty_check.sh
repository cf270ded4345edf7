#!/usr/bin/env bash
# The model projection's honesty check on this machine (docs/performance.md): for each case,
# the per-kernel results of `accelbench run` projected to a step (`accelbench model project`,
# every kernel labelled measured) against the same kernels run back to back
# (accelbench_model_step). Prints one line per case: projected, direct, ratio.
# Usage: tools/model_step/honesty_check.sh OUT_DIR [BUILD_DIR] [BACKEND] [DT]
# Threads: as the environment says (OMP_NUM_THREADS=1 on a shared machine: an OpenMP barrier
# whose other thread is descheduled turns a 7 ms attention into 500 ms).
set -euo pipefail
out="$1"
build="${2:-build/release}"
backend="${3:-onednn}"
dt="${4:-f32}"
exe="$build/bench/accelbench"
step="$build/tools/accelbench_model_step"
mkdir -p "$out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}" > "$out/load.txt"
# model phase batch tokens layers; CASES="llama3-8b decode 1 1024 2;..." replaces the list.
cases=(
  "llama3-8b decode 1 1024 2"
  "llama3-8b decode 4 2048 1"
  "llama3-8b decode 2 512 2"
  "llama3-8b prefill 1 512 1"
  "llama3-8b prefill 2 256 1"
)
if [[ -n "${CASES:-}" ]]; then IFS=';' read -r -a cases <<< "$CASES"; fi
for c in "${cases[@]}"; do
  read -r model phase batch tokens layers <<< "$c"
  name="$model-$phase-b$batch-t$tokens-l$layers-$dt"
  flag=--context
  [[ $phase == prefill ]] && flag=--prompt
  "$exe" model lower "$model" --phase "$phase" --batch "$batch" "$flag" "$tokens" --layers "$layers" --dt "$dt" \
    > "$out/$name.suite.txt"
  "$exe" run --suite "$out/$name.suite.txt" -b "$backend" --out "$out/$name.results.json" -q > /dev/null
  device=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['device']['name'])" \
    "$out/$name.results.json")
  "$exe" model project "$model" --phase "$phase" --batch "$batch" "$flag" "$tokens" --layers "$layers" --dt "$dt" \
    --results "$out/$name.results.json" --device "$device" > "$out/$name.projection.txt"
  "$step" "$model" --phase "$phase" --batch "$batch" --tokens "$tokens" --layers "$layers" --dt "$dt" \
    -b "$backend" --repeats "${REPEATS:-11}" --interleave > "$out/$name.direct.json"
  python3 - "$out/$name.projection.txt" "$out/$name.direct.json" "$out/$name.suite.txt" \
    "$out/$name.results.json" "$name" <<'PY'
import json, re, sys
projection, direct_file, suite, results, name = sys.argv[1:6]
line = next(l for l in open(projection).read().splitlines() if l.strip().startswith("step time"))
value, unit, label = re.search(r"step time\s+([0-9.]+)\s*(s|ms|µs|us)\s+(\S+)", line).groups()
projected = float(value) * {"s": 1, "ms": 1e-3, "µs": 1e-6, "us": 1e-6}[unit]
direct = json.load(open(direct_file))
# The same sum over each kernel's fastest sample, against the fastest direct step: the figures
# least disturbed by other load on the machine.
counts = {}
for l in open(suite):
    if l.startswith("#"):
        continue
    work, comment = l.split("#", 1)
    counts[work.strip()] = int(re.search(r" x([0-9]+) per step", comment).group(1))
fastest = {}
for r in json.load(open(results))["results"]:
    if r["outcome"] == "passed":
        fastest[r["workload"]] = min(fastest.get(r["workload"], 1e30), r["stats"]["min_s"])
projected_min = sum(n * fastest[w] for w, n in counts.items())
print(f"{name}: median: projected {projected*1e3:.1f} ms ({label}), direct {direct['median_s']*1e3:.1f} ms, "
      f"ratio {projected/direct['median_s']:.3f}; min: projected {projected_min*1e3:.1f} ms, "
      f"direct {direct['min_s']*1e3:.1f} ms, ratio {projected_min/direct['min_s']:.3f}; interleaved in one "
      f"process: kernel sum {direct['kernel_sum_median_s']*1e3:.1f} ms, median of round ratios "
      f"{direct['median_of_round_ratios']:.3f}")
PY
done | tee "$out/summary.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
