#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages) and builds accelbench with the given CMake
# preset (default: release). Sourced by run.sh and test.sh; safe to run again.
set -euo pipefail
preset="${1:-release}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(build-essential cmake ninja-build pkg-config git
          ccache   # caches compiled objects: CI and users build the same sources under several presets
          libbenchmark-dev libdnnl-dev libopenblas-dev libhwloc-dev
          nlohmann-json3-dev catch2 libcli11-dev libfmt-dev
          python3-jsonschema   # validates the result file schema in tests
          chromium   # chromium: the HTML report test renders in it (skipped when absent)
          python3-torch   # the torch backend's tests run against Debian's torch (skipped when absent)
          libamdhip64-dev   # the hip backend's no-device test runs against Debian's HIP runtime (skipped when absent)
          clang libclang-rt-14-dev   # clang + libFuzzer: the fuzz preset (scripts/fuzz.sh)
          slurmctld slurmd slurm-client munge)  # the Slurm integration test (tests/slurm_test.sh)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cd "$root"
# ccache in front of the compilers when installed (scripts/compiler-cache.sh).
source "$root/scripts/compiler-cache.sh"
# ACCELBENCH_ENABLE_WERROR=ON (set by CI) makes any compiler warning a build error.
cmake --preset "$preset" -DACCELBENCH_ENABLE_WERROR="${ACCELBENCH_ENABLE_WERROR:-OFF}" \
  "${compiler_cache_args[@]}" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
