#pragma once
// A fixed set of worker threads for the native kernels: parallel_for hands out items from an
// atomic counter (dynamic scheduling, so causal tiles of unequal cost balance), and the
// calling thread works too, and waits only for the workers that took items. Idle workers
// watch for the next call for 200 microseconds before they sleep; wake() brings them back.
// Workers are optionally pinned one per CPU of the process's affinity mask; the caller is pinned
// to the first CPU only for the duration of a call.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace accelbench::cpu_kernels {

struct thread_settings {
  int threads = 0;  // 0: one per CPU in the affinity mask (ACCELBENCH_NATIVE_THREADS overrides)
  bool pin = true;  // ACCELBENCH_NATIVE_PIN=0 turns pinning off
  // ACCELBENCH_NATIVE_THREADS (0..1024) and ACCELBENCH_NATIVE_PIN (0|1); any other value throws
  // std::invalid_argument naming the variable and the accepted values.
  static thread_settings from_environment();
};

class thread_pool {
 public:
  explicit thread_pool(thread_settings settings);
  ~thread_pool();
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  int size() const { return static_cast<int>(m_workers.size()) + 1; }
  // "2 threads, pinned to CPUs 0,1" (recorded in plan descriptions).
  const std::string& description() const { return m_description; }

  // Calls fn(item, thread) for every item in [0, count); returns when all are done. The first
  // exception thrown by fn is rethrown here after the others finish.
  void parallel_for(std::int64_t count, const std::function<void(std::int64_t, int)>& fn);

  // Returns once every worker is awake and watching for the next call, as it stays for 200 us
  // after each call, and the caller sits on its pinned CPU. A call after an idle spell long
  // enough for the workers to sleep (a cold-cache flush: milliseconds) otherwise begins by
  // waking them: its worker started 50-125 us late on a VM, whose host deschedules an idle vCPU,
  // against 5-8 us when woken first (accelbench_native_extras pool-wake; docs/performance.md).
  // Within 100 us of the last call, while they still watch, it leaves them be and returns 0;
  // otherwise it returns how many workers answered: all of them.
  int wake();

 private:
  // Publishes the next call (`count` items of `fn`; none for a wake) and rouses the workers.
  void start_generation(const std::function<void(std::int64_t, int)>* fn, std::int64_t count);
  void worker_loop(int index);
  void drain(int thread);

  std::vector<std::thread> m_workers;
  std::vector<int> m_cpus;  // CPU per thread (thread 0 = caller) when pinned
  bool m_pin = false;
  std::string m_description;

  std::mutex m_mutex;
  std::condition_variable m_start, m_done;
  // Written under m_mutex; atomic so that spinning threads may read them without it.
  std::atomic<std::uint64_t> m_generation{0};
  std::atomic<int> m_joined{0};  // workers inside the current call's items
  std::atomic<int> m_woken{0};   // workers that have seen the current generation (wake)
  std::atomic<bool> m_stop{false};
  const std::function<void(std::int64_t, int)>* m_fn = nullptr;
  std::int64_t m_count = 0;
  std::atomic<std::int64_t> m_next{0};
  std::exception_ptr m_error;
  // When the last call or wake ended: the workers watch for the next call for 200 us after it.
  std::chrono::steady_clock::time_point m_idle_since;
};

}  // namespace accelbench::cpu_kernels
