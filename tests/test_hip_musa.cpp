// The hip and musa backends end to end, against the simulated runtimes of tests/fake_gpu (no DCU,
// AMD GPU or S4000 here): the built accelbench loads the real plugin through the real plugin
// loader, the plugin loads the fake runtime and BLAS-Lt from ROCM_PATH or MUSA_PATH, and the
// engine verifies what the fake computed. What this proves: discovery, the unavailable reasons,
// device identity, the BLAS-Lt calls (operand swap, transposes, batches, enum values), event
// timing and the error paths. No timing from the fake means anything about a GPU. Also the
// shared library loader and the pure GEMM mapping, and the no-device path against Debian's real
// HIP runtime where libamdhip64 is installed.
#include <dlfcn.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backends/common/composed_attention.hpp"
#include "backends/common/library_loader.hpp"
#include "backends/gpu_vendor/mublas_gemm.hpp"
#include "backends/gpu_vendor/rocblas_gemm.hpp"
#include "backends/gpu_vendor/rocm_smi_telemetry.hpp"
#include "backends/gpu_vendor/softmax_kernel.hpp"
#include "backends/gpu_vendor/vendor_attention.hpp"
#include "backends/gpu_vendor/vendor_device.hpp"
#include "backends/gpu_vendor/vendor_gemm.hpp"
#include "tests/support/file_io.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

// softmax_kernel.hip, the text hiprtc compiles, built for the host: the HIP built-ins it uses are
// shimmed, a block's 256 threads are std::threads and __syncthreads a barrier, so the kernel's
// own reductions and masks run here (no GPU); the test below checks them against the CPU
// composed attention's softmax.
namespace host_kernel {
struct index3 {
  unsigned x = 0;
};
thread_local index3 threadIdx, blockIdx;
inline std::barrier<>* block_barrier = nullptr;
inline void __syncthreads() { block_barrier->arrive_and_wait(); }
#define __device__
#define __global__
#define __launch_bounds__(threads)
#define __shared__ static
#include "backends/gpu_vendor/softmax_kernel.hip"
#undef __device__
#undef __global__
#undef __launch_bounds__
#undef __shared__

// Runs `kernel` over `blocks` blocks of ABK_THREADS threads, one block after another.
template <typename Kernel>
void launch(unsigned blocks, Kernel kernel) {
  std::barrier<> barrier(ABK_THREADS);
  block_barrier = &barrier;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < ABK_THREADS; ++t) {
    threads.emplace_back([&, t] {
      threadIdx.x = t;
      for (unsigned b = 0; b < blocks; ++b) {
        blockIdx.x = b;
        kernel();
        barrier.arrive_and_wait();  // the next block reuses the shared memory
      }
    });
  }
  for (std::thread& t : threads) t.join();
}
}  // namespace host_kernel

namespace fs = std::filesystem;
using namespace accelbench;
using namespace accelbench::testing;
using strings = std::vector<std::string>;

namespace {

const std::string fake_root = ACCELBENCH_FAKE_GPU_DIR;

// The environment for one scenario of the fake (tests/fake_gpu/CMakeLists.txt), plus extras.
strings fake_env(const std::string& vendor, const std::string& scenario, const strings& extra = {}) {
  const std::string root = fake_root + "/" + vendor + "/" + scenario;
  strings env = {"ROCM_PATH=" + root, "HIP_PATH=", "DTK_ROOT=", "MUSA_PATH=" + root, "MUSA_HOME="};
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// The `accelbench list backends` line of `backend`.
std::string backend_line(const temp_dir& dir, const std::string& backend, const strings& env) {
  const cli_result r = run_accelbench(dir, {"list", "backends"}, env);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const std::size_t at = r.out.find("\n" + backend + " ");
  REQUIRE(at != std::string::npos);
  return r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
}

// Runs workloads on `backend` and returns the results array.
nlohmann::json run_backend(const temp_dir& dir, const std::string& backend, const strings& workloads,
                           const strings& env, const std::string& cache = "hot") {
  const fs::path out = dir.path / "r.json";
  fs::remove(out);
  strings args = {"run", "--backend",     backend, "--out",      out.string(), "--cache",       cache,  "--timeout",
                  "0.2", "--min-samples", "3",     "--min-time", "0.001",      "--warmup-time", "0.001"};
  for (const std::string& w : workloads) {
    args.push_back("--workload");
    args.push_back(w);
  }
  const cli_result r = run_accelbench(dir, args, env);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(fs::exists(out));
  return nlohmann::json::parse(read_file(out)).at("results");
}

bool loadable(const char* name) {
  void* h = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
  if (h != nullptr) dlclose(h);
  return h != nullptr;
}

// A real HIP runtime this host would find after the fake's folder.
bool real_hip_visible() {
  return loadable("libamdhip64.so") || loadable("libamdhip64.so.5") || loadable("libamdhip64.so.6") ||
         fs::exists("/opt/rocm/lib/libamdhip64.so") || fs::exists("/opt/dtk/lib/libamdhip64.so");
}
bool real_hipblaslt_visible() {
  return loadable("libhipblaslt.so") || loadable("libhipblaslt.so.0") || loadable("libhipblaslt.so.1") ||
         fs::exists("/opt/rocm/lib/libhipblaslt.so") || fs::exists("/opt/dtk/lib/libhipblaslt.so");
}
bool real_rocblas_visible() {
  return loadable("librocblas.so") || loadable("librocblas.so.0") || loadable("librocblas.so.4") ||
         loadable("librocblas.so.5") || fs::exists("/opt/rocm/lib/librocblas.so") ||
         fs::exists("/opt/dtk/lib/librocblas.so");
}
bool real_musa_visible() { return loadable("libmusart.so") || fs::exists("/usr/local/musa/lib/libmusart.so"); }

// The mapping tests' workload: gemm:m=33,n=17,k=20,ta=t,batch=3,dt=bf16.
gemm_workload mapping_workload() {
  gemm_workload w;
  w.m = 33;
  w.n = 17;
  w.k = 20;
  w.trans_a = true;
  w.batch = 3;
  w.dt = {dtype::bf16, dtype::bf16, dtype::f32};
  return w;
}

// Runs attention workloads on `hip` in a scenario of the fake, checks that each passed through
// the composed path with `gemm` ("hipBLASLt", "rocBLAS") as its GEMM library, and returns the
// fake's call log.
std::string hip_attention_passes(const temp_dir& dir, const std::string& scenario, const std::string& gemm,
                                 const strings& workloads) {
  const std::string log = (dir.path / (scenario + ".log")).string();
  fs::remove(log);
  const nlohmann::json results = run_backend(dir, "hip", workloads, fake_env("hip", scenario, {"FAKE_GPU_LOG=" + log}));
  REQUIRE(results.size() == workloads.size());
  const std::string composed =
      fmt::format("composed: {0} Q K^T + masked softmax kernel (hiprtc for gfx928) + {0} P V", gemm);
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
    CHECK(r.at("plan").get<std::string>().find(composed) == 0);
  }
  return read_file(log);
}

}  // namespace

TEST_CASE("loaded_library opens the first candidate that loads and names what is missing", "[library_loader]") {
  const std::string good = fake_root + "/hip/good/lib/libamdhip64.so";
  const std::string nosym = fake_root + "/hip/nosym/lib/libamdhip64.so";
  loaded_library lib;
  CHECK_FALSE(lib.open_first({"/nonexistent/libnothing.so", "/also/missing.so"}));
  CHECK(lib.errors().find("/nonexistent/libnothing.so") != std::string::npos);
  CHECK(lib.errors().find("; ") != std::string::npos);  // both tries listed
  REQUIRE(lib.open_first({"/nonexistent/libnothing.so", good, nosym}));
  CHECK(lib.path() == good);
  int (*count)(int*) = nullptr;
  int (*absent)() = nullptr;
  int (*optional)() = nullptr;
  CHECK(lib.bind_symbols({symbol("hipGetDeviceCount", count), symbol("hipNotThere", optional, false)}).empty());
  CHECK(count != nullptr);
  CHECK(optional == nullptr);
  CHECK(lib.bind_symbols({symbol("hipGetDeviceCount", count), symbol("hipAbsentOne", absent),
                          symbol("hipAbsentTwo", absent)}) == "hipAbsentOne, hipAbsentTwo");
  CHECK(count == nullptr);  // nothing half-bound stays usable
  REQUIRE(lib.open_first({nosym}));
  CHECK(lib.bind_symbols({symbol("hipMemGetInfo", absent)}) == "hipMemGetInfo");
}

