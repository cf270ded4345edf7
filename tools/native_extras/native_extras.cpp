// Measurements for docs/performance.md that `accelbench run` does not make, used by
// tools/native_extras/native_targets.sh next to one `accelbench run` of the target shapes:
//   triad [--mib N] [--threads T]   STREAM triad a[i] = b[i] + s*c[i] (f64), best of 10, all
//                                   threads pinned like the native kernels; GB/s counts 24 bytes
//                                   per element (no write-allocate), as STREAM does.
//   peak-memory [WORKLOAD]          peak resident memory of the native backend preparing and
//                                   running WORKLOAD once, above the harness's input tensors
//                                   (default attn:b=1,hq=8,hkv=8,sq=32768,skv=32768,d=128,causal=1,dt=f32).
//   cpu-time WORKLOAD [--calls N] [--hot]
//                                   median wall time and median process CPU time (all threads) of
//                                   N native runs of WORKLOAD (default 30), caches flushed before
//                                   each unless --hot: on a shared machine, CPU / wall says how much of the
//                                   CPUs the kernel actually got, and CPU time per call is what
//                                   a kernel change can improve when the wall time is set by load.
//   tiles WORKLOAD QxK [QxK ...] [--calls N]
//                                   the fused attention with each query x key tile choice (0x0 = the
//                                   default choice), hot caches, the choices' calls interleaved round
//                                   by round so drifting load hits all alike; median ms and TFLOPS.
//   gemm-blocking WORKLOAD MCxKCxNC [MCxKCxNC ...] [--calls N]
//                                   the native GEMM with each blocking (0x0x0 = the default choice),
//                                   hot caches, interleaved round by round like `tiles`.
//   row-kernel ROWS [--n N] [--k K] [--dtype f32|bf16] [--calls C] [--cold]
//                                   the decode GEMM's row kernel alone (isa_kernels::stream_rows of the
//                                   table ACCELBENCH_NATIVE_ISA or the CPU picks) on this thread, its
//                                   partial C placed as the k split places it, verified against fp64:
//                                   median time per call and FMA per cycle at this thread's measured
//                                   clock. Hot data: the kernel's ceiling (docs/performance.md);
//                                   --cold: each call reads the next of as many copies of B as fill
//                                   4x the L3, so B comes from memory. Defaults n = 4096, k = 64,
//                                   C = 200 calls.
//   pool-wake [--idle-us U] [--calls C]
//                                   how long after a parallel_for begins a worker starts its item,
//                                   following U us of idle sleep (default 5000, as long as a cold
//                                   flush): with the workers asleep, and woken first by
//                                   thread_pool::wake, as the harness does before each timed
//                                   call. C calls of each, alternating (default 100).
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "backends/common/abi_conversion.hpp"
#include "backends/loader/registry.hpp"
#include "bench/engine/verification.hpp"
#include "bench/peak/clock_measure.hpp"
#include "kernels/cpu/aligned_buffer.hpp"
#include "kernels/cpu/cache_info.hpp"
#include "kernels/cpu/flash_attention.hpp"
#include "kernels/cpu/isa_dispatch.hpp"
#include "kernels/cpu/thread_pool.hpp"
#include "kernels/cpu/tiled_gemm.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/workload.hpp"
#include "reports/model/sample_statistics.hpp"

using namespace accelbench;
namespace ck = accelbench::cpu_kernels;

namespace {

std::int64_t status_kib(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(key, 0) == 0) return std::stoll(line.substr(std::strlen(key)));
  return -1;
}

