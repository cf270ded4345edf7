#!/usr/bin/env bash
# One-shot GPU check: everything the first short session on an H100/H200 should
# measure, from a relocatable bundle (scripts/make-bundle.sh), with no set-up beyond unpacking.
# Every step has its own timeout and the whole run a wall budget (default 450 s < 8 min), so one
# hanging step cannot eat the GPU session. It never changes the card's clocks or settings
# (nvidia-smi is only queried). Every accelbench command runs with a cleared environment
# (env -i; only PATH, HOME and the CUDA/Python locations named below pass through).
#
# Order: the "Confirm on the GPU first" list of docs/cuda.md, then the measurements.
#   versions   nvidia-smi (card, driver, CUDA), uname, the bundle's version, python/torch versions
#   list       list backends, list backends --verbose, list devices          (confirm 1, 3, 8)
#   isolate    run --isolate -b cuda,cuda_tuned gemm 1024^3 bf16              (confirm 1, 6)
#   gpu-tests  the bundle's bin/test_cuda_gpu, or ctest -L gpu in --build DIR  (confirm 2, 4)
#   decode     small decode attention, cold then hot cache                    (confirm 5)
#   reuse      a cuDNN attention case, 2 repetitions: plan reused             (confirm 7)
#   suite-*    compact suite on cuda, cuda_tuned (and torch when that backend exists):
#              GEMM bf16/f16/f8e4m3/tf32/f32 at 8192^3 and two LLM projection shapes (tb=t);
#              bf16 attention b=1..4, hq=32, hkv=8, s=4096, d=128, causal and not; a decode case
#   torch      scripts/gpu-check-torch.py: torch.matmul / SDPA with CUDA events, same shapes
#   peak       accelbench peak --no-gemm (the host CPU's ceilings; the GPU's dense spec comes
#              from the spec database in the report)
#   report     accelbench report (vs H100-SXM5, H20, Ascend-910B) and the torch ratio table
# A step that needs a GPU where none is usable is recorded as "unavailable: <why>", not failed.
#
# Usage: scripts/gpu-check.sh --bundle TARBALL|DIR [--out DIR] [--build DIR] [--budget S] [--step-cap S] [--dry]
#   --bundle   the tarball from make-bundle.sh, or an extracted bundle folder
#   --out      output folder (default: gpu-check-<UTC date>-<host>); must not exist or be empty
#   --build    a build tree for `ctest -L gpu` when the bundle has no bin/test_cuda_gpu
#   --budget   wall-clock seconds for the whole run (default 450)
#   --step-cap S  cap every step's timeout at S seconds (tests: a hanging step times out quickly)
#   --dry      CPU machine: also run every path with the reference backend on tiny shapes (their
#              cases join the torch list); GPU steps say unavailable (the ctest gpu_check_dry)
# Exit: 0 every step passed or was unavailable, 1 some step failed or timed out, 2 bad usage.
# Results: <out>/summary.md (steps, checks, torch ratios), <out>/logs/, <out>/*.json, <out>/report/.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bundle_arg="" out="" build="" budget=450 dry=0 step_cap=0
usage() { sed -n '2,34p' "${BASH_SOURCE[0]}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle_arg="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; shift 2 ;;
    --build) build="${2:-}"; shift 2 ;;
    --budget) budget="${2:-}"; shift 2 ;;
    --dry) dry=1; shift ;;
    --step-cap) step_cap="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "gpu-check.sh: unknown argument '$1'; accepted: --bundle, --out, --build, --budget, --step-cap, --dry" >&2; exit 2 ;;
  esac
done
[ -n "$bundle_arg" ] || { echo "gpu-check.sh: --bundle TARBALL|DIR is required" >&2; exit 2; }
[[ "$budget" =~ ^[0-9]+$ ]] && [ "$budget" -ge 30 ] || { echo "gpu-check.sh: --budget '$budget': seconds, at least 30" >&2; exit 2; }
[[ "$step_cap" =~ ^[0-9]+$ ]] || { echo "gpu-check.sh: --step-cap '$step_cap': seconds" >&2; exit 2; }
t0=$SECONDS
deadline=$((t0 + budget))
[ -n "$out" ] || out="gpu-check-$(date -u +%Y%m%d-%H%M)-$(hostname -s 2>/dev/null || echo host)"
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  echo "gpu-check.sh: --out '$out' exists and is not empty" >&2; exit 2
fi
mkdir -p "$out/logs" || exit 2
out="$(cd "$out" && pwd)"

