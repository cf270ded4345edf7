#include "bench/engine/cache_flush.hpp"

#include <sched.h>

#include <algorithm>
#include <thread>

#include "bench/engine/cpu_affinity.hpp"

namespace accelbench {
namespace {

// A slice must exceed the core's own L2 to evict it: twice the largest per-core L2 seen on our
// machines (2 MiB, Sapphire/Emerald Rapids).
constexpr std::int64_t min_slice_bytes = 4ll << 20;

}  // namespace

host_cache_flusher::host_cache_flusher(std::int64_t last_level_cache_bytes, std::vector<int> cpus)
    : m_cpus(std::move(cpus)) {
  if (m_cpus.empty()) m_cpus = one_cpu_per_core(allowed_cpus());
  if (m_cpus.empty()) m_cpus = {-1};  // affinity unknown: one writer thread, left unpinned
  // Unknown LLC: assume a large one rather than flush too little.
  const std::int64_t llc = last_level_cache_bytes > 0 ? last_level_cache_bytes : (64ll << 20);
  const std::int64_t total = std::max<std::int64_t>(2 * llc, 8ll << 20);
  const auto count = static_cast<std::int64_t>(m_cpus.size());
  const std::int64_t share = (total + count - 1) / count;
  m_slice_bytes = (std::max(min_slice_bytes, share) + 63) / 64 * 64;
  // Not value-initialised: each slice's pages are first touched by its own CPU (NUMA placement).
  m_buffer.reset(new std::int64_t[static_cast<std::size_t>(m_slice_bytes / 8 * count)]);
  m_flushed_from.assign(m_cpus.size(), -1);
}

void host_cache_flusher::flush() {
  // A store per cache line, with a value that changes each round so nothing can be elided.
  ++m_round;
  const std::int64_t words = m_slice_bytes / 8, round = m_round;
  auto write_slice = [this, words, round](std::size_t i) {
    if (m_cpus[i] >= 0) pin_this_thread(m_cpus[i]);
    volatile std::int64_t* data = m_buffer.get() + static_cast<std::int64_t>(i) * words;
    for (std::int64_t w = 0; w < words; w += 64 / 8) data[w] = round;
    m_flushed_from[i] = sched_getcpu();
  };
  // Writers are started per flush, not kept: `run --isolate` forks a child per case, and a child
  // has only the thread that forked it.
  std::vector<std::thread> writers;
  writers.reserve(m_cpus.size());
  for (std::size_t i = 0; i < m_cpus.size(); ++i) writers.emplace_back(write_slice, i);
  for (std::thread& t : writers) t.join();
}

}  // namespace accelbench
