// The simulated ACL runtime (libascendcl.so): devices, memory, streams, events (fake_cann.hpp).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "tests/fake_cann/fake_cann.hpp"

#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

constexpr int acl_success = 0;
constexpr int acl_invalid_param = 100000;   // ACL_ERROR_INVALID_PARAM
constexpr int acl_repeat_init = 100002;     // ACL_ERROR_REPEAT_INITIALIZE
constexpr int acl_invalid_device = 107001;  // ACL_ERROR_RT_INVALID_DEVICEID
constexpr int acl_no_context = 107002;      // ACL_ERROR_RT_CONTEXT_NULL
constexpr int acl_bad_alloc = 207001;       // ACL_ERROR_RT_MEMORY_ALLOCATION
constexpr std::uint32_t time_line_flag = 0x8;

struct fake_event {
  std::uint32_t flags = 0;
  bool recorded = false;
  std::chrono::steady_clock::time_point at;
};

struct runtime {
  std::mutex mutex;
  bool initialized = false;
  std::map<std::uintptr_t, std::uint64_t> allocations;  // base -> bytes
  std::set<void*> streams;
  std::uint64_t allocated = 0;
  std::string last_error;
};

runtime& rt() {
  static runtime r;
  return r;
}

thread_local int current_device = -1;

long env_number(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && v[0] != '\0' ? std::strtol(v, nullptr, 10) : fallback;
}

int fail(int code, const std::string& message) {
  rt().last_error = message;
  return code;
}

std::uint64_t memory_bytes() { return static_cast<std::uint64_t>(env_number("FAKE_CANN_MEMORY_MIB", 65536)) << 20; }

}  // namespace

FAKE_EXPORT bool fake_cann_is_device(const void* p, std::uint64_t bytes) {
  std::lock_guard<std::mutex> lock(rt().mutex);
  const auto address = reinterpret_cast<std::uintptr_t>(p);
  auto it = rt().allocations.upper_bound(address);
  if (it == rt().allocations.begin()) return false;
  --it;
  return address >= it->first && address + bytes <= it->first + it->second;
}

FAKE_EXPORT bool fake_cann_is_stream(void* stream) {
  std::lock_guard<std::mutex> lock(rt().mutex);
  return rt().streams.count(stream) != 0;
}

FAKE_EXPORT void fake_cann_set_error(const char* message) { rt().last_error = message; }

FAKE_EXPORT void fake_cann_log(const char* line) {
  const char* file = std::getenv("FAKE_CANN_LOG");
  if (file == nullptr || file[0] == '\0') return;
  std::ofstream(file, std::ios::app) << line << '\n';
}

FAKE_EXPORT int aclInit(const char*) {
  if (const long e = env_number("FAKE_CANN_INIT_ERROR", 0); e != 0)
    return fail(static_cast<int>(e), "fake: planted aclInit failure");
  if (rt().initialized) return fail(acl_repeat_init, "fake: aclInit called twice");
  rt().initialized = true;
  return acl_success;
}

FAKE_EXPORT int aclFinalize() {
  rt().initialized = false;
  return acl_success;
}

FAKE_EXPORT const char* aclGetRecentErrMsg() { return rt().last_error.c_str(); }

FAKE_EXPORT int aclrtGetVersion(int32_t* major, int32_t* minor, int32_t* patch) {
  *major = 0;  // 0.0.0: a fake, never mistaken for a CANN release
  *minor = 0;
  *patch = 0;
  return acl_success;
}

FAKE_EXPORT int aclrtGetDeviceCount(uint32_t* count) {
  if (!rt().initialized) return fail(acl_invalid_param, "fake: aclrtGetDeviceCount before aclInit");
  const long n = env_number("FAKE_CANN_DEVICE_COUNT", 1);
  if (n < 0) return fail(static_cast<int>(-n), "fake: planted driver error");
  *count = static_cast<uint32_t>(n);
  return acl_success;
}

FAKE_EXPORT int aclrtSetDevice(int32_t device) {
  if (!rt().initialized) return fail(acl_invalid_param, "fake: aclrtSetDevice before aclInit");
  if (device < 0 || device >= env_number("FAKE_CANN_DEVICE_COUNT", 1))
    return fail(acl_invalid_device, "fake: no such device");
  current_device = device;
  return acl_success;
}

FAKE_EXPORT int aclrtResetDevice(int32_t device) {
  if (device != current_device) return fail(acl_invalid_device, "fake: reset of a device not set");
  return acl_success;
}

#ifndef FAKE_CANN_OMIT_SOC_NAME  // the "missing symbol" scenario builds without it
FAKE_EXPORT const char* aclrtGetSocName() {
  static std::string soc;
  const char* v = std::getenv("FAKE_CANN_SOC");
  soc = v != nullptr ? v : "Ascend910B3";
  return soc.c_str();
}
#endif

