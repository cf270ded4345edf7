#!/bin/bash
# alternating rounds: native, openblas, onednn on one workload, cold
w=$1; rounds=$2
for i in $(seq $rounds); do for b in native openblas onednn; do
${BIN:-/tmp/accelbench-cur} run -b $b --cache cold --repetitions 1 --min-samples 5 --min-time 0.3 --timeout 6 --warmup-time 0.05 -q -o /tmp/s8/r.json -w "$w" >/dev/null 2>&1
python3 -c "
import json
for r in json.load(open('/tmp/s8/r.json'))['results']:
  s=r['stats']; print('%s %-9s %-36s med %8.3f q1 %8.3f min %8.3f ms %s' % ('$(date +%H:%M:%S)', r['backend'], r['workload'], s['median_s']*1e3, s['q1_s']*1e3, s['min_s']*1e3, r['outcome']))"
done; done
