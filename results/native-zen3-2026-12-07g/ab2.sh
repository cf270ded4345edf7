#!/bin/bash
# ab2.sh: like results/native-zen3-2026-12-07d/ab.sh, each variant also by environment:
# "name:VAR=1,VAR2=2" runs /tmp/accelbench-name with those variables set. sum.py FILE: medians per variant.
# usage: ab2.sh cache rounds "v:ENV=1 ..." workloads...  (variant name : env assignments, comma separated)
cache=$1; rounds=$2; variants=$3; shift 3
ws=(); for w in "$@"; do ws+=(-w "$w"); done
for i in $(seq $rounds); do for spec in $variants; do v=${spec%%:*}; e=${spec#*:}; [ "$e" = "$spec" ] && e=""
env ${e//,/ } /tmp/accelbench-$v run -b ${BACKEND:-native} --cache $cache --repetitions 1 --min-samples 5 --min-time 0.3 --timeout 1.5 --warmup-time 0.05 -q -o /tmp/ab-$i.json "${ws[@]}" >/dev/null 2>&1
python3 -c "
import json,sys
for r in json.load(open('/tmp/ab-$i.json'))['results']:
  s=r['stats']; print('%-12s %-36s med %7.3f q1 %7.3f min %7.3f ms %s' % ('$spec', r['workload'], s['median_s']*1e3, s['q1_s']*1e3, s['min_s']*1e3, r['outcome']))"
done; done
