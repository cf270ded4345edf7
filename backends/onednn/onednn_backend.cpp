// oneDNN backend (2.6 API): GEMM through the matmul primitive, attention composed from matmul
// primitives and a softmax (oneDNN's softmax_v2 on blocks without causal masking).
#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <oneapi/dnnl/dnnl.hpp>

#include "backends/common/abi_conversion.hpp"
#include "backends/common/composed_attention.hpp"
#include "backends/common/composed_attention_plan.hpp"
#include "backends/common/cpu_backend_table.hpp"
#include "backends/common/cpu_plan.hpp"
#include "backends/common/in_tree_backends.hpp"
#include "kernels/spec/host_tensor.hpp"

namespace accelbench::onednn {
namespace {

using dnnl::memory;
using argument_map = std::unordered_map<int, memory>;

constexpr std::int64_t attention_score_budget = 64ll << 20;
constexpr const char* reference_note =
    " (oneDNN reference implementation, no optimized kernel for this dtype on this CPU)";

struct library_state {
  dnnl::engine engine;
  dnnl::stream stream;
  std::string version;
};
library_state g_state;

std::string_view isa_name(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_mic:
      return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops:
      return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    case dnnl::cpu_isa::all:
      return "all";
  }
  return "unknown";
}

std::string_view runtime_name(unsigned runtime) {
  switch (runtime) {
    case DNNL_RUNTIME_SEQ:
      return "sequential";
    case DNNL_RUNTIME_OMP:
      return "OpenMP";
    case DNNL_RUNTIME_TBB:
      return "TBB";
    case DNNL_RUNTIME_THREADPOOL:
      return "threadpool";
    default:
      return "unknown runtime";
  }
}

// The OpenMP runtime is loaded by libdnnl; asking it directly honours OMP_NUM_THREADS without
// linking libgomp ourselves.
int thread_count() {
  using omp_fn = int (*)();
  if (auto fn = reinterpret_cast<omp_fn>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"))) return fn();
  return static_cast<int>(std::thread::hardware_concurrency());
}

std::optional<memory::data_type> to_dnnl(dtype t) {
  switch (t) {
    case dtype::f32:
      return memory::data_type::f32;
    case dtype::bf16:
      return memory::data_type::bf16;
    case dtype::f16:
      return memory::data_type::f16;
    case dtype::s8:
      return memory::data_type::s8;
    case dtype::s32:
      return memory::data_type::s32;
    default:
      return std::nullopt;
  }
}

std::string unimplemented_reason(dtype in) {
  const auto* v = dnnl::version();
  return fmt::format("oneDNN {}.{} has no matmul implementation for {} on this CPU (isa {})", v->major, v->minor,
                     to_string(in), isa_name(dnnl::get_effective_cpu_isa()));
}

// Without VNNI, oneDNN's int8 GEMM multiplies with vpmaddubsw, whose 16-bit pair sums saturate
// for full-range s8 data ("Nuances of int8 computations" in oneDNN's guide): results are wrong.
bool has_vnni(dnnl::cpu_isa isa) {
  return isa == dnnl::cpu_isa::avx2_vnni || isa == dnnl::cpu_isa::avx512_core_vnni ||
         isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

// Implementation name, flagged when oneDNN fell back to its slow reference kernel.
std::string describe_impl(const dnnl::primitive_desc_base& pd) {
  std::string impl = pd.impl_info_str();
  if (impl.find("ref") != std::string::npos) impl += reference_note;
  return impl;
}

dnnl::primitive_attr user_scratchpad_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);  // allocated at prepare, never inside run
  return attr;
}

// Wraps a caller-owned buffer; oneDNN never frees it.
memory wrap(const memory::desc& md, const void* data) { return memory(md, g_state.engine, const_cast<void*>(data)); }

void add_scratchpad(const dnnl::primitive_desc_base& pd, argument_map& args) {
  if (pd.scratchpad_desc().get_size() > 0) args[DNNL_ARG_SCRATCHPAD] = memory(pd.scratchpad_desc(), g_state.engine);
}

// C[batch][m][n] = op(A) op(B); transposed operands are expressed as strided descriptors.
dnnl::matmul::primitive_desc gemm_primitive_desc(const gemm_workload& w) {
  const auto in = *to_dnnl(w.dt.in), out = *to_dnnl(w.dt.out);
  const memory::dims a_strides = w.trans_a ? memory::dims{w.m * w.k, 1, w.m} : memory::dims{w.m * w.k, w.k, 1};
  const memory::dims b_strides = w.trans_b ? memory::dims{w.k * w.n, 1, w.k} : memory::dims{w.k * w.n, w.n, 1};
  const memory::desc a({w.batch, w.m, w.k}, in, a_strides);
  const memory::desc b({w.batch, w.k, w.n}, in, b_strides);
  const memory::desc c({w.batch, w.m, w.n}, out, memory::format_tag::abc);
  return {dnnl::matmul::desc(a, b, c), user_scratchpad_attr(), g_state.engine};
}

// s[rows][ld] = scale * q[rows][d] . k[keys][d]^T (K^T is k read with strides {1, d}).
dnnl::matmul::primitive_desc scores_primitive_desc(dtype in, std::int64_t rows, std::int64_t keys, std::int64_t ld,
                                                   std::int64_t d, float scale) {
  const auto type = *to_dnnl(in);
  const memory::desc q({rows, d}, type, memory::format_tag::ab);
  const memory::desc k_t({d, keys}, type, memory::dims{1, d});
  const memory::desc s({rows, keys}, memory::data_type::f32, memory::dims{ld, 1});
  dnnl::primitive_attr attr = user_scratchpad_attr();
  attr.set_output_scales(0, {scale});
  return {dnnl::matmul::desc(q, k_t, s), attr, g_state.engine};
}

// o[rows][d] = p[rows][p_ld] . v[keys][d]; p is f32 for f32 inputs, a compact bf16 copy otherwise.
dnnl::matmul::primitive_desc output_primitive_desc(dtype in, std::int64_t rows, std::int64_t keys, std::int64_t p_ld,
                                                   std::int64_t d) {
  const auto type = *to_dnnl(in);
  const memory::desc p({rows, keys}, type, memory::dims{p_ld, 1});
  const memory::desc v({keys, d}, type, memory::format_tag::ab);
  const memory::desc o({rows, d}, memory::data_type::f32, memory::format_tag::ab);
  return {dnnl::matmul::desc(p, v, o), user_scratchpad_attr(), g_state.engine};
}

class gemm_plan final : public cpu::cpu_plan {
 public:
  gemm_plan(const gemm_workload& w, const ab_host_tensor* inputs)
      : m_a(cpu::copy_input(inputs[0], w.dt.in)),
        m_b(cpu::copy_input(inputs[1], w.dt.in)),
        m_c(w.dt.out, w.c_elements()) {
    fill_random(m_c, 7);  // a written-to output, never zeros
    const auto pd = gemm_primitive_desc(w);
    m_primitive = dnnl::matmul(pd);
    m_args = {{DNNL_ARG_SRC, wrap(pd.src_desc(), m_a.data())},
              {DNNL_ARG_WEIGHTS, wrap(pd.weights_desc(), m_b.data())},
              {DNNL_ARG_DST, wrap(pd.dst_desc(), m_c.data())}};
    add_scratchpad(pd, m_args);
    description = "matmul " + describe_impl(pd);
  }

