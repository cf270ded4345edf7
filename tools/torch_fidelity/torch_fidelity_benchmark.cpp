// Fidelity of the torch backend (issue target: 0.95-1.10x): for an n x n x n GEMM, in ONE process
// and ONE interpreter with the same intra-op threads, alternate
//   (a) a bare loop of torch.matmul(a, b, out=c), each call timed with time.perf_counter
//       (the backend's extra accelbench_torch_bare_matmul_v1 runs it), and
//   (b) one repetition of the full engine on the torch backend, as `accelbench run` measures it
//       (ABI, verification once, warm-up, cold-cache flushes, timer slots),
// and report both medians and the ratio engine TFLOPS / bare TFLOPS: of the pooled medians, and
// the median of the per-round ratios (each round's two sides ran back to back, so that one is
// the least moved by load that drifts on a shared machine). Rounds alternate which side goes
// first. --hot: no cache flush between engine samples (the bare loop never flushes).
//
//   accelbench_torch_fidelity [--n 2048] [--dt f32] [--rounds 5] [--calls 5] [--hot 1]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "backends/loader/registry.hpp"
#include "bench/engine/case_runner.hpp"
#include "bench/engine/system_info.hpp"

namespace {

using namespace accelbench;
using bare_matmul_fn = ab_status (*)(std::int64_t n, const char* dt, std::uint32_t iterations, double* seconds);

struct settings {
  std::int64_t n = 2048;
  std::string dt = "f32";
  int rounds = 5;
  std::uint32_t calls = 5;  // bare calls per round; also the engine's samples per round
  bool hot = false;
};

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--n")
      s.n = std::atoll(value.c_str());
    else if (key == "--dt")
      s.dt = value;
    else if (key == "--rounds")
      s.rounds = std::atoi(value.c_str());
    else if (key == "--calls")
      s.calls = static_cast<std::uint32_t>(std::atoi(value.c_str()));
    else if (key == "--hot")
      s.hot = value == "1";
    else
      throw std::invalid_argument("unknown option " + key + " (accepted: --n --dt --rounds --calls --hot)");
  }
  if (s.n <= 0 || s.rounds <= 0 || s.calls == 0) throw std::invalid_argument("--n, --rounds and --calls must be > 0");
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 == 1 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

int run(const settings& s) {
  std::vector<backend_entry> backends = load_backends(nullptr, {"torch"});
  const auto torch =
      std::find_if(backends.begin(), backends.end(), [](const backend_entry& e) { return e.name == "torch"; });
  if (torch == backends.end() || !torch->available) {
    fmt::print(stderr, "torch backend unavailable: {}\n", torch == backends.end() ? "not built" : torch->reason);
    return 77;
  }
  auto bare = reinterpret_cast<bare_matmul_fn>(torch->table->get_proc("accelbench_torch_bare_matmul_v1"));
  if (bare == nullptr) throw std::runtime_error("the torch backend lacks accelbench_torch_bare_matmul_v1");

  const std::string text = fmt::format("gemm:m={0},n={0},k={0},dt={1}", s.n, s.dt);
  const bench_case c{text, parse_workload(text), &*torch, 0};
  run_options options;  // cold cache, as `accelbench run`, unless --hot; as many samples per round as bare calls
  if (s.hot) options.cache = cache_policy::hot;
  options.stop.min_samples = s.calls;
  options.stop.max_samples = s.calls;
  options.stop.timeout_s = 120.0;
  case_runner runner(options, detect_system().last_level_cache_bytes);
  case_result record = runner.new_record(c);
  const double flops = 2.0 * static_cast<double>(s.n) * s.n * s.n;

  fmt::print("{}; {}\n", text, torch->version);
  std::vector<double> bare_all, engine_all, round_ratios;
  for (int round = 0; round < s.rounds; ++round) {
    std::vector<double> bare_round(s.calls);
    std::vector<double> engine_round;
    for (int side = 0; side < 2; ++side) {
      if ((side + round) % 2 == 0) {
        if (bare(s.n, s.dt.c_str(), s.calls, bare_round.data()) != AB_OK)
          throw std::runtime_error("the bare torch.matmul loop failed");
      } else {
        runner.run_repetition(c, record);
        if (!record.tflops())
          throw std::runtime_error(fmt::format("engine: {}: {}", to_string(record.result), record.reason));
        engine_round = record.repetitions.back().samples_s;
      }
    }
    bare_all.insert(bare_all.end(), bare_round.begin(), bare_round.end());
    engine_all.insert(engine_all.end(), engine_round.begin(), engine_round.end());
    round_ratios.push_back(median(bare_round) / median(engine_round));
    fmt::print(
        "round {} ({} first): bare median {:.3f} ms ({} calls), engine median {:.3f} ms ({} samples), ratio {:.3f}\n",
        round + 1, round % 2 == 0 ? "bare" : "engine", median(bare_round) * 1e3, bare_round.size(),
        median(engine_round) * 1e3, engine_round.size(), round_ratios.back());
    std::fflush(stdout);  // progress, when the output goes to a file
  }
  const double bare_s = median(bare_all), engine_s = median(engine_all);
  fmt::print("bare torch.matmul loop: median {:.3f} ms = {:.4f} TFLOPS ({} calls)\n", bare_s * 1e3,
             flops / bare_s / 1e12, bare_all.size());
  fmt::print("engine, torch backend:  median {:.3f} ms = {:.4f} TFLOPS ({} samples, {} cache)\n", engine_s * 1e3,
             flops / engine_s / 1e12, engine_all.size(), s.hot ? "hot" : "cold");
  fmt::print(
      "fidelity (engine TFLOPS / bare TFLOPS): pooled medians {:.3f}, median of the {} round ratios {:.3f} "
      "(target 0.95-1.10)\n",
      bare_s / engine_s, round_ratios.size(), median(round_ratios));
  fmt::print("plan: {}\n", record.plan_description);
  shutdown_backends(backends);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    fmt::print(stderr, "accelbench_torch_fidelity: {}\n", e.what());
    return 1;
  }
}