TEST_CASE("the BLAS-Lt mapping swaps operands and uses each vendor's enum values", "[hip][musa]") {
  using gpu_vendor::map_gemm;
  gemm_workload w = mapping_workload();
  const auto hip = map_gemm(w, gpu_vendor::hip_vendor(), "gfx928");
  REQUIRE(hip.unsupported.empty());
  CHECK(hip.op_a == 111);  // BLAS-Lt's A is our B, not transposed: HIPBLAS_OP_N
  CHECK(hip.op_b == 112);  // its B is our transposed A: HIPBLAS_OP_T
  CHECK(hip.compute == 2);
  CHECK(hip.a.type == 14);
  CHECK((hip.a.rows == 17 && hip.a.cols == 20 && hip.b.rows == 33 && hip.b.cols == 20));
  CHECK((hip.d.rows == 17 && hip.d.cols == 33 && hip.d.batch_stride == 33 * 17 && hip.batch == 3));
  const auto musa = map_gemm(w, gpu_vendor::musa_vendor(), "2.2");
  CHECK((musa.op_a == 0 && musa.op_b == 1 && musa.compute == 68));
  w.dt = {dtype::s8, dtype::s32, dtype::s32};
  CHECK(map_gemm(w, gpu_vendor::hip_vendor(), "gfx928").compute == 9);
  w.dt = {dtype::f16, dtype::bf16, dtype::f32};
  CHECK(map_gemm(w, gpu_vendor::musa_vendor(), "2.2").unsupported.find("muBLASLt f16 GEMM offers f16 or f32") !=
        std::string::npos);
}

TEST_CASE("f8 GEMM maps to OCP f8 where the architecture runs it and says why elsewhere", "[hip][musa]") {
  using gpu_vendor::map_gemm;
  gemm_workload w = mapping_workload();
  w.dt = {dtype::f8e4m3, dtype::bf16, dtype::f32};
  const auto ocp = map_gemm(w, gpu_vendor::hip_vendor(), "gfx950");
  REQUIRE(ocp.unsupported.empty());
  CHECK((ocp.a.type == 28 && ocp.b.type == 28 && ocp.d.type == 14 && ocp.compute == 2 && ocp.scale_type == 0));
  w.dt = {dtype::f8e5m2, dtype::f8e5m2, dtype::f32};
  CHECK((map_gemm(w, gpu_vendor::hip_vendor(), "gfx1201").a.type == 29 &&
         map_gemm(w, gpu_vendor::hip_vendor(), "gfx1201").d.type == 29));
  w.dt = {dtype::f8e4m3, dtype::f8e5m2, dtype::f32};
  CHECK(map_gemm(w, gpu_vendor::hip_vendor(), "gfx950").unsupported.find("offers f8e4m3, bf16, f16 or f32 output") !=
        std::string::npos);
  w.dt = {dtype::f8e4m3, dtype::f32, dtype::f32};
  CHECK(map_gemm(w, gpu_vendor::hip_vendor(), "gfx942").unsupported.find("gfx942's f8 is FNUZ") != std::string::npos);
  CHECK(map_gemm(w, gpu_vendor::hip_vendor(), "gfx928").unsupported.find("(gfx950*, gfx12*); this device is gfx928") !=
        std::string::npos);
  CHECK(map_gemm(w, gpu_vendor::musa_vendor(), "2.2").unsupported.find("muBLASLt f8 GEMM is not wired up") !=
        std::string::npos);
}

TEST_CASE("the rocBLAS mapping swaps operands, pins rocBLAS's enum values and follows its type table", "[hip]") {
  using gpu_vendor::map_rocblas_gemm;
  const gpu_vendor::vendor_table& hip = gpu_vendor::hip_vendor();
  gemm_workload w = mapping_workload();
  const auto same = map_rocblas_gemm(w, hip);
  REQUIRE(same.unsupported.empty());
  CHECK(same.op_a == 111);  // rocBLAS's A is our B, not transposed: rocblas_operation_none
  CHECK(same.op_b == 112);  // its B is our transposed A
  CHECK((same.in_type == 168 && same.out_type == 168 && same.compute_type == 151));
  CHECK((same.geometry.d.rows == 17 && same.geometry.d.cols == 33 && same.geometry.k == 20));
  CHECK((same.geometry.a.ld == 17 && same.geometry.b.ld == 33 && same.geometry.batch == 3));
  CHECK_FALSE(same.per_item);
  w.dt = {dtype::bf16, dtype::f32, dtype::f32};  // not in the strided-batched table: one gemm_ex per item
  const auto widened = map_rocblas_gemm(w, hip);
  CHECK((widened.unsupported.empty() && widened.per_item && widened.out_type == 151 && widened.out_bytes == 4));
  w.batch = 1;
  CHECK(map_rocblas_gemm(w, hip).per_item);
  w.dt = {dtype::s8, dtype::s32, dtype::s32};
  const auto integer = map_rocblas_gemm(w, hip);
  CHECK((integer.in_type == 160 && integer.out_type == 162 && integer.compute_type == 162 && integer.integer));
  CHECK_FALSE(integer.per_item);
  w.dt = {dtype::f16, dtype::f16, dtype::f32};
  CHECK((map_rocblas_gemm(w, hip).in_type == 150 && !map_rocblas_gemm(w, hip).per_item));
  w.dt = {dtype::tf32, dtype::f32, dtype::f32};
  CHECK(map_rocblas_gemm(w, hip).unsupported.find("no tf32") != std::string::npos);
  w.dt = {dtype::f8e4m3, dtype::f32, dtype::f32};
  CHECK(map_rocblas_gemm(w, hip).unsupported.find("f8 needs hipBLASLt") != std::string::npos);
  w.dt = {dtype::f16, dtype::bf16, dtype::f32};
  CHECK(map_rocblas_gemm(w, hip).unsupported.find("rocBLAS f16 GEMM offers f16 or f32 output") != std::string::npos);
  w.dt = {dtype::f32, dtype::f32, dtype::f32};
  w.k = std::int64_t{1} << 31;
  CHECK(map_rocblas_gemm(w, hip).unsupported.find("outside rocBLAS's range") != std::string::npos);
}

TEST_CASE("the muBLAS mapping swaps operands and takes cuBLAS's enum values and type table", "[musa]") {
  using gpu_vendor::map_mublas_gemm;
  const gpu_vendor::vendor_table& musa = gpu_vendor::musa_vendor();
  gemm_workload w = mapping_workload();  // m=33, n=17, k=20, ta=t, batch=3
  w.dt = {dtype::bf16, dtype::f32, dtype::f32};
  const auto widened = map_mublas_gemm(w, musa);
  REQUIRE(widened.unsupported.empty());
  CHECK((widened.op_a == 0 && widened.op_b == 1));  // CUBLAS_OP_N for our B, CUBLAS_OP_T for our transposed A
  CHECK((widened.a.type == 14 && widened.d.type == 0 && widened.compute == 68));  // strided-batched, unlike rocBLAS
  CHECK((widened.d.rows == 17 && widened.d.cols == 33 && widened.k == 20 && widened.batch == 3));
  CHECK((widened.a.ld == 17 && widened.b.ld == 33 && widened.d.batch_stride == 33 * 17));
  w.dt = {dtype::tf32, dtype::f32, dtype::f32};
  CHECK(map_mublas_gemm(w, musa).compute == 77);  // CUBLAS_COMPUTE_32F_FAST_TF32
  w.dt = {dtype::s8, dtype::s32, dtype::s32};
  CHECK((map_mublas_gemm(w, musa).compute == 72 && map_mublas_gemm(w, musa).d.type == 10));
  w.dt = {dtype::f8e4m3, dtype::f32, dtype::f32};
  CHECK(map_mublas_gemm(w, musa).unsupported.find("muBLAS f8 GEMM: cuBLAS's GemmEx") != std::string::npos);
  w.dt = {dtype::f16, dtype::bf16, dtype::f32};
  CHECK(map_mublas_gemm(w, musa).unsupported.find("muBLAS f16 GEMM offers f16 or f32") != std::string::npos);
  w.dt = {dtype::f32, dtype::f32, dtype::f32};
  w.n = std::int64_t{1} << 31;
  CHECK(map_mublas_gemm(w, musa).unsupported.find("outside muBLAS's range") != std::string::npos);
}

TEST_CASE("the architecture is found in a device-properties struct of any layout", "[hip]") {
  std::vector<unsigned char> props(1472, 0);
  const std::string name = "gfx-named device";  // a name that starts like an architecture is skipped
  std::copy(name.begin(), name.end(), props.begin());
  CHECK(gpu_vendor::find_architecture(props.data(), props.size(), "gfx").empty());
  const std::string arch = "gfx942:sramecc+:xnack-";
  std::copy(arch.begin(), arch.end(), props.begin() + 1160);
  CHECK(gpu_vendor::find_architecture(props.data(), props.size(), "gfx") == "gfx942");
  CHECK(gpu_vendor::find_architecture(props.data(), props.size(), "").empty());
}

