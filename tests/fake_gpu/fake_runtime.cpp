// The simulated runtime: libamdhip64.so (hip*) or libmusart.so (musa*). See fake_gpu.hpp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernels/spec/dtype.hpp"

#include "tests/fake_gpu/fake_gpu.hpp"

namespace {

using fake_gpu::env;
using fake_gpu::fails;

struct fake_event {
  double seconds = -1.0;  // host clock at record time; -1 before the first record
};

int device_count() { return std::atoi(env("FAKE_GPU_DEVICE_COUNT", "1").c_str()); }

#if defined(FAKE_VENDOR_HIP)
constexpr int attribute_compute_units = 63, attribute_clock = 5, attribute_major = -1, attribute_minor = -1;
constexpr std::size_t arch_offset = 396;  // gcnArchName in HIP 5's hipDeviceProp_t
#else
constexpr int attribute_compute_units = 16, attribute_clock = 13, attribute_major = 75, attribute_minor = 76;
#endif

// A captured graph: the work submitted to its stream during capture, in order.
struct fake_graph {
  std::vector<std::function<void()>> work;
};
std::map<void*, fake_graph*>& captures() {  // stream -> the graph it is being captured into
  static std::map<void*, fake_graph*> all;
  return all;
}
constexpr int error_capture_unsupported = 900;  // hipErrorStreamCaptureUnsupported

}  // namespace

void fake_gpu::submit(void* stream, std::function<void()> work) {
  if (const auto found = captures().find(stream); found != captures().end()) {
    found->second->work.push_back(std::move(work));
  } else {
    work();
  }
}

#define FAKE_FAIL_IF(entry) \
  if (fails(entry)) return fake_gpu::error_unknown

FAKE_EXPORT int FAKE_RT(GetDeviceCount)(int* count) {
  FAKE_FAIL_IF("GetDeviceCount");
  *count = device_count();
  return *count > 0 ? 0 : fake_gpu::error_no_device;
}

FAKE_EXPORT int FAKE_RT(SetDevice)(int device) {
  FAKE_FAIL_IF("SetDevice");
  return device >= 0 && device < device_count() ? 0 : 101;
}

FAKE_EXPORT int FAKE_RT(GetDeviceProperties)(void* properties, int) {
  FAKE_FAIL_IF("GetDeviceProperties");
  const std::string name = env("FAKE_GPU_NAME", "Fake " FAKE_VENDOR_NAME " GPU");
  std::memset(properties, 0, 256);
  std::strncpy(static_cast<char*>(properties), name.c_str(), 255);
#if defined(FAKE_VENDOR_HIP)
  const std::string arch = env("FAKE_GPU_ARCH", "gfx928:sramecc+:xnack-");
  std::memset(static_cast<char*>(properties) + arch_offset, 0, 256);
  std::strncpy(static_cast<char*>(properties) + arch_offset, arch.c_str(), 255);
#endif
  return 0;
}

FAKE_EXPORT int FAKE_RT(DeviceGetAttribute)(int* value, int attribute, int) {
  FAKE_FAIL_IF("DeviceGetAttribute");
  if (attribute == attribute_compute_units) {
    *value = 120;
  } else if (attribute == attribute_clock) {
    *value = 1500000;
  } else if (attribute == attribute_major || attribute == attribute_minor) {
    *value = 2;
  } else {
    return 1;  // invalid value
  }
  return 0;
}

#if !defined(FAKE_OMIT_MEMGETINFO)  // the "nosym" scenario
FAKE_EXPORT int FAKE_RT(MemGetInfo)(std::size_t* free, std::size_t* total) {
  FAKE_FAIL_IF("MemGetInfo");
  const std::string memory = env("FAKE_GPU_MEMORY", "68719476736");
  *free = *total = static_cast<std::size_t>(std::strtoull(memory.c_str(), nullptr, 10));
  return 0;
}
#endif

FAKE_EXPORT int FAKE_RT(Malloc)(void** pointer, std::size_t bytes) {
  FAKE_FAIL_IF("Malloc");
  *pointer = std::malloc(bytes > 0 ? bytes : 1);
  return *pointer != nullptr ? 0 : 2;
}

FAKE_EXPORT int FAKE_RT(Free)(void* pointer) {
  std::free(pointer);
  return 0;
}

FAKE_EXPORT int FAKE_RT(Memcpy)(void* destination, const void* source, std::size_t bytes, int kind) {
  FAKE_FAIL_IF("Memcpy");
  if (kind != 1 && kind != 2) return 21;  // invalid memcpy direction: only H2D and D2H are used
  std::memcpy(destination, source, bytes);
  return 0;
}

FAKE_EXPORT int FAKE_RT(MemsetAsync)(void* destination, int value, std::size_t bytes, void*) {
  FAKE_FAIL_IF("MemsetAsync");
  std::memset(destination, value, bytes);
  fake_gpu::log_line("MemsetAsync bytes=" + std::to_string(bytes));
  return 0;
}

