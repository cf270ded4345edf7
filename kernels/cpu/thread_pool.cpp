#include "kernels/cpu/thread_pool.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace accelbench::cpu_kernels {
namespace {

constexpr int max_threads = 1024;  // ACCELBENCH_NATIVE_THREADS above this is a typo, not a machine
// How long an idle worker watches for the next call before it sleeps, and how long the caller
// watches the workers' last items before it sleeps.
constexpr std::chrono::microseconds worker_spin{200}, caller_spin{200};

std::vector<int> affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  if (cpus.empty()) {
    for (unsigned c = 0; c < std::max(1u, std::thread::hardware_concurrency()); ++c)
      cpus.push_back(static_cast<int>(c));
  }
  return cpus;
}

void pin_to(pthread_t thread, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(thread, sizeof(set), &set);
}

}  // namespace

thread_settings thread_settings::from_environment() {
  thread_settings s;
  if (const char* t = std::getenv("ACCELBENCH_NATIVE_THREADS"); t != nullptr && *t != '\0') {
    int value = -1;
    const char* end = t + std::strlen(t);
    const auto [last, error] = std::from_chars(t, end, value);
    if (error != std::errc() || last != end || value < 0 || value > max_threads)
      throw std::invalid_argument(fmt::format(
          "ACCELBENCH_NATIVE_THREADS='{}': accepted values are 0 (one per CPU) to {} threads", t, max_threads));
    s.threads = value;
  }
  if (const char* p = std::getenv("ACCELBENCH_NATIVE_PIN"); p != nullptr && *p != '\0') {
    const std::string value = p;
    if (value != "0" && value != "1")
      throw std::invalid_argument(fmt::format("ACCELBENCH_NATIVE_PIN='{}': accepted values are 0, 1", value));
    s.pin = value == "1";
  }
  return s;
}

thread_pool::thread_pool(thread_settings settings) {
  const std::vector<int> cpus = affinity_cpus();
  const int threads = settings.threads > 0 ? settings.threads : static_cast<int>(cpus.size());
  // Pinning only makes sense with at most one thread per CPU.
  m_pin = settings.pin && threads <= static_cast<int>(cpus.size());
  if (m_pin) m_cpus.assign(cpus.begin(), cpus.begin() + threads);
  for (int i = 1; i < threads; ++i) {
    m_workers.emplace_back([this, i] { worker_loop(i); });
    if (m_pin) pin_to(m_workers.back().native_handle(), m_cpus[static_cast<std::size_t>(i)]);
  }
  m_description = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
  if (m_pin) {
    m_description += ", pinned to CPUs ";
    for (std::size_t i = 0; i < m_cpus.size(); ++i) {
      if (i > 0) m_description += ',';
      m_description += std::to_string(m_cpus[i]);
    }
  } else {
    m_description += ", not pinned";
  }
}

thread_pool::~thread_pool() {
  {
    std::lock_guard lock(m_mutex);
    m_stop.store(true, std::memory_order_release);
  }
  m_start.notify_all();
  for (std::thread& t : m_workers) t.join();
}

void thread_pool::drain(int thread) {
  for (;;) {
    const std::int64_t item = m_next.fetch_add(1, std::memory_order_relaxed);
    if (item >= m_count) return;
    try {
      (*m_fn)(item, thread);
    } catch (...) {
      std::lock_guard lock(m_mutex);
      if (!m_error) m_error = std::current_exception();
      m_next.store(m_count, std::memory_order_relaxed);  // stop handing out work
    }
  }
}

// Spins (pausing) until done() or `budget` has passed; true when done() became true.
template <typename Done>
bool spin_until(Done done, std::chrono::microseconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
  }
}

void thread_pool::worker_loop(int index) {
  std::uint64_t seen = 0;
  for (;;) {
    // Calls that follow each other closely (a kernel's phases, a benchmark's repetitions) find
    // the worker awake: waking a sleeping thread costs tens of microseconds on a VM.
    spin_until(
        [&] { return m_stop.load(std::memory_order_acquire) || m_generation.load(std::memory_order_acquire) != seen; },
        worker_spin);
    {
      std::unique_lock lock(m_mutex);
      m_start.wait(lock, [&] { return m_stop || m_generation != seen; });
      if (m_stop) return;
      seen = m_generation;
      ++m_woken;
      // The items were all handed out before this worker woke: nothing to join.
      if (m_next.load(std::memory_order_relaxed) >= m_count) continue;
      ++m_joined;
    }
    drain(index);
    {
      std::lock_guard lock(m_mutex);
      if (--m_joined == 0) m_done.notify_one();
    }
  }
}

void thread_pool::start_generation(const std::function<void(std::int64_t, int)>* fn, std::int64_t count) {
  {
    std::lock_guard lock(m_mutex);
    m_fn = fn;
    m_count = count;
    m_next.store(0, std::memory_order_relaxed);
    m_error = nullptr;
    m_woken = 0;
    ++m_generation;
  }
  m_start.notify_all();
}

int thread_pool::wake() {
  const int workers = static_cast<int>(m_workers.size());
  if (workers == 0) return 0;
  // Right after a call (hot caches: calls back to back) the workers are still watching: leave
  // them, and the caller, as they are.
  if (std::chrono::steady_clock::now() - m_idle_since < worker_spin / 2) return 0;
  // The caller too: parallel_for pins it to the first CPU for the call, and the first pin after
  // a few milliseconds without one took 6-19 us on Linux 6.18 in a VM, against 2.5-3 us for the
  // next (docs/performance.md). Pinned once here, and its own affinity restored, the caller
  // sits on that CPU and the call's own pin is the quick one.
  cpu_set_t saved;
  if (m_pin && sched_getaffinity(0, sizeof(saved), &saved) == 0) {
    pin_to(pthread_self(), m_cpus.front());
    sched_setaffinity(0, sizeof(saved), &saved);
  }
  start_generation(nullptr, 0);  // no items: each worker counts itself and goes back to watching
  // Outside any timed region; yields now and then for a worker that shares this CPU.
  while (!spin_until([&] { return m_woken.load(std::memory_order_acquire) == workers; }, caller_spin))
    std::this_thread::yield();
  m_idle_since = std::chrono::steady_clock::now();
  return m_woken.load(std::memory_order_acquire);
}

void thread_pool::parallel_for(std::int64_t count, const std::function<void(std::int64_t, int)>& fn) {
  if (count <= 0) return;
  if (m_workers.empty() || count == 1) {
    for (std::int64_t i = 0; i < count; ++i) fn(i, 0);
    return;
  }
  cpu_set_t saved;
  const bool pin_caller = m_pin && sched_getaffinity(0, sizeof(saved), &saved) == 0;
  if (pin_caller) pin_to(pthread_self(), m_cpus.front());
  start_generation(&fn, count);
  drain(0);
  // Every item is handed out; wait only for the workers that took some. They are usually
  // finishing their last item, so spin briefly before sleeping.
  spin_until([&] { return m_joined.load(std::memory_order_acquire) == 0; }, caller_spin);
  std::exception_ptr error;
  {
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return m_joined == 0; });
    m_fn = nullptr;
    error = m_error;
  }
  m_idle_since = std::chrono::steady_clock::now();
  if (pin_caller) sched_setaffinity(0, sizeof(saved), &saved);
  if (error) std::rethrow_exception(error);
}

}  // namespace accelbench::cpu_kernels