  void run() override {
    m_primitive.execute(g_state.stream, m_args);
    g_state.stream.wait();
  }
  void before_timed_call() override { cpu::wake_openmp_threads(); }

  void read_output(void* host, std::uint64_t bytes) override {
    if (bytes != static_cast<std::uint64_t>(m_c.bytes())) throw std::runtime_error("read_output: size mismatch");
    std::memcpy(host, m_c.data(), bytes);
  }

 private:
  host_tensor m_a, m_b, m_c;
  dnnl::primitive m_primitive;
  argument_map m_args;
};

// A primitive built for one block shape, with memory objects whose handles are set per call.
struct cached_primitive {
  dnnl::primitive primitive;
  argument_map args;
  std::string impl;

  void execute(std::initializer_list<std::pair<int, const void*>> handles) {
    for (const auto& [arg, data] : handles) args.at(arg).set_data_handle(const_cast<void*>(data));
    primitive.execute(g_state.stream, args);
    g_state.stream.wait();
  }
};

template <typename pd_type, typename primitive_type>
cached_primitive make_cached(const pd_type& pd, std::initializer_list<std::pair<int, memory::desc>> descs) {
  cached_primitive c{primitive_type(pd), {}, describe_impl(pd)};
  for (const auto& [arg, md] : descs) c.args[arg] = memory(md, g_state.engine, DNNL_MEMORY_NONE);
  add_scratchpad(pd, c.args);
  return c;
}

// Block shapes vary (the last block, causal blocks see fewer keys), so primitives are cached by
// shape and built on first use; the plan runs once at prepare so that happens before timing.
class matmul_attention_steps final : public cpu::attention_steps {
 public:
  matmul_attention_steps(dtype in, std::int64_t block_rows, std::int64_t max_keys)
      : m_in(in), m_p_bf16(in == dtype::bf16 ? static_cast<std::size_t>(block_rows * max_keys) : 0) {}