FAKE_EXPORT int FAKE_RT(StreamCreate)(void** stream) {
  FAKE_FAIL_IF("StreamCreate");
  *stream = new int(0);
  return 0;
}

FAKE_EXPORT int FAKE_RT(StreamDestroy)(void* stream) {
  delete static_cast<int*>(stream);
  return 0;
}

FAKE_EXPORT int FAKE_RT(StreamSynchronize)(void*) {
  FAKE_FAIL_IF("StreamSynchronize");
  return 0;
}

FAKE_EXPORT int FAKE_RT(EventCreate)(void** event) {
  FAKE_FAIL_IF("EventCreate");
  *event = new fake_event;
  return 0;
}

FAKE_EXPORT int FAKE_RT(EventDestroy)(void* event) {
  delete static_cast<fake_event*>(event);
  return 0;
}

FAKE_EXPORT int FAKE_RT(EventRecord)(void* event, void*) {
  FAKE_FAIL_IF("EventRecord");
  using clock = std::chrono::steady_clock;
  static_cast<fake_event*>(event)->seconds = std::chrono::duration<double>(clock::now().time_since_epoch()).count();
  return 0;
}

FAKE_EXPORT int FAKE_RT(EventElapsedTime)(float* milliseconds, void* start, void* stop) {
  FAKE_FAIL_IF("EventElapsedTime");
  const auto* a = static_cast<fake_event*>(start);
  const auto* b = static_cast<fake_event*>(stop);
  if (a->seconds < 0 || b->seconds < 0) return 600;  // not ready: an event never recorded
  // FAKE_GPU_EVENT_US: every interval reads this long, as a short kernel timed by the device
  // would, whatever the host (or a sanitizer) spent.
  const std::string fixed_us = env("FAKE_GPU_EVENT_US");
  *milliseconds = fixed_us.empty() ? static_cast<float>((b->seconds - a->seconds) * 1e3)
                                   : static_cast<float>(std::atof(fixed_us.c_str()) * 1e-3);
  return 0;
}

FAKE_EXPORT int FAKE_RT(StreamBeginCapture)(void* stream, int mode) {
  FAKE_FAIL_IF("StreamBeginCapture");
  if (mode != 1 || captures().count(stream) != 0) return 1;  // thread-local mode, not already capturing
  captures()[stream] = new fake_graph;
  return 0;
}

FAKE_EXPORT int FAKE_RT(StreamEndCapture)(void* stream, void** graph) {
  const auto found = captures().find(stream);
  if (found == captures().end()) return 1;
  *graph = found->second;
  captures().erase(found);
  return 0;
}

FAKE_EXPORT int FAKE_RT(GraphInstantiateWithFlags)(void** exec, void* graph, unsigned long long flags) {
  if (graph == nullptr || flags != 0) return 1;
  *exec = new fake_graph(*static_cast<fake_graph*>(graph));
  return 0;
}

FAKE_EXPORT int FAKE_RT(GraphLaunch)(void* exec, void* stream) {
  const auto* g = static_cast<fake_graph*>(exec);
  fake_gpu::log_line("GraphLaunch work=" + std::to_string(g->work.size()));
  for (const auto& work : g->work) fake_gpu::submit(stream, work);
  return 0;
}

FAKE_EXPORT int FAKE_RT(GraphExecDestroy)(void* exec) {
  delete static_cast<fake_graph*>(exec);
  return 0;
}

FAKE_EXPORT int FAKE_RT(GraphDestroy)(void* graph) {
  delete static_cast<fake_graph*>(graph);
  return 0;
}

FAKE_EXPORT const char* FAKE_RT(GetErrorName)(int status) {
  switch (status) {
    case 0:
      return FAKE_VENDOR_NAME == std::string("HIP") ? "hipSuccess" : "musaSuccess";
    case fake_gpu::error_no_device:
#if defined(FAKE_VENDOR_HIP)
      return "hipErrorNoDevice";
#else
      return "musaErrorNoDevice";
#endif
    default:
#if defined(FAKE_VENDOR_HIP)
      return "hipErrorUnknown";
#else
      return "musaErrorUnknown";
#endif
  }
}

FAKE_EXPORT int FAKE_RT(RuntimeGetVersion)(int* version) {
  *version = 60000000;
  return 0;
}

