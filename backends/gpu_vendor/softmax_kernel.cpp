#include "backends/gpu_vendor/softmax_kernel.hpp"

#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "softmax_kernel_source.hpp"  // softmax_kernel.hip as a string, generated at build time

namespace accelbench::gpu_vendor {
namespace {

constexpr unsigned block_threads = 256;  // ABK_THREADS in softmax_kernel.hip

}  // namespace

const char* softmax_kernel_source() { return softmax_source; }

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
  if (const rtc_status s = rtc.CreateProgram(&program, softmax_source, "accelbench_softmax.hip", 0, nullptr, nullptr);
      s != 0) {
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