  void scores(const void* q, const void* k, float* s, std::int64_t rows, std::int64_t keys, std::int64_t ld,
              std::int64_t d, float scale) override {
    const auto key = std::make_tuple(rows, keys, ld, d, scale);
    auto it = m_scores.find(key);
    if (it == m_scores.end()) {
      const auto pd = scores_primitive_desc(m_in, rows, keys, ld, d, scale);
      it = m_scores
               .emplace(key, make_cached<dnnl::matmul::primitive_desc, dnnl::matmul>(
                                 pd, {{DNNL_ARG_SRC, pd.src_desc()},
                                      {DNNL_ARG_WEIGHTS, pd.weights_desc()},
                                      {DNNL_ARG_DST, pd.dst_desc()}}))
               .first;
      scores_impl = it->second.impl;
    }
    it->second.execute({{DNNL_ARG_SRC, q}, {DNNL_ARG_WEIGHTS, k}, {DNNL_ARG_DST, s}});
  }

  // oneDNN's softmax has no mask, so it only takes blocks where every row sees all keys.
  void softmax(float* s, std::int64_t rows, std::int64_t keys, std::int64_t ld, const std::int64_t* starts,
               const std::int64_t* limits) override {
    const bool all_keys = std::all_of(starts, starts + rows, [](std::int64_t start) { return start == 0; }) &&
                          std::all_of(limits, limits + rows, [&](std::int64_t limit) { return limit == keys; });
    if (!all_keys) {
      cpu::attention_steps::softmax(s, rows, keys, ld, starts, limits);
      return;
    }
    const auto key = std::make_tuple(rows, keys, ld);
    auto it = m_softmax.find(key);
    if (it == m_softmax.end()) {
      const memory::desc md({rows, keys}, memory::data_type::f32, memory::dims{ld, 1});
      const dnnl::softmax_v2_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::softmax_accurate,
                                                md, md, 1);
      const dnnl::softmax_v2_forward::primitive_desc pd(desc, user_scratchpad_attr(), g_state.engine);
      it = m_softmax
               .emplace(key, make_cached<dnnl::softmax_v2_forward::primitive_desc, dnnl::softmax_v2_forward>(
                                 pd, {{DNNL_ARG_SRC, pd.src_desc()}, {DNNL_ARG_DST, pd.dst_desc()}}))
               .first;
      softmax_impl = it->second.impl;
    }
    it->second.execute({{DNNL_ARG_SRC, s}, {DNNL_ARG_DST, s}});  // in place
  }

