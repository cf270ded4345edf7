// Reference backend: the fp64 implementations from kernels/, timed like any other backend.
// Slow and obviously correct; every other backend is verified against the same math.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "backends/common/abi_conversion.hpp"
#include "backends/common/cpu_backend_table.hpp"
#include "backends/common/cpu_plan.hpp"
#include "backends/common/in_tree_backends.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/reference.hpp"

namespace accelbench::reference {
namespace {

// Naive fp64 loops run at about 1 GFLOP/s; larger cases would take minutes per sample.
constexpr std::int64_t max_reference_flops = 4'000'000'000;

// TEST ONLY. ACCELBENCH_TEST_FAULT=crash|abort|hang[:WORKLOAD] makes this backend's run()
// misbehave on purpose (SIGSEGV, abort(), sleep forever), for every case or only for the one
// canonical WORKLOAD, so the tests of --isolate and of the journal have a crashing or hanging
// backend to exercise. Never set it for a real run; the plan description says when it is active.
enum class test_fault { none, crash, abort, hang };

test_fault test_fault_for(const workload& w) {
  const char* value = std::getenv("ACCELBENCH_TEST_FAULT");
  if (value == nullptr || *value == '\0') return test_fault::none;
  const std::string text(value);
  const std::size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  if (colon != std::string::npos && text.substr(colon + 1) != to_string(w)) return test_fault::none;
  if (kind == "crash") return test_fault::crash;
  if (kind == "abort") return test_fault::abort;
  if (kind == "hang") return test_fault::hang;
  return test_fault::none;
}

void inject(test_fault fault) {
  switch (fault) {
    case test_fault::none:
      return;
    case test_fault::crash:
      std::signal(SIGSEGV, SIG_DFL);  // a real SIGSEGV, not a sanitizer report, in every build
      std::raise(SIGSEGV);
      return;
    case test_fault::abort:
      std::abort();
    case test_fault::hang:
      while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

class reference_plan final : public cpu::cpu_plan {
 public:
  reference_plan(const workload& w, const ab_host_tensor* inputs) : m_w(w) {
    const dtype in = dtypes_of(w).in;
    const std::size_t count = input_element_counts(w).size();
    for (std::size_t i = 0; i < count; ++i) m_inputs.push_back(cpu::copy_input(inputs[i], in));
    m_out = host_tensor(dtypes_of(w).out, output_element_count(w));
    description = "fp64 accumulation, naive loops";
    m_fault = test_fault_for(w);
    if (m_fault != test_fault::none) {
      description +=
          fmt::format(" [TEST FAULT INJECTION: ACCELBENCH_TEST_FAULT={}]", std::getenv("ACCELBENCH_TEST_FAULT"));
    }
  }

  void run() override {
    inject(m_fault);  // test only; none unless ACCELBENCH_TEST_FAULT is set
    if (const auto* g = std::get_if<gemm_workload>(&m_w)) {
      const std::vector<double> c = reference_gemm(*g, m_inputs[0], m_inputs[1]);
      for (std::size_t i = 0; i < c.size(); ++i) m_out.set(static_cast<std::int64_t>(i), c[i]);
      return;
    }
    const auto& a = std::get<attention_workload>(m_w);
    for (std::int64_t b = 0; b < a.b; ++b)
      for (std::int64_t h = 0; h < a.hq; ++h)
        for (std::int64_t r = 0; r < a.sq; ++r) {
          const auto row = reference_attention_row(a, m_inputs[0], m_inputs[1], m_inputs[2], b, h, r);
          const std::int64_t base = ((b * a.hq + h) * a.sq + r) * a.d;
          for (std::int64_t x = 0; x < a.d; ++x) m_out.set(base + x, row[x]);
        }
  }

  void read_output(void* host, std::uint64_t bytes) override {
    if (bytes != static_cast<std::uint64_t>(m_out.bytes())) throw std::runtime_error("read_output: size mismatch");
    std::memcpy(host, m_out.data(), bytes);
  }

 private:
  workload m_w;
  test_fault m_fault = test_fault::none;
  std::vector<host_tensor> m_inputs;
  host_tensor m_out;
};

const char* library_version() { return "accelbench reference (fp64 accumulation)"; }
ab_status supports(int32_t device, const ab_workload* abi, char* reason, size_t reason_len) {
  if (device != 0) return AB_ERROR;
  const workload w = from_abi(*abi);
  if (flops(w) > max_reference_flops) {
    write_reason(reason, reason_len,
                 fmt::format("the reference backend runs naive fp64 loops; {:.3g} FLOPs is above its {:.3g} limit",
                             static_cast<double>(flops(w)), static_cast<double>(max_reference_flops)));
    return AB_UNSUPPORTED;
  }
  return cpu::fits_host_memory(w, static_cast<std::uint64_t>(io_bytes(w)) * 4, reason, reason_len) ? AB_OK
                                                                                                   : AB_UNSUPPORTED;
}

cpu::cpu_plan* make_plan(const workload& w, const ab_host_tensor* inputs) { return new reference_plan(w, inputs); }

}  // namespace
}  // namespace accelbench::reference

extern "C" const ab_backend* accelbench_backend_reference(void) {
  using namespace accelbench::reference;
  static const ab_backend table =
      accelbench::cpu::make_cpu_backend_table({.name = "reference",
                                               .library_version = library_version,
                                               .supports = supports,
                                               .prepare = accelbench::cpu::prepare_plan<supports, make_plan>});
  return &table;
}
