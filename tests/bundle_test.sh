#!/usr/bin/env bash
# ctest bundle: scripts/make-bundle.sh from this build, extracted into a fresh directory and run
# with a cleared environment, as on a GPU host that has none of our packages.
# Checks: it starts and lists its backends; cuda (when built) is listed, available or with why
# not; no CUDA library is carried and the tarball fits 60 MiB; every library it loads, except glibc and
# the NVIDIA driver, resolves inside the bundle, and no bundled object misses one.
# Usage: bundle_test.sh <source dir> <build dir> <work dir> <cuda built: ON|OFF>
set -euo pipefail
src="$1" build="$2" work="$3" cuda="$4"
fail() { echo "bundle test: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
# Compressed, as it is carried to the GPU machine (a few seconds of gzip now that no CUDA
# library is in it).
tarball="$("$src/scripts/make-bundle.sh" --build "$build" --out "$work/out" | tail -1)"
[ -f "$tarball" ] || fail "make-bundle.sh did not produce a tarball ($tarball)"
extract="$(mktemp -d "$work/fresh.XXXXXX")"
tar -C "$extract" -xzf "$tarball"
bundle="$(echo "$extract"/accelbench-*)"
[ -x "$bundle/bin/accelbench" ] || fail "no bin/accelbench in the bundle"

# A sanitizer build keeps its options (the asan test preset turns leak checks off: the torch
# backend's embedded CPython is never finalized, by design).
sanitizer_env=()
[ -n "${ASAN_OPTIONS:-}" ] && sanitizer_env+=("ASAN_OPTIONS=$ASAN_OPTIONS")
[ -n "${UBSAN_OPTIONS:-}" ] && sanitizer_env+=("UBSAN_OPTIONS=$UBSAN_OPTIONS")
listing="$(env -i PATH=/usr/bin:/bin "${sanitizer_env[@]}" "$bundle/bin/accelbench" list backends)" ||
  fail "accelbench list backends failed in a cleared environment"
echo "$listing"
grep -Eq '^reference +available' <<<"$listing" || fail "the reference backend is not listed as available"
if [ "$cuda" = ON ]; then
  grep -Eq '^cuda +(available|unavailable +.+)' <<<"$listing" || fail "cuda is not listed (available, or unavailable with a reason)"
fi
# The GPU machine's own CUDA libraries are used (loaded at run time): none is carried, and the
# tarball fits what can be carried to it (60 MiB).
for carried in "$bundle"/lib/libcublas* "$bundle"/lib/libcudart* "$bundle"/lib/libcudnn* "$bundle"/lib/libnvrtc*; do
  [ -e "$carried" ] && fail "the bundle carries a CUDA library the GPU machine has: $carried"
done
size_kib="$(du -sk "$tarball" | cut -f1)"
if ls "$bundle"/lib/libasan.so* >/dev/null 2>&1; then
  echo "bundle test: size not checked ($size_kib KiB): a sanitizer build, never carried to a GPU machine"
else
  [ "$size_kib" -le $((60 * 1024)) ] || fail "the bundle's tarball is $size_kib KiB, over 60 MiB"
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
# Nothing any bundled object needs is missing (ldd's dry run, as on the GPU machine).
while read -r object; do
  missing="$(env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$bundle/lib" ldd "$object" 2>/dev/null | grep 'not found' || true)"
  [ -z "$missing" ] || fail "$object: $missing"
done < <(find "$bundle/bin" "$bundle/lib" -type f \( -perm -u+x -o -name '*.so*' \))
echo "bundle test: ok ($(du -sh "$bundle" | cut -f1) in $bundle)"