  void output(const float* p, const void* v, float* o, std::int64_t rows, std::int64_t keys, std::int64_t ld,
              std::int64_t d) override {
    const void* p_in = p;
    std::int64_t p_ld = ld;
    if (m_in == dtype::bf16) {  // matmul wants both operands in one dtype: a compact bf16 copy of P
      for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t j = 0; j < keys; ++j) m_p_bf16[r * keys + j] = float_to_bf16_bits(p[r * ld + j]);
      p_in = m_p_bf16.data();
      p_ld = keys;
    }
    const auto key = std::make_tuple(rows, keys, p_ld, d);
    auto it = m_output.find(key);
    if (it == m_output.end()) {
      const auto pd = output_primitive_desc(m_in, rows, keys, p_ld, d);
      it = m_output
               .emplace(key, make_cached<dnnl::matmul::primitive_desc, dnnl::matmul>(
                                 pd, {{DNNL_ARG_SRC, pd.src_desc()},
                                      {DNNL_ARG_WEIGHTS, pd.weights_desc()},
                                      {DNNL_ARG_DST, pd.dst_desc()}}))
               .first;
      output_impl = it->second.impl;
    }
    it->second.execute({{DNNL_ARG_SRC, p_in}, {DNNL_ARG_WEIGHTS, v}, {DNNL_ARG_DST, o}});
  }

  std::size_t primitive_count() const { return m_scores.size() + m_softmax.size() + m_output.size(); }
  std::string scores_impl, softmax_impl, output_impl;

 private:
  dtype m_in;
  std::vector<std::uint16_t> m_p_bf16;
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, float>, cached_primitive> m_scores;
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t>, cached_primitive> m_softmax;
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>, cached_primitive> m_output;
};

class attention_plan final : public cpu::composed_attention_plan {
 public:
  attention_plan(const attention_workload& w, const ab_host_tensor* inputs)
      : composed_attention_plan(w, inputs, attention_score_budget), m_steps(w.dt.in, block_rows(), w.skv) {
    run();  // warm-up: builds every cached primitive so none is created while timed
    description = fmt::format(
        "composed: matmul {} + softmax {} + matmul {}{}, {} query rows per block, {} primitives built in a warm-up run "
        "at prepare",
        m_steps.scores_impl, m_steps.softmax_impl.empty() ? "accelbench (masked rows)" : m_steps.softmax_impl,
        w.dt.in == dtype::bf16 ? "(P rounded to bf16) " : "", m_steps.output_impl, block_rows(),
        m_steps.primitive_count());
    if (w.causal && !m_steps.softmax_impl.empty()) description += "; masked blocks use accelbench's softmax";
  }

  void before_timed_call() override { cpu::wake_openmp_threads(); }

 private:
  cpu::attention_steps& steps() override { return m_steps; }

  matmul_attention_steps m_steps;
};

ab_status init(char* reason, size_t reason_len) {
  try {
    g_state.engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
    g_state.stream = dnnl::stream(g_state.engine);
    const auto* v = dnnl::version();
    g_state.version =
        fmt::format("oneDNN {}.{}.{} (cpu isa: {}, {}, {} threads)", v->major, v->minor, v->patch,
                    isa_name(dnnl::get_effective_cpu_isa()), runtime_name(v->cpu_runtime), thread_count());
    return AB_OK;
  } catch (const dnnl::error& e) {
    write_reason(reason, reason_len, fmt::format("oneDNN CPU engine could not be created: {}", e.what()));
    return AB_ERROR;
  }
}

const char* library_version() { return g_state.version.c_str(); }
bool is_gemm_dtype(const dtype_spec& dt) {
  static const dtype_spec accepted[] = {{dtype::f32, dtype::f32, dtype::f32},  {dtype::bf16, dtype::bf16, dtype::f32},
                                        {dtype::bf16, dtype::f32, dtype::f32}, {dtype::f16, dtype::f16, dtype::f32},
                                        {dtype::f16, dtype::f32, dtype::f32},  {dtype::s8, dtype::s32, dtype::s32}};
  return std::find(std::begin(accepted), std::end(accepted), dt) != std::end(accepted);
}

