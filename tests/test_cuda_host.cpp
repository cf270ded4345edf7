// CUDA backend sources on the host, with fakes of the vendor's libraries (tests/fakes/): the
// fake runtime records every call with its stream, the fake driver logs which process touched
// it. What these check only shows on a GPU as wrong numbers or failed cases: CUDA touched before
// `run --isolate` forks, copies on a stream the work stream does not wait for, a flush that
// writes.
#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "backends/cuda/device_probe.hpp"
#include "backends/cuda/l2_flush.hpp"
#include "backends/cuda/plan_buffers.hpp"
#include "tests/fakes/fake_cudart.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/temp_dir.hpp"

using namespace accelbench;
using namespace accelbench::cuda;
using namespace accelbench::testing;

namespace {

struct logged_call {
  int pid = 0;
  std::string name;
};

// The "<pid> <name>" lines the fakes append to $ACCELBENCH_FAKE_CUDA_LOG.
std::vector<logged_call> read_log(const std::string& path) {
  std::vector<logged_call> calls;
  std::ifstream in(path);
  logged_call c;
  while (in >> c.pid >> c.name) calls.push_back(c);
  return calls;
}

bool named(const std::vector<logged_call>& calls, const std::string& name) {
  for (const logged_call& c : calls) {
    if (c.name == name) return true;
  }
  return false;
}

std::vector<std::string> names(const std::vector<fake_cuda::runtime_call>& calls) {
  std::vector<std::string> out;
  for (const auto& c : calls) out.push_back(c.name);
  return out;
}

// Sets ACCELBENCH_FAKE_CUDA_LOG for this scope.
struct fake_log {
  explicit fake_log(const std::string& file) : path(file) { setenv("ACCELBENCH_FAKE_CUDA_LOG", path.c_str(), 1); }
  ~fake_log() { unsetenv("ACCELBENCH_FAKE_CUDA_LOG"); }
  std::string path;
};

}  // namespace

