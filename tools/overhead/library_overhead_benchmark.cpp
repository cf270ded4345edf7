// Harness overhead check (foundation issue's target): for the same GEMM, in one process,
// measure (a) a bare loop of the library call and (b) the full accelbench engine (ABI, cold
// cache flush, timer slots). The engine's TFLOPS should be >= 0.95x the bare loop's.
//
//   accelbench_overhead_benchmark [--benchmark_filter=...] [--benchmark_min_time=2]
// Shapes: ACCELBENCH_OVERHEAD_N (default 4096) for m = n = k.
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "backends/loader/registry.hpp"
#include "bench/engine/case_runner.hpp"
#include "bench/engine/system_info.hpp"
#include "kernels/spec/host_tensor.hpp"

#ifdef ACCELBENCH_WITH_OPENBLAS
#include <cblas.h>
#endif
#ifdef ACCELBENCH_WITH_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

using namespace accelbench;

std::int64_t problem_size() {
  const char* text = std::getenv("ACCELBENCH_OVERHEAD_N");
  return text != nullptr ? std::atoll(text) : 4096;
}

double gemm_flops(std::int64_t n) { return 2.0 * static_cast<double>(n) * n * n; }

#ifdef ACCELBENCH_WITH_OPENBLAS
void bare_openblas_sgemm(benchmark::State& state) {
  const std::int64_t n = problem_size();
  host_tensor a(dtype::f32, n * n), b(dtype::f32, n * n), c(dtype::f32, n * n);
  fill_random(a, 1);
  fill_random(b, 2);
  fill_random(c, 3);
  const auto blas_n = static_cast<blasint>(n);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blas_n, blas_n, blas_n, 1.0f,
                static_cast<const float*>(a.data()), blas_n, static_cast<const float*>(b.data()), blas_n, 0.0f,
                static_cast<float*>(c.data()), blas_n);
    benchmark::ClobberMemory();
  }
  state.counters["TFLOPS"] = benchmark::Counter(gemm_flops(n) / 1e12, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(bare_openblas_sgemm)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

#ifdef ACCELBENCH_WITH_ONEDNN
void bare_onednn_matmul(benchmark::State& state, dnnl::memory::data_type type, dtype storage) {
  const std::int64_t n = problem_size();
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  const dnnl::memory::desc md({n, n}, type, dnnl::memory::format_tag::ab);
  dnnl::matmul::primitive_desc pd;
  try {
    pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(md, md, md), engine);
  } catch (const dnnl::error& e) {
    state.SkipWithError(fmt::format("oneDNN has no matmul for this dtype here: {}", e.what()).c_str());
    return;
  }
  host_tensor a(storage, n * n), b(storage, n * n), c(storage, n * n);
  fill_random(a, 1);
  fill_random(b, 2);
  fill_random(c, 3);
  dnnl::memory ma(md, engine, a.data()), mb(md, engine, b.data()), mc(md, engine, c.data());
  dnnl::matmul primitive(pd);
  for (auto _ : state) {
    primitive.execute(stream, {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb}, {DNNL_ARG_DST, mc}});
    stream.wait();
  }
  state.counters["TFLOPS"] = benchmark::Counter(gemm_flops(n) / 1e12, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_CAPTURE(bare_onednn_matmul, f32, dnnl::memory::data_type::f32, dtype::f32)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(bare_onednn_matmul, bf16, dnnl::memory::data_type::bf16, dtype::bf16)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
#endif

// The full engine path, exactly as `accelbench run` measures it (cold cache, default rule).
void engine_gemm(benchmark::State& state, const std::string& backend_name, const std::string& dt) {
  static std::vector<backend_entry> backends = load_backends();
  const backend_entry* backend = nullptr;
  for (const backend_entry& e : backends) {
    if (e.name == backend_name && e.available) backend = &e;
  }
  if (backend == nullptr) {
    state.SkipWithError("backend unavailable");
    return;
  }
  const std::int64_t n = problem_size();
  const std::string text = fmt::format("gemm:m={},n={},k={},dt={}", n, n, n, dt);
  const bench_case c{text, parse_workload(text), backend, 0};
  case_runner runner(run_options{}, detect_system().last_level_cache_bytes);
  for (auto _ : state) {
    case_result record = runner.new_record(c);
    runner.run_repetition(c, record);
    if (!record.tflops()) {
      state.SkipWithError(fmt::format("{}: {}", to_string(record.result), record.reason).c_str());
      break;
    }
    state.SetIterationTime(*record.median_s());
    state.counters["TFLOPS"] = *record.tflops();
    state.counters["samples"] = static_cast<double>(record.repetitions.back().stats.count);
  }
}
BENCHMARK_CAPTURE(engine_gemm, openblas_f32, "openblas", "f32")
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(1);
BENCHMARK_CAPTURE(engine_gemm, onednn_f32, "onednn", "f32")
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(1);
BENCHMARK_CAPTURE(engine_gemm, onednn_bf16, "onednn", "bf16")
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