TEST_CASE("hip is unavailable with the file, symbol or error code that is missing", "[hip]") {
  temp_dir dir("accelbench-hip");
  struct scenario {
    strings env;
    std::string needle;
  };
  std::vector<scenario> scenarios = {
      {fake_env("hip", "nosym"), "libamdhip64.so lacks hipMemGetInfo"},
      {fake_env("hip", "good", {"FAKE_GPU_DEVICE_COUNT=0"}),
       "no HIP device: hipGetDeviceCount failed: hipErrorNoDevice (100)"},
      {fake_env("hip", "good", {"FAKE_GPU_FAIL=GetDeviceProperties"}),
       "hipGetDeviceProperties(0) failed: hipErrorUnknown (999)"},
  };
  if (real_hip_visible()) {
    WARN("a real HIP runtime is installed here: its absence is not tested (the musa case tests the message)");
  } else {
    scenarios.push_back({fake_env("hip", "missing"), "HIP runtime not found"});
  }
  for (const scenario& s : scenarios) {
    INFO(s.needle);
    const std::string line = backend_line(dir, "hip", s.env);
    CHECK(line.find("unavailable") != std::string::npos);
    CHECK(line.find(s.needle) != std::string::npos);
  }
  const cli_result r =
      run_accelbench(dir, {"list", "backends", "--verbose"}, fake_env("hip", "good", {"FAKE_GPU_NAME=K100_AI"}));
  INFO(r.out << r.err);
  CHECK(backend_line(dir, "hip", fake_env("hip", "good")).find("unavailable") == std::string::npos);
  CHECK(r.out.find("K100_AI") != std::string::npos);
  // The device's identity for spec matching: gcnArchName without its target features, CUs, memory.
  CHECK(r.out.find("\"architecture\":\"gfx928\"") != std::string::npos);
  CHECK(r.out.find("\"compute_units\":120") != std::string::npos);
  CHECK(r.out.find("\"memory_total_bytes\":68719476736") != std::string::npos);
}

TEST_CASE("with Debian's real HIP runtime and no device, hip says unavailable and does not crash", "[hip]") {
  if (!loadable("libamdhip64.so.5") && !loadable("libamdhip64.so")) {
    return skip_test("no HIP runtime installed here (Debian: apt-get install libamdhip64-dev)");
  }
  if (fs::exists("/dev/kfd")) return skip_test("/dev/kfd exists: this host may have an AMD GPU or DCU");
  temp_dir dir("accelbench-hip");
  const std::string line = backend_line(dir, "hip", {"ROCM_PATH=", "HIP_PATH=", "DTK_ROOT="});
  INFO(line);
  CHECK(line.find("unavailable") != std::string::npos);
  CHECK(line.find("no HIP device") != std::string::npos);
}

TEST_CASE("hip GEMM through hipBLASLt is verified: dtypes, transposes, batches", "[hip]") {
  temp_dir dir("accelbench-hip");
  const strings workloads = {
      "gemm:m=33,n=17,k=20,dt=f32",          "gemm:m=33,n=17,k=20,ta=t,dt=f32", "gemm:m=33,n=17,k=20,tb=t,dt=bf16",
      "gemm:m=16,n=24,k=8,ta=t,tb=t,dt=f16", "gemm:m=9,n=7,k=5,dt=f16,batch=3", "gemm:m=9,n=7,k=5,ta=t,dt=bf16,batch=2",
      "gemm:m=16,n=16,k=32,dt=s8:s32:s32",   "gemm:m=16,n=16,k=16,dt=tf32",     "gemm:m=16,n=8,k=16,dt=bf16:f32",
  };
  const std::string log = (dir.path / "fake_gpu.log").string();
  const nlohmann::json results = run_backend(dir, "hip", workloads, fake_env("hip", "good", {"FAKE_GPU_LOG=" + log}));
  REQUIRE(results.size() == workloads.size());
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
    CHECK(r.at("device").at("name") == "Fake HIP GPU");
    CHECK(r.at("device").at("kind") == "gpu");
    CHECK(r.at("stats").at("n").get<int>() >= 3);
  }
  CHECK(results.at(0).at("plan").get<std::string>().find("hipBLASLt matmul (compute 32F") == 0);
  CHECK(results.at(7).at("plan").get<std::string>().find("compute 32F_FAST_TF32") != std::string::npos);
  const std::string calls = read_file(log);
  INFO(calls);
  // Our row-major ta=t A (stored k x m) is BLAS-Lt's B: 20 x 33 column-major, HIPBLAS_OP_T.
  CHECK(calls.find("Matmul compute=2 transa=111 transb=112 a=17x20/17 type=0 batch=1 stride=0 b=33x20/33 type=0") !=
        std::string::npos);
  CHECK(calls.find("transa=111 transb=111 a=7x5/7 type=2 batch=3 stride=35 b=5x9/5 type=2 batch=3 stride=45 "
                   "d=7x9/7 type=2 batch=3 stride=63") != std::string::npos);
  CHECK(calls.find("Matmul compute=9") != std::string::npos);
  CHECK(calls.find("Matmul compute=6") != std::string::npos);
}

TEST_CASE("hip f8 GEMM through hipBLASLt on an OCP f8 device (gfx950) is verified", "[hip]") {
  temp_dir dir("accelbench-hip");
  const strings workloads = {"gemm:m=32,n=16,k=64,dt=f8e4m3:f32:f32", "gemm:m=16,n=16,k=32,ta=t,dt=f8e4m3:bf16:f32",
                             "gemm:m=16,n=32,k=16,tb=t,dt=f8e5m2:f16:f32,batch=2", "gemm:m=8,n=8,k=16,dt=f8e4m3"};
  const std::string log = (dir.path / "fake_gpu.log").string();
  const nlohmann::json results = run_backend(
      dir, "hip", workloads, fake_env("hip", "good", {"FAKE_GPU_LOG=" + log, "FAKE_GPU_ARCH=gfx950:sramecc+:xnack-"}));
  REQUIRE(results.size() == workloads.size());
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
  }
  const std::string calls = read_file(log);
  INFO(calls);
  // HIP_R_8F_E4M3 (28) and HIP_R_8F_E5M2 (29), the OCP encodings, with f32 compute.
  CHECK(calls.find("Matmul compute=2 transa=111 transb=111 a=16x64/16 type=28") != std::string::npos);
  CHECK(calls.find("type=29 batch=2") != std::string::npos);
  CHECK(calls.find("d=8x8/8 type=28") != std::string::npos);
  // The same workload on an FNUZ device (MI300X, gfx942) is unsupported with the reason.
  const nlohmann::json fnuz =
      run_backend(dir, "hip", {workloads.at(0)}, fake_env("hip", "good", {"FAKE_GPU_ARCH=gfx942:sramecc+:xnack-"}));
  INFO(fnuz.dump(2));
  CHECK(fnuz.at(0).at("outcome") == "unsupported");
  CHECK(fnuz.at(0).at("reason").get<std::string>().find("gfx942's f8 is FNUZ") != std::string::npos);
}

TEST_CASE("hip and musa graph-batch short launch sequences with hot caches, as the cuda backend", "[hip][musa]") {
  temp_dir dir("accelbench-hip");
  const std::string gemm = "gemm:m=8,n=8,k=8,dt=f32";
  for (const auto& [vendor, scenario, runtime] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"hip", "good", "HIP"}, {"hip", "rocblas", "HIP"}, {"musa", "good", "MUSA"}, {"musa", "mublas", "MUSA"}}) {
    INFO(vendor << " " << scenario);
    const std::string log = (dir.path / (vendor + scenario + ".log")).string();
    // Each sequence timed at 2 us (as a device would time a tiny GEMM): 500 us / 2 us = 250 per graph.
    const nlohmann::json hot =
        run_backend(dir, vendor, {gemm}, fake_env(vendor, scenario, {"FAKE_GPU_LOG=" + log, "FAKE_GPU_EVENT_US=2"}));
    INFO(hot.dump(2));
    REQUIRE(hot.at(0).at("outcome") == "passed");
    const int calls = hot.at(0).at("repetitions").at(0).at("calls_per_sample").get<int>();
    CHECK(calls == 250);
    CHECK(hot.at(0).at("plan").get<std::string>().find(fmt::format(
              "; graph-batched: {} launch sequences per {} graph launch", calls, runtime)) != std::string::npos);
    // Each graph launch replays the captured GEMMs (one per sequence).
    CHECK(read_file(log).find(fmt::format("GraphLaunch work={}", calls)) != std::string::npos);
  }
  // The replayed GEMM is what verification reads: a planted error is caught through the graph.
  const nlohmann::json wrong =
      run_backend(dir, "hip", {gemm}, fake_env("hip", "good", {"FAKE_GPU_WRONG_RESULT=1", "FAKE_GPU_EVENT_US=2"}));
  CHECK(wrong.at(0).at("outcome") == "incorrect");
  CHECK(wrong.at(0).at("plan").get<std::string>().find("; graph-batched: 250") != std::string::npos);
  // A capture the runtime refuses keeps single launches and says why.
  const nlohmann::json refused = run_backend(
      dir, "hip", {gemm}, fake_env("hip", "good", {"FAKE_GPU_FAIL=StreamBeginCapture", "FAKE_GPU_EVENT_US=2"}));
  INFO(refused.dump(2));
  CHECK(refused.at(0).at("outcome") == "passed");
  CHECK(refused.at(0).at("repetitions").at(0).at("calls_per_sample") == 1);
  CHECK(refused.at(0).at("plan").get<std::string>().find(
            "; not graph-batched (capture failed: hipStreamBeginCapture failed: hipErrorUnknown (999))") !=
        std::string::npos);
  // Attention's softmax launch cannot be captured by the fake runtime: single launches, verified.
  const nlohmann::json attention = run_backend(dir, "hip", {"attn:b=1,hq=2,hkv=1,sq=4,skv=4,d=8,causal=1,dt=f32"},
                                               fake_env("hip", "good", {"FAKE_GPU_EVENT_US=2"}));
  INFO(attention.dump(2));
  CHECK(attention.at(0).at("outcome") == "passed");
  CHECK(attention.at(0).at("plan").get<std::string>().find(
            "; not graph-batched (capture failed: hipModuleLaunchKernel") != std::string::npos);
  // Cold caches: never asked, so no graph.
  const nlohmann::json cold = run_backend(dir, "hip", {gemm}, fake_env("hip", "good", {"FAKE_GPU_EVENT_US=2"}), "cold");
  CHECK(cold.at(0).at("plan").get<std::string>().find("graph-batched") == std::string::npos);
}

