#!/usr/bin/env bash
# Issue 21's attention targets on this machine (native only, interleaved repetitions):
# bf16 prefill vs f32 (4096^2, causal and not) and the sliding window (16384, W = 4096) vs causal.
set -euo pipefail
bin="${1:-../../build/release/bench/accelbench}"
"$bin" run -b native -w 'attn:b=1,hq=8,hkv=8,sq=4096,skv=4096,d=128,causal=[0,1],dt=[f32,bf16]' \
  --repetitions 5 --min-samples 5 --min-time 0.5 --timeout 4 -o attn-prefill.json > attn-prefill.txt
"$bin" run -b native -w 'attn:b=1,hq=1,hkv=1,sq=16384,skv=16384,d=128,causal=1,dt=[f32,bf16],window=4096' \
  -w 'attn:b=1,hq=1,hkv=1,sq=16384,skv=16384,d=128,causal=1,dt=[f32,bf16]' --repetitions 3 \
  --min-samples 3 --min-time 0 --timeout 20 --warmup-time 0 -o window.json > window.txt
