#!/usr/bin/env bash
# Issue 21's GEMM targets on this machine: decode-shaped (f32, bf16), 4096^3, small batches,
# with `accelbench peak --no-gemm` before and after for the triad. Usage: targets.sh BIN TAG
set -euo pipefail
bin="${1:-../../build/release/bench/accelbench}"; tag="${2:-targets}"
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-SkylakeX}"
"$bin" peak --no-gemm --repeats 10 --out "$tag-peak-before.json" > /dev/null
"$bin" run -b native,openblas,onednn -w 'gemm:m=4096,n=4096,k=4096,dt=[f32,bf16]' \
  -w 'gemm:m=[1,8,16,32],n=4096,k=4096,dt=[f32,bf16]' \
  -w 'gemm:m=40,n=40,k=64,batch=2048,dt=f32' -w 'gemm:m=4,n=128,k=1,batch=240,dt=f32' --repetitions 3 \
  --min-samples 5 --min-time 0.3 --timeout 4 --warmup-time 0.05 -o "$tag.json" > "$tag.txt"
"$bin" peak --no-gemm --repeats 10 --out "$tag-peak-after.json" > /dev/null
