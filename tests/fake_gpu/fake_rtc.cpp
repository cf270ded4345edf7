// The simulated runtime compiler: libhiprtc.so (hiprtc*). It "compiles" by checking what a real
// compile needs (an --offload-arch= naming the fake device's architecture, extern "C" __global__
// entry points) and hands out a code object that names the source's entry points; the fake
// runtime's hipModuleLoadData reads it and runs each entry point's host twin (fake_runtime.cpp).
// FAKE_GPU_FAIL=CompileProgram fails the compile with a log. See fake_gpu.hpp.
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "tests/fake_gpu/fake_gpu.hpp"

namespace {

constexpr int rtc_success = 0, rtc_invalid_input = 3, rtc_compilation = 6;

struct program {
  std::string source, log, code;
};

// The names of the source's extern "C" __global__ functions.
std::vector<std::string> entry_points(const std::string& source) {
  std::vector<std::string> names;
  const std::string marker = "extern \"C\" __global__ void";
  for (std::size_t at = source.find(marker); at != std::string::npos; at = source.find(marker, at + 1)) {
    std::size_t p = at + marker.size();
    while (p < source.size() && std::isspace(static_cast<unsigned char>(source[p]))) ++p;
    if (source.compare(p, 17, "__launch_bounds__") == 0) p = source.find(')', p) + 1;
    while (p < source.size() && std::isspace(static_cast<unsigned char>(source[p]))) ++p;
    const std::size_t end = source.find('(', p);
    if (end != std::string::npos) names.push_back(source.substr(p, end - p));
  }
  return names;
}

}  // namespace

FAKE_EXPORT int hiprtcCreateProgram(void** prog, const char* source, const char*, int, const char**, const char**) {
  if (prog == nullptr || source == nullptr) return rtc_invalid_input;
  *prog = new program{source, "", ""};
  return rtc_success;
}

FAKE_EXPORT int hiprtcCompileProgram(void* prog, int option_count, const char** options) {
  auto* p = static_cast<program*>(prog);
  std::string arch = fake_gpu::env("FAKE_GPU_ARCH", "gfx928:sramecc+:xnack-");
  arch = arch.substr(0, arch.find(':'));
  std::string asked;
  for (int i = 0; i < option_count; ++i) {
    if (std::strncmp(options[i], "--offload-arch=", 15) == 0) asked = options[i] + 15;
  }
  fake_gpu::log_line("hiprtcCompileProgram arch=" + asked);
  if (fake_gpu::fails("CompileProgram")) {
    p->log = "accelbench_softmax.hip:1:1: error: simulated compile failure";
    return rtc_compilation;
  }
  if (asked != arch) {
    p->log = "error: --offload-arch=" + asked + " is not the device's architecture " + arch;
    return rtc_compilation;
  }
  const std::vector<std::string> names = entry_points(p->source);
  if (names.empty()) {
    p->log = "error: no extern \"C\" __global__ entry point";
    return rtc_compilation;
  }
  p->code = "FAKE-HIP-CODE-OBJECT arch=" + arch + "\n";
  for (const std::string& n : names) p->code += "entry " + n + "\n";
  return rtc_success;
}

FAKE_EXPORT int hiprtcGetProgramLogSize(void* prog, std::size_t* bytes) {
  *bytes = static_cast<program*>(prog)->log.size() + 1;
  return rtc_success;
}

FAKE_EXPORT int hiprtcGetProgramLog(void* prog, char* log) {
  const std::string& text = static_cast<program*>(prog)->log;
  std::memcpy(log, text.c_str(), text.size() + 1);
  return rtc_success;
}

FAKE_EXPORT int hiprtcGetCodeSize(void* prog, std::size_t* bytes) {
  *bytes = static_cast<program*>(prog)->code.size() + 1;
  return rtc_success;
}

FAKE_EXPORT int hiprtcGetCode(void* prog, char* code) {
  const std::string& text = static_cast<program*>(prog)->code;
  std::memcpy(code, text.c_str(), text.size() + 1);
  return rtc_success;
}

FAKE_EXPORT int hiprtcDestroyProgram(void** prog) {
  delete static_cast<program*>(*prog);
  *prog = nullptr;
  return rtc_success;
}

FAKE_EXPORT const char* hiprtcGetErrorString(int status) {
  switch (status) {
    case rtc_success:
      return "HIPRTC_SUCCESS";
    case rtc_compilation:
      return "HIPRTC_ERROR_COMPILATION";
    default:
      return "HIPRTC_ERROR_INVALID_INPUT";
  }
}
