#!/usr/bin/env bash
# Quick start, tests: install what is missing, build, run the whole test suite (ctest).
# Usage: scripts/test.sh [preset]   (release by default; asan for AddressSanitizer+UBSan)
set -euo pipefail
preset="${1:-release}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" "$preset"
cd "$root"
ctest --preset "$preset" -j "$(nproc)"