TEST_CASE("Device discovery calls CUDA in a child process only", "[cuda_host]") {
  temp_dir dir("accelbench-cuda-host");
  const fake_log log(dir / "calls.log");
  // The probe looks for libcuda.so.1 first: the fake driver, loaded by path, is found by its name.
  void* driver = dlopen(ACCELBENCH_FAKE_DRIVER_DIR "/libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  REQUIRE(driver != nullptr);
  fake_cuda::clear_calls();
  const device_probe probe = probe_devices();
  INFO("probe error: " << probe.error);
  REQUIRE(probe.error.empty());
  REQUIRE(probe.devices.size() == 1);
  // The child's facts came back whole.
  CHECK(probe.devices[0].name == "Fake GPU");
  CHECK(probe.devices[0].cc_major == 9);
  CHECK(probe.devices[0].sm_count == 132);
  CHECK(probe.devices[0].l2_bytes == 50 << 20);
  CHECK(probe.devices[0].free_memory_bytes == 79ull << 30);
  CHECK(probe.devices[0].pci_bus_id == "0000:01:00.0");
  CHECK(probe.cuda_runtime_version == 13000);
  // This process made no CUDA call; another one made them all, the context-creating ones included.
  CHECK(fake_cuda::calls().empty());
  const std::vector<logged_call> logged = read_log(log.path);
  REQUIRE_FALSE(logged.empty());
  for (const logged_call& c : logged) CHECK(c.pid != getpid());
  CHECK(named(logged, "cudaGetDeviceCount"));
  CHECK(named(logged, "cudaMemGetInfo"));

  // The same queries in this process are seen by the fake: the check above can fail.
  fake_cuda::clear_calls();
  CHECK(probe_devices_here().devices.size() == 1);
  CHECK_FALSE(fake_cuda::calls().empty());
  dlclose(driver);
}

TEST_CASE("Device facts survive the probe's JSON", "[cuda_host]") {
  device_probe probe;
  device_facts f;
  f.name = "NVIDIA H100 80GB HBM3";
  f.cc_major = 9;
  f.memory_bytes = 85899345920ull;
  f.free_memory_bytes = 84000000000ull;
  f.l2_bytes = 52428800;
  f.sm_clock_max_khz = 1980000;
  f.ecc_enabled = true;
  f.uuid = "GPU-01234567-89ab-cdef-0123-456789abcdef";
  f.cuda_driver_version = 13000;
  probe.devices = {f, f};
  probe.cuda_runtime_version = 13000;
  const device_probe back = probe_from_json(probe_to_json(probe));
  REQUIRE(back.devices.size() == 2);
  CHECK(device_properties_json(back.devices[1]) == device_properties_json(f));
  CHECK(back.devices[0].name == f.name);
  CHECK(back.devices[0].free_memory_bytes == f.free_memory_bytes);
  device_probe failed;
  failed.error = "cudaGetDeviceCount: no CUDA-capable device";
  CHECK(probe_from_json(probe_to_json(failed)).error == failed.error);
  // A child that fails says so, never an empty probe that looks like no device.
  CHECK_THROWS_WITH(output_of_child([]() -> std::string { throw std::runtime_error("x"); }),
                    Catch::Contains("exited with status 4"));
  CHECK(output_of_child([] { return std::string("from the child"); }) == "from the child");
}

TEST_CASE("accelbench makes no CUDA call in its own process before forking", "[cuda_host]") {
  // The real accelbench with the fake driver first on the library path: the static CUDA runtime
  // loads it on its first call. Every call must come from the device probe's child, not from
  // the process that `run --isolate` later forks.
  temp_dir dir("accelbench-cuda-host");
  const std::string log = dir / "driver.log";
  const pid_t pid = spawn_accelbench(
      dir, {"list", "backends"},
      {std::string("LD_LIBRARY_PATH=") + ACCELBENCH_FAKE_DRIVER_DIR, "ACCELBENCH_FAKE_CUDA_LOG=" + log});
  const cli_result r = wait_accelbench(dir, pid);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  // (From a plugin, the reason names the plugin first.)
  CHECK(std::regex_search(
      r.out, std::regex("(^|\\n)cuda +unavailable  (plugin \\S+: )?initialization failed: cudaGetDeviceCount")));
  const std::vector<logged_call> logged = read_log(log);
  REQUIRE_FALSE(logged.empty());  // the fake driver was reached (by the probe)
  for (const logged_call& c : logged) {
    INFO(c.name);
    CHECK(c.pid != pid);
  }

  // The same through `run --isolate`, which forks a child per repetition after loading every backend.
  const std::string run_log = dir / "run.log";
  const pid_t run_pid = spawn_accelbench(
      dir,
      {"run", "--isolate", "-b", "reference", "-w", "gemm:m=8,n=8,k=8,dt=f32", "--timeout", "0.2", "--min-samples", "3",
       "--min-time", "0.01", "--warmup-time", "0.02", "--out", dir / "out.json"},
      {std::string("LD_LIBRARY_PATH=") + ACCELBENCH_FAKE_DRIVER_DIR, "ACCELBENCH_FAKE_CUDA_LOG=" + run_log});
  const cli_result run = wait_accelbench(dir, run_pid);
  INFO("stdout: " << run.out << "\nstderr: " << run.err);
  CHECK(run.exit_code == 0);
  const std::vector<logged_call> run_logged = read_log(run_log);
  REQUIRE_FALSE(run_logged.empty());
  for (const logged_call& c : run_logged) CHECK(c.pid != run_pid);
}

TEST_CASE("A plan's inputs and output are filled on the work stream, then waited for", "[cuda_host]") {
  auto* const work = reinterpret_cast<cudaStream_t>(std::uintptr_t{0x5eed});
  const std::vector<float> a{1.0f, 2.0f, 3.0f}, b{4.0f, 5.0f};
  const ab_host_tensor inputs[] = {{a.data(), a.size() * sizeof(float)}, {b.data(), b.size() * sizeof(float)}};
  fake_cuda::clear_calls();
  const plan_buffers buffers(inputs, 2, 24, work);
  const auto& calls = fake_cuda::calls();
  // The work stream is non-blocking: nothing may go through the legacy default stream.
  CHECK(names(calls) == std::vector<std::string>{"cudaMalloc", "cudaMemcpyAsync", "cudaMalloc", "cudaMemcpyAsync",
                                                 "cudaMalloc", "cudaMemsetAsync", "cudaStreamSynchronize"});
  for (const auto& c : calls) {
    INFO(c.name);
    if (c.name != "cudaMalloc") CHECK(c.stream == work);
  }
  REQUIRE(buffers.inputs.size() == 2);
  CHECK(std::memcmp(buffers.inputs[0].get(), a.data(), a.size() * sizeof(float)) == 0);
  CHECK(std::memcmp(buffers.inputs[1].get(), b.data(), b.size() * sizeof(float)) == 0);
  const auto* out = static_cast<const unsigned char*>(buffers.output.get());
  for (int i = 0; i < 24; ++i) CHECK(out[i] == 0xff);

  fake_cuda::clear_calls();
  const float one = 1.0f;
  const device_buffer scale = upload_async(&one, sizeof(one), work);
  fill_async(scale.get(), sizeof(one), 0, work);
  REQUIRE(fake_cuda::calls().size() == 3);
  CHECK(fake_cuda::calls()[1].stream == work);
  CHECK(fake_cuda::calls()[2].stream == work);
}

TEST_CASE("The L2 flush reads its buffer and writes nothing to it", "[cuda_host]") {
  // The launcher takes the buffer as const: the kernel cannot store to it.
  static_assert(
      std::is_same_v<decltype(&launch_flush_read), void (*)(const void*, std::size_t, unsigned*, cudaStream_t)>);
  // Each thread's share, run on the host over read-only memory (a store would be SIGSEGV), covers
  // every word exactly once across the kernel's grid.
  constexpr std::size_t words = 300000, threads = 1024 * 256;
  void* page = mmap(nullptr, words * sizeof(unsigned), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(page != MAP_FAILED);
  auto* buffer = static_cast<unsigned*>(page);
  unsigned expected = 0;
  for (std::size_t i = 0; i < words; ++i) {
    buffer[i] = static_cast<unsigned>(i * 2654435761u);
    expected ^= buffer[i];
  }
  REQUIRE(mprotect(page, words * sizeof(unsigned), PROT_READ) == 0);
  unsigned total = 0;
  for (std::size_t t = 0; t < threads; ++t) total ^= flush_read_share(buffer, words, t, threads);
  CHECK(total == expected);
  munmap(page, words * sizeof(unsigned));
}