// Creating a primitive descriptor allocates no tensors, so supports() can ask oneDNN directly.
ab_status supports_impl(const workload& w, char* reason, size_t reason_len) {
  const dtype_spec dt = dtypes_of(w);
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    if (!is_gemm_dtype(dt)) {
      write_reason(reason, reason_len,
                   fmt::format("oneDNN matmul is wired for dt=f32, bf16[:f32], f16[:f32] and s8:s32:s32; not {}",
                               to_string(dt)));
      return AB_UNSUPPORTED;
    }
    if (dt.in == dtype::s8 && !has_vnni(dnnl::get_effective_cpu_isa())) {
      write_reason(reason, reason_len,
                   fmt::format("oneDNN's s8 matmul on isa {} (no VNNI) saturates 16-bit intermediate sums for "
                               "full-range s8 inputs, so its results would be wrong",
                               isa_name(dnnl::get_effective_cpu_isa())));
      return AB_UNSUPPORTED;
    }
    const std::uint64_t scratch = gemm_primitive_desc(*g).scratchpad_desc().get_size();
    return cpu::fits_host_memory(w, scratch, reason, reason_len) ? AB_OK : AB_UNSUPPORTED;
  }
  const auto& a = std::get<attention_workload>(w);
  const bool f32 = dt == dtype_spec{dtype::f32, dtype::f32, dtype::f32};
  const bool bf16 = dt == dtype_spec{dtype::bf16, dtype::bf16, dtype::f32};
  if (!(f32 || bf16)) {
    write_reason(
        reason, reason_len,
        fmt::format("composed attention needs dt=f32 or dt=bf16 (bf16 out, f32 accumulation); not {}", to_string(dt)));
    return AB_UNSUPPORTED;
  }
  const std::int64_t rows = cpu::composed_block_rows(a, attention_score_budget);
  const auto scores = scores_primitive_desc(a.dt.in, rows, a.skv, a.skv, a.d, 1.0f);
  const auto output = output_primitive_desc(a.dt.in, rows, a.skv, a.skv, a.d);
  const std::uint64_t workspace = rows * a.skv * (4 + (bf16 ? 2 : 0)) + rows * a.d * 4 +
                                  scores.scratchpad_desc().get_size() + output.scratchpad_desc().get_size();
  return cpu::fits_host_memory(w, workspace, reason, reason_len) ? AB_OK : AB_UNSUPPORTED;
}

ab_status supports(int32_t device, const ab_workload* abi, char* reason, size_t reason_len) {
  if (device != 0) return AB_ERROR;
  if (!g_state.engine) {
    write_reason(reason, reason_len, "oneDNN backend used before init");
    return AB_ERROR;
  }
  try {
    const workload w = from_abi(*abi);
    try {
      return supports_impl(w, reason, reason_len);
    } catch (const dnnl::error& e) {
      write_reason(reason, reason_len,
                   e.status == dnnl_unimplemented
                       ? unimplemented_reason(dtypes_of(w).in)
                       : fmt::format("oneDNN rejected {}: {}", abi->text ? abi->text : "the workload", e.what()));
      return AB_UNSUPPORTED;
    }
  } catch (const std::exception& e) {
    write_reason(reason, reason_len, e.what());
    return AB_ERROR;
  }
}

cpu::cpu_plan* make_plan(const workload& w, const ab_host_tensor* inputs) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) return new gemm_plan(*g, inputs);
  return new attention_plan(std::get<attention_workload>(w), inputs);
}

void shutdown() { g_state = library_state{}; }  // plans must be released before this

}  // namespace
}  // namespace accelbench::onednn

extern "C" const ab_backend* accelbench_backend_onednn(void) {
  using namespace accelbench::onednn;
  static const ab_backend table =
      accelbench::cpu::make_cpu_backend_table({.name = "onednn",
                                               .library_version = library_version,
                                               .supports = supports,
                                               .prepare = accelbench::cpu::prepare_plan<supports, make_plan>,
                                               .init = init,
                                               .shutdown = shutdown});
  return &table;
}