TEST_CASE("hip: a planted wrong result fails verification; each failing call is the case's error", "[hip]") {
  temp_dir dir("accelbench-hip");
  const strings gemm = {"gemm:m=16,n=16,k=16,dt=f32"};
  const nlohmann::json wrong = run_backend(dir, "hip", gemm, fake_env("hip", "good", {"FAKE_GPU_WRONG_RESULT=1"}));
  INFO(wrong.dump(2));
  CHECK(wrong.at(0).at("outcome") == "incorrect");
  CHECK(wrong.at(0).at("verification").at("passed") == false);
  struct failure {
    std::string entry, needle;
  };
  const std::vector<failure> failures = {
      {"Matmul", "hipblasLtMatmul returned status 13"},
      {"MatmulDescCreate", "hipblasLtMatmulDescCreate returned status 13"},
      {"Malloc", "hipMalloc failed: hipErrorUnknown (999)"},
      {"Memcpy", "hipMemcpy failed: hipErrorUnknown (999)"},
      {"EventRecord", "hipEventRecord failed: hipErrorUnknown (999)"},
      {"EventElapsedTime", "hipEventElapsedTime failed"},
      {"StreamSynchronize", "hipStreamSynchronize failed"},
  };
  for (const failure& f : failures) {
    INFO(f.entry);
    const nlohmann::json r = run_backend(dir, "hip", gemm, fake_env("hip", "good", {"FAKE_GPU_FAIL=" + f.entry}));
    INFO(r.dump(2));
    CHECK(r.at(0).at("outcome") == "failed");
    CHECK(r.at(0).at("reason").get<std::string>().find(f.needle) != std::string::npos);
  }
}

TEST_CASE("hip: what cannot run is unsupported with the reason", "[hip]") {
  temp_dir dir("accelbench-hip");
  const strings workloads = {"gemm:m=16,n=16,k=16,dt=f8e4m3", "gemm:m=16,n=16,k=16,dt=f16:bf16:f32",
                             "attn:b=1,hq=2,hkv=1,sq=8,skv=8,d=8,causal=0,dt=f16:bf16", "gemm:m=16,n=16,k=16,dt=f64"};
  const nlohmann::json results = run_backend(dir, "hip", workloads, fake_env("hip", "good"));
  REQUIRE(results.size() == workloads.size());
  const strings needles = {"f8 GEMM is wired for OCP f8 devices (gfx950*, gfx12*); this device is gfx928",
                           "hipBLASLt f16 GEMM offers f16 or f32 output",
                           "composed attention (hipBLASLt + softmax kernel) offers dt=f32, bf16 or f16",
                           "is not a GEMM input type hipBLASLt offers"};
  for (std::size_t i = 0; i < needles.size(); ++i) {
    INFO(results.at(i).dump(2));
    CHECK(results.at(i).at("outcome") == "unsupported");
    CHECK(results.at(i).at("reason").get<std::string>().find(needles[i]) != std::string::npos);
  }
  const nlohmann::json no_algo =
      run_backend(dir, "hip", {"gemm:m=8,n=8,k=8,dt=f32"}, fake_env("hip", "good", {"FAKE_GPU_NO_ALGO=1"}));
  INFO(no_algo.dump(2));
  CHECK(no_algo.at(0).at("outcome") == "unsupported");
  CHECK(no_algo.at(0).at("reason").get<std::string>().find("heuristic offers no algorithm") != std::string::npos);
  const nlohmann::json small =
      run_backend(dir, "hip", {"gemm:m=64,n=64,k=64,dt=f32"}, fake_env("hip", "good", {"FAKE_GPU_MEMORY=1000000"}));
  INFO(small.dump(2));
  CHECK(small.at(0).at("outcome") == "unsupported");
  CHECK(small.at(0).at("reason").get<std::string>().find("GiB free on Fake HIP GPU") != std::string::npos);
  if (real_hipblaslt_visible()) {
    WARN("a real hipBLASLt is installed here: a runtime without BLAS-Lt is not tested");
    return;
  }
  const nlohmann::json no_blas = run_backend(dir, "hip", {"gemm:m=8,n=8,k=8,dt=f32"}, fake_env("hip", "noblas"));
  INFO(no_blas.dump(2));
  CHECK(no_blas.at(0).at("outcome") == "unsupported");
  CHECK(no_blas.at(0).at("reason").get<std::string>().find("no GEMM library: hipBLASLt not found") !=
        std::string::npos);
}

TEST_CASE("hip without hipBLASLt: GEMM through rocBLAS is verified: dtypes, transposes, batches", "[hip]") {
  if (real_hipblaslt_visible())
    return skip_test("a real hipBLASLt is installed here: the rocBLAS fallback is not reached");
  temp_dir dir("accelbench-hip");
  const std::string log = (dir.path / "fake_gpu.log").string();
  const strings env = fake_env("hip", "rocblas", {"FAKE_GPU_LOG=" + log});
  const std::string line = backend_line(dir, "hip", env);
  CHECK(line.find("available") != std::string::npos);
  CHECK(line.find("unavailable") == std::string::npos);
  const strings workloads = {
      "gemm:m=33,n=17,k=20,dt=f32",       "gemm:m=33,n=17,k=20,ta=t,dt=f32",
      "gemm:m=33,n=17,k=20,tb=t,dt=bf16", "gemm:m=16,n=24,k=8,ta=t,tb=t,dt=f16",
      "gemm:m=9,n=7,k=5,dt=f16,batch=3",  "gemm:m=16,n=16,k=32,dt=s8:s32:s32",
      "gemm:m=16,n=8,k=16,dt=bf16:f32",   "gemm:m=9,n=7,k=5,ta=t,dt=bf16:f32,batch=2",
  };
  const nlohmann::json results = run_backend(dir, "hip", workloads, env);
  REQUIRE(results.size() == workloads.size());
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
    CHECK(r.at("plan").get<std::string>().find("rocBLAS rocblas_gemm") == 0);
  }
  CHECK(results.at(0).at("plan").get<std::string>().find("rocblas_gemm_strided_batched_ex (compute f32") !=
        std::string::npos);
  CHECK(results.at(7).at("plan").get<std::string>().find("rocblas_gemm_ex per batch item") != std::string::npos);
  const std::string calls = read_file(log);
  INFO(calls);
  // Our row-major ta=t A (stored k x m) is rocBLAS's B: ldb = 33, op 112; on the plan's stream.
  CHECK(calls.find("gemm_strided_batched_ex trans_a=111 trans_b=112 m=17 n=33 k=20 a_type=151 lda=17 stride_a=340 "
                   "ldb=33 stride_b=660 d_type=151 ldd=17 stride_d=561 batch=1 compute=151 stream=set") !=
        std::string::npos);
  CHECK(calls.find("a_type=150 lda=7 stride_a=35 ldb=5 stride_b=45 d_type=150 ldd=7 stride_d=63 batch=3") !=
        std::string::npos);
  CHECK(calls.find("a_type=160 lda=16 stride_a=512 ldb=32 stride_b=512 d_type=162 ldd=16 stride_d=256 batch=1 "
                   "compute=162") != std::string::npos);
  // bf16 -> f32 with a batch: two rocblas_gemm_ex, one per item.
  std::size_t per_item = 0;
  for (std::size_t at = calls.find("gemm_ex trans_a=111 trans_b=112 m=7 n=9 k=5 a_type=168"); at != std::string::npos;
       at = calls.find("gemm_ex trans_a=111 trans_b=112 m=7 n=9 k=5 a_type=168", at + 1)) {
    ++per_item;
  }
  CHECK(per_item >= 2);

  const cli_result verbose = run_accelbench(dir, {"list", "backends", "--verbose"}, env);
  CHECK(verbose.out.find("librocblas.so") != std::string::npos);
  // The library's own version (rocblas_get_version_string) names what ran.
  CHECK(verbose.out.find("rocBLAS 4.1.0-fake ") != std::string::npos);
}

