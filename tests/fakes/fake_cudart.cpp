// A stand-in for the CUDA runtime, built by the tests as libcudart.so.13 (the vendor's file
// name) and linked instead of cudart into the host tests of backend sources. It has one fake
// device, "Fake GPU", whose memory is host memory, so copies and fills really happen; every call
// is recorded (fake_cudart.hpp). Signatures are checked against the installed CUDA headers.
#include "tests/fakes/fake_cudart.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace accelbench::fake_cuda {
namespace {

std::vector<runtime_call>& log() {
  static std::vector<runtime_call> calls;
  return calls;
}

cudaError_t record(const char* name, cudaStream_t stream = nullptr) {
  log().push_back({name, stream});
  const char* path = std::getenv("ACCELBENCH_FAKE_CUDA_LOG");
  if (path != nullptr && path[0] != '\0') {
    if (FILE* file = std::fopen(path, "a")) {
      std::fprintf(file, "%d %s\n", static_cast<int>(getpid()), name);
      std::fclose(file);
    }
  }
  return cudaSuccess;
}

int current_device = 0;

}  // namespace

const std::vector<runtime_call>& calls() { return log(); }
void clear_calls() { log().clear(); }

}  // namespace accelbench::fake_cuda

using accelbench::fake_cuda::record;

extern "C" {

const char* cudaGetErrorName(cudaError_t error) { return error == cudaSuccess ? "cudaSuccess" : "cudaErrorFake"; }
const char* cudaGetErrorString(cudaError_t error) { return error == cudaSuccess ? "no error" : "fake error"; }
cudaError_t cudaGetLastError(void) { return record("cudaGetLastError"); }

cudaError_t cudaGetDeviceCount(int* count) {
  *count = 1;
  return record("cudaGetDeviceCount");
}
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int) {
  *prop = cudaDeviceProp{};
  std::strcpy(prop->name, "Fake GPU");
  prop->major = 9;
  prop->minor = 0;
  prop->multiProcessorCount = 132;
  prop->totalGlobalMem = 80ull << 30;
  prop->l2CacheSize = 50 << 20;
  return record("cudaGetDeviceProperties");
}
cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr, int) {
  *value = 0;
  return record("cudaDeviceGetAttribute");
}
cudaError_t cudaDeviceGetPCIBusId(char* bus, int length, int) {
  std::snprintf(bus, static_cast<std::size_t>(length), "0000:01:00.0");
  return record("cudaDeviceGetPCIBusId");
}
cudaError_t cudaDriverGetVersion(int* version) {
  *version = 13000;
  return record("cudaDriverGetVersion");
}
cudaError_t cudaRuntimeGetVersion(int* version) {
  *version = 13000;
  return record("cudaRuntimeGetVersion");
}
cudaError_t cudaGetDevice(int* device) {
  *device = accelbench::fake_cuda::current_device;
  return record("cudaGetDevice");
}
cudaError_t cudaSetDevice(int device) {
  accelbench::fake_cuda::current_device = device;
  return record("cudaSetDevice");
}
cudaError_t cudaMemGetInfo(size_t* free, size_t* total) {
  *free = 79ull << 30;
  *total = 80ull << 30;
  return record("cudaMemGetInfo");
}

cudaError_t cudaMalloc(void** pointer, size_t bytes) {
  *pointer = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
  return record("cudaMalloc");
}
cudaError_t cudaFree(void* pointer) {
  std::free(pointer);
  return record("cudaFree");
}
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind) {
  std::memcpy(dst, src, bytes);
  return record("cudaMemcpy");
}
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind, cudaStream_t stream) {
  std::memcpy(dst, src, bytes);
  return record("cudaMemcpyAsync", stream);
}
cudaError_t cudaMemset(void* pointer, int value, size_t bytes) {
  std::memset(pointer, value, bytes);
  return record("cudaMemset");
}
cudaError_t cudaMemsetAsync(void* pointer, int value, size_t bytes, cudaStream_t stream) {
  std::memset(pointer, value, bytes);
  return record("cudaMemsetAsync", stream);
}
cudaError_t cudaStreamSynchronize(cudaStream_t stream) { return record("cudaStreamSynchronize", stream); }

}  // extern "C"
