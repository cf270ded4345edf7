#pragma once
// Host cache eviction for cold-cache samples. One CPU per physical core the process may run on
// writes a slice of its own, so each core's private caches (L1, L2) are evicted too, not only
// those of the thread that flushes: a multi-threaded CPU backend's inputs would otherwise wait,
// warm, in the other cores' L2. Together the slices are at least twice the last-level caches.
#include <cstdint>
#include <memory>
#include <vector>

namespace accelbench {

class host_cache_flusher {
 public:
  // `cpus`: where to flush from (default: one CPU per core of those the process may run on).
  explicit host_cache_flusher(std::int64_t last_level_cache_bytes, std::vector<int> cpus = {});
  void flush();

  std::int64_t bytes_per_cpu() const { return m_slice_bytes; }
  const std::vector<int>& cpus() const { return m_cpus; }
  // The CPU each slice's writer ran on in the last flush (sched_getcpu): cpus() when pinning held.
  const std::vector<int>& flushed_from() const { return m_flushed_from; }

 private:
  std::vector<int> m_cpus, m_flushed_from;
  std::int64_t m_slice_bytes = 0;
  std::unique_ptr<std::int64_t[]> m_buffer;  // one slice per CPU, each first touched by its CPU
  std::int64_t m_round = 0;
};

}  // namespace accelbench