# The bundle: extract a tarball into the output folder (kept out of the results by name).
if [ -d "$bundle_arg" ]; then
  bundle="$(cd "$bundle_arg" && pwd)"
elif [ -f "$bundle_arg" ]; then
  mkdir -p "$out/bundle"
  case "$bundle_arg" in
    *.tar.gz|*.tgz) tar -C "$out/bundle" -xzf "$bundle_arg" ;;
    *) tar -C "$out/bundle" -xf "$bundle_arg" ;;
  esac || { echo "gpu-check.sh: cannot extract $bundle_arg" >&2; exit 2; }
  bundle="$(echo "$out"/bundle/accelbench-*)"
else
  echo "gpu-check.sh: --bundle '$bundle_arg': no such file or folder" >&2; exit 2
fi
ab="$bundle/bin/accelbench"
[ -x "$ab" ] || { echo "gpu-check.sh: no bin/accelbench in $bundle" >&2; exit 2; }

# The cleared environment of every command: what a fresh login on the GPU machine has, plus the
# locations the cuda backends search (docs/cuda.md) when the caller has them set.
clean_env=(env -i "PATH=${PATH:-/usr/bin:/bin}" "HOME=${HOME:-/tmp}" "LANG=C")
for v in CUDA_VISIBLE_DEVICES ACCELBENCH_CUDNN_PATH VIRTUAL_ENV CONDA_PREFIX LD_LIBRARY_PATH; do
  [ -n "${!v:-}" ] && clean_env+=("$v=${!v}")
done

steps="$out/steps.tsv"
printf 'step\tstatus\trc\tseconds\ttimeout_s\tdetail\n' > "$steps"
checks="$out/checks.tsv"
printf 'check\tresult\tdetail\n' > "$checks"
failed=0

record() {  # name status rc seconds timeout detail
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$steps"
  printf 'gpu-check: %-18s %-12s %4ss  %s\n' "$1" "$2" "$4" "$6"
}
check() {  # name pass|fail|unavailable detail
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$checks"
  [ "$2" = fail ] && failed=1
  return 0
}
unavailable() { record "$1" unavailable - 0 - "$2"; }

# step NAME TIMEOUT RESERVE CMD...: runs CMD in the cleared environment under timeout, its
# stdout and stderr in logs/NAME.log. The timeout is cut to what the budget leaves after RESERVE
# seconds (kept for the steps that must still run: the report); under 5 s it does not start.
# Exit 124/137 = timed out (SIGTERM, then SIGKILL 5 s later; accelbench writes partial results
# on SIGTERM). OK_RC lists further exit codes that count as passed (default: none).
step() {
  local name="$1" limit="$2" reserve="$3"; shift 3
  local left=$((deadline - SECONDS - reserve))
  [ "$left" -lt "$limit" ] && limit="$left"
  [ "$step_cap" -gt 0 ] && [ "$step_cap" -lt "$limit" ] && limit="$step_cap"
  if [ "$limit" -lt 5 ]; then
    record "$name" skipped - 0 - "out of the ${budget}s budget"; failed=1; return 1
  fi
  local start=$SECONDS rc
  (cd "$out" && timeout -k 5 "$limit" "${clean_env[@]}" "$@") > "$out/logs/$name.log" 2>&1
  rc=$?
  local took=$((SECONDS - start)) status=passed
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    status=timeout; failed=1
  elif [ "$rc" = 77 ] && [[ " ${OK_RC:-} " == *" 77 "* ]]; then
    status=unavailable  # a test binary's "skipped: no usable device"
  elif [ "$rc" != 0 ] && [[ " ${OK_RC:-} " != *" $rc "* ]]; then
    status=failed; failed=1
  fi
  record "$name" "$status" "$rc" "$took" "$limit" "logs/$name.log"
  [ "$status" = passed ] || [ "$status" = unavailable ]
}

