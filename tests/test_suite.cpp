// Suites: built-in suites, the suite file format, and its errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/runner/progress_meter.hpp"
#include "bench/runner/run_context.hpp"
#include "bench/runner/suite.hpp"
#include "kernels/spec/errors.hpp"
#include "kernels/spec/workload.hpp"

using namespace accelbench;
namespace fs = std::filesystem;
using strings = std::vector<std::string>;

namespace {

void require_suite_error(const std::string& text, const strings& needles) {
  INFO("suite text:\n" << text);
  try {
    const suite s = parse_suite("test", text, "tests.txt");
    FAIL("expected input_error, got " << s.workloads.size() << " workloads");
  } catch (const input_error& e) {
    const std::string message = e.what();
    INFO("message: " << message);
    CHECK(message.find('\n') == std::string::npos);
    for (const std::string& needle : needles) CHECK(message.find(needle) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("built-in suites load", "[suite]") {
  const strings names = builtin_suite_names();
  for (const char* expected : {"smoke", "gemm-llm", "attention-llm"}) {
    INFO(expected);
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
  for (const std::string& name : names) {
    INFO(name);
    const suite s = load_suite(name);
    CHECK(s.name == name);
    CHECK_FALSE(s.workloads.empty());
    CHECK_FALSE(s.description.empty());
    strings sorted = s.workloads;
    std::sort(sorted.begin(), sorted.end());
    CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());  // no duplicates
    for (const std::string& w : s.workloads) {
      INFO(w);
      CHECK(to_string(parse_workload(w)) == w);  // stored in canonical form
    }
  }
}

TEST_CASE("the smoke suite: content and stopping options", "[suite]") {
  const suite s = load_suite("smoke");
  CHECK(s.workloads.front() == "gemm:m=512,n=512,k=512,dt=f32");
  CHECK(std::find(s.workloads.begin(), s.workloads.end(), "gemm:m=257,n=129,k=383,ta=t,dt=f32,batch=3") !=
        s.workloads.end());
  bool has_attention = false;
  for (const std::string& w : s.workloads) has_attention = has_attention || w.rfind("attn:", 0) == 0;
  CHECK(has_attention);
  REQUIRE(s.options.timeout_s.has_value());
  CHECK(*s.options.timeout_s == Approx(0.4));
  REQUIRE(s.options.min_samples.has_value());
  CHECK(*s.options.min_samples == 5);
  stopping_criterion stop;
  const double default_noise = stop.max_noise;
  s.options.apply_to(stop);
  CHECK(stop.timeout_s == Approx(0.4));
  CHECK(stop.min_samples == 5);
  CHECK(stop.min_time_s == Approx(0.05));
  CHECK(stop.warmup_time_s == Approx(0.02));
  CHECK(stop.max_noise == default_noise);  // not set by the suite: untouched
}

TEST_CASE("suite text: comments, blank lines, sweeps, canonical form, duplicates", "[suite]") {
  const std::string text =
      "# First comment is the description\n"
      "\n"
      "   # an indented comment\n"
      "gemm:m=[1,2],n=8,k=8,dt=f32\n"
      "\t\n"
      "gemm:dt=f32,k=8,n=8,m=1\n"          // duplicate of the first expansion, other order
      "gemm:m=2,n=8,k=8,dt=f32:f32:f32\n"  // duplicate in non-canonical dtype form
      "  attn:b=1,hq=2,hkv=1,sq=4,skv=4,d=8,dt=bf16  \r\n"
      "@option min-samples=3, timeout=1.5 ,max-noise=0.02   # a trailing comment\n"
      "gemm:m=1,n=8,k=8,ta=t,dt=f32# Llama FFN, no space before the '#'\n"
      "   # gemm:m=3,n=8,k=8,dt=f32 commented out\n";
  const suite s = parse_suite("mine", text, "mine.txt");
  CHECK(s.name == "mine");
  CHECK(s.description == "First comment is the description");
  CHECK(s.workloads == strings{"gemm:m=1,n=8,k=8,dt=f32", "gemm:m=2,n=8,k=8,dt=f32",
                               "attn:b=1,hq=2,hkv=1,sq=4,skv=4,d=8,causal=0,dt=bf16", "gemm:m=1,n=8,k=8,ta=t,dt=f32"});
  REQUIRE(s.options.min_samples.has_value());
  CHECK(*s.options.min_samples == 3);
  CHECK(*s.options.timeout_s == Approx(1.5));
  CHECK(*s.options.max_noise == Approx(0.02));
  CHECK_FALSE(s.options.min_time_s.has_value());
  CHECK_FALSE(s.options.warmup_time_s.has_value());
}

TEST_CASE("suite errors name origin:line and the field", "[suite][errors]") {
  require_suite_error("# ok\ngemm:m=1,n=1,k=1,dt=f32\ngemm:m=0,n=1,k=1,dt=f32\n", {"tests.txt:3", "'m=0'"});
  require_suite_error("gemm:m=1,n=1,k=1,dt=f99\n", {"tests.txt:1", "f99"});
  require_suite_error("\n\ngemm:m=[1:4:0],n=1,k=1,dt=f32\n", {"tests.txt:3", "[1:4:0]"});
  require_suite_error("gemm:m=1,n=1,k=1,dt=f32\n@option frobnicate=1\n",
                      {"tests.txt:2", "unknown option 'frobnicate'"});
  require_suite_error("@option timeout=-1\ngemm:m=1,n=1,k=1,dt=f32\n", {"tests.txt:1", "'timeout'", "non-negative"});
  require_suite_error("@option timeout=fast\ngemm:m=1,n=1,k=1,dt=f32\n", {"tests.txt:1", "'fast'"});
  require_suite_error("@option timeout\ngemm:m=1,n=1,k=1,dt=f32\n", {"tests.txt:1", "not key=value"});
  require_suite_error("gemm:m=1,n=1,k=1,dt=f32\n@include other.txt\n", {"tests.txt:2", "unknown directive"});
  require_suite_error("# only comments\n\n", {"tests.txt", "no workloads"});
  require_suite_error("", {"no workloads"});
}

TEST_CASE("load_suite reads files and rejects missing ones", "[suite]") {
  std::string pattern = (fs::temp_directory_path() / "accelbench-suite-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  const fs::path dir = pattern;
  const fs::path file = dir / "my-suite.txt";
  {
    std::ofstream out(file);
    out << "# from a file\n@option min-time=0.25\ngemm:m=[16:64:*2],n=16,k=16,dt=f32\nbad line here\n";
  }
  try {
    (void)load_suite(file.string());
    FAIL("expected input_error");
  } catch (const input_error& e) {
    CHECK(std::string(e.what()).find(file.string() + ":4") != std::string::npos);
  }
  {
    std::ofstream out(file);
    out << "# from a file\n@option min-time=0.25\ngemm:m=[16:64:*2],n=16,k=16,dt=f32\n";
  }
  const suite s = load_suite(file.string());
  CHECK(s.workloads ==
        strings{"gemm:m=16,n=16,k=16,dt=f32", "gemm:m=32,n=16,k=16,dt=f32", "gemm:m=64,n=16,k=16,dt=f32"});
  CHECK(s.description == "from a file");
  CHECK(*s.options.min_time_s == Approx(0.25));
  fs::remove_all(dir);

  try {
    (void)load_suite("/nonexistent/suite.txt");
    FAIL("expected input_error");
  } catch (const input_error& e) {
    const std::string message = e.what();
    CHECK(message.find("/nonexistent/suite.txt") != std::string::npos);
    CHECK(message.find("smoke") != std::string::npos);  // lists the built-in names
  }
  CHECK_THROWS_AS(load_suite("smokey"), input_error);
}

TEST_CASE("progress line: steps, elapsed time and an ETA from the estimated cost left", "[suite][progress]") {
  // Two cases of equal cost, the third three times as costly, 2 repetitions each; a resumed case
  // (cost 0) is not a step.
  progress_meter meter({1.0, 1.0, 3.0, 0.0}, 2);
  CHECK(meter.steps() == 6);
  CHECK(meter.starting(0, 0.0, "a on x") == "[1/6 0%] 0:00 elapsed, ETA --  a on x");
  // One step of cost 1 (of 10) done in 10 s: 90 s left.
  CHECK(meter.starting(1, 10.0, "b on x") == "[2/6 10%] 0:10 elapsed, ETA 1:30  b on x");
  CHECK(meter.starting(2, 20.0, "c on x") == "[3/6 20%] 0:20 elapsed, ETA 1:20  c on x");
  CHECK(meter.starting(2, 80.0, "c on x") == "[4/6 50%] 1:20 elapsed, ETA 1:20  c on x");
  CHECK(clock_text(3725.0) == "1:02:05");
  CHECK(clock_text(59.6) == "1:00");
}

TEST_CASE("run context header: machine, caches, load; warnings when timings will be noisy", "[suite][progress]") {
  system_info system;
  system.hostname = "box";
  system.cpu_model = "Test CPU";
  system.cores = 2;
  system.hardware_threads = 2;
  system.memory_bytes = std::int64_t{24} << 30;
  system.caches = {{"L1d", 48 << 10, 2}, {"L3", 300 << 20, 1}};
  system.scaling_governor = "performance";
  const std::string quiet = format_run_context("accelbench X", system, {0.3, 0.2, 0.1, true}, 18, 3);
  CHECK_THAT(quiet, Catch::StartsWith("accelbench X\nRun on box: Test CPU, 2 cores, 2 hardware threads, 24 GiB memory; "
                                      "load average 0.30, 0.20, 0.10\n"));
  CHECK_THAT(quiet, Catch::Contains("CPU caches: L1d 48 KiB (x2), L3 300 MiB (x1)"));
  CHECK_THAT(quiet, Catch::EndsWith("18 cases, 3 repetitions each\n"));
  CHECK_THAT(quiet, !Catch::Contains("WARNING"));
  system.scaling_governor = "powersave";
  const std::string busy = format_run_context("accelbench X", system, {6.0, 7.7, 5.9, true}, 1, 1);
  CHECK_THAT(busy, Catch::Contains("***WARNING*** load average 6.0 on 2 hardware threads"));
  CHECK_THAT(busy, Catch::Contains("***WARNING*** CPU frequency scaling governor is 'powersave'"));
}

TEST_CASE("a misspelt suite name gets a suggestion", "[suite][errors]") {
  try {
    (void)load_suite("gemm-lm");
    FAIL("expected input_error");
  } catch (const input_error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("did you mean 'gemm-llm'"));
  }
}