int triad(std::int64_t mib, int threads) {
  const std::int64_t n = mib * (1 << 20) / 8;
  std::vector<double> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n), 1.0),
      c(static_cast<std::size_t>(n), 2.0);
  ck::thread_pool pool({threads, true});
  const std::int64_t chunks = pool.size();
  const auto pass = [&] {
    pool.parallel_for(chunks, [&](std::int64_t t, int) {
      const std::int64_t lo = n * t / chunks, hi = n * (t + 1) / chunks;
      const double s = 3.0;
      for (std::int64_t i = lo; i < hi; ++i) a[i] = b[i] + s * c[i];
    });
  };
  pass();  // first touch
  double best = 1e30;
  for (int rep = 0; rep < 10; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    pass();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const double gbs = 24.0 * n / best / 1e9;
  std::printf("{\"triad_gb_per_s\": %.3f, \"array_mib\": %lld, \"threads\": \"%s\", \"best_s\": %.6f}\n", gbs,
              static_cast<long long>(mib), pool.description().c_str(), best);
  return a[n / 2] == 7.0 ? 0 : 1;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The native backend if it is usable here; otherwise nullptr, after saying so.
const backend_entry* usable_native(const std::vector<backend_entry>& backends) {
  for (const backend_entry& e : backends)
    if (e.name == "native" && e.available) return &e;
  std::fprintf(stderr, "native backend unavailable\n");
  return nullptr;
}

// Seeded random inputs in ABI order (Q, K, V), with the views prepare takes.
struct seeded_inputs {
  std::vector<host_tensor> tensors;
  std::vector<ab_host_tensor> views;
  std::int64_t bytes = 0;
};

seeded_inputs make_inputs(const workload& w) {
  seeded_inputs in;
  for (std::int64_t count : input_element_counts(w)) in.tensors.emplace_back(dtypes_of(w).in, count);
  for (std::size_t i = 0; i < in.tensors.size(); ++i) {
    fill_random(in.tensors[i], 5 + i);
    in.views.push_back({in.tensors[i].data(), static_cast<std::uint64_t>(in.tensors[i].bytes())});
    in.bytes += in.tensors[i].bytes();
  }
  return in;
}

int cpu_time(const std::string& text, int calls, bool hot) {
  const workload w = parse_workload(text);
  (void)std::get<attention_workload>(w);  // attention workloads only (throws otherwise, as before)
  std::vector<backend_entry> backends = load_backends();
  const backend_entry* native = usable_native(backends);
  if (native == nullptr) return 1;
  const std::string canonical = to_string(w);
  const ab_workload abi = to_abi(w, canonical);
  const seeded_inputs inputs = make_inputs(w);
  std::array<char, 512> reason{};
  ab_plan* raw = nullptr;
  if (native->table->prepare(0, &abi, inputs.views.data(), 3, &raw, reason.data(), reason.size()) != AB_OK) {
    std::fprintf(stderr, "prepare failed: %s\n", reason.data());
    return 1;
  }
  plan_handle plan(raw, plan_deleter{native->table});
  std::vector<char> flush(64 << 20);
  std::vector<double> wall, cpu;
  for (int call = 0; call <= calls; ++call) {  // call 0 is a warm-up
    if (!hot)
      for (std::size_t i = 0; i < flush.size(); i += 64) flush[i] = static_cast<char>(flush[i] + 1);
    const double c0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    if (native->table->run(plan.get()) != AB_OK) {
      std::fprintf(stderr, "run failed: %s\n", native->table->last_error(plan.get()));
      return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (call == 0) continue;
    wall.push_back(seconds * 1e3);
    cpu.push_back((process_cpu_seconds() - c0) * 1e3);
  }
  const double wall_ms = median(wall), cpu_ms = median(cpu);
  std::printf(
      "{\"workload\": \"%s\", \"calls\": %d, \"cache\": \"%s\", \"wall_ms_median\": %.3f, \"cpu_ms_median\": %.3f, "
      "\"cpus_used\": %.2f, \"plan\": \"%s\"}\n",
      canonical.c_str(), calls, hot ? "hot" : "cold", wall_ms, cpu_ms, cpu_ms / wall_ms,
      native->table->plan_description(plan.get()));
  shutdown_backends(backends);
  return 0;
}

int peak_memory(const std::string& text) {
  std::vector<backend_entry> backends = load_backends();
  const backend_entry* native = usable_native(backends);
  if (native == nullptr) return 1;
  const workload w = parse_workload(text);
  const auto& a = std::get<attention_workload>(w);
  const std::string canonical = to_string(w);
  const ab_workload abi = to_abi(w, canonical);
  const seeded_inputs inputs = make_inputs(w);
  const std::int64_t input_bytes = inputs.bytes;
  const std::int64_t output_bytes = a.o_elements() * storage_bytes(a.dt.out);
  { std::ofstream("/proc/self/clear_refs") << "5"; }  // reset VmHWM to the current RSS
  const std::int64_t base_kib = status_kib("VmRSS:");
  std::array<char, 512> reason{};
  ab_plan* raw = nullptr;
  if (native->table->prepare(0, &abi, inputs.views.data(), 3, &raw, reason.data(), reason.size()) != AB_OK) {
    std::fprintf(stderr, "prepare failed: %s\n", reason.data());
    return 1;
  }
  plan_handle plan(raw, plan_deleter{native->table});
  const auto t0 = std::chrono::steady_clock::now();
  if (native->table->run(plan.get()) != AB_OK) {
    std::fprintf(stderr, "run failed: %s\n", native->table->last_error(plan.get()));
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::int64_t peak_kib = status_kib("VmHWM:");
  const double growth = (peak_kib - base_kib) / 1048576.0;
  // The plan keeps its own copy of the inputs and the output (every backend does); the rest is
  // the kernel's workspace.
  const double copies = (input_bytes + output_bytes) / 1073741824.0;
  std::printf(
      "{\"workload\": \"%s\", \"inputs_gib\": %.3f, \"peak_growth_gib\": %.3f, \"plan_copies_gib\": %.3f, "
      "\"workspace_gib\": %.3f, \"score_matrix_per_head_gib\": %.3f, \"run_s\": %.2f, \"plan\": \"%s\"}\n",
      canonical.c_str(), input_bytes / 1073741824.0, growth, copies, growth - copies,
      static_cast<double>(a.sq) * a.skv * 4 / 1073741824.0, seconds, native->table->plan_description(plan.get()));
  shutdown_backends(backends);
  return 0;
}

// A non-negative decimal integer, or invalid_argument naming the field and the accepted form.
std::int64_t whole_number(const std::string& text, const std::string& field, const std::string& form) {
  std::int64_t value = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0)
    throw std::invalid_argument(field + ": expected " + form);
  return value;
}

int tiles(const std::string& text, const std::vector<ck::attention_tiles>& choices, int calls) {
  const workload w = parse_workload(text);
  const auto& a = std::get<attention_workload>(w);
  const ck::isa_kernels* kernels = ck::select_kernels();
  if (kernels == nullptr) throw std::runtime_error("the native kernels need AVX2+FMA");
  host_tensor q(a.dt.in, a.q_elements()), k(a.dt.in, a.kv_elements()), v(a.dt.in, a.kv_elements()),
      o(a.dt.out, a.q_elements());
  fill_random(q, 1);
  fill_random(k, 2);
  fill_random(v, 3);
  ck::thread_pool pool(ck::thread_settings::from_environment());
  std::vector<std::unique_ptr<ck::flash_attention>> plans;
  for (const ck::attention_tiles& t : choices)
    plans.push_back(std::make_unique<ck::flash_attention>(a, *kernels, pool, t));
  std::vector<std::vector<double>> ms(plans.size());
  for (int call = 0; call <= calls; ++call) {  // call 0 warms up
    for (std::size_t i = 0; i < plans.size(); ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      plans[i]->run(q.data(), k.data(), v.data(), o.data());
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (call > 0) ms[i].push_back(elapsed * 1e3);
    }
  }
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const double m = median(ms[i]);
    std::printf(
        "{\"workload\": \"%s\", \"query_tile\": %lld, \"key_tile\": %lld, \"calls\": %d, \"median_ms\": %.3f, "
        "\"tflops\": %.4f, \"plan\": \"%s\"}\n",
        to_string(w).c_str(), static_cast<long long>(plans[i]->tiles().query_tile),
        static_cast<long long>(plans[i]->tiles().key_tile), calls, m, flops(w) / (m * 1e-3) / 1e12,
        plans[i]->description().c_str());
  }
  return 0;
}

int gemm_blockings(const std::string& text, const std::vector<ck::gemm_blocking>& choices, int calls) {
  const workload w = parse_workload(text);
  const auto& g = std::get<gemm_workload>(w);
  const ck::isa_kernels* kernels = ck::select_kernels();
  if (kernels == nullptr) throw std::runtime_error("the native kernels need AVX2+FMA");
  host_tensor a(g.dt.in, g.batch * g.m * g.k), b(g.dt.in, g.batch * g.k * g.n), c(g.dt.out, g.batch * g.m * g.n);
  fill_random(a, 1);
  fill_random(b, 2);
  ck::thread_pool pool(ck::thread_settings::from_environment());
  std::vector<std::unique_ptr<ck::tiled_gemm>> plans;
  for (const ck::gemm_blocking& blocking : choices)
    plans.push_back(std::make_unique<ck::tiled_gemm>(g, *kernels, pool, blocking));
  std::vector<std::vector<double>> ms(plans.size()), cpu_ms(plans.size());
  for (int call = 0; call <= calls; ++call) {  // call 0 warms up
    for (std::size_t i = 0; i < plans.size(); ++i) {
      const double c0 = process_cpu_seconds();
      const auto t0 = std::chrono::steady_clock::now();
      plans[i]->run(a.data(), b.data(), c.data());
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (call > 0) {
        ms[i].push_back(elapsed * 1e3);
        cpu_ms[i].push_back((process_cpu_seconds() - c0) * 1e3);
      }
    }
  }
  // On a shared machine the wall time is set by the load; the CPU time (all threads) is what a
  // blocking choice changes: TFLOPS per CPU-second is reported next to the wall-time TFLOPS.
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const double m = median(ms[i]), cpu = median(cpu_ms[i]);
    std::printf(
        "{\"workload\": \"%s\", \"calls\": %d, \"median_ms\": %.3f, \"cpu_ms_median\": %.3f, \"tflops\": %.4f, "
        "\"tflops_per_cpu\": %.4f, \"plan\": \"%s\"}\n",
        to_string(w).c_str(), calls, m, cpu, flops(w) / (m * 1e-3) / 1e12, flops(w) / (cpu * 1e-3) / 1e12,
        plans[i]->description().c_str());
  }
  return 0;
}

