#include "bench/engine/cache_flush.hpp"

#include <algorithm>

namespace accelbench {

host_cache_flusher::host_cache_flusher(std::int64_t last_level_cache_bytes) {
  // Unknown LLC: assume a large one rather than flush too little.
  const std::int64_t llc = last_level_cache_bytes > 0 ? last_level_cache_bytes : (64ll << 20);
  const std::int64_t bytes = std::max<std::int64_t>(2 * llc, 8ll << 20);
  m_buffer.assign(static_cast<std::size_t>(bytes) / sizeof(std::int64_t), 0);
}

void host_cache_flusher::flush() {
  // A store per cache line, with a value that changes each round so nothing can be elided.
  ++m_round;
  volatile std::int64_t* data = m_buffer.data();
  const std::size_t stride = 64 / sizeof(std::int64_t);
  for (std::size_t i = 0; i < m_buffer.size(); i += stride) data[i] = m_round;
}

}  // namespace accelbench