echo "gpu-check: bundle $bundle, output $out, budget ${budget}s$([ "$dry" = 1 ] && echo ', dry run')"

# --- versions: card, driver, CUDA (queried only; nothing is set) -----------------------------
{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(hostname 2>/dev/null)"
  echo "kernel: $(uname -srm)"
  echo "glibc: $(ldd --version 2>/dev/null | head -1)"
  echo "accelbench: $("${clean_env[@]}" "$ab" --version 2>&1 | head -1)"
  echo "python3: $("${clean_env[@]}" python3 --version 2>&1 || echo none)"
} > "$out/versions.txt"
# Python and PyTorch, and the CUDA libraries its wheels hold (where the cuda backends look for
# cuBLASLt/cuDNN/NVRTC when the machine has no toolkit; docs/cuda.md): for diagnosing an
# unavailable cuda backend. If it says "cuBLASLt not loaded" and wheels are listed here, a rerun
# with LD_LIBRARY_PATH set to those lib folders (passed through) is the fix.
timeout -k 2 20 "${clean_env[@]}" python3 - >> "$out/versions.txt" 2>&1 <<'PY' || echo "torch: probe failed or timed out" >> "$out/versions.txt"
import glob, os, sys
print("python_prefix:", sys.prefix)
try:
    import torch
    print("torch:", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version(), torch.__file__)
    base = os.path.dirname(os.path.dirname(torch.__file__))
    print("nvidia_wheel_libs:", " ".join(sorted(glob.glob(os.path.join(base, "nvidia", "*", "lib")))) or "none")
except Exception as e:
    print("torch: not importable:", e)
PY
if command -v nvidia-smi >/dev/null 2>&1; then
  step nvidia-smi 15 60 sh -c 'nvidia-smi; echo; nvidia-smi --query-gpu=index,name,uuid,driver_version,pci.bus_id,memory.total,power.limit,clocks.max.sm,clocks.max.mem,mig.mode.current,persistence_mode,compute_mode --format=csv' \
    && cp "$out/logs/nvidia-smi.log" "$out/nvidia-smi.txt"
  sed -n 's/.*Driver Version: *\([0-9.]*\).*CUDA Version: *\([0-9.]*\).*/driver: \1\ncuda_driver_api: \2/p' "$out/nvidia-smi.txt" 2>/dev/null | head -2 >> "$out/versions.txt"
  gpu_name="$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)"
  echo "card: ${gpu_name:-unknown}" >> "$out/versions.txt"
else
  unavailable nvidia-smi "nvidia-smi not found: no NVIDIA driver on this machine"
  echo "card: none (nvidia-smi not found)" >> "$out/versions.txt"
fi

# --- confirm 1, 3, 8: the bundle starts in the cleared environment and lists its backends ------
step list-backends 20 60 "$ab" list backends
cp "$out/logs/list-backends.log" "$out/list-backends.txt"
step list-backends-verbose 20 60 "$ab" list backends --verbose
cp "$out/logs/list-backends-verbose.log" "$out/list-backends-verbose.txt"
step list-devices 20 60 "$ab" list devices
cp "$out/logs/list-devices.log" "$out/list-devices.txt"
grep -Eq '^reference +available' "$out/list-backends.txt" \
  && check bundle-starts pass "list backends in env -i: reference available" \
  || check bundle-starts fail "list backends in env -i did not list reference as available"

cuda_line="$(grep -E '^cuda +' "$out/list-backends.txt" | head -1)"
if grep -Eq '^cuda +available' <<<"$cuda_line"; then
  cuda=1; cuda_why=""
else
  cuda=0
  cuda_why="cuda backend: $(sed -E 's/^cuda +//' <<<"${cuda_line:-not built into this bundle}")"
