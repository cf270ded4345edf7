// The ascend backend end to end, against the simulated CANN of tests/fake_cann (no Ascend hardware
// here): the built accelbench loads the real plugin through the real plugin loader, the plugin
// loads the fake libascendcl.so/libnnopbase.so/libopapi.so from ASCEND_HOME_PATH, and the engine
// verifies what the fake computed. What this proves: discovery, the unavailable reasons, device
// naming, the operator calls (views, modes, workspaces, repeatable executors), event timing and
// the error paths. No timing from the fake means anything about a 910B.
#include <dlfcn.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/file_io.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace accelbench::testing;
using strings = std::vector<std::string>;

namespace {

const std::string fake_root = ACCELBENCH_FAKE_CANN_DIR;

// The environment for one scenario of the fake (tests/fake_cann/CMakeLists.txt), plus extras.
strings fake_env(const std::string& scenario, const strings& extra = {}) {
  strings env = {"ASCEND_HOME_PATH=" + fake_root + "/" + scenario, "ASCEND_TOOLKIT_HOME="};
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// The `accelbench list backends` line of ascend.
std::string ascend_line(const temp_dir& dir, const strings& env) {
  const cli_result r = run_accelbench(dir, {"list", "backends"}, env);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const std::size_t at = r.out.find("\nascend ");
  REQUIRE(at != std::string::npos);
  return r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
}

// Runs workloads on ascend (hot caches unless asked) and returns the results array.
nlohmann::json run_ascend(const temp_dir& dir, const strings& workloads, const strings& env,
                          const std::string& cache = "hot") {
  const fs::path out = dir.path / "r.json";
  fs::remove(out);
  strings args = {"run", "--backend",     "ascend", "--out",      out.string(), "--cache",       cache,  "--timeout",
                  "0.2", "--min-samples", "3",      "--min-time", "0.001",      "--warmup-time", "0.001"};
  for (const std::string& w : workloads) {
    args.push_back("--workload");
    args.push_back(w);
  }
  const cli_result r = run_accelbench(dir, args, env);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(fs::exists(out));
  return nlohmann::json::parse(read_file(out)).at("results");
}

std::string fake_log(const temp_dir& dir) { return read_file(dir.path / "fake_cann.log"); }

// A real CANN or DCMI this host would find after the fake's folder (the default install root or
// the loader path). Then a scenario that leaves a library out of the fake cannot be tested here.
bool real_ascend_visible() {
  for (const char* file : {"/usr/local/Ascend/ascend-toolkit/latest/lib64/libascendcl.so",
                           "/usr/local/Ascend/driver/lib64/driver/libdcmi.so",
                           "/usr/local/Ascend/driver/lib64/libdcmi.so", "/usr/local/dcmi/libdcmi.so"}) {
    if (fs::exists(file)) return true;
  }
  for (const char* name : {"libascendcl.so", "libopapi.so", "libdcmi.so"}) {
    if (void* h = dlopen(name, RTLD_LAZY | RTLD_LOCAL)) {
      dlclose(h);
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("without CANN, ascend is unavailable and names the missing library", "[ascend]") {
  if (real_ascend_visible()) return skip_test("a real CANN is installed here: its absence cannot be tested");
  temp_dir dir("accelbench-ascend");
  const std::string line =
      ascend_line(dir, {"ASCEND_HOME_PATH=" + (dir.path / "no-cann").string(), "ASCEND_TOOLKIT_HOME="});
  CHECK(line.find("unavailable") != std::string::npos);
  CHECK(line.find("libascendcl.so not found") != std::string::npos);
  CHECK(line.find("ASCEND_HOME_PATH") != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("ascend is unavailable with the file, symbol or error code that is missing", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  struct scenario {
    strings env;
    std::string needle;
  };
  std::vector<scenario> scenarios = {
      {fake_env("nosym"), "libascendcl.so lacks aclrtGetSocName"},
      {fake_env("good", {"FAKE_CANN_DEVICE_COUNT=0"}), "no Ascend device: aclrtGetDeviceCount found 0"},
      {fake_env("good", {"FAKE_CANN_DEVICE_COUNT=-507033"}), "aclrtGetDeviceCount failed: error 507033"},
      {fake_env("good", {"FAKE_CANN_INIT_ERROR=500000"}), "aclInit failed: error 500000"},
  };
  if (real_ascend_visible()) {
    WARN("a real CANN is installed here: the missing operator library is not tested");
  } else {
    scenarios.push_back({fake_env("noops"), "libopapi.so (or libopapi_nn.so) not found"});
  }
  for (const scenario& s : scenarios) {
    INFO(s.needle);
    const std::string line = ascend_line(dir, s.env);
    CHECK(line.find("unavailable") != std::string::npos);
    CHECK(line.find(s.needle) != std::string::npos);
  }
  // The simulated device itself is available, named by its SoC.
  const cli_result r =
      run_accelbench(dir, {"list", "backends", "--verbose"}, fake_env("good", {"FAKE_CANN_SOC=Ascend910B2"}));
  INFO(r.out << r.err);
  CHECK(ascend_line(dir, fake_env("good")).find("unavailable") == std::string::npos);
  CHECK(r.out.find("Ascend910B2") != std::string::npos);
}

TEST_CASE("GEMM through aclnnMatmul and aclnnBatchMatMul is verified, transposes as strided views", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  const strings workloads = {
      "gemm:m=33,n=17,k=20,dt=f32",          "gemm:m=33,n=17,k=20,ta=t,dt=f32", "gemm:m=33,n=17,k=20,tb=t,dt=bf16",
      "gemm:m=16,n=24,k=8,ta=t,tb=t,dt=f16", "gemm:m=9,n=7,k=5,dt=f16,batch=3", "gemm:m=9,n=7,k=5,ta=t,dt=bf16,batch=2",
  };
  const nlohmann::json results =
      run_ascend(dir, workloads, fake_env("good", {"FAKE_CANN_LOG=" + (dir.path / "fake_cann.log").string()}));
  REQUIRE(results.size() == workloads.size());
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
    CHECK(r.at("device").at("name") == "Ascend910B3");
    CHECK(r.at("device").at("kind") == "npu");
    CHECK(r.at("stats").at("n").get<int>() >= 3);
  }
  CHECK(results.at(0).at("plan").get<std::string>().find("aclnnMatmul (float32, ND, cubeMathType KEEP_DTYPE)") == 0);
  CHECK(results.at(4).at("plan").get<std::string>().find("aclnnBatchMatMul (float16") == 0);
  const std::string log = fake_log(dir);
  INFO(log);
  // op(A) of a stored k x m A is the m x k view with swapped strides: no copy, no transpose kernel.
  CHECK(log.find(
            "aclnnMatmulGetWorkspaceSize self=[33,20]/[1,33] mat2=[20,17]/[17,1] out=[33,17]/[17,1] dtype=0 cube=0") !=
        std::string::npos);
  CHECK(log.find("self=[33,20]/[20,1] mat2=[20,17]/[1,20] out=[33,17]/[17,1] dtype=27 cube=0") != std::string::npos);
  CHECK(log.find("aclnnBatchMatMulGetWorkspaceSize self=[2,9,5]/[45,1,9] mat2=[2,5,7]/[35,7,1]") != std::string::npos);
  CHECK(log.find("aclnnMatmul run") != std::string::npos);
}

TEST_CASE("attention through aclnnFlashAttentionScore: BNSD, GQA, bottom-right causal, decode", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  const strings workloads = {
      "attn:b=2,hq=4,hkv=2,sq=13,skv=29,d=16,causal=1,dt=f32",  // sq < skv: bottom-right alignment matters
      "attn:b=1,hq=2,hkv=1,sq=29,skv=13,d=8,causal=1,dt=bf16",  // sq > skv: rows with no key
      "attn:b=1,hq=3,hkv=3,sq=17,skv=17,d=32,causal=0,dt=f16",
      "attn:b=2,hq=8,hkv=2,sq=1,skv=40,d=64,causal=1,dt=bf16",  // decode
  };
  const nlohmann::json results =
      run_ascend(dir, workloads, fake_env("good", {"FAKE_CANN_LOG=" + (dir.path / "fake_cann.log").string()}));
  REQUIRE(results.size() == workloads.size());
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
  }
  CHECK(results.at(0).at("plan").get<std::string>().find("sparseMode 3 rightDownCausal") != std::string::npos);
  CHECK(results.at(0).at("plan").get<std::string>().find("GQA 4:2") != std::string::npos);
  CHECK(results.at(3).at("plan").get<std::string>().find("decode (sq=1)") != std::string::npos);
  const std::string log = fake_log(dir);
  INFO(log);
  CHECK(log.find("query=[2,4,13,16]/[832,208,16,1] key=[2,2,29,16]/[928,464,16,1]") != std::string::npos);
  CHECK(log.find("headNum=4 scale=0.25 sparseMode=3") != std::string::npos);
  CHECK(log.find("sparseMode=0") != std::string::npos);
}

TEST_CASE("a planted wrong result fails verification; an operator error is the case's error", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  const strings workloads = {"gemm:m=16,n=16,k=16,dt=f32", "attn:b=1,hq=2,hkv=1,sq=8,skv=8,d=8,causal=1,dt=f16"};
  for (const auto& r : run_ascend(dir, workloads, fake_env("good", {"FAKE_CANN_WRONG_RESULT=1"}))) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "incorrect");
    CHECK(r.at("verification").at("passed") == false);
  }
  const nlohmann::json run_failure =
      run_ascend(dir, {workloads[0]}, fake_env("good", {"FAKE_CANN_FAIL_OP=aclnnMatmul"}));
  INFO(run_failure.dump(2));
  CHECK(run_failure.at(0).at("outcome") == "failed");
  CHECK(run_failure.at(0).at("reason").get<std::string>().find("aclnnMatmul returned aclnn status error 561103") !=
        std::string::npos);
  const nlohmann::json prepare_failure =
      run_ascend(dir, {workloads[1]}, fake_env("good", {"FAKE_CANN_FAIL_OP=aclnnFlashAttentionScoreGetWorkspaceSize"}));
  INFO(prepare_failure.dump(2));
  CHECK(prepare_failure.at(0).at("outcome") == "failed");
  CHECK(prepare_failure.at(0).at("reason").get<std::string>().find(
            "aclnnFlashAttentionScoreGetWorkspaceSize returned") != std::string::npos);
}

TEST_CASE("what the operators cannot run is unsupported with the reason", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  const strings workloads = {"gemm:m=16,n=16,k=16,dt=s8", "gemm:m=16,n=16,k=16,dt=tf32",
                             "gemm:m=16,n=16,k=16,dt=bf16:f32", "attn:b=1,hq=2,hkv=1,sq=8,skv=8,d=1024,causal=0,dt=f16",
                             "attn:b=1,hq=2,hkv=1,sq=8,skv=8,d=64,causal=1,dt=f16,window=4"};
  const nlohmann::json results = run_ascend(dir, workloads, fake_env("good"));
  REQUIRE(results.size() == workloads.size());
  const strings needles = {
      "int8 GEMM needs aclnnQuantMatmul", "no TF32 mode: its reduced-precision f32 GEMM is HF32 (dt=hf32)",
      "writes its input type (bf16), not f32", "head dim D 1..768, not 1024", "sliding window is not wired"};
  for (std::size_t i = 0; i < needles.size(); ++i) {
    INFO(results.at(i).dump(2));
    CHECK(results.at(i).at("outcome") == "unsupported");
    CHECK(results.at(i).at("reason").get<std::string>().find(needles[i]) != std::string::npos);
  }
  // Without aclnnFlashAttentionScore in any operator library, attention is unsupported and GEMM still runs.
  if (real_ascend_visible()) {
    WARN("a real CANN is installed here: an operator library without attention is not tested");
    return;
  }
  const nlohmann::json partial = run_ascend(
      dir, {"gemm:m=8,n=8,k=8,dt=f16", "attn:b=1,hq=1,hkv=1,sq=4,skv=4,d=8,causal=0,dt=f16"}, fake_env("noattn"));
  INFO(partial.dump(2));
  CHECK(partial.at(0).at("outcome") == "passed");
  CHECK(partial.at(1).at("outcome") == "unsupported");
  CHECK(partial.at(1).at("reason").get<std::string>().find("no operator library has aclnnFlashAttentionScore") !=
        std::string::npos);
}

TEST_CASE("the split operator libraries of newer CANN and cold caches", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  const nlohmann::json results =
      run_ascend(dir, {"gemm:m=24,n=8,k=16,dt=bf16", "attn:b=1,hq=2,hkv=2,sq=8,skv=8,d=16,causal=1,dt=f16"},
                 fake_env("split", {"FAKE_CANN_LOG=" + (dir.path / "fake_cann.log").string()}), "cold");
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
    CHECK(r.at("cache_policy") == "cold");
  }
  // Cold: the flush zeroes twice the 910B's largest L2 (2 x 192 MiB) on the stream before samples.
  const std::string log = fake_log(dir);
  CHECK(log.find("aclnnInplaceZeroGetWorkspaceSize selfRef=[100663296]/[1] bytes=402653184") != std::string::npos);
  CHECK(log.find("aclnnInplaceZero run") != std::string::npos);
}

TEST_CASE("the device is named by its SoC, which the report finds in the spec database", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  for (const std::string soc : {"Ascend910B2", "Ascend910B3"}) {
    INFO(soc);
    const nlohmann::json results =
        run_ascend(dir, {"gemm:m=32,n=32,k=32,dt=bf16"}, fake_env("good", {"FAKE_CANN_SOC=" + soc}));
    REQUIRE(results.at(0).at("device").at("name") == soc);
    const cli_result r = run_accelbench(
        dir, {"report", (dir.path / "r.json").string(), "--format", "json", "--out", (dir.path / "report").string()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const std::string report = read_file(dir.path / "report" / "report.json");
    CHECK(report.find("\"spec_device\": \"Ascend-" + soc.substr(6) + "\"") != std::string::npos);
  }
}

TEST_CASE("telemetry from DCMI per batch of samples; without DCMI the fields are null with the reason", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  const std::string workload = "gemm:m=16,n=16,k=16,dt=f16";
  const nlohmann::json with =
      run_ascend(dir, {workload}, fake_env("good", {"ACCELBENCH_DCMI_PATH=" + fake_root + "/good/lib64"}));
  INFO(with.dump(2));
  const nlohmann::json& reading = with.at(0).at("repetitions").at(0).at("telemetry").at(0);
  CHECK(reading.at("sm_clock_mhz") == 1800);
  CHECK(reading.at("memory_clock_mhz") == 1600);
  CHECK(reading.at("power_w").get<double>() == Approx(123.4));
  CHECK(reading.at("temperature_c") == 45);

  if (real_ascend_visible()) {
    WARN("a real DCMI is installed here: telemetry without it is not tested");
    return;
  }
  const nlohmann::json without =
      run_ascend(dir, {workload}, fake_env("good", {"ACCELBENCH_DCMI_PATH=" + fake_root + "/split/lib64"}));
  INFO(without.dump(2));
  for (const auto& t : without.at(0).at("repetitions").at(0).at("telemetry")) CHECK(t.at("power_w").is_null());
  const cli_result r = run_accelbench(dir, {"list", "backends", "--verbose"},
                                      fake_env("good", {"ACCELBENCH_DCMI_PATH=" + fake_root + "/split/lib64"}));
  CHECK(r.out.find("\"telemetry\":\"unavailable: libdcmi.so not found") != std::string::npos);
}

TEST_CASE("dt=f32 keeps fp32 (KEEP_DTYPE); dt=hf32 asks the cube for HF32 (USE_HF32)", "[ascend]") {
  temp_dir dir("accelbench-ascend");
  const strings workloads = {"gemm:m=40,n=24,k=300,dt=f32", "gemm:m=40,n=24,k=300,dt=hf32",
                             "gemm:m=40,n=24,k=300,dt=hf32:f32"};
  const nlohmann::json results =
      run_ascend(dir, workloads, fake_env("good", {"FAKE_CANN_LOG=" + (dir.path / "fake_cann.log").string()}));
  for (const auto& r : results) {
    INFO(r.dump(2));
    CHECK(r.at("outcome") == "passed");
  }
  CHECK(results.at(1).at("plan").get<std::string>().find("cubeMathType USE_HF32") != std::string::npos);
  const std::string log = fake_log(dir);
  INFO(log);
  CHECK(log.find("out=[40,24]/[24,1] dtype=0 cube=0") != std::string::npos);
  CHECK(log.find("out=[40,24]/[24,1] dtype=0 cube=3") != std::string::npos);
  // The distinction is real: an f32 GEMM silently computed in HF32 fails f32 verification.
  const nlohmann::json forced = run_ascend(dir, {workloads[0]}, fake_env("good", {"FAKE_CANN_FORCE_HF32=1"}));
  INFO(forced.dump(2));
  CHECK(forced.at(0).at("outcome") == "incorrect");
}
