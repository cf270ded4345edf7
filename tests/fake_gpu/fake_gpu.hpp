#pragma once
// The simulated HIP and MUSA of the hip and musa backends' tests: one source per library,
// compiled once per vendor with FAKE_VENDOR_HIP or FAKE_VENDOR_MUSA, which pick the symbol prefix
// and the enum values (the same values the backend's vendor tables pin). CPU semantics: device
// memory is host memory, streams run each call at once, events read the host clock, the matmul
// is computed on the CPU in double.
//
// Environment, read at each call:
//   FAKE_GPU_DEVICE_COUNT   devices (default 1); 0 answers GetDeviceCount with NoDevice (100)
//   FAKE_GPU_NAME           the device name (default "Fake HIP GPU" / "Fake MUSA GPU")
//   FAKE_GPU_ARCH           HIP's gcnArchName (default "gfx928:sramecc+:xnack-")
//   FAKE_GPU_MEMORY         bytes of device memory reported (default 64 GiB)
//   FAKE_GPU_FAIL           an entry point without its prefix ("Matmul", "EventRecord"): it fails
//   FAKE_GPU_WRONG_RESULT   1: the matmul adds 1 to its first output element
//   FAKE_GPU_NOT_IMPLEMENTED 1: rocBLAS and muBLAS answer every GEMM "not implemented/supported"
//   FAKE_GPU_WRONG_SOFTMAX  1: the softmax kernel's host twin ignores the sliding window
//   (FAKE_GPU_FAIL=CompileProgram: hiprtc's compile fails with a log)
//   FAKE_GPU_NO_ALGO        1: the BLAS-Lt heuristic returns no algorithm
//   FAKE_GPU_ALGOS          algorithms the heuristic offers at most (default 3)
//   FAKE_GPU_FAST_ALGO      i: every other algorithm's matmul takes 2 ms longer
//   FAKE_GPU_LOG            a file each library appends its calls to
//   FAKE_GPU_EVENT_US       every event interval reads this many microseconds (host clock otherwise)
//   (FAKE_GPU_FAIL=StreamBeginCapture: stream capture fails)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#if defined(FAKE_VENDOR_HIP)
#define FAKE_RT(name) hip##name
#define FAKE_LT(name) hipblasLt##name
#define FAKE_VENDOR_NAME "HIP"
#elif defined(FAKE_VENDOR_MUSA)
#define FAKE_RT(name) musa##name
#define FAKE_LT(name) mublasLt##name
#define FAKE_VENDOR_NAME "MUSA"
#else
#error "define FAKE_VENDOR_HIP or FAKE_VENDOR_MUSA"
#endif

#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))

namespace fake_gpu {

constexpr int error_unknown = 999;  // hipErrorUnknown; what a failing call returns
constexpr int error_no_device = 100;

inline std::string env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

// True when FAKE_GPU_FAIL names this entry point (without the vendor prefix).
inline bool fails(const char* entry) { return env("FAKE_GPU_FAIL") == entry; }

// Appends a line to FAKE_GPU_LOG (each library writes its own calls).
inline void log_line(const std::string& line) {
  const std::string path = env("FAKE_GPU_LOG");
  if (path.empty()) return;
  if (std::FILE* f = std::fopen(path.c_str(), "a")) {
    std::fprintf(f, "%s\n", line.c_str());
    std::fclose(f);
  }
}

// Work on a stream (defined in fake_runtime.cpp, which the fake BLAS libraries link, as the real
// ones link their runtime): run at once, or, while the stream is captured, appended to the graph
// being captured, which GraphLaunch runs.
__attribute__((visibility("default"))) void submit(void* stream, std::function<void()> work);

}  // namespace fake_gpu
