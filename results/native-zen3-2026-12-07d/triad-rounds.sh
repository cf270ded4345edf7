#!/bin/bash
# usage: triad-rounds.sh ROUNDS OUTDIR "VARIANTS" WORKLOAD...
# The host's memory bandwidth moved between 25 and 55 GB/s within ten minutes, so each round
# measures the triad (accelbench peak --no-gemm) right before running every variant's native
# GEMMs cold (binaries /tmp/accelbench-VARIANT); summarise with triad-rounds.py.
rounds=$1; out=$2; variants=$3; shift 3
ws=(); for w in "$@"; do ws+=(-w "$w"); done
mkdir -p "$out"
for i in $(seq "$rounds"); do
  /tmp/accelbench-${variants%% *} peak --no-gemm -q -o "$out/peak-$i.json" > /dev/null 2>&1
  for v in $variants; do
    /tmp/accelbench-$v run -b native --cache cold --repetitions 1 --min-samples 5 --min-time 0.3 --timeout 1.5 \
      --warmup-time 0.05 -q -o "$out/$v-$i.json" "${ws[@]}" > /dev/null 2>&1
  done
done