TEST_CASE("hip without hipBLASLt: rocBLAS errors are the case's error, not_implemented is unsupported", "[hip]") {
  if (real_hipblaslt_visible())
    return skip_test("a real hipBLASLt is installed here: the rocBLAS fallback is not reached");
  temp_dir dir("accelbench-hip");
  const strings gemm = {"gemm:m=16,n=16,k=16,dt=f32"};
  const nlohmann::json wrong = run_backend(dir, "hip", gemm, fake_env("hip", "rocblas", {"FAKE_GPU_WRONG_RESULT=1"}));
  INFO(wrong.dump(2));
  CHECK(wrong.at(0).at("outcome") == "incorrect");
  for (const auto& [entry, needle] : std::vector<std::pair<std::string, std::string>>{
           {"gemm_strided_batched_ex", "rocblas_gemm_strided_batched_ex returned status 6"},
           {"create_handle", "rocblas_create_handle returned status 6"}}) {
    INFO(entry);
    const nlohmann::json r = run_backend(dir, "hip", gemm, fake_env("hip", "rocblas", {"FAKE_GPU_FAIL=" + entry}));
    INFO(r.dump(2));
    CHECK(r.at(0).at("outcome") == "failed");
    CHECK(r.at(0).at("reason").get<std::string>().find(needle) != std::string::npos);
  }
  const nlohmann::json refused = run_backend(dir, "hip", {"gemm:m=16,n=16,k=16,dt=f32", "gemm:m=8,n=8,k=8,dt=tf32"},
                                             fake_env("hip", "rocblas", {"FAKE_GPU_NOT_IMPLEMENTED=1"}));
  INFO(refused.dump(2));
  CHECK(refused.at(0).at("outcome") == "unsupported");
  CHECK(refused.at(0).at("reason").get<std::string>().find("rocblas_status_not_implemented") != std::string::npos);
  CHECK(refused.at(1).at("outcome") == "unsupported");
  CHECK(refused.at(1).at("reason").get<std::string>().find("rocBLAS has no tf32") != std::string::npos);
  const nlohmann::json tuned = run_backend(dir, "hip_tuned", gemm, fake_env("hip", "rocblas"));
  INFO(tuned.dump(2));
  CHECK(tuned.at(0).at("outcome") == "unsupported");
  CHECK(tuned.at(0).at("reason").get<std::string>().find("hip_tuned times hipBLASLt's heuristic candidates") !=
        std::string::npos);
  if (real_rocblas_visible()) {
    WARN("a real rocBLAS is installed here: a runtime without any GEMM library is not tested");
    return;
  }
  const nlohmann::json none = run_backend(dir, "hip", gemm, fake_env("hip", "noblas"));
  INFO(none.dump(2));
  CHECK(none.at(0).at("reason").get<std::string>().find("no GEMM library: hipBLASLt not found") != std::string::npos);
  CHECK(none.at(0).at("reason").get<std::string>().find("; rocBLAS not found") != std::string::npos);
}

TEST_CASE("hip attention without hipBLASLt: rocBLAS GEMMs around the hiprtc softmax kernel, verified", "[hip]") {
  if (real_hipblaslt_visible())
    return skip_test("a real hipBLASLt is installed here: the rocBLAS fallback is not reached");
  temp_dir dir("accelbench-hip");
  const std::string calls = hip_attention_passes(dir, "rocblas", "rocBLAS",
                                                 {
                                                     "attn:b=2,hq=4,hkv=2,sq=8,skv=8,d=16,causal=1,dt=f32",
                                                     "attn:b=1,hq=4,hkv=1,sq=12,skv=12,d=8,causal=1,dt=bf16,window=4",
                                                     "attn:b=2,hq=2,hkv=2,sq=5,skv=12,d=8,causal=1,dt=f16",
                                                 });
  INFO(calls);
  // f16 scores are f32: not in the strided-batched table, so one rocblas_gemm_ex per KV group.
  CHECK(calls.find("gemm_ex trans_a=112 trans_b=111 m=12 n=5 k=8 a_type=150") != std::string::npos);
  CHECK(calls.find("gemm_strided_batched_ex trans_a=112 trans_b=111 m=8 n=16 k=16 a_type=151") != std::string::npos);
}

TEST_CASE("hip attention: BLAS-Lt GEMMs and a softmax kernel compiled by hiprtc, verified", "[hip]") {
  temp_dir dir("accelbench-hip");
  const strings workloads = {
      "attn:b=2,hq=4,hkv=2,sq=8,skv=8,d=16,causal=1,dt=f32",             // GQA, causal
      "attn:b=1,hq=2,hkv=2,sq=5,skv=12,d=8,causal=1,dt=f16",             // sq < skv: bottom-right
      "attn:b=1,hq=4,hkv=1,sq=12,skv=12,d=8,causal=1,dt=bf16,window=4",  // MQA, sliding window
      "attn:b=1,hq=2,hkv=1,sq=3,skv=9,d=8,causal=0,dt=bf16:f32",         // no mask, f32 output
      "attn:b=1,hq=1,hkv=1,sq=12,skv=4,d=8,causal=1,dt=f16",             // sq > skv: rows that see nothing
      "attn:b=1,hq=2,hkv=2,sq=1,skv=16,d=8,causal=1,dt=f16,window=5",    // decode with a window
  };
  const std::string calls = hip_attention_passes(dir, "good", "hipBLASLt", workloads);
  INFO(calls);
  // Compiled once for the device's architecture (gcnArchName without its features), then reused.
  CHECK(calls.find("hiprtcCompileProgram arch=gfx928\n") != std::string::npos);
  CHECK(calls.find("hiprtcCompileProgram", calls.find("hiprtcCompileProgram") + 1) == std::string::npos);
  for (const char* entry : {"accelbench_masked_softmax_f32 grid=64 block=256 rows_per_group=16 row_offset=0",
                            "accelbench_masked_softmax_f16", "accelbench_masked_softmax_bf16 grid=48"}) {
    CHECK(calls.find(std::string("ModuleLaunchKernel ") + entry) != std::string::npos);
  }
  // GQA: one strided-batched GEMM per chunk of KV groups, (hq/hkv)*sq query rows each.
  CHECK(calls.find("Matmul compute=2 transa=112 transb=111 a=16x8/16 type=0 batch=4 stride=128") != std::string::npos);

  const nlohmann::json tuned = run_backend(dir, "hip_tuned", {workloads[2]}, fake_env("hip", "good"));
  INFO(tuned.dump(2));
  CHECK(tuned.at(0).at("outcome") == "passed");
}

TEST_CASE("hip attention: wrong kernels are caught, failures are the case's error, what is missing says so", "[hip]") {
  temp_dir dir("accelbench-hip");
  const strings window = {"attn:b=1,hq=2,hkv=1,sq=16,skv=16,d=8,causal=1,dt=f16,window=3"};
  const nlohmann::json ignored = run_backend(dir, "hip", window, fake_env("hip", "good", {"FAKE_GPU_WRONG_SOFTMAX=1"}));
  INFO(ignored.dump(2));
  CHECK(ignored.at(0).at("outcome") == "incorrect");
  const nlohmann::json wrong = run_backend(dir, "hip", window, fake_env("hip", "good", {"FAKE_GPU_WRONG_RESULT=1"}));
  CHECK(wrong.at(0).at("outcome") == "incorrect");
  struct failure {
    std::string entry, needle;
  };
  const std::vector<failure> failures = {
      {"CompileProgram",
       "softmax kernel for gfx928: hiprtcCompileProgram failed: HIPRTC_ERROR_COMPILATION (6); log: "
       "accelbench_softmax.hip:1:1: error: simulated compile failure"},
      {"ModuleLoadData", "hipModuleLoadData failed: hipErrorUnknown (999)"},
      {"ModuleLaunchKernel", "hipModuleLaunchKernel failed: hipErrorUnknown (999)"},
      {"Matmul", "hipblasLtMatmul returned status 13"},
  };
  for (const failure& f : failures) {
    INFO(f.entry);
    const nlohmann::json r = run_backend(dir, "hip", window, fake_env("hip", "good", {"FAKE_GPU_FAIL=" + f.entry}));
    INFO(r.dump(2));
    CHECK(r.at(0).at("outcome") == "failed");
    CHECK(r.at(0).at("reason").get<std::string>().find(f.needle) != std::string::npos);
  }
  const nlohmann::json no_rtc = run_backend(dir, "hip", window, fake_env("hip", "nortc"));
  INFO(no_rtc.dump(2));
  CHECK(no_rtc.at(0).at("outcome") == "unsupported");
  CHECK(no_rtc.at(0).at("reason").get<std::string>().find(
            "attention on hip needs its softmax kernel compiled at run time for the device: ") != std::string::npos);
  CHECK(no_rtc.at(0).at("reason").get<std::string>().find("lacks hiprtcCreateProgram") != std::string::npos);
  const cli_result listed = run_accelbench(dir, {"list", "backends", "--verbose"}, fake_env("hip", "good"));
  CHECK(listed.out.find("\"runtime_compiler\":\"" + fake_root + "/hip/good/lib/libhiprtc.so\"") != std::string::npos);
}

