#include "backends/cuda/device_probe.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <cuda_runtime_api.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backends/cuda/cuda_check.hpp"

namespace accelbench::cuda {
namespace {

using json = nlohmann::json;

constexpr int probe_timeout_s = 120;  // CUDA initialization takes seconds at most

json facts_to_json(const device_facts& f) {
  return {{"name", f.name},
          {"cc_major", f.cc_major},
          {"cc_minor", f.cc_minor},
          {"sm_count", f.sm_count},
          {"memory_bytes", f.memory_bytes},
          {"free_memory_bytes", f.free_memory_bytes},
          {"l2_bytes", f.l2_bytes},
          {"sm_clock_max_khz", f.sm_clock_max_khz},
          {"memory_clock_max_khz", f.memory_clock_max_khz},
          {"memory_bus_width_bits", f.memory_bus_width_bits},
          {"ecc_enabled", f.ecc_enabled},
          {"uuid", f.uuid},
          {"pci_bus_id", f.pci_bus_id},
          {"cuda_driver_version", f.cuda_driver_version},
          {"cuda_runtime_version", f.cuda_runtime_version}};
}

device_facts facts_from_json(const json& j) {
  device_facts f;
  j.at("name").get_to(f.name);
  j.at("cc_major").get_to(f.cc_major);
  j.at("cc_minor").get_to(f.cc_minor);
  j.at("sm_count").get_to(f.sm_count);
  j.at("memory_bytes").get_to(f.memory_bytes);
  j.at("free_memory_bytes").get_to(f.free_memory_bytes);
  j.at("l2_bytes").get_to(f.l2_bytes);
  j.at("sm_clock_max_khz").get_to(f.sm_clock_max_khz);
  j.at("memory_clock_max_khz").get_to(f.memory_clock_max_khz);
  j.at("memory_bus_width_bits").get_to(f.memory_bus_width_bits);
  j.at("ecc_enabled").get_to(f.ecc_enabled);
  j.at("uuid").get_to(f.uuid);
  j.at("pci_bus_id").get_to(f.pci_bus_id);
  j.at("cuda_driver_version").get_to(f.cuda_driver_version);
  j.at("cuda_runtime_version").get_to(f.cuda_runtime_version);
  return f;
}

bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string probe_to_json(const device_probe& probe) {
  json devices = json::array();
  for (const device_facts& f : probe.devices) devices.push_back(facts_to_json(f));
  return json{{"error", probe.error},
              {"devices", devices},
              {"cuda_runtime_version", probe.cuda_runtime_version},
              {"cuda_driver_version", probe.cuda_driver_version}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

device_probe probe_from_json(const std::string& text) {
  const json j = json::parse(text);
  device_probe probe;
  j.at("error").get_to(probe.error);
  for (const json& d : j.at("devices")) probe.devices.push_back(facts_from_json(d));
  j.at("cuda_runtime_version").get_to(probe.cuda_runtime_version);
  j.at("cuda_driver_version").get_to(probe.cuda_driver_version);
  return probe;
}

std::string output_of_child(const std::function<std::string()>& work) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (child == 0) {
    ::close(fds[0]);
    int status = 0;
    try {
      status = write_all(fds[1], work()) ? 0 : 3;
    } catch (...) {
      status = 4;
    }
    ::close(fds[1]);
    std::_Exit(status);  // no atexit handlers, no flushing of the parent's stdio buffers
  }
  ::close(fds[1]);
  // A driver that hangs must not hang `list backends`: the child gets a deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(probe_timeout_s);
  std::string received;
  bool timed_out = false;
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready <= 0) continue;  // timeout slice or EINTR: check the deadline again
    const ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) throw std::runtime_error(fmt::format("the device probe process took over {} s", probe_timeout_s));
  if (WIFSIGNALED(status)) {
    throw std::runtime_error(fmt::format("the device probe process was killed by signal {} ({})", WTERMSIG(status),
                                         strsignal(WTERMSIG(status))));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(fmt::format("the device probe process exited with status {} without a result",
                                         WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return received;
}

device_probe probe_devices_here() {
  device_probe probe;
  // Look for the driver library first: without it the runtime's error names a version mismatch.
  void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (driver == nullptr) {
    const char* load_error = dlerror();
    probe.error = describe_no_device("", "", false, load_error != nullptr ? load_error : "not found");
    return probe;
  }
  dlclose(driver);
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess || count == 0) {
    probe.error = status != cudaSuccess
                      ? describe_no_device(cudaGetErrorName(status), cudaGetErrorString(status), true, "")
                      : describe_no_device("", "", true, "");
    return probe;
  }
  try {
    for (int i = 0; i < count; ++i) probe.devices.push_back(query_device(i));
    ACCELBENCH_CHECK_CUDA(cudaRuntimeGetVersion(&probe.cuda_runtime_version));
    ACCELBENCH_CHECK_CUDA(cudaDriverGetVersion(&probe.cuda_driver_version));
  } catch (const std::exception& e) {
    probe.devices.clear();
    probe.error = e.what();
  }
  return probe;
}

device_probe probe_devices() {
  try {
    return probe_from_json(output_of_child([] { return probe_to_json(probe_devices_here()); }));
  } catch (const std::exception& e) {
    device_probe failed;
    failed.error = fmt::format("device discovery: {}", e.what());
    return failed;
  }
}

}  // namespace accelbench::cuda
