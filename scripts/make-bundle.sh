#!/usr/bin/env bash
# Portable bundle: accelbench plus every non-system shared library it loads, as a tarball that
# runs on a host that has none of our Debian packages (a GPU lab machine with only the NVIDIA
# driver). Layout:  accelbench-<version>-linux-x86_64/{bin/accelbench, lib/*.so*, lib/accelbench/backends/}
# The executable carries DT_RPATH $ORIGIN/../lib (bench/cli/CMakeLists.txt), which also serves the
# libraries' own dependencies. Not bundled: glibc (libc, libm, libpthread, libdl, librt, ld-linux;
# the host needs glibc >= the build machine's, 2.36 for Debian 12), the NVIDIA driver
# (libcuda.so.1, libnvidia-ml.so.1), and the CUDA libraries a GPU machine already has (cuBLASLt,
# cuDNN, NVRTC: the cuda backends load them at run time from the toolkit or the nvidia-* Python
# wheels, docs/cuda.md; cudart is linked statically). The bundle stays well under 64 MiB.
#
# Usage: scripts/make-bundle.sh [--build DIR] [--out DIR] [--fast] [--with-gpu-tests]
#   --build DIR  a configured and built build tree (default: build/release)
#   --out DIR    where the tarball goes (default: the build tree); its path is printed last
#   --fast       an uncompressed .tar (quicker to make; larger to carry)
#   --with-gpu-tests  also bin/test_cuda_gpu (the `gpu` ctest cases; built with
#                the test_cuda_gpu target), which scripts/gpu-check.sh runs on the GPU machine
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build/release"
out=""
fast=0
gpu_tests=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$(cd "$2" && pwd)"; shift 2 ;;
    --out) mkdir -p "$2"; out="$(cd "$2" && pwd)"; shift 2 ;;
    --fast) fast=1; shift ;;
    --with-gpu-tests) gpu_tests=1; shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "make-bundle.sh: unknown argument '$1'; accepted: --build DIR, --out DIR, --fast, --with-gpu-tests" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || out="$build"
[ -x "$build/bench/accelbench" ] || { echo "make-bundle.sh: $build/bench/accelbench not built (cmake --build $build)" >&2; exit 2; }

version="$("$build/bench/accelbench" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1 || true)"
name="accelbench-${version:-unknown}-linux-$(uname -m)"
stage="$(mktemp -d "${TMPDIR:-/tmp}/accelbench-bundle.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
dest="$stage/$name"

cmake --install "$build" --prefix "$dest" >/dev/null
mkdir -p "$dest/lib"
if [ "$gpu_tests" = 1 ]; then
  [ -x "$build/tests/test_cuda_gpu" ] || { echo "make-bundle.sh: --with-gpu-tests: $build/tests/test_cuda_gpu not built (cmake --build $build --target test_cuda_gpu; needs the CUDA toolkit)" >&2; exit 2; }
  cp "$build/tests/test_cuda_gpu" "$dest/bin/"
  strip --strip-unneeded "$dest/bin/test_cuda_gpu" 2>/dev/null || true
fi

# glibc, the NVIDIA driver and the CUDA libraries stay with the host.
is_system() {
  case "$1" in
    linux-vdso.so*|ld-linux*|libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|libresolv.so*|libutil.so*) return 0 ;;
    libcuda.so*|libnvidia-*) return 0 ;;
    libcublas*|libcudart*|libcudnn*|libnvrtc*) return 0 ;;
  esac
  return 1
}

# Every ELF object of the install (executable and plugins), then each copied library in turn.
mapfile -t queue < <(find "$dest/bin" "$dest/lib" -type f \( -perm -u+x -o -name '*.so*' \) | sort)
declare -A seen=()
while [ ${#queue[@]} -gt 0 ]; do
  object="${queue[0]}"; queue=("${queue[@]:1}")
  while read -r soname path; do
    [ -n "$soname" ] || continue
    is_system "$soname" && continue
    [ -n "${seen[$soname]:-}" ] && continue
    seen[$soname]=1
    if [ "$path" = "not" ] || [ ! -f "$path" ]; then
      echo "make-bundle.sh: $object needs $soname, which is not found on this machine" >&2; exit 1
    fi
    cp -L "$path" "$dest/lib/$soname"
    queue+=("$dest/lib/$soname")
  done < <(ldd "$object" 2>/dev/null | awk '/=>/ {print $1, $3}')
done

cat > "$dest/README.txt" <<EOF
accelbench bundle: bin/accelbench with its shared libraries in lib/.
Needs on the host: Linux x86-64 with glibc >= 2.36; for the cuda backends, the NVIDIA driver
(libcuda.so.1; NVML's libnvidia-ml.so.1 for telemetry) and CUDA 13's cuBLASLt (the toolkit's, or
the nvidia-cublas Python wheel's), with cuDNN 9 for fused attention (nvidia-cudnn wheels are
found too). No Debian packages. Try: bin/accelbench list backends   (see docs/cuda.md)
Bundled libraries: $(cd "$dest/lib" && ls *.so* 2>/dev/null | tr '\n' ' ')
EOF

if [ "$fast" = 1 ]; then
  tarball="$out/$name.tar"
  tar -C "$stage" -cf "$tarball.tmp" "$name"
else
  tarball="$out/$name.tar.gz"
  tar -C "$stage" -cf - "$name" | gzip -6 > "$tarball.tmp"
fi
mv "$tarball.tmp" "$tarball"
echo "$tarball"