#if defined(FAKE_VENDOR_HIP)
// Modules of the fake hiprtc's code objects (fake_rtc.cpp): a list of entry points, each run by
// its host twin with the real kernel's semantics (softmax_kernel.hpp).
namespace {

struct fake_module {
  std::vector<std::string> entries;
};
struct fake_function {
  std::string name;
};
std::vector<std::unique_ptr<fake_function>>& functions() {
  static std::vector<std::unique_ptr<fake_function>> all;  // live as long as the library
  return all;
}

template <typename Store>
void host_masked_softmax(void** p, unsigned rows, Store store) {
  const float* scores = *static_cast<const float**>(p[0]);
  const long long rows_per_group = *static_cast<long long*>(p[2]), row_offset = *static_cast<long long*>(p[3]),
                  sq = *static_cast<long long*>(p[4]), skv = *static_cast<long long*>(p[5]),
                  causal = *static_cast<long long*>(p[6]);
  // FAKE_GPU_WRONG_SOFTMAX=1 plants a plausible bug: the sliding window is ignored.
  const long long window = fake_gpu::env("FAKE_GPU_WRONG_SOFTMAX") == "1" ? 0 : *static_cast<long long*>(p[7]);
  const float scale = *static_cast<float*>(p[8]);
  for (long long row = 0; row < rows; ++row) {
    const float* in = scores + row * skv;
    const long long i = (row_offset + row % rows_per_group) % sq;
    long long start = 0, limit = skv;
    if (causal != 0) {
      limit = std::clamp(i + skv - sq + 1, 0ll, skv);
      if (window > 0) start = std::max(limit - window, 0ll);
    }
    float row_max = -std::numeric_limits<float>::infinity(), sum = 0.0f;
    for (long long j = start; j < limit; ++j) row_max = std::max(row_max, in[j] * scale);
    for (long long j = start; j < limit; ++j) sum += std::exp(in[j] * scale - row_max);
    const float inverse = limit > start ? 1.0f / sum : 0.0f;
    std::vector<float> values(static_cast<std::size_t>(skv));
    for (long long j = 0; j < skv; ++j) {
      values[j] = j >= start && j < limit ? std::exp(in[j] * scale - row_max) * inverse : 0.0f;
    }
    for (long long j = 0; j < skv; ++j) store(row * skv + j, values[j]);  // in place for f32
  }
}

}  // namespace

FAKE_EXPORT int hipModuleLoadData(void** module, const void* image) {
  FAKE_FAIL_IF("ModuleLoadData");
  const std::string text = static_cast<const char*>(image);
  if (text.rfind("FAKE-HIP-CODE-OBJECT ", 0) != 0) return 200;  // hipErrorInvalidImage
  auto* m = new fake_module;
  for (std::size_t at = text.find("\nentry "); at != std::string::npos; at = text.find("\nentry ", at + 1)) {
    m->entries.push_back(text.substr(at + 7, text.find('\n', at + 1) - at - 7));
  }
  *module = m;
  return 0;
}

FAKE_EXPORT int hipModuleUnload(void* module) {
  delete static_cast<fake_module*>(module);
  return 0;
}

FAKE_EXPORT int hipModuleGetFunction(void** function, void* module, const char* name) {
  FAKE_FAIL_IF("ModuleGetFunction");
  const auto& entries = static_cast<fake_module*>(module)->entries;
  if (std::find(entries.begin(), entries.end(), name) == entries.end()) return 500;  // hipErrorNotFound
  functions().push_back(std::make_unique<fake_function>(fake_function{name}));
  *function = functions().back().get();
  return 0;
}

FAKE_EXPORT int hipModuleLaunchKernel(void* function, unsigned grid_x, unsigned grid_y, unsigned grid_z,
                                      unsigned block_x, unsigned block_y, unsigned block_z, unsigned, void* stream,
                                      void** parameters, void** extra) {
  FAKE_FAIL_IF("ModuleLaunchKernel");
  // The fake runs kernels at once and cannot copy their parameters into a graph: it refuses
  // capture, as a real runtime may for work it cannot capture.
  if (captures().count(stream) != 0) return error_capture_unsupported;
  if (grid_y != 1 || grid_z != 1 || block_x == 0 || block_y != 1 || block_z != 1 || extra != nullptr) return 1;
  const std::string& name = static_cast<fake_function*>(function)->name;
  fake_gpu::log_line("ModuleLaunchKernel " + name + " grid=" + std::to_string(grid_x) +
                     " block=" + std::to_string(block_x) +
                     " rows_per_group=" + std::to_string(*static_cast<long long*>(parameters[2])) +
                     " row_offset=" + std::to_string(*static_cast<long long*>(parameters[3])));
  void* probs = *static_cast<void**>(parameters[1]);
  if (name == "accelbench_masked_softmax_f32") {
    host_masked_softmax(parameters, grid_x, [&](long long j, float x) { static_cast<float*>(probs)[j] = x; });
  } else if (name == "accelbench_masked_softmax_f16") {
    host_masked_softmax(parameters, grid_x, [&](long long j, float x) {
      static_cast<std::uint16_t*>(probs)[j] = accelbench::float_to_f16_bits(x);
    });
  } else if (name == "accelbench_masked_softmax_bf16") {
    host_masked_softmax(parameters, grid_x, [&](long long j, float x) {
      static_cast<std::uint16_t*>(probs)[j] = accelbench::float_to_bf16_bits(x);
    });
  } else {
    return 98;  // hipErrorInvalidDeviceFunction: no host twin for this kernel
  }
  return 0;
}
#endif
