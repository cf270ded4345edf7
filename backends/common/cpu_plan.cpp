#include "backends/common/cpu_plan.hpp"

#include <dlfcn.h>

#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include <fmt/format.h>

namespace accelbench::cpu {
namespace {

ab_status run_plan(ab_plan* handle) {
  cpu_plan* plan = from_handle(handle);
  try {
    plan->run();
    return AB_OK;
  } catch (const std::exception& e) {
    plan->last_error = e.what();
    return AB_ERROR;
  }
}

uint32_t slot_count(ab_plan* handle) { return static_cast<uint32_t>(from_handle(handle)->starts.size()); }

ab_status record_start(ab_plan* handle, uint32_t slot) {
  cpu_plan* plan = from_handle(handle);
  if (slot >= plan->starts.size()) return AB_ERROR;
  try {
    plan->before_timed_call();
  } catch (const std::exception& e) {
    plan->last_error = e.what();
    return AB_ERROR;
  }
  plan->starts[slot] = std::chrono::steady_clock::now();
  return AB_OK;
}

ab_status record_stop(ab_plan* handle, uint32_t slot) {
  cpu_plan* plan = from_handle(handle);
  if (slot >= plan->stops.size()) return AB_ERROR;
  plan->stops[slot] = std::chrono::steady_clock::now();
  return AB_OK;
}

ab_status synchronize(ab_plan*) { return AB_OK; }  // CPU calls complete before returning

ab_status elapsed(ab_plan* handle, uint32_t slot, double* seconds) {
  cpu_plan* plan = from_handle(handle);
  if (slot >= plan->starts.size()) return AB_ERROR;
  *seconds = std::chrono::duration<double>(plan->stops[slot] - plan->starts[slot]).count();
  return AB_OK;
}

ab_status read_output(ab_plan* handle, void* host, uint64_t bytes) {
  cpu_plan* plan = from_handle(handle);
  try {
    plan->read_output(host, bytes);
    return AB_OK;
  } catch (const std::exception& e) {
    plan->last_error = e.what();
    return AB_ERROR;
  }
}

const char* last_error(ab_plan* handle) { return from_handle(handle)->last_error.c_str(); }
const char* plan_description(ab_plan* handle) { return from_handle(handle)->description.c_str(); }
void release(ab_plan* handle) { delete from_handle(handle); }

std::string cpu_model_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown CPU";
}

}  // namespace

void wake_openmp_threads() {
  using parallel_fn = void (*)(void (*)(void*), void*, unsigned threads, unsigned flags);
  static const auto parallel = reinterpret_cast<parallel_fn>(dlsym(RTLD_DEFAULT, "GOMP_parallel"));
  if (parallel != nullptr) parallel([](void*) {}, nullptr, 0, 0);  // 0 threads: the thread's default team
}

void install_cpu_plan_slots(ab_backend& table) {
  table.run = run_plan;
  table.timer_slot_count = slot_count;
  table.record_start = record_start;
  table.record_stop = record_stop;
  table.synchronize = synchronize;
  table.elapsed_seconds = elapsed;
  table.read_output = read_output;
  table.last_error = last_error;
  table.plan_description = plan_description;
  table.release = release;
}

host_tensor copy_input(const ab_host_tensor& input, dtype type) {
  host_tensor t(type, static_cast<std::int64_t>(input.bytes) / storage_bytes(type));
  std::memcpy(t.data(), input.data, input.bytes);
  return t;
}

std::uint64_t host_available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t value = 0;
  std::string unit;
  while (meminfo >> key >> value >> unit) {
    if (key == "MemAvailable:") return value * 1024;
  }
  return 0;
}

ab_status describe_host_cpu(ab_device_info* out) {
  if (out == nullptr) return AB_ERROR;
  write_reason(out->name, sizeof(out->name), cpu_model_name());
  out->kind = AB_DEVICE_CPU;
  out->memory_bytes = host_available_memory_bytes();
  write_reason(out->properties_json, sizeof(out->properties_json),
               fmt::format(R"({{"hardware_threads":{}}})", std::thread::hardware_concurrency()));
  return AB_OK;
}

bool fits_host_memory(std::uint64_t needed, std::uint64_t available) {
  return available == 0 || needed + host_memory_reserve_bytes <= available;
}

bool fits_host_memory(const workload& w, std::uint64_t workspace_bytes, char* reason, std::size_t reason_len) {
  const std::uint64_t needed = static_cast<std::uint64_t>(io_bytes(w)) + workspace_bytes;
  const std::uint64_t available = host_available_memory_bytes();
  if (!fits_host_memory(needed, available)) {
    write_reason(
        reason, reason_len,
        fmt::format("needs {:.2f} GiB of host memory, {:.2f} GiB available ({:.2f} GiB of it kept free)",
                    needed / 1073741824.0, available / 1073741824.0, host_memory_reserve_bytes / 1073741824.0));
    return false;
  }
  return true;
}

}  // namespace accelbench::cpu