int row_kernel(std::int64_t rows, std::int64_t n, std::int64_t k, dtype in, int calls, bool cold) {
  if (rows < 1 || rows > ck::isa_kernels::stream_rows_max)
    throw std::invalid_argument(fmt::format("ROWS {}: expected 1 to {}", rows, ck::isa_kernels::stream_rows_max));
  if (n < 1 || k < 1) throw std::invalid_argument("--n and --k: expected 1 or more");
  const ck::isa_kernels* kernels = ck::select_kernels();
  if (kernels == nullptr) throw std::runtime_error("the native kernels need AVX2+FMA");
  // The product the kernel computes, as a workload: its C is f32 whatever B is.
  const gemm_workload g = std::get<gemm_workload>(
      parse_workload(fmt::format("gemm:m={},n={},k={},dt={}", rows, n, k, in == dtype::bf16 ? "bf16:f32" : "f32")));
  host_tensor a(in, rows * k);
  fill_random(a, 1);
  // The kernel reads A as f32 rows, as the k split's copy of bf16 A gives them (exact in f32).
  std::vector<double> a_values(static_cast<std::size_t>(rows * k));
  a.read(0, rows * k, a_values.data());
  const std::vector<float> a_rows(a_values.begin(), a_values.end());
  // Copies of one B: the same product every call, from memory when they outgrow the L3.
  std::vector<host_tensor> b_copies;
  b_copies.emplace_back(in, k * n);
  fill_random(b_copies[0], 2);
  const std::int64_t b_bytes = b_copies[0].bytes();
  while (cold && static_cast<std::int64_t>(b_copies.size()) * b_bytes < 4 * ck::host_cache_sizes().l3) {
    b_copies.emplace_back(in, k * n);
    std::memcpy(b_copies.back().data(), b_copies[0].data(), static_cast<std::size_t>(b_bytes));
  }
  ck::aligned_buffer part(ck::k_split_part_floats(rows, n));
  const std::int64_t ldc = ck::k_split_part_stride(rows, n);
  float* c = nullptr;
  const double ghz = measure_clock_one_thread(0.2);
  std::vector<double> seconds;
  for (int i = 0; i <= calls; ++i) {  // call 0 warms up
    const host_tensor& b = b_copies[static_cast<std::size_t>(i) % b_copies.size()];
    const auto t0 = std::chrono::steady_clock::now();
    c = ck::k_split_part_origin(part.data(), rows, b.data());
    kernels->stream_rows(static_cast<int>(rows), n, k, a_rows.data(), k, b.data(), in == dtype::bf16, n, c, ldc, false);
    if (i > 0) seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  // The last call's C, verified as every result is (bench/engine/verification): a rate is only
  // reported for a kernel that computed the product.
  host_tensor c_rows(dtype::f32, rows * n);
  for (std::int64_t i = 0; i < rows; ++i)
    std::memcpy(static_cast<float*>(c_rows.data()) + i * n, c + i * ldc, static_cast<std::size_t>(n) * sizeof(float));
  const verification_result check = verify_gemm(g, a, b_copies[0], c_rows, 3);
  if (!check.passed) {
    std::fprintf(stderr, "incorrect: the row kernel's C is off by %.3g (tolerance %.3g)%s%s\n", check.error,
                 check.tolerance, check.reason.empty() ? "" : ": ", check.reason.c_str());
    return 1;
  }
  const double s = median(seconds);
  const double lanes = static_cast<double>(rows) * n * k;
  std::printf(
      "{\"rows\": %lld, \"n\": %lld, \"k\": %lld, \"dtype\": \"%s\", \"isa\": \"%s\", \"cache\": \"%s\", "
      "\"calls\": %d, \"verified\": true, \"error\": %.2e, \"median_us\": %.3f, \"clock_ghz\": %.3f, "
      "\"fma_lanes_per_cycle\": %.2f, \"fma_per_cycle\": %.2f, \"b_gb_per_s\": %.2f}\n",
      static_cast<long long>(rows), static_cast<long long>(n), static_cast<long long>(k),
      std::string(to_string(in)).c_str(), kernels->name, cold ? "cold" : "hot", calls, check.error, s * 1e6, ghz,
      lanes / s / (ghz * 1e9), lanes / kernels->vector_floats / s / (ghz * 1e9),
      static_cast<double>(b_bytes) / s / 1e9);
  return 0;
}

// The time from a parallel_for's start to its worker item's start, in microseconds, on a pool
// whose workers have been idle for `idle_us` (and then woken when `wake_first`).
double worker_start_delay_us(ck::thread_pool& pool, std::int64_t idle_us, bool wake_first) {
  using clock = std::chrono::steady_clock;
  std::this_thread::sleep_for(std::chrono::microseconds(idle_us));
  if (wake_first) pool.wake();
  std::atomic<bool> started{false};
  clock::time_point worker_start;
  const clock::time_point call_start = clock::now();
  pool.parallel_for(2, [&](std::int64_t, int thread) {
    if (thread != 0) {
      worker_start = clock::now();
      started.store(true, std::memory_order_release);
      return;
    }
    // The caller's item waits for the worker's, so that the other item is left to a worker.
    const clock::time_point give_up = clock::now() + std::chrono::seconds(1);
    while (!started.load(std::memory_order_acquire) && clock::now() < give_up) {
    }
  });
  if (!started.load()) throw std::runtime_error("pool-wake: no worker started within 1 s");
  return std::chrono::duration<double, std::micro>(worker_start - call_start).count();
}

int pool_wake(std::int64_t idle_us, int calls) {
  ck::thread_pool pool(ck::thread_settings::from_environment());
  if (pool.size() < 2)
    throw std::invalid_argument("pool-wake: needs 2 or more threads (ACCELBENCH_NATIVE_THREADS, the CPU mask)");
  std::vector<double> asleep, woken;
  for (int call = 0; call < calls; ++call) {
    asleep.push_back(worker_start_delay_us(pool, idle_us, false));
    woken.push_back(worker_start_delay_us(pool, idle_us, true));
  }
  const sample_statistics a = summarize(asleep), w = summarize(woken);
  std::printf(
      "{\"threads\": %d, \"idle_us\": %lld, \"calls\": %d, \"asleep_median_us\": %.1f, \"asleep_q3_us\": %.1f, "
      "\"woken_median_us\": %.1f, \"woken_q3_us\": %.1f}\n",
      pool.size(), static_cast<long long>(idle_us), calls, a.median, a.q3, w.median, w.q3);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "triad") {
      std::int64_t mib = 256;
      int threads = 0;
      for (int i = 2; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--mib") mib = std::stoll(argv[i + 1]);
        if (std::string(argv[i]) == "--threads") threads = std::stoi(argv[i + 1]);
      }
      return triad(mib, threads);
    }
    if (mode == "cpu-time" && argc > 2) {
      int calls = 30;
      bool hot = false;
      for (int i = 3; i < argc; ++i) {
        if (std::string(argv[i]) == "--hot") hot = true;
        if (std::string(argv[i]) == "--calls" && i + 1 < argc) calls = std::stoi(argv[++i]);
      }
      return cpu_time(argv[2], std::max(1, calls), hot);
    }
    if (mode == "tiles" && argc > 3) {
      std::vector<ck::attention_tiles> choices;
      int calls = 10;
      for (int i = 3; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--calls" && i + 1 < argc) {
          calls = static_cast<int>(whole_number(argv[++i], "--calls", "a count of calls, e.g. 10"));
          continue;
        }
        const std::size_t x = arg.find('x');
        const char* form = "QxK, query rows x keys, e.g. 64x128 (0x0: the default choice)";
        if (x == std::string::npos) throw std::invalid_argument("tile choice '" + arg + "': expected " + form);
        choices.push_back({whole_number(arg.substr(0, x), "tile choice '" + arg + "'", form),
                           whole_number(arg.substr(x + 1), "tile choice '" + arg + "'", form)});
      }
      return tiles(argv[2], choices, std::max(1, calls));
    }
    if (mode == "gemm-blocking" && argc > 3) {
      std::vector<ck::gemm_blocking> choices;
      int calls = 5;
      const char* form = "MCxKCxNC, e.g. 1032x192x4096 (0x0x0: the default choice)";
      for (int i = 3; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--calls" && i + 1 < argc) {
          calls = static_cast<int>(whole_number(argv[++i], "--calls", "a count of calls, e.g. 5"));
          continue;
        }
        const std::size_t x1 = arg.find('x'), x2 = x1 == std::string::npos ? x1 : arg.find('x', x1 + 1);
        if (x2 == std::string::npos) throw std::invalid_argument("blocking '" + arg + "': expected " + form);
        const std::string field = "blocking '" + arg + "'";
        choices.push_back({whole_number(arg.substr(0, x1), field, form),
                           whole_number(arg.substr(x1 + 1, x2 - x1 - 1), field, form),
                           whole_number(arg.substr(x2 + 1), field, form)});
      }
      return gemm_blockings(argv[2], choices, std::max(1, calls));
    }
    if (mode == "row-kernel" && argc > 2) {
      std::int64_t n = 4096, k = 64;
      int calls = 200;
      bool cold = false;
      dtype in = dtype::f32;
      const std::int64_t rows = whole_number(argv[2], "ROWS", "a count of rows of C, e.g. 8");
      for (int i = 3; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--cold") {
          cold = true;
          continue;
        }
        if (i + 1 >= argc) throw std::invalid_argument(arg + ": expected a value after it");
        const std::string value = argv[++i];
        if (arg == "--n") {
          n = whole_number(value, "--n", "a count of columns, e.g. 512");
        } else if (arg == "--k") {
          k = whole_number(value, "--k", "a count of B rows, e.g. 64");
        } else if (arg == "--calls") {
          calls = static_cast<int>(whole_number(value, "--calls", "a count of calls, e.g. 200"));
        } else if (arg == "--dtype" && (value == "f32" || value == "bf16")) {
          in = value == "f32" ? dtype::f32 : dtype::bf16;
        } else if (arg == "--dtype") {
          throw std::invalid_argument("--dtype '" + value + "': expected f32 or bf16");
        } else {
          throw std::invalid_argument("row-kernel: unknown option '" + arg +
                                      "'; accepted: --n, --k, --dtype, --calls, --cold");
        }
      }
      return row_kernel(rows, n, k, in, std::max(1, calls), cold);
    }
    if (mode == "pool-wake") {
      std::int64_t idle_us = 5000;
      int calls = 100;
      for (int i = 2; i < argc; i += 2) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) throw std::invalid_argument(arg + ": expected a value after it");
        if (arg == "--idle-us") {
          idle_us = whole_number(argv[i + 1], "--idle-us", "microseconds of idle sleep, e.g. 5000");
        } else if (arg == "--calls") {
          calls = static_cast<int>(whole_number(argv[i + 1], "--calls", "a count of calls, e.g. 100"));
        } else {
          throw std::invalid_argument("pool-wake: unknown option '" + arg + "'; accepted: --idle-us, --calls");
        }
      }
      return pool_wake(idle_us, std::max(1, calls));
    }
    if (mode == "peak-memory") {
      return peak_memory(argc > 2 ? argv[2] : "attn:b=1,hq=8,hkv=8,sq=32768,skv=32768,d=128,causal=1,dt=f32");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  std::fprintf(
      stderr,
      "usage: %s triad [--mib N] [--threads T] | peak-memory [WORKLOAD] | cpu-time WORKLOAD [--calls N] [--hot] | "
      "tiles WORKLOAD QxK [QxK ...] [--calls N] | gemm-blocking WORKLOAD MCxKCxNC [...] [--calls N] | "
      "row-kernel ROWS [--n N] [--k K] [--dtype f32|bf16] [--calls C] [--cold] | pool-wake [--idle-us U] [--calls "
      "C]\n",
      argv[0]);
  return 2;
}
