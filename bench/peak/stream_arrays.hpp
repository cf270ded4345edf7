#pragma once
// The f64 arrays the memory-bandwidth measurements stream (triad, read-only): each at least 4x
// the last-level cache, so no pass is served from cache, 64-byte aligned.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace accelbench {

struct free_deleter {
  void operator()(double* p) const { std::free(p); }
};
using stream_array = std::unique_ptr<double[], free_deleter>;

// Elements per array: 4x the last-level cache, at least 64 MiB (also when hwloc reports no
// cache), a whole number of 64-element blocks.
inline std::int64_t stream_array_elements(std::int64_t last_level_cache_bytes) {
  const std::int64_t bytes = std::max<std::int64_t>(4 * last_level_cache_bytes, 64ll << 20);
  return (bytes / 8 + 63) / 64 * 64;
}

// Uninitialised: the thread that later streams each chunk touches it first (NUMA placement).
inline stream_array allocate_stream_array(std::int64_t elements) {
  void* p = std::aligned_alloc(64, static_cast<std::size_t>(elements) * sizeof(double));
  if (p == nullptr) throw std::bad_alloc();
  return stream_array(static_cast<double*>(p));
}

}  // namespace accelbench
