# Sourced by setup.sh and fuzz.sh: sets compiler_cache_args, the CMake arguments that put ccache
# in front of the compilers when it is installed (setup.sh installs it). ccache makes a rebuild
# of unchanged sources nearly free, also in a fresh clone at another path: CCACHE_BASEDIR turns
# the checkout's absolute paths into relative ones before hashing, and CCACHE_NOHASHDIR keeps the
# working directory out of the hash of -g builds (their debug info then names the directory of
# the build that filled the cache: cosmetic only). ACCELBENCH_CCACHE=0 builds without it.
# Expects $root, the checkout.
compiler_cache_launcher=""
if [ "${ACCELBENCH_CCACHE:-1}" != 0 ] && command -v ccache >/dev/null; then
  compiler_cache_launcher=ccache
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
fi
compiler_cache_args=(-DCMAKE_C_COMPILER_LAUNCHER="$compiler_cache_launcher"
                     -DCMAKE_CXX_COMPILER_LAUNCHER="$compiler_cache_launcher"
                     -DCMAKE_CUDA_COMPILER_LAUNCHER="$compiler_cache_launcher")