FAKE_EXPORT int aclrtGetMemInfo(int attribute, size_t* free, size_t* total) {
  if (current_device < 0) return fail(acl_no_context, "fake: aclrtGetMemInfo before aclrtSetDevice");
  if (attribute != 1) return fail(acl_invalid_param, "fake: only ACL_HBM_MEM (1) is device memory");
  *total = memory_bytes();
  *free = *total - std::min<std::uint64_t>(*total, rt().allocated);
  return acl_success;
}

FAKE_EXPORT int aclrtMalloc(void** p, size_t bytes, int policy) {
  if (current_device < 0) return fail(acl_no_context, "fake: aclrtMalloc before aclrtSetDevice");
  if (bytes == 0 || policy < 0 || policy > 7) return fail(acl_invalid_param, "fake: aclrtMalloc size 0 or bad policy");
  std::lock_guard<std::mutex> lock(rt().mutex);
  if (rt().allocated + bytes > memory_bytes()) return fail(acl_bad_alloc, "fake: out of device memory");
  *p = std::malloc(bytes);
  if (*p == nullptr) return fail(acl_bad_alloc, "fake: host malloc failed");
  rt().allocations[reinterpret_cast<std::uintptr_t>(*p)] = bytes;
  rt().allocated += bytes;
  return acl_success;
}

FAKE_EXPORT int aclrtFree(void* p) {
  std::lock_guard<std::mutex> lock(rt().mutex);
  const auto it = rt().allocations.find(reinterpret_cast<std::uintptr_t>(p));
  if (it == rt().allocations.end()) return fail(acl_invalid_param, "fake: aclrtFree of memory not from aclrtMalloc");
  rt().allocated -= it->second;
  rt().allocations.erase(it);
  std::free(p);
  return acl_success;
}

FAKE_EXPORT int aclrtMemcpy(void* dst, size_t dest_max, const void* src, size_t count, int kind) {
  if (count > dest_max) return fail(acl_invalid_param, "fake: aclrtMemcpy count > destMax");
  const bool ok = kind == 1   ? fake_cann_is_device(dst, count) && !fake_cann_is_device(src, count)
                  : kind == 2 ? fake_cann_is_device(src, count) && !fake_cann_is_device(dst, count)
                              : false;
  if (!ok) return fail(acl_invalid_param, "fake: aclrtMemcpy kind does not match the pointers (or not H2D/D2H)");
  std::memcpy(dst, src, count);
  return acl_success;
}

FAKE_EXPORT int aclrtMemset(void* p, size_t max_count, int32_t value, size_t count) {
  if (count > max_count || !fake_cann_is_device(p, count))
    return fail(acl_invalid_param, "fake: aclrtMemset on non-device memory");
  std::memset(p, value, count);
  return acl_success;
}

FAKE_EXPORT int aclrtCreateStream(void** stream) {
  if (current_device < 0) return fail(acl_no_context, "fake: aclrtCreateStream before aclrtSetDevice");
  *stream = new int(0);
  std::lock_guard<std::mutex> lock(rt().mutex);
  rt().streams.insert(*stream);
  return acl_success;
}

FAKE_EXPORT int aclrtDestroyStream(void* stream) {
  std::lock_guard<std::mutex> lock(rt().mutex);
  if (rt().streams.erase(stream) == 0) return fail(acl_invalid_param, "fake: no such stream");
  delete static_cast<int*>(stream);
  return acl_success;
}

// Work runs when it is enqueued, so a stream is always drained.
FAKE_EXPORT int aclrtSynchronizeStream(void* stream) {
  return fake_cann_is_stream(stream) ? acl_success : fail(acl_invalid_param, "fake: no such stream");
}

FAKE_EXPORT int aclrtCreateEventWithFlag(void** event, uint32_t flags) {
  *event = new fake_event{flags, false, {}};
  return acl_success;
}

FAKE_EXPORT int aclrtDestroyEvent(void* event) {
  delete static_cast<fake_event*>(event);
  return acl_success;
}

FAKE_EXPORT int aclrtRecordEvent(void* event, void* stream) {
  if (!fake_cann_is_stream(stream)) return fail(acl_invalid_param, "fake: aclrtRecordEvent on no stream");
  auto* e = static_cast<fake_event*>(event);
  e->recorded = true;
  e->at = std::chrono::steady_clock::now();
  return acl_success;
}

FAKE_EXPORT int aclrtEventElapsedTime(float* ms, void* start, void* end) {
  auto* a = static_cast<fake_event*>(start);
  auto* b = static_cast<fake_event*>(end);
  if ((a->flags & time_line_flag) == 0 || (b->flags & time_line_flag) == 0) {
    return fail(acl_invalid_param, "fake: elapsed time of events created without ACL_EVENT_TIME_LINE");
  }
  if (!a->recorded || !b->recorded) return fail(acl_invalid_param, "fake: elapsed time of an unrecorded event");
  *ms = std::chrono::duration<float, std::milli>(b->at - a->at).count();
  return acl_success;
}
