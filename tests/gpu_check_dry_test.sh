#!/usr/bin/env bash
# ctest gpu_check_dry: scripts/gpu-check.sh --dry on this (CPU) machine, from a bundle built here
# (with bin/test_cuda_gpu when it is built), the script itself started with a cleared environment.
# Checks: the tarball fits 60 MiB; the script exits 0; every step of the script ran and none
# failed, timed out or ran out of budget; without a usable GPU the GPU steps and checks say
# "unavailable" with the reason; the bundle starts in env -i; both suites parse (24 cases);
# the report and the torch JSON are written and both sides count the same FLOPs; the extracted
# bundle is not left in the output. Then a broken bundle (an accelbench that exits 3) must make
# the script fail with the bundle-starts check failed: the test can fail.
# Skipped (77) when the bundle cannot be built here (accelbench not built, ldd missing, ...).
# Usage: gpu_check_dry_test.sh <source dir> <build dir> <work dir>
set -euo pipefail
src="$1" build="$2" work="$3"
fail() { echo "gpu_check_dry test: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

with_tests=()
[ -x "$build/tests/test_cuda_gpu" ] && with_tests=(--with-gpu-tests)
if ! tarball="$("$src/scripts/make-bundle.sh" --build "$build" --out "$work/bundle" "${with_tests[@]}" 2>"$work/make-bundle.err" | tail -1)" \
   || [ ! -f "$tarball" ]; then
  echo "skipped: the bundle cannot be built here: $(cat "$work/make-bundle.err")"
  exit 77
fi
# A sanitizer build's bundle is never carried to a GPU machine, and the script's cleared
# environment (env -i) drops the sanitizer options: the release build's run of this test is the
# one that counts.
tar -tzf "$tarball" >"$work/bundle-files.txt"  # (grep -q in a pipe would kill tar: pipefail)
if grep -q '/lib/libasan\.so' "$work/bundle-files.txt"; then
  echo "skipped: a sanitizer build (the release build's gpu_check_dry checks the script and its bundle)"
  exit 77
fi
size_kib="$(du -k "$tarball" | cut -f1)"
echo "bundle: $tarball, $size_kib KiB${with_tests:+ (with bin/test_cuda_gpu)}"
[ "$size_kib" -le $((60 * 1024)) ] || fail "the bundle is $size_kib KiB, over 60 MiB"

out="$work/out"
rc=0
env -i PATH=/usr/bin:/bin HOME="$work" "$src/scripts/gpu-check.sh" --dry --bundle "$tarball" --out "$out" --budget 300 \
  > "$work/dry.log" 2>&1 || rc=$?
cat "$work/dry.log"
[ "$rc" = 0 ] || fail "gpu-check.sh --dry exited $rc"
[ -f "$out/summary.md" ] || fail "no summary.md"
[ -d "$out/bundle" ] && fail "the extracted bundle was left in the output folder"

status_of() { awk -F'\t' -v s="$1" '$1 == s {print $2}' "$out/steps.tsv"; }
detail_of() { awk -F'\t' -v s="$1" '$1 == s {print $6}' "$out/steps.tsv"; }
check_of() { awk -F'\t' -v s="$1" '$1 == s {print $2}' "$out/checks.tsv"; }
for s in nvidia-smi list-backends list-backends-verbose list-devices isolate gpu-tests decode-cold decode-hot reuse \
         suite-parse suite-gemm suite-attn dry-run-reference torch peak report ratios; do
  st="$(status_of "$s")"
  case "$st" in
    passed|unavailable) ;;
    "") fail "step $s did not run (steps.tsv)" ;;
    *) fail "step $s: $st ($(detail_of "$s"))" ;;
  esac
done
for s in list-backends list-backends-verbose list-devices suite-parse dry-run-reference torch peak report ratios; do
  [ "$(status_of "$s")" = passed ] || fail "step $s should run on a CPU machine, but is $(status_of "$s")"
