#include "backends/gpu_vendor/softmax_kernel.hpp"

#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace accelbench::gpu_vendor {
namespace {

constexpr unsigned block_threads = 256;  // a power of two: the tree reduction halves it

// hiprtc predefines the HIP device API (threadIdx, __syncthreads, expf, fmaxf) but no standard
// header, so the source includes nothing. Shared-memory tree reductions, never warp shuffles:
// the wavefront is 64 wide on GFX9 and Hygon DCUs, 32 on RDNA. f16 through clang's _Float16,
// bf16 rounded to nearest even by hand (no hip_bf16.h needed).
constexpr const char* source = R"(
#define ABK_THREADS 256

__device__ inline float abk_block_reduce(float value, float* shared, bool take_max) {
  const unsigned t = threadIdx.x;
  shared[t] = value;
  __syncthreads();
  for (unsigned stride = ABK_THREADS / 2; stride > 0; stride /= 2) {
    if (t < stride) shared[t] = take_max ? fmaxf(shared[t], shared[t + stride]) : shared[t] + shared[t + stride];
    __syncthreads();
  }
  const float result = shared[0];
  __syncthreads();
  return result;
}

__device__ inline void abk_store(float* out, long long j, float x) { out[j] = x; }
__device__ inline void abk_store(_Float16* out, long long j, float x) { out[j] = (_Float16)x; }
__device__ inline void abk_store(unsigned short* out, long long j, float x) {
  union { float f; unsigned int u; } bits;
  bits.f = x;
  if ((bits.u & 0x7fffffffu) > 0x7f800000u) { out[j] = 0x7fc0; return; }  // NaN stays NaN
  out[j] = (unsigned short)((bits.u + 0x7fffu + ((bits.u >> 16) & 1u)) >> 16);
}

template <typename T>
__device__ void abk_masked_softmax(const float* scores, T* probs, long long rows_per_group, long long row_offset,
                                   long long sq, long long skv, long long causal, long long window, float scale) {
  __shared__ float shared[ABK_THREADS];
  const long long row = blockIdx.x;
  const float* in = scores + row * skv;
  T* out = probs + row * skv;
  const long long i = (row_offset + row % rows_per_group) % sq;  // the query's position in its head
  long long start = 0, limit = skv;
  if (causal) {
    limit = i + skv - sq + 1;
    limit = limit < 0 ? 0 : (limit > skv ? skv : limit);
    if (window > 0) {
      start = limit - window;
      start = start < 0 ? 0 : start;
    }
  }
  float local = -__builtin_huge_valf();
  for (long long j = start + threadIdx.x; j < limit; j += ABK_THREADS) local = fmaxf(local, in[j] * scale);
  const float row_max = abk_block_reduce(local, shared, true);
  local = 0.0f;
  for (long long j = start + threadIdx.x; j < limit; j += ABK_THREADS) local += expf(in[j] * scale - row_max);
  const float inverse = limit > start ? 1.0f / abk_block_reduce(local, shared, false) : 0.0f;
  // Each element is read and written by the same thread, so f32 probabilities may alias scores.
  for (long long j = threadIdx.x; j < skv; j += ABK_THREADS) {
    abk_store(out, j, j >= start && j < limit ? expf(in[j] * scale - row_max) * inverse : 0.0f);
  }
}

extern "C" __global__ void __launch_bounds__(ABK_THREADS)
accelbench_masked_softmax_f32(const float* scores, float* probs, long long rows_per_group, long long row_offset,
                              long long sq, long long skv, long long causal, long long window, float scale) {
  abk_masked_softmax(scores, probs, rows_per_group, row_offset, sq, skv, causal, window, scale);
}

extern "C" __global__ void __launch_bounds__(ABK_THREADS)
accelbench_masked_softmax_f16(const float* scores, _Float16* probs, long long rows_per_group, long long row_offset,
                              long long sq, long long skv, long long causal, long long window, float scale) {
  abk_masked_softmax(scores, probs, rows_per_group, row_offset, sq, skv, causal, window, scale);
}

extern "C" __global__ void __launch_bounds__(ABK_THREADS)
accelbench_masked_softmax_bf16(const float* scores, unsigned short* probs, long long rows_per_group,
                               long long row_offset, long long sq, long long skv, long long causal, long long window,
                               float scale) {
  abk_masked_softmax(scores, probs, rows_per_group, row_offset, sq, skv, causal, window, scale);
}
)";

}  // namespace

const char* softmax_kernel_source() { return source; }

const char* softmax_entry_point(dtype probabilities) {
  switch (probabilities) {
    case dtype::f16:
      return "accelbench_masked_softmax_f16";
    case dtype::bf16:
      return "accelbench_masked_softmax_bf16";
    default:
      return "accelbench_masked_softmax_f32";
  }
}

