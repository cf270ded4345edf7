#!/bin/bash
# usage: ab.sh cache rounds "variants" workloads...
cache=$1; rounds=$2; variants=$3; shift 3
ws=(); for w in "$@"; do ws+=(-w "$w"); done
for i in $(seq $rounds); do for v in $variants; do
/tmp/accelbench-$v run -b ${BACKEND:-native} --cache $cache --repetitions 1 --min-samples 5 --min-time 0.3 --timeout 1.5 --warmup-time 0.05 -q -o /tmp/ab-$v-$i.json "${ws[@]}" >/dev/null 2>&1
python3 -c "
import json,sys
for r in json.load(open('/tmp/ab-$v-$i.json'))['results']:
  s=r['stats']; print('%-6s %-36s med %7.3f q1 %7.3f min %7.3f ms' % ('$v', r['workload'], s['median_s']*1e3, s['q1_s']*1e3, s['min_s']*1e3))"
done; done