fi
backends="cuda,cuda_tuned"
grep -Eq '^torch +available' "$out/list-backends.txt" && backends="$backends,torch"
if [ "$cuda" = 1 ]; then
  v="$out/list-backends-verbose.txt"
  grep -q 'cuBLASLt [0-9]' "$v" && check cublaslt-file pass "$(grep -m1 -o 'cuBLASLt [0-9][^)]*)' "$v")" \
    || check cublaslt-file fail "list backends --verbose names no cuBLASLt file"
  grep -q 'cuDNN [0-9]' "$v" && check cudnn-file pass "$(grep -m1 -o 'cuDNN [0-9][^)]*)' "$v")" \
    || check cudnn-file fail "no cuDNN loaded: $(grep -m1 -o 'no cuDNN[^;]*' "$v")"
  grep -q 'NVRTC not found' "$v" && check nvrtc-file fail "$(grep -m1 -o 'NVRTC not found[^;)]*' "$v")" \
    || check nvrtc-file pass "$(grep -m1 -o 'NVRTC [^;)]*' "$v")"
else
  for c in cublaslt-file cudnn-file nvrtc-file; do check "$c" unavailable "$cuda_why"; done
fi

# --- confirm 1, 6: --isolate (the probe-child design on a real driver), telemetry -------------
if [ "$cuda" = 1 ]; then
  OK_RC="" step isolate 45 60 "$ab" run --isolate --case-timeout 30 -b cuda,cuda_tuned \
    -w 'gemm:m=1024,n=1024,k=1024,dt=bf16' --out isolate.json
  if grep -q '"telemetry": \[\]' "$out/isolate.json" 2>/dev/null || [ ! -f "$out/isolate.json" ]; then
    check telemetry-isolate fail "no NVML reading in isolate.json (MIG: $(grep -c 'MIG-' "$out/list-devices.txt" 2>/dev/null) MIG devices)"
  else
    check telemetry-isolate pass "isolate.json has telemetry readings"
  fi
else
  unavailable isolate "$cuda_why"
  check telemetry-isolate unavailable "$cuda_why"
fi

# --- confirm 2, 4: the gpu tests (cuDNN SDPA, not a fallback; composed at odd sizes) -----------
if [ -x "$bundle/bin/test_cuda_gpu" ]; then
  # Its RUNPATH is the build machine's: the bundle's lib/ goes first (LD_LIBRARY_PATH beats RUNPATH).
  gpu_tests=(env "LD_LIBRARY_PATH=$bundle/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$bundle/bin/test_cuda_gpu" "[gpu]")
elif [ -n "$build" ] && [ -f "$build/CTestTestfile.cmake" ]; then
  gpu_tests=(ctest --test-dir "$(cd "$build" && pwd)" -L gpu --output-on-failure -V)
else
  gpu_tests=()