std::vector<char> compile_softmax_kernel(const vendor_library& lib, const std::string& architecture) {
  const rtc_api& rtc = lib.rtc();
  const char* prefix = lib.vendor().rtc_prefix;
  const auto fail = [&](const char* call, rtc_status status) {
    const char* text = rtc.GetErrorString(status);
    return std::runtime_error(
        fmt::format("{}{} failed: {} ({})", prefix, call, text != nullptr ? text : "unknown", status));
  };
  rtc_program program = nullptr;
  if (const rtc_status s = rtc.CreateProgram(&program, source, "accelbench_softmax.hip", 0, nullptr, nullptr); s != 0) {
    throw fail("CreateProgram", s);
  }
  std::vector<char> code;
  try {
    const std::string arch_option = "--offload-arch=" + architecture;
    const char* options[] = {arch_option.c_str(), "-O3"};
    if (const rtc_status s = rtc.CompileProgram(program, 2, options); s != 0) {
      std::size_t log_bytes = 0;
      std::string log;
      if (rtc.GetProgramLogSize(program, &log_bytes) == 0 && log_bytes > 1) {
        log.resize(log_bytes);
        if (rtc.GetProgramLog(program, log.data()) != 0) log.clear();
        log.resize(log.find('\0') == std::string::npos ? log.size() : log.find('\0'));
      }
      std::runtime_error e = fail("CompileProgram", s);
      throw std::runtime_error(
          fmt::format("softmax kernel for {}: {}; log: {}", architecture, e.what(), log.empty() ? "(empty)" : log));
    }
    std::size_t code_bytes = 0;
    if (const rtc_status s = rtc.GetCodeSize(program, &code_bytes); s != 0) throw fail("GetCodeSize", s);
    code.resize(code_bytes);
    if (const rtc_status s = rtc.GetCode(program, code.data()); s != 0) throw fail("GetCode", s);
  } catch (...) {
    rtc.DestroyProgram(&program);
    throw;
  }
  rtc.DestroyProgram(&program);
  return code;
}

softmax_kernel::softmax_kernel(const vendor_library& lib, const std::string& architecture)
    : m_lib(&lib), m_architecture(architecture) {
  const std::vector<char> code = compile_softmax_kernel(lib, architecture);
  const runtime_api& rt = lib.rt();
  const auto check = [&](gpu_status status, const char* call) {
    if (status != 0) {
      throw std::runtime_error(fmt::format("{}{} failed: {}", lib.vendor().runtime_prefix, call, lib.describe(status)));
    }
  };
  check(rt.ModuleLoadData(&m_module, code.data()), "ModuleLoadData");
  try {
    check(rt.ModuleGetFunction(&m_f32, m_module, softmax_entry_point(dtype::f32)), "ModuleGetFunction");
    check(rt.ModuleGetFunction(&m_f16, m_module, softmax_entry_point(dtype::f16)), "ModuleGetFunction");
    check(rt.ModuleGetFunction(&m_bf16, m_module, softmax_entry_point(dtype::bf16)), "ModuleGetFunction");
  } catch (...) {
    rt.ModuleUnload(m_module);
    throw;
  }
}

softmax_kernel::~softmax_kernel() { m_lib->rt().ModuleUnload(m_module); }

void softmax_kernel::launch(dtype probabilities, const softmax_launch& l, gpu_stream stream) const {
  if (l.rows <= 0) return;
  if (l.rows > 2147483647ll) throw std::runtime_error("masked softmax: more than 2^31-1 rows in one launch");
  gpu_function f = probabilities == dtype::f16 ? m_f16 : probabilities == dtype::bf16 ? m_bf16 : m_f32;
  // Arguments in the kernel's order and types (long long is 64-bit on every HIP target).
  const float* scores = l.scores;
  void* probs = l.probabilities;
  long long rows_per_group = l.rows_per_group, row_offset = l.row_offset, sq = l.sq, skv = l.skv,
            causal = l.causal ? 1 : 0, window = l.window;
  float scale = l.scale;
  void* parameters[] = {&scores, &probs, &rows_per_group, &row_offset, &sq, &skv, &causal, &window, &scale};
  const gpu_status status = m_lib->rt().ModuleLaunchKernel(f, static_cast<unsigned>(l.rows), 1, 1, block_threads, 1, 1,
                                                           0, stream, parameters, nullptr);
  if (status != 0) {
    throw std::runtime_error(
        fmt::format("{}ModuleLaunchKernel failed: {}", m_lib->vendor().runtime_prefix, m_lib->describe(status)));
  }
}

}  // namespace accelbench::gpu_vendor
