#!/bin/bash
# Alternating processes, native then OpenBLAS, ROUNDS times, cold cache: m = 16 and 32 (f32).
# usage: m32-rounds.sh ROUNDS OUTDIR
rounds=$1; out=$2; mkdir -p "$out"
for i in $(seq "$rounds"); do for b in native openblas; do
  build/release/bench/accelbench run -b $b --cache cold --repetitions 1 --min-samples 5 --min-time 0.3 \
    --timeout 1.5 -q -o "$out/$b-$i.json" -w 'gemm:m=32,n=4096,k=4096,dt=f32' \
    -w 'gemm:m=16,n=4096,k=4096,dt=f32' >/dev/null 2>&1
done; done
python3 - "$rounds" "$out" <<'PY'
import json, statistics, sys
rounds, out = int(sys.argv[1]), sys.argv[2]
med = lambda f: {r['workload']: r['median_s'] for r in json.load(open(f))['results'] if r['outcome'] == 'passed'}
ratios = {}
for i in range(1, rounds + 1):
    n, o = med(f'{out}/native-{i}.json'), med(f'{out}/openblas-{i}.json')
    for w in n:
        ratios.setdefault(w, []).append((n[w], o[w], o[w] / n[w]))
for w, v in ratios.items():
    print(w, 'native ms', ' '.join('%.2f' % (x[0] * 1e3) for x in v), '| openblas ms', ' '.join('%.2f' % (x[1] * 1e3) for x in v))
    print('   openblas/native per round', ' '.join('%.2f' % x[2] for x in v), ' median %.2f' % statistics.median(x[2] for x in v))
PY
