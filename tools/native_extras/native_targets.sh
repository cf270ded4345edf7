#!/usr/bin/env bash
# The native kernels' targets, measured side by side in ONE accelbench run:
#   native fused attention vs the best f32 GEMM (native, OpenBLAS, oneDNN) and the composed
#   attention of OpenBLAS and oneDNN; causal vs non-causal time; bf16 decode bandwidth vs a
#   STREAM triad; peak memory at sq = skv = 32768; PyTorch CPU attention as an outside peer
#   (the torch backend, when it is available). Prints a Markdown summary; raw results stay in $OUT.
# Usage: tools/native_extras/native_targets.sh [BUILD_DIR] [OUT_DIR]
#   BUILD_DIR defaults to build/release, OUT_DIR to results/native-targets.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/release}"
out="${2:-$root/results/native-targets}"
exe="$build/bench/accelbench"
extras="$build/tools/accelbench_native_extras"
for f in "$exe" "$extras"; do
  [[ -x "$f" ]] || { echo "missing $f: build first (cmake --build $build)" >&2; exit 2; }
done
mkdir -p "$out"
# Debian's OpenBLAS 0.3.21 does not know Sapphire/Emerald Rapids (family 6 model 143/207) and
# falls back to its Prescott (SSE3) kernels, 5x slower there; "the best f32 GEMM on this
# machine" must be OpenBLAS at its best, so on AVX-512 CPUs ask for its SkylakeX kernels unless
# the caller chose a core type. (accelbench records OpenBLAS's core name in every result.)
if grep -qw avx512f /proc/cpuinfo && [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}" > "$out/environment.txt"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/load.txt"

# 1. One run: GEMM peers, attention (native + composed), bf16 attention and decode. Three
#    repetitions interleaved in random order, so load that drifts during the run (shared
#    machines) hits every backend alike instead of whichever case ran at the time.
"$exe" run -b native,openblas,onednn --out "$out/run.json" --repetitions 3 --min-samples 3 --min-time 1 --timeout 15 \
  -w 'gemm:m=4096,n=4096,k=4096,dt=[f32,bf16]' \
  -w 'attn:b=1,hq=8,hkv=8,sq=4096,skv=4096,d=128,causal=[0,1],dt=[f32,bf16]' \
  -w 'attn:b=8,hq=32,hkv=8,sq=1,skv=8192,d=128,causal=0,dt=[bf16,f32]' | tee "$out/run.txt" || true

# 1b. bf16 GEMM without AMX: both sides on vdpbf16ps (our avx512bf16 table, oneDNN capped at
#     AVX512_CORE_BF16; its verbose lines name the implementation). On a CPU with AMX this is an
#     emulation of a Zen 4-class ISA, not of its speed (docs/native-kernels.md); where the CPU has
#     no AVX512-BF16 the native side is unavailable and the summary says "not measurable here".
if grep -qw avx512_bf16 /proc/cpuinfo; then
  ACCELBENCH_NATIVE_ISA=avx512bf16 ONEDNN_MAX_CPU_ISA=AVX512_CORE_BF16 ONEDNN_VERBOSE=1 \
    "$exe" run -b native,onednn --out "$out/gemm-no-amx.json" --repetitions 3 --min-samples 3 --min-time 1 --timeout 15 \
    -w 'gemm:m=4096,n=4096,k=4096,dt=bf16' > "$out/gemm-no-amx.log" 2>&1 || true
  grep -a 'onednn_verbose,exec' "$out/gemm-no-amx.log" | cut -d, -f1-5 | sort | uniq -c || true
fi

# 2. Memory bandwidth: `accelbench peak` (the decode target's reference; --no-gemm: clock, FMA
#    and triad only), and our own triad with the native kernels' thread pinning.
"$exe" peak --no-gemm --out "$out/peak.json" > "$out/peak.txt" 2>&1 || true
"$extras" triad --mib 256 > "$out/triad.json"
# Decode CPU time vs wall time: how much of the CPUs the kernel got (shared machines).
for dt in bf16 f32; do
  "$extras" cpu-time "attn:b=8,hq=32,hkv=8,sq=1,skv=8192,d=128,causal=0,dt=$dt"
done > "$out/decode-cpu.json"

# vdpbf16ps against FMA instruction rate: whether this CPU's bf16 attention can beat f32
# (docs/performance.md); exits 77 on CPUs without AVX512-BF16.
"$build/tools/accelbench_dpbf16_rate" > "$out/dpbf16-rate.txt" 2>&1 || true

# 3. Peak memory of the fused attention at sq = skv = 32768.
"$extras" peak-memory 'attn:b=1,hq=8,hkv=8,sq=32768,skv=32768,d=128,causal=1,dt=f32' > "$out/memory.json"

# 4. PyTorch CPU attention (outside peer), same shapes: the torch backend (docs/torch-backend.md),
# verified and timed by the engine like the rest, when it is available (python3-torch, or the
# Python named by ACCELBENCH_PYTHON).
if "$exe" list backends | grep -qE '^torch +available'; then
  "$exe" run -b torch --out "$out/torch.json" --repetitions 1 --min-samples 3 --min-time 1 --timeout 15 \
    -w 'attn:b=1,hq=8,hkv=8,sq=4096,skv=4096,d=128,causal=[0,1],dt=[f32,bf16]' \
    -w 'attn:b=8,hq=32,hkv=8,sq=1,skv=8192,d=128,causal=0,dt=[bf16,f32]' | tee "$out/torch.txt" || true
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"

python3 "$root/tools/native_extras/native_targets_summary.py" "$out"