TEST_CASE("attention chunks: whole KV groups batched while they fit, else query rows split", "[hip][musa]") {
  attention_workload w;
  w.b = 2;
  w.hq = 8;
  w.hkv = 2;
  w.sq = 1024;
  w.skv = 1024;
  w.d = 64;
  w.causal = true;
  w.dt = {dtype::bf16, dtype::bf16, dtype::f32};
  const auto roomy = accelbench::plan_attention_chunks(w, 64ull << 20);
  CHECK((roomy.groups == 4 && roomy.group_rows == 4096));
  CHECK((roomy.rows_per_block == 4096 && roomy.groups_per_chunk == 2));  // 6 bytes a score: 24 MiB a group
  CHECK(roomy.probs_offset == 2ull * 4096 * 1024 * 4);
  CHECK(roomy.workspace_bytes == roomy.probs_offset + 2ull * 4096 * 1024 * 2);
  const auto tight = accelbench::plan_attention_chunks(w, 1ull << 20);
  CHECK((tight.groups_per_chunk == 1 && tight.rows_per_block == 128));  // 170 rows fit, rounded to 64s
  w.dt = {dtype::f32, dtype::f32, dtype::f32};
  const auto in_place = accelbench::plan_attention_chunks(w, 1ull << 20);
  CHECK(
      (in_place.probs_offset == 0 && in_place.rows_per_block == 192 && in_place.workspace_bytes == 192ull * 1024 * 4));
  CHECK(gpu_vendor::composed_attention_unsupported(w, "hipBLASLt").empty());
  w.dt = {dtype::f16, dtype::bf16, dtype::f32};
  CHECK(gpu_vendor::composed_attention_unsupported(w, "hipBLASLt").find("not dt=f16:bf16:f32") != std::string::npos);
}

TEST_CASE("the softmax kernel source assumes no warp size and names its entry points", "[hip]") {
  const std::string source = gpu_vendor::softmax_kernel_source();
  for (const dtype t : {dtype::f32, dtype::f16, dtype::bf16}) {
    CHECK(source.find(std::string("extern \"C\" __global__ void __launch_bounds__(ABK_THREADS)\n") +
                      gpu_vendor::softmax_entry_point(t) + "(") != std::string::npos);
  }
  CHECK(source.find("__shfl") == std::string::npos);    // no warp shuffles,
  CHECK(source.find("% 32") == std::string::npos);      // no 32-wide warp,
  CHECK(source.find("#include") == std::string::npos);  // no header hiprtc may lack
}

// The real hiprtc where one is installed (Debian's HIP 5.2 keeps it in libamdhip64.so.5; no GPU
// is needed to compile): the kernel source builds for a 64-wide-wavefront GFX9 part and a
// 32-wide RDNA one. Debian's LLVM 15 does not know gfx928 (K100-AI) or gfx942 (MI300X).
TEST_CASE("the softmax kernel compiles with the real hiprtc for gfx90a and gfx1030", "[hiprtc]") {
  for (const char* variable : {"ROCM_PATH", "HIP_PATH", "DTK_ROOT"}) ::unsetenv(variable);
  const gpu_vendor::vendor_library lib(gpu_vendor::hip_vendor());
  if (!lib.runtime_available() || !lib.rtc_available()) {
    return skip_test("no real HIP runtime compiler here: " +
                     (lib.runtime_available() ? lib.rtc_reason() : lib.runtime_reason()));
  }
  INFO(lib.rtc_path());
  for (const char* architecture : {"gfx90a", "gfx1030"}) {
    INFO(architecture);
    std::vector<char> code;
    CHECK_NOTHROW(code = gpu_vendor::compile_softmax_kernel(lib, architecture));
    REQUIRE(code.size() > 4);
    CHECK(std::string(code.data() + 1, 3) == "ELF");  // an AMDGPU code object
  }
}

