#!/usr/bin/env bash
# ctest bundle: scripts/make-bundle.sh from this build, extracted into a fresh directory and run
# with a cleared environment, as on a GPU host that has none of our packages.
# Checks: it starts and lists its backends; cuda (when built) is listed, available or with why
# not; every library it loads, except glibc and the NVIDIA driver, resolves inside the bundle.
# Usage: bundle_test.sh <source dir> <build dir> <work dir> <cuda built: ON|OFF>
set -euo pipefail
src="$1" build="$2" work="$3" cuda="$4"
fail() { echo "bundle test: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT  # ~600 MB with cuBLASLt
tarball="$("$src/scripts/make-bundle.sh" --build "$build" --out "$work/out" --fast | tail -1)"
[ -f "$tarball" ] || fail "make-bundle.sh did not produce a tarball ($tarball)"
extract="$(mktemp -d "$work/fresh.XXXXXX")"
tar -C "$extract" -xf "$tarball"
bundle="$(echo "$extract"/accelbench-*)"
[ -x "$bundle/bin/accelbench" ] || fail "no bin/accelbench in the bundle"

listing="$(env -i PATH=/usr/bin:/bin "$bundle/bin/accelbench" list backends)" || fail "accelbench list backends failed in a cleared environment"
echo "$listing"
grep -Eq '^reference +available' <<<"$listing" || fail "the reference backend is not listed as available"
if [ "$cuda" = ON ]; then
  grep -Eq '^cuda +(available|unavailable +.+)' <<<"$listing" || fail "cuda is not listed (available, or unavailable with a reason)"
  [ -f "$bundle/lib/libcublasLt.so.13" ] || ls "$bundle"/lib/libcublasLt.so.* >/dev/null 2>&1 || fail "cuBLASLt is not bundled"
fi

# Every non-system dependency must come from the bundle, not from this machine's /usr/lib.
while read -r soname path; do
  case "$soname" in
    linux-vdso.so*|ld-linux*|libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|libresolv.so*|libutil.so*|libcuda.so*|libnvidia-*) continue ;;
  esac
  case "$path" in
    "$bundle"/*) ;;
    *) fail "$soname resolves to $path, outside the bundle" ;;
  esac
done < <(env -i PATH=/usr/bin:/bin ldd "$bundle/bin/accelbench" | awk '/=>/ {print $1, $3}')
echo "bundle test: ok ($(du -sh "$bundle" | cut -f1) in $bundle)"