done
if ! grep -Eq '^cuda +available' "$out/list-backends.txt"; then
  # No usable GPU here: the GPU parts are reported unavailable, with the reason, never failed.
  for s in isolate decode-cold decode-hot reuse suite-gemm suite-attn; do
    [ "$(status_of "$s")" = unavailable ] || fail "step $s is $(status_of "$s") without a GPU, not unavailable"
    grep -q 'cuda backend: ' <<<"$(detail_of "$s")" || fail "step $s: no reason given ($(detail_of "$s"))"
  done
  for c in cublaslt-file cudnn-file nvrtc-file telemetry-isolate cudnn-plan-reused sdpa-not-fallback torch-side-by-side; do
    [ "$(check_of "$c")" = unavailable ] || fail "check $c is '$(check_of "$c")' without a GPU, not unavailable"
  done
  grep -q '"available": false' "$out/torch.json" && grep -Eq '"reason": "(import torch failed|torch.cuda.is_available)' "$out/torch.json" \
    || fail "torch.json does not say why torch could not time: $(grep -m1 '"reason"' "$out/torch.json")"
  grep -q 'GPU part unavailable: cuda backend' "$out/summary.md" || fail "summary.md does not say the GPU part is unavailable"
  if [ ${#with_tests[@]} -gt 0 ]; then
    grep -q 'skipped: no usable CUDA device' "$out/logs/gpu-tests.log" || fail "the bundled gpu tests did not skip"
  fi
fi
[ "$(check_of bundle-starts)" = pass ] || fail "bundle-starts: $(check_of bundle-starts)"
[ "$(grep -c . "$out/torch-workloads.txt")" = 28 ] || fail "torch-workloads.txt: $(grep -c . "$out/torch-workloads.txt") cases, expected 24 + 4 dry"
grep -q '24 cases' "$out/checks.tsv" || fail "the suites did not expand to 24 cases: $(grep suite-parses "$out/checks.tsv")"
for f in report/report.md torch.json ratios.md versions.txt ceilings.json dry-reference.json list-backends-verbose.txt; do
  [ -s "$out/$f" ] || fail "$f missing or empty"
done
grep -q '4 accelbench records have a torch case; 0 FLOP counts differ' "$out/logs/ratios.log" \
  || fail "torch and accelbench FLOP counts: $(cat "$out/logs/ratios.log")"

# A bundle whose accelbench does not start must fail the run, not pass as "unavailable".
broken="$work/broken"
mkdir -p "$broken"
tar -C "$broken" -xzf "$tarball"
b="$(echo "$broken"/accelbench-*)"
printf '#!/bin/sh\necho "broken on purpose" >&2\nexit 3\n' > "$b/bin/accelbench"
rc=0
env -i PATH=/usr/bin:/bin HOME="$work" "$src/scripts/gpu-check.sh" --dry --bundle "$b" --out "$work/out-broken" --budget 120 \
  > "$work/broken.log" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$work/broken.log"; fail "a broken bundle gave exit $rc, not 1"; }
[ "$(awk -F'\t' '$1 == "bundle-starts" {print $2}' "$work/out-broken/checks.tsv")" = fail ] \
  || fail "a broken bundle did not fail the bundle-starts check"

# The GPU branches of the script, on this machine: a bundle whose accelbench is a fake that says
# cuda is available (tests/fakes/gpu-check/), and a fake nvidia-smi first in PATH. Every GPU step
# must run and pass and every confirm check pass; torch cannot time here, which on a "GPU
# machine" is a failed check, so the exit is 1. Then a run that hangs: its step times out
# (--step-cap 6) and the script still writes the report.
fake="$work/fake-gpu"
mkdir -p "$fake/bin" "$fake/path" "$fake/real"
tar -C "$fake/real" --strip-components=1 -xzf "$tarball"
cp "$src/tests/fakes/gpu-check/accelbench" "$fake/bin/accelbench"
cp "$src/tests/fakes/gpu-check/nvidia-smi" "$fake/path/nvidia-smi"
rc=0
env -i PATH="$fake/path:/usr/bin:/bin" HOME="$work" "$src/scripts/gpu-check.sh" --bundle "$fake" --out "$work/out-gpu" \
  --budget 120 > "$work/gpu.log" 2>&1 || rc=$?
cat "$work/gpu.log"
out="$work/out-gpu"
[ "$rc" = 1 ] || fail "fake GPU: exit $rc, expected 1 (torch cannot time here)"
for s in nvidia-smi list-backends isolate decode-cold decode-hot reuse suite-parse suite-gemm suite-attn torch peak report ratios; do
  [ "$(status_of "$s")" = passed ] || fail "fake GPU: step $s is '$(status_of "$s")' ($(detail_of "$s"))"
done
[ "$(status_of gpu-tests)" = unavailable ] || fail "fake GPU: gpu-tests without a test binary is '$(status_of gpu-tests)'"
for c in bundle-starts cublaslt-file cudnn-file nvrtc-file telemetry-isolate cudnn-plan-reused suite-parses no-impossible-result; do
  [ "$(check_of "$c")" = pass ] || fail "fake GPU: check $c is '$(check_of "$c")'"
done
[ "$(check_of torch-side-by-side)" = fail ] \
  || fail "fake GPU: torch unavailable on a GPU machine must fail, is '$(check_of torch-side-by-side)'"
grep -q 'card: NVIDIA H100 80GB HBM3' "$out/versions.txt" && grep -q 'driver: 570.86.15' "$out/versions.txt" \
  || fail "fake GPU: versions.txt lacks the card or the driver: $(cat "$out/versions.txt")"

echo suite-gemm.txt > "$fake/hang-on"
rc=0
env -i PATH="$fake/path:/usr/bin:/bin" HOME="$work" "$src/scripts/gpu-check.sh" \
  --bundle "$fake" --out "$work/out-hang" --budget 120 --step-cap 6 > "$work/hang.log" 2>&1 || rc=$?
out="$work/out-hang"
[ "$rc" = 1 ] || { cat "$work/hang.log"; fail "a hanging step gave exit $rc, not 1"; }
[ "$(status_of suite-gemm)" = timeout ] || fail "the hanging suite-gemm is '$(status_of suite-gemm)', not timeout"
[ "$(status_of report)" = passed ] || fail "after a timed-out step the report did not run: '$(status_of report)'"
echo "gpu_check_dry test: ok (bundle $size_kib KiB)"