TEST_CASE("the softmax kernel's own source, run on the host, masks and normalizes as the CPU softmax", "[hip]") {
  struct launch_case {
    std::int64_t sq, skv;
    bool causal;
    std::int64_t window, rows_per_group, row_offset, rows;
  };
  const std::vector<launch_case> cases = {
      {5, 12, true, 0, 10, 0, 20},     // two heads of a group, two groups: bottom-right causal
      {16, 300, true, 40, 16, 0, 16},  // a window; keys beyond one pass of the block's threads
      {12, 4, true, 0, 24, 0, 24},     // sq > skv: the first rows see no key
      {9, 9, true, 3, 18, 7, 5},       // split rows: a chunk starting at row 7 of its group
      {3, 270, false, 0, 6, 0, 12},    // no mask
  };
  struct no_gemm : cpu::attention_steps {
    void scores(const void*, const void*, float*, std::int64_t, std::int64_t, std::int64_t, std::int64_t,
                float) override {}
    void output(const float*, const void*, float*, std::int64_t, std::int64_t, std::int64_t, std::int64_t) override {}
  } reference_steps;
  std::mt19937 random(7);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  const float scale = 0.25f;
  for (const launch_case& c : cases) {
    INFO("sq=" << c.sq << " skv=" << c.skv << " window=" << c.window << " row_offset=" << c.row_offset);
    attention_workload w;
    w.sq = c.sq;
    w.skv = c.skv;
    w.causal = c.causal;
    w.window = c.window;
    const std::size_t elements = static_cast<std::size_t>(c.rows * c.skv);
    std::vector<float> scores(elements);
    for (float& x : scores) x = normal(random);
    // The reference: the CPU composed attention's softmax over the rows' visible keys.
    std::vector<float> expected(elements);
    std::vector<std::int64_t> starts, limits;
    for (std::int64_t r = 0; r < c.rows; ++r) {
      const std::int64_t i = (c.row_offset + r % c.rows_per_group) % c.sq;
      starts.push_back(window_key_start(w, i));
      limits.push_back(causal_key_limit(w, i));
    }
    for (std::size_t j = 0; j < elements; ++j) expected[j] = scores[j] * scale;
    reference_steps.softmax(expected.data(), c.rows, c.skv, c.skv, starts.data(), limits.data());

    const auto blocks = static_cast<unsigned>(c.rows);
    std::vector<float> f32 = scores;  // in place, as the backend runs f32
    host_kernel::launch(blocks, [&] {
      host_kernel::accelbench_masked_softmax_f32(f32.data(), f32.data(), c.rows_per_group, c.row_offset, c.sq, c.skv,
                                                 c.causal, c.window, scale);
    });
    std::vector<_Float16> f16(elements);
    host_kernel::launch(blocks, [&] {
      host_kernel::accelbench_masked_softmax_f16(scores.data(), f16.data(), c.rows_per_group, c.row_offset, c.sq, c.skv,
                                                 c.causal, c.window, scale);
    });
    std::vector<unsigned short> bf16(elements);
    host_kernel::launch(blocks, [&] {
      host_kernel::accelbench_masked_softmax_bf16(scores.data(), bf16.data(), c.rows_per_group, c.row_offset, c.sq,
                                                  c.skv, c.causal, c.window, scale);
    });
    int mismatches = 0;
    for (std::size_t j = 0; j < elements; ++j) {
      const float want = expected[j];
      const bool ok = std::abs(f32[j] - want) <= 1e-6f + 1e-5f * want &&
                      std::abs(static_cast<float>(f16[j]) - want) <= 1e-3f * want + 1e-7f &&
                      std::abs(bf16_bits_to_float(bf16[j]) - want) <= 4e-3f * want + 1e-7f &&
                      (want != 0.0f || (f32[j] == 0.0f && static_cast<float>(f16[j]) == 0.0f && bf16[j] == 0));
      if (!ok && ++mismatches <= 3) {
        WARN("element " << j << ": expected " << want << ", f32 " << f32[j] << ", f16 " << static_cast<float>(f16[j])
                        << ", bf16 " << bf16_bits_to_float(bf16[j]));
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("hip: cold caches flush on the stream; the device is named as the runtime names it", "[hip]") {
  temp_dir dir("accelbench-hip");
  const std::string log = (dir.path / "fake_gpu.log").string();
  const nlohmann::json results =
      run_backend(dir, "hip", {"gemm:m=24,n=8,k=16,dt=bf16"},
                  fake_env("hip", "good", {"FAKE_GPU_LOG=" + log, "FAKE_GPU_NAME=K100_AI"}), "cold");
  INFO(results.dump(2));
  CHECK(results.at(0).at("outcome") == "passed");
  CHECK(results.at(0).at("cache_policy") == "cold");
  CHECK(results.at(0).at("device").at("name") == "K100_AI");
  CHECK(read_file(log).find("MemsetAsync bytes=536870912") != std::string::npos);  // 2 x 256 MiB
}

TEST_CASE("musa is unavailable with the reason, and its GEMM through muBLASLt is verified", "[musa]") {
  temp_dir dir("accelbench-musa");
  if (!real_musa_visible()) {
    const std::string line = backend_line(dir, "musa", fake_env("musa", "missing"));
    CHECK(line.find("unavailable") != std::string::npos);
    CHECK(line.find("MUSA runtime not found") != std::string::npos);
    CHECK(line.find("MUSA_PATH") != std::string::npos);
  }
  CHECK(backend_line(dir, "musa", fake_env("musa", "good", {"FAKE_GPU_DEVICE_COUNT=0"}))
            .find("no MUSA device: musaGetDeviceCount failed: musaErrorNoDevice (100)") != std::string::npos);
  const strings workloads = {"gemm:m=33,n=17,k=20,ta=t,dt=f32", "gemm:m=9,n=7,k=5,tb=t,dt=bf16,batch=3",
                             "gemm:m=16,n=16,k=32,dt=s8:s32:s32", "gemm:m=16,n=24,k=8,dt=tf32"};
  const std::string log = (dir.path / "fake_gpu.log").string();
  const nlohmann::json results =
      run_backend(dir, "musa", workloads, fake_env("musa", "good", {"FAKE_GPU_LOG=" + log, "FAKE_GPU_NAME=MTT S4000"}));
  REQUIRE(results.size() == workloads.size());
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
    CHECK(r.at("device").at("name") == "MTT S4000");
  }
  CHECK(results.at(0).at("plan").get<std::string>().find("muBLASLt matmul") == 0);
  const cli_result listed = run_accelbench(dir, {"list", "backends", "--verbose"}, fake_env("musa", "good"));
  CHECK(listed.out.find("\"architecture\":\"2.2\"") != std::string::npos);
  const std::string calls = read_file(log);
  INFO(calls);
  CHECK(calls.find("Matmul compute=68 transa=0 transb=1") != std::string::npos);
  CHECK(calls.find("Matmul compute=72") != std::string::npos);
  CHECK(calls.find("Matmul compute=77") != std::string::npos);
  const nlohmann::json wrong =
      run_backend(dir, "musa", {"gemm:m=8,n=8,k=8,dt=f16"}, fake_env("musa", "good", {"FAKE_GPU_WRONG_RESULT=1"}));
  CHECK(wrong.at(0).at("outcome") == "incorrect");
  const nlohmann::json failed =
      run_backend(dir, "musa", {"gemm:m=8,n=8,k=8,dt=f16"}, fake_env("musa", "good", {"FAKE_GPU_FAIL=Matmul"}));
  CHECK(failed.at(0).at("reason").get<std::string>().find("mublasLtMatmul returned status 13") != std::string::npos);
  const nlohmann::json attention =
      run_backend(dir, "musa", {"attn:b=1,hq=1,hkv=1,sq=4,skv=4,d=8,causal=0,dt=f16"}, fake_env("musa", "good"));
  CHECK(attention.at(0).at("outcome") == "unsupported");
  CHECK(attention.at(0).at("reason").get<std::string>().find(
            "attention on musa needs its softmax kernel compiled at run time for the device: MUSA's runtime compiler "
            "(libmtrtc)") != std::string::npos);
}

TEST_CASE("musa without muBLASLt: GEMM through muBLAS is verified: dtypes, transposes, batches", "[musa]") {
  if (real_musa_visible()) return skip_test("a real MUSA toolkit is installed here: its muBLASLt would be found");
  temp_dir dir("accelbench-musa");
  const std::string log = (dir.path / "fake_gpu.log").string();
  const strings env = fake_env("musa", "mublas", {"FAKE_GPU_LOG=" + log});
  const std::string line = backend_line(dir, "musa", env);
  CHECK(line.find("unavailable") == std::string::npos);
  const strings workloads = {
      "gemm:m=33,n=17,k=20,ta=t,dt=f32",     "gemm:m=33,n=17,k=20,tb=t,dt=bf16",
      "gemm:m=16,n=24,k=8,ta=t,tb=t,dt=f16", "gemm:m=9,n=7,k=5,ta=t,dt=bf16:f32,batch=2",
      "gemm:m=16,n=16,k=32,dt=s8:s32:s32",   "gemm:m=16,n=24,k=8,dt=tf32",
  };
  const nlohmann::json results = run_backend(dir, "musa", workloads, env);
  REQUIRE(results.size() == workloads.size());
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
    CHECK(r.at("plan").get<std::string>().find("muBLAS mublasGemmStridedBatchedEx (compute ") == 0);
  }
  const std::string calls = read_file(log);
  INFO(calls);
  // Our row-major ta=t A (stored k x m) is muBLAS's B: ldb = 33, CUBLAS_OP_T; on the plan's stream.
  CHECK(calls.find("GemmStridedBatchedEx trans_a=0 trans_b=1 m=17 n=33 k=20 a_type=0 lda=17 stride_a=340 ldb=33 "
                   "stride_b=660 c_type=0 ldc=17 stride_c=561 batch=1 compute=68 algo=-1 stream=set") !=
        std::string::npos);
  // bf16 -> f32 with a batch: one strided-batched call (cuBLAS's table has it, rocBLAS's does not).
  CHECK(calls.find("m=7 n=9 k=5 a_type=14 lda=7 stride_a=35 ldb=9 stride_b=45 c_type=0 ldc=7 stride_c=63 batch=2 "
                   "compute=68") != std::string::npos);
  CHECK(calls.find("a_type=3 lda=16 stride_a=512 ldb=32 stride_b=512 c_type=10 ldc=16 stride_c=256 batch=1 "
                   "compute=72") != std::string::npos);
  CHECK(calls.find("compute=77") != std::string::npos);
  const cli_result verbose = run_accelbench(dir, {"list", "backends", "--verbose"}, env);
  CHECK(verbose.out.find("musa/mublas/lib/libmublas.so") != std::string::npos);
}

TEST_CASE("musa without muBLASLt: muBLAS errors are the case's error, NOT_SUPPORTED is unsupported", "[musa]") {
  if (real_musa_visible()) return skip_test("a real MUSA toolkit is installed here: its muBLASLt would be found");
  temp_dir dir("accelbench-musa");
  const strings gemm = {"gemm:m=16,n=16,k=16,dt=f32"};
  const nlohmann::json wrong = run_backend(dir, "musa", gemm, fake_env("musa", "mublas", {"FAKE_GPU_WRONG_RESULT=1"}));
  INFO(wrong.dump(2));
  CHECK(wrong.at(0).at("outcome") == "incorrect");
  for (const auto& [entry, needle] : std::vector<std::pair<std::string, std::string>>{
           {"GemmStridedBatchedEx", "mublasGemmStridedBatchedEx returned status 14"},
           {"Create", "mublasCreate returned status 14"}}) {
    INFO(entry);
    const nlohmann::json r = run_backend(dir, "musa", gemm, fake_env("musa", "mublas", {"FAKE_GPU_FAIL=" + entry}));
    INFO(r.dump(2));
    CHECK(r.at(0).at("outcome") == "failed");
    CHECK(r.at(0).at("reason").get<std::string>().find(needle) != std::string::npos);
  }
  const nlohmann::json refused = run_backend(dir, "musa", {"gemm:m=16,n=16,k=16,dt=f32", "gemm:m=8,n=8,k=8,dt=f8e4m3"},
                                             fake_env("musa", "mublas", {"FAKE_GPU_NOT_IMPLEMENTED=1"}));
  INFO(refused.dump(2));
  CHECK(refused.at(0).at("outcome") == "unsupported");
  CHECK(refused.at(0).at("reason").get<std::string>().find("returned status 15 (not supported") != std::string::npos);
  CHECK(refused.at(1).at("outcome") == "unsupported");
  CHECK(refused.at(1).at("reason").get<std::string>().find("muBLAS f8 GEMM") != std::string::npos);
  const nlohmann::json tuned = run_backend(dir, "musa_tuned", gemm, fake_env("musa", "mublas"));
  INFO(tuned.dump(2));
  CHECK(tuned.at(0).at("outcome") == "unsupported");
  CHECK(tuned.at(0).at("reason").get<std::string>().find("musa_tuned times muBLASLt's heuristic candidates") !=
        std::string::npos);
  const nlohmann::json none = run_backend(dir, "musa", gemm, fake_env("musa", "noblas"));
  INFO(none.dump(2));
  CHECK(none.at(0).at("reason").get<std::string>().find("no GEMM library: muBLASLt not found") != std::string::npos);
  CHECK(none.at(0).at("reason").get<std::string>().find("; muBLAS not found") != std::string::npos);
}

TEST_CASE("hip_tuned and musa_tuned time the heuristic's candidates in prepare and keep the fastest", "[hip][musa]") {
  temp_dir dir("accelbench-hip");
  for (const std::string vendor : {"hip", "musa"}) {
    INFO(vendor);
    const std::string log = (dir.path / (vendor + ".log")).string();
    fs::remove(log);
    const nlohmann::json results =
        run_backend(dir, vendor + "_tuned", {"gemm:m=16,n=8,k=24,tb=t,dt=f16", "gemm:m=8,n=8,k=8,dt=f32"},
                    fake_env(vendor, "good", {"FAKE_GPU_LOG=" + log, "FAKE_GPU_ALGOS=4", "FAKE_GPU_FAST_ALGO=2"}));
    REQUIRE(results.size() == 2);
    for (const auto& r : results) {
      INFO(r.dump(2));
      CHECK(r.at("outcome") == "passed");
      CHECK(r.at("backend") == vendor + "_tuned");
      CHECK(r.at("plan").get<std::string>().find("heuristic candidate 3 of 4, fastest in prepare") !=
            std::string::npos);
    }
    const std::string calls = read_file(log);
    CHECK(calls.find("MatmulAlgoGetHeuristic requested=8 returned=4") != std::string::npos);
    for (const char* algo : {"algo=0", "algo=1", "algo=3"}) CHECK(calls.find(algo) != std::string::npos);
  }
  // The untuned table asks for one candidate and uses it.
  const std::string log = (dir.path / "default.log").string();
  const nlohmann::json plain =
      run_backend(dir, "hip", {"gemm:m=8,n=8,k=8,dt=f32"}, fake_env("hip", "good", {"FAKE_GPU_LOG=" + log}));
  CHECK(plain.at(0).at("outcome") == "passed");
  CHECK(read_file(log).find("MatmulAlgoGetHeuristic requested=1 returned=1") != std::string::npos);
  CHECK(read_file(log).find("algo=1") == std::string::npos);
}

TEST_CASE("ROCm SMI's clock levels are read in either layout of rsmi_frequencies_t, or not at all", "[hip]") {
  using gpu_vendor::clock_level_mhz;
  const auto frequencies = [](bool rocm6, std::uint32_t count, std::uint32_t current, std::uint64_t hz) {
    std::vector<unsigned char> bytes(gpu_vendor::rsmi_frequencies_bytes, 0xcd);  // garbage, as padding may be
    const std::size_t at = rocm6 ? 4 : 0;
    if (rocm6) bytes[0] = 1;  // has_deep_sleep
    std::memcpy(bytes.data() + at, &count, 4);
    std::memcpy(bytes.data() + at + 4, &current, 4);
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::uint64_t level = i == current ? hz : 100000000;
      std::memcpy(bytes.data() + (rocm6 ? 16 : 8) + 8 * i, &level, 8);
    }
    return bytes;
  };
  CHECK(clock_level_mhz(frequencies(true, 3, 2, 1700000000).data()) == Approx(1700.0));
  CHECK(clock_level_mhz(frequencies(false, 3, 2, 1700000000).data()) == Approx(1700.0));
  CHECK(clock_level_mhz(frequencies(false, 1, 0, 2100000000).data()) == Approx(2100.0));
  CHECK(clock_level_mhz(frequencies(true, 33, 32, 2100000000).data()) == Approx(2100.0));
  CHECK_FALSE(clock_level_mhz(frequencies(true, 3, 3, 1700000000).data()));  // index past the levels
  CHECK_FALSE(clock_level_mhz(frequencies(false, 0, 0, 1700000000).data()));
  CHECK_FALSE(clock_level_mhz(frequencies(true, 2, 1, 42).data()));  // not a frequency in Hz
}

TEST_CASE("hip telemetry from ROCm SMI per batch of samples; without it the properties say why", "[hip]") {
  temp_dir dir("accelbench-hip");
  const nlohmann::json with = run_backend(dir, "hip", {"gemm:m=16,n=16,k=16,dt=f16"}, fake_env("hip", "good"));
  INFO(with.dump(2));
  const nlohmann::json& reading = with.at(0).at("repetitions").at(0).at("telemetry").at(0);
  CHECK(reading.at("power_w").get<double>() == Approx(123.4));
  CHECK(reading.at("temperature_c").get<double>() == Approx(45.5));
  CHECK(reading.at("sm_clock_mhz").get<double>() == Approx(1700.0));  // the current of three levels
  CHECK(reading.at("memory_clock_mhz").get<double>() == Approx(1600.0));
  const nlohmann::json rocm5 =
      run_backend(dir, "hip", {"gemm:m=16,n=16,k=16,dt=f16"}, fake_env("hip", "good", {"FAKE_GPU_RSMI_LAYOUT=5"}));
  CHECK(rocm5.at(0).at("repetitions").at(0).at("telemetry").at(0).at("sm_clock_mhz").get<double>() == Approx(1700.0));
  const cli_result failed =
      run_accelbench(dir, {"list", "backends", "--verbose"}, fake_env("hip", "good", {"FAKE_GPU_FAIL=rsmi_init"}));
  CHECK(failed.out.find("\"telemetry\":\"unavailable: rsmi_init failed: status 1\"") != std::string::npos);
  const nlohmann::json without =
      run_backend(dir, "hip", {"gemm:m=16,n=16,k=16,dt=f16"}, fake_env("hip", "good", {"FAKE_GPU_FAIL=rsmi_init"}));
  INFO(without.dump(2));
  CHECK(without.at(0).at("outcome") == "passed");
  for (const auto& t : without.at(0).at("repetitions").at(0).at("telemetry")) CHECK(t.at("power_w").is_null());
}

TEST_CASE("musa telemetry from MTML per batch of samples; without it the properties say why", "[musa]") {
  temp_dir dir("accelbench-musa");
  const nlohmann::json with = run_backend(dir, "musa", {"gemm:m=16,n=16,k=16,dt=f16"}, fake_env("musa", "good"));
  INFO(with.dump(2));
  const nlohmann::json& reading = with.at(0).at("repetitions").at(0).at("telemetry").at(0);
  CHECK(reading.at("power_w").get<double>() == Approx(250.5));  // MTML reports milliwatts
  CHECK(reading.at("temperature_c").get<double>() == Approx(61.0));
  CHECK(reading.at("sm_clock_mhz").get<double>() == Approx(1750.0));
  CHECK(reading.at("memory_clock_mhz").get<double>() == Approx(1200.0));
  const nlohmann::json no_clock = run_backend(dir, "musa", {"gemm:m=16,n=16,k=16,dt=f16"},
                                              fake_env("musa", "good", {"FAKE_GPU_FAIL=mtmlGpuGetClock"}));
  const nlohmann::json& partial = no_clock.at(0).at("repetitions").at(0).at("telemetry").at(0);
  CHECK((partial.at("sm_clock_mhz").is_null() && partial.at("memory_clock_mhz").get<double>() == Approx(1200.0)));
  const cli_result listed = run_accelbench(dir, {"list", "backends", "--verbose"}, fake_env("musa", "good"));
  CHECK(listed.out.find("\"telemetry\":\"MTML\"") != std::string::npos);
  const cli_result failed = run_accelbench(dir, {"list", "backends", "--verbose"},
                                           fake_env("musa", "good", {"FAKE_GPU_FAIL=mtmlLibraryInit"}));
  CHECK(failed.out.find("\"telemetry\":\"unavailable: mtmlLibraryInit failed: status 1\"") != std::string::npos);
  const nlohmann::json without = run_backend(dir, "musa", {"gemm:m=16,n=16,k=16,dt=f16"},
                                             fake_env("musa", "good", {"FAKE_GPU_FAIL=mtmlLibraryInit"}));
  INFO(without.dump(2));
  CHECK(without.at(0).at("outcome") == "passed");
  for (const auto& t : without.at(0).at("repetitions").at(0).at("telemetry")) CHECK(t.at("power_w").is_null());
}

TEST_CASE("the device named by the runtime is found in the spec database (K100-AI, MI300X, S4000)", "[hip][musa]") {
  temp_dir dir("accelbench-hip");
  struct device {
    std::string vendor, name, spec;
  };
  const std::vector<device> devices = {{"hip", "K100_AI", "Hygon-K100-AI"},
                                       {"hip", "AMD Instinct MI300X", "MI300X"},
                                       {"musa", "MTT S4000", "MTT-S4000"}};
  for (const device& d : devices) {
    INFO(d.name);
    const nlohmann::json results = run_backend(dir, d.vendor, {"gemm:m=32,n=32,k=32,dt=bf16"},
                                               fake_env(d.vendor, "good", {"FAKE_GPU_NAME=" + d.name}));
    REQUIRE(results.at(0).at("device").at("name") == d.name);
    const fs::path report = dir.path / "report";
    fs::remove_all(report);
    const cli_result r =
        run_accelbench(dir, {"report", (dir.path / "r.json").string(), "--format", "json", "--out", report.string()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(report / "report.json").find("\"spec_device\": \"" + d.spec + "\"") != std::string::npos);
  }
}

TEST_CASE("library candidates: a named install root first, then the loader's search, then fixed roots",
          "[library_loader]") {
  ::setenv("ACCELBENCH_TEST_ROOT", "/named/root", 1);
  const std::vector<std::string> files =
      gpu_vendor::library_candidates({"ACCELBENCH_TEST_UNSET_ROOT", "ACCELBENCH_TEST_ROOT"}, {"/opt/x"}, {"liba.so"});
  const std::vector<std::string> expected = {"/named/root/lib/liba.so", "/named/root/lib64/liba.so", "liba.so",
                                             "/opt/x/lib/liba.so", "/opt/x/lib64/liba.so"};
  CHECK(files == expected);
  ::unsetenv("ACCELBENCH_TEST_ROOT");
  // Hygon's HCU driver keeps its ROCm SMI (hy-smi's library) under /opt/hyhal, as .so.2.
  const std::vector<std::string> smi = gpu_vendor::rocm_smi_candidates();
  CHECK(std::find(smi.begin(), smi.end(), "/opt/hyhal/lib/librocm_smi64.so.2") != smi.end());
}