fi
if [ ${#gpu_tests[@]} = 0 ]; then
  unavailable gpu-tests "no bin/test_cuda_gpu in the bundle (make-bundle.sh --with-gpu-tests) and no --build DIR"
elif [ "$cuda" = 1 ]; then
  step gpu-tests 75 60 "${gpu_tests[@]}"
  if grep -q 'fallback: composed' "$out/logs/gpu-tests.log"; then
    check sdpa-not-fallback fail "$(grep -m1 -o 'fallback: composed[^:]*:[^)]*)' "$out/logs/gpu-tests.log")"
  else
    check sdpa-not-fallback pass "no 'fallback: composed' in the gpu tests' output"
  fi
else
  # Without a device the test binary must skip (77), never pass or fail: run it to prove that.
  OK_RC=77 step gpu-tests 60 60 "${gpu_tests[@]}"
  check sdpa-not-fallback unavailable "$cuda_why"
fi

# --- confirm 5: a small decode attention, cold cache then hot --------------------------------
decode_small='attn:b=1,hq=32,hkv=8,sq=1,skv=4096,d=128,causal=0,dt=bf16'
if [ "$cuda" = 1 ]; then
  step decode-cold 20 60 "$ab" run -b cuda -w "$decode_small" --cache cold --out decode-cold.json
  step decode-hot 20 60 "$ab" run -b cuda -w "$decode_small" --cache hot --out decode-hot.json
else
  unavailable decode-cold "$cuda_why"; unavailable decode-hot "$cuda_why"
fi

# --- confirm 7: a second repetition reuses the finalized cuDNN plan ---------------------------
if [ "$cuda" = 1 ]; then
  step reuse 30 60 "$ab" run -b cuda --repetitions 2 --cache hot \
    -w 'attn:b=1,hq=32,hkv=8,sq=1024,skv=1024,d=128,causal=1,dt=bf16' --out reuse.json
  grep -q 'plan finalized at an earlier prepare' "$out/reuse.json" 2>/dev/null \
    && check cudnn-plan-reused pass "reuse.json: plan finalized at an earlier prepare" \
    || check cudnn-plan-reused fail "reuse.json does not say the plan was reused (see its plan)"
else
  unavailable reuse "$cuda_why"; check cudnn-plan-reused unavailable "$cuda_why"
fi

# --- the compact suite ---------------------------------------------------------------------
cat > "$out/suite-gemm.txt" <<'EOF'
# gpu-check GEMM: 8192^3 and two LLM projections (Llama-3-8B QKV and FFN down, 4096 tokens), tb=t (f8's TN layout).
@option timeout=1,min-samples=10,min-time=0.1,max-noise=0.03,warmup-time=0.05
gemm:m=8192,n=8192,k=8192,tb=t,dt=[bf16,f16,f8e4m3,tf32,f32]
gemm:m=4096,n=6144,k=4096,tb=t,dt=[bf16,f16,f8e4m3,tf32,f32]
gemm:m=4096,n=4096,k=14336,tb=t,dt=[bf16,f16,f8e4m3,tf32,f32]
EOF
cat > "$out/suite-attn.txt" <<'EOF'
# gpu-check attention: Llama-3-8B prefill at s=4096 (causal and not, b=1..4) and a decode step.
@option timeout=1,min-samples=10,min-time=0.1,max-noise=0.03,warmup-time=0.05
attn:b=[1,2,3,4],hq=32,hkv=8,sq=4096,skv=4096,d=128,causal=[0,1],dt=bf16
attn:b=8,hq=32,hkv=8,sq=1,skv=8192,d=128,causal=0,dt=bf16
EOF
# Both suites must parse in the bundle (dry run included); their canonical cases feed torch.
step suite-parse 20 60 sh -c '"$0" list workloads suite-gemm.txt && "$0" list workloads suite-attn.txt' "$ab"
grep -Eo '(gemm|attn):[^ ]+' "$out/logs/suite-parse.log" > "$out/torch-workloads.txt" || true
[ -s "$out/torch-workloads.txt" ] && check suite-parses pass "$(wc -l < "$out/torch-workloads.txt") cases" \
  || check suite-parses fail "no workload parsed from the suites (logs/suite-parse.log)"

if [ "$cuda" = 1 ]; then
  step suite-gemm 150 45 "$ab" run -b "$backends" --suite suite-gemm.txt --cache hot --out suite-gemm.json
  step suite-attn 90 45 "$ab" run -b "$backends" --suite suite-attn.txt --cache hot --out suite-attn.json
else
  unavailable suite-gemm "$cuda_why"; unavailable suite-attn "$cuda_why"
fi
if [ "$dry" = 1 ]; then
  # Every path of run and report, on the CPU with the reference backend and tiny shapes.
  # Its cases join the torch list too, so the ratio step compares both sides' FLOP counts.
  step dry-run-reference 60 30 "$ab" run -b reference -q --out dry-reference.json \
    --min-samples 3 --min-time 0.01 --timeout 0.2 --warmup-time 0.01 \
    -w 'gemm:m=64,n=48,k=32,tb=t,dt=[f32,bf16]' -w 'attn:b=1,hq=4,hkv=2,sq=16,skv=24,d=16,causal=[0,1],dt=f32'
  printf '%s\n' 'gemm:m=64,n=48,k=32,tb=t,dt=f32' 'gemm:m=64,n=48,k=32,tb=t,dt=bf16' \
    'attn:b=1,hq=4,hkv=2,sq=16,skv=24,d=16,causal=0,dt=f32' 'attn:b=1,hq=4,hkv=2,sq=16,skv=24,d=16,causal=1,dt=f32' \
    >> "$out/torch-workloads.txt"
fi

# --- PyTorch side by side (hot caches, CUDA events) -------------------------------------------
torch_args=(python3 "$here/gpu-check-torch.py" --workloads torch-workloads.txt --out torch.json)
if ! "${clean_env[@]}" python3 -c 'import sys' >/dev/null 2>&1; then
  unavailable torch "python3 not found in PATH"
else
  # Not --dry even in a dry run: the script itself says why torch cannot time (no torch, no GPU).
  step torch 75 30 "${torch_args[@]}"
  torch_why="$(grep -m1 -o '"reason": "[^"]*"' "$out/torch.json" 2>/dev/null)"
  if grep -q '"available": true' "$out/torch.json" 2>/dev/null; then
    check torch-side-by-side pass "torch.json timed"
  elif [ "$cuda" = 1 ]; then
    check torch-side-by-side fail "torch unavailable on a GPU machine: $torch_why"
  else
    check torch-side-by-side unavailable "torch: $torch_why"
  fi
fi

# --- peak: the host CPU's ceilings (the GPU's dense spec is the spec database's) -------------
step peak 30 25 "$ab" peak --no-gemm -q --out ceilings.json

# --- report: every accelbench result file of this run, and the torch ratios -----------------
mapfile -t results < <(cd "$out" && ls isolate.json decode-cold.json decode-hot.json reuse.json suite-gemm.json suite-attn.json dry-reference.json 2>/dev/null)
if [ ${#results[@]} -gt 0 ]; then
  step report 30 0 "$ab" report "${results[@]}" --out report --compare-to H100-SXM5,H20,Ascend-910B
  # The impossible-result guard: nothing above the card's dense spec.
  if grep -q 'IMPOSSIBLE' "$out/logs/report.log"; then
    check no-impossible-result fail "$(grep -m1 'IMPOSSIBLE' "$out/logs/report.log")"
  else
    check no-impossible-result pass "no result above its device's dense spec peak"
  fi
else
  unavailable report "no result file to report"
fi
ratio_inputs=()
for f in suite-gemm.json suite-attn.json dry-reference.json; do [ -f "$out/$f" ] && ratio_inputs+=("$f"); done
if [ -f "$out/torch.json" ] && [ ${#ratio_inputs[@]} -gt 0 ]; then
  OK_RC="" step ratios 15 0 python3 "$here/gpu-check-torch.py" --join torch.json "${ratio_inputs[@]}" --out ratios.md
else
  unavailable ratios "no torch.json or accelbench suite result to join"
fi

# --- summary --------------------------------------------------------------------------------
{
  echo "# gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ)$([ "$dry" = 1 ] && echo ' (dry run)')"
  echo
  sed 's/^/    /' "$out/versions.txt"
  echo
  echo "Wall time $((SECONDS - t0)) s of a ${budget} s budget. Bundle: $(basename "$bundle")."
  [ "$cuda" = 1 ] || echo "GPU part unavailable: $cuda_why"
  echo
  echo "## Steps"
  echo
  awk -F'\t' 'NR==1 {print "| " $1 " | " $2 " | rc | s | timeout | detail |"; print "|---|---|---|---|---|---|"; next} {print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " | " $6 " |"}' "$steps"
  echo
  echo "## Checks (docs/cuda.md, Confirm on the GPU first)"
  echo
  awk -F'\t' 'NR==1 {print "| check | result | detail |"; print "|---|---|---|"; next} {print "| " $1 " | " $2 " | " $3 " |"}' "$checks"
  if [ -f "$out/ratios.md" ]; then echo; cat "$out/ratios.md"; fi
  if [ -f "$out/report/report.md" ]; then echo; echo "Full report: report/report.md"; fi
} > "$out/summary.md"
rm -rf "$out/bundle"
echo "gpu-check: summary in $out/summary.md ($([ "$failed" = 0 ] && echo 'no step failed' || echo 'SOME STEP FAILED'))"
exit "$failed"
