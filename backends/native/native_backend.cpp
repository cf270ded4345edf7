// native backend: our own CPU kernels (kernels/cpu/): fused flash-style attention and a GEMM
// on the same microkernels, AVX2+FMA or AVX-512 chosen at run time from CPUID. f32 and bf16
// inputs (bf16 widened to f32, or AVX512-BF16 dot products where the CPU has them), f32
// accumulation. The thread count and pinning are part of every plan description.
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "backends/common/abi_conversion.hpp"
#include "backends/common/cpu_backend_table.hpp"
#include "backends/common/cpu_plan.hpp"
#include "backends/common/in_tree_backends.hpp"
#include "kernels/cpu/flash_attention.hpp"
#include "kernels/cpu/isa_dispatch.hpp"
#include "kernels/cpu/thread_pool.hpp"
#include "kernels/cpu/tiled_gemm.hpp"
#include "kernels/spec/host_tensor.hpp"

namespace accelbench::native {
namespace {

namespace ck = cpu_kernels;

const ck::isa_kernels* g_kernels = nullptr;
std::string g_version;

// Unlike cpu::copy_input, checks the size: the kernels read exactly `count` elements, so a
// short buffer must be refused here rather than overrun.
host_tensor copy_input(const ab_host_tensor& input, dtype type, std::int64_t count) {
  if (static_cast<std::int64_t>(input.bytes) != count * storage_bytes(type))
    throw std::invalid_argument(
        fmt::format("input holds {} bytes, expected {}", input.bytes, count * storage_bytes(type)));
  host_tensor t(type, count);
  std::memcpy(t.data(), input.data, input.bytes);
  return t;
}

class gemm_plan final : public cpu::cpu_plan {
 public:
  gemm_plan(const gemm_workload& w, const ab_host_tensor* inputs)
      : m_a(copy_input(inputs[0], w.dt.in, w.a_elements())),
        m_b(copy_input(inputs[1], w.dt.in, w.b_elements())),
        m_c(w.dt.out, w.c_elements()),
        m_pool(ck::thread_settings::from_environment()),
        m_gemm(w, *g_kernels, m_pool) {
    fill_random(m_c, 7);  // a written-to output, never zeros
    description = m_gemm.description();
  }
  void run() override { m_gemm.run(m_a.data(), m_b.data(), m_c.data()); }
  void before_timed_call() override { m_pool.wake(); }
  void read_output(void* host, std::uint64_t bytes) override {
    if (bytes != static_cast<std::uint64_t>(m_c.bytes())) throw std::runtime_error("read_output: size mismatch");
    std::memcpy(host, m_c.data(), bytes);
  }

 private:
  host_tensor m_a, m_b, m_c;
  ck::thread_pool m_pool;
  ck::tiled_gemm m_gemm;
};

class attention_plan final : public cpu::cpu_plan {
 public:
  attention_plan(const attention_workload& w, const ab_host_tensor* inputs)
      : m_q(copy_input(inputs[0], w.dt.in, w.q_elements())),
        m_k(copy_input(inputs[1], w.dt.in, w.kv_elements())),
        m_v(copy_input(inputs[2], w.dt.in, w.kv_elements())),
        m_o(w.dt.out, w.o_elements()),
        m_pool(ck::thread_settings::from_environment()),
        m_attention(w, *g_kernels, m_pool) {
    fill_random(m_o, 7);
    description = m_attention.description();
  }
  void run() override { m_attention.run(m_q.data(), m_k.data(), m_v.data(), m_o.data()); }
  void before_timed_call() override { m_pool.wake(); }
  void read_output(void* host, std::uint64_t bytes) override {
    if (bytes != static_cast<std::uint64_t>(m_o.bytes())) throw std::runtime_error("read_output: size mismatch");
    std::memcpy(host, m_o.data(), bytes);
  }

 private:
  host_tensor m_q, m_k, m_v, m_o;
  ck::thread_pool m_pool;
  ck::flash_attention m_attention;
};

ab_status init(char* reason, size_t reason_len) {
  // A bad ACCELBENCH_NATIVE_* value is the user's input: the backend is unavailable with the
  // one-line reason (`run -b native` turns it into exit 2), never silently the default.
  try {
    g_kernels = ck::select_kernels();
    ck::thread_settings::from_environment();
  } catch (const std::invalid_argument& e) {
    write_reason(reason, reason_len, e.what());
    return AB_ERROR;
  }
  if (g_kernels == nullptr) {
    write_reason(reason, reason_len, "the native kernels need a CPU with AVX2 and FMA");
    return AB_ERROR;
  }
  const char* bf16 = g_kernels->amx != nullptr ? "AMX-BF16 tiles in prefill and GEMM, widened to f32 in decode"
                     : g_kernels->bf16_attention != nullptr ? "vdpbf16ps in prefill and GEMM, widened to f32 in decode"
                                                            : "widened to f32";
  g_version = fmt::format("accelbench native kernels ({}; {}; bf16: {})", g_kernels->name,
                          ck::host_cache_sizes().to_string(), bf16);
  return AB_OK;
}

const char* library_version() { return g_version.c_str(); }
// Workspace the plan allocates beyond its inputs and output, for the memory check.
std::uint64_t workspace_bytes(const workload& w) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    // op(A) packed once in f32 panels (the f32 tile path; the other paths copy less of A), and
    // C in f32 for a bf16 output.
    const auto a_panels = static_cast<std::uint64_t>((g->m + 32) * g->k * 4);
    return a_panels + (g->dt.out == dtype::f32 ? 0 : static_cast<std::uint64_t>(g->m * g->n * 4));
  }
  const auto& a = std::get<attention_workload>(w);
  return a.sq == 1 ? 0 : static_cast<std::uint64_t>(2 * a.b * a.hkv * (a.skv + 32) * (a.d + 32) * 4);
}

ab_status supports(int32_t device, const ab_workload* abi, char* reason, size_t reason_len) {
  if (device != 0) return AB_ERROR;
  const workload w = from_abi(*abi);
  std::string why;
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    if (!ck::tiled_gemm_supports(*g, why)) {
      write_reason(reason, reason_len, why);
      return AB_UNSUPPORTED;
    }
  } else if (!ck::flash_attention_supports(std::get<attention_workload>(w), why)) {
    write_reason(reason, reason_len, why);
    return AB_UNSUPPORTED;
  }
  return cpu::fits_host_memory(w, workspace_bytes(w), reason, reason_len) ? AB_OK : AB_UNSUPPORTED;
}

cpu::cpu_plan* make_plan(const workload& w, const ab_host_tensor* inputs) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) return new gemm_plan(*g, inputs);
  return new attention_plan(std::get<attention_workload>(w), inputs);
}

}  // namespace
}  // namespace accelbench::native

extern "C" const ab_backend* accelbench_backend_native(void) {
  using namespace accelbench::native;
  static const ab_backend table =
      accelbench::cpu::make_cpu_backend_table({.name = "native",
                                               .library_version = library_version,
                                               .supports = supports,
                                               .prepare = accelbench::cpu::prepare_plan<supports, make_plan>,
                                               .init = init});
  return &table;
}
