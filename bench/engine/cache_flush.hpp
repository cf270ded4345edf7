#pragma once
// Host cache eviction for cold-cache samples: write a buffer twice the size of the last-level
// caches, so the kernel's inputs are not resident when its sample starts.
#include <cstdint>
#include <vector>

namespace accelbench {

class host_cache_flusher {
 public:
  explicit host_cache_flusher(std::int64_t last_level_cache_bytes);
  void flush();

 private:
  std::vector<std::int64_t> m_buffer;
  std::int64_t m_round = 0;
};

}  // namespace accelbench
