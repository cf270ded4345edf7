// Reliability end to end, the accelbench executable as a user (or a batch system) drives it:
// bad input leaves nothing behind, huge workloads are unsupported before allocation, --isolate
// survives crashing and hanging backends, SIGINT/SIGTERM write a partial report, and a run
// killed with SIGKILL is finished by --resume with every case exactly once.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/backend_available.hpp"
#include "tests/support/file_io.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace accelbench::testing;
using strings = std::vector<std::string>;
using json = nlohmann::json;

namespace {

std::size_t line_count(const std::string& path) {
  const std::string text = read_file(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Waits (bounded) until the journal holds `lines` complete lines.
bool wait_for_journal(const std::string& path, std::size_t lines, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(path) && line_count(path) >= lines) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// Six reference cases of about 0.3 s each (max-noise 0 never converges: each stops at its
// timeout), long enough for a signal to land in the middle of the run.
const char* slow_suite =
    "# six cases of ~0.3 s\n"
    "@option min-time=0.2,timeout=0.3,max-noise=0,min-samples=3,warmup-time=0.01\n"
    "gemm:m=[16,24,32,40,48,56],n=16,k=16,dt=f32\n";
const std::size_t slow_suite_cases = 6;

void write_suite(const temp_dir& dir) { std::ofstream(dir / "suite.txt") << slow_suite; }

std::vector<std::string> workloads_of(const json& document) {
  std::vector<std::string> names;
  for (const json& r : document.at("results")) names.push_back(r.at("workload").get<std::string>());
  return names;
}

// A complete run of the slow suite: every case passed, in suite order, each exactly once.
void check_complete(const json& document) {
  const std::vector<std::string> expected = {"gemm:m=16,n=16,k=16,dt=f32", "gemm:m=24,n=16,k=16,dt=f32",
                                             "gemm:m=32,n=16,k=16,dt=f32", "gemm:m=40,n=16,k=16,dt=f32",
                                             "gemm:m=48,n=16,k=16,dt=f32", "gemm:m=56,n=16,k=16,dt=f32"};
  CHECK(workloads_of(document) == expected);
  for (const json& r : document.at("results")) {
    INFO(r.at("workload"));
    CHECK(r.at("outcome") == "passed");
    CHECK(r.at("tflops").is_number());
    CHECK(r.at("repetitions").size() == 1);
  }
}

}  // namespace

TEST_CASE("bad input to run: exit 2, one line naming the field, nothing written", "[e2e][reliability]") {
  temp_dir dir("accelbench-rel-e2e");
  std::ofstream(dir / "bad-suite.txt") << "# x\n@option min-samples=1e300\ngemm:m=8,n=8,k=8,dt=f32\n";
  std::ofstream(dir / "inf-suite.txt") << "@option timeout=inf\ngemm:m=8,n=8,k=8,dt=f32\n";
  std::ofstream(dir / "garbage.journal") << "this is not a journal\n";
  std::ofstream(dir / "empty.journal") << "";
  const std::string out = dir / "r.json";
  const strings w = {"--workload", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--out", out};
  auto with_w = [&](strings args) {
    args.insert(args.begin(), "run");
    args.insert(args.end(), w.begin(), w.end());
    return args;
  };
  const std::vector<std::pair<strings, strings>> cases = {
      {with_w({"--min-samples", "-1"}), {"--min-samples"}},
      {with_w({"--min-samples", "2.5"}), {"--min-samples", "whole number"}},
      {with_w({"--min-samples", "1e300"}), {"--min-samples"}},
      {with_w({"--max-noise", "nan"}), {"--max-noise"}},
      {with_w({"--timeout", "inf"}), {"--timeout"}},
      {with_w({"--min-time", "-0.5"}), {"--min-time"}},
      {with_w({"--case-timeout", "0", "--isolate"}), {"--case-timeout"}},
      {with_w({"--case-timeout", "5"}), {"--case-timeout", "--isolate"}},
      {with_w({"--seed", "-3"}), {"--seed"}},
      {with_w({"--journal", "/nonexistent-folder/j"}), {"--journal", "/nonexistent-folder/j"}},
      {with_w({"--journal", out}), {"--journal", "differ"}},
      {{"run", "--suite", dir / "bad-suite.txt", "--out", out}, {"bad-suite.txt:2", "min-samples"}},
      {{"run", "--suite", dir / "inf-suite.txt", "--out", out}, {"inf-suite.txt:1", "timeout"}},
      {{"run", "--workload", "gemm:m=99999999999,n=99999999999,k=99999999999,dt=f32", "--out", out},
       {"overflows 64 bits"}},
      {{"run", "--workload", "gemm:m=-4,n=8,k=8,dt=f32", "--out", out}, {"'m=-4'"}},
      {{"run", "--workload", "gemm:m=x,n=8,k=8,dt=f32", "--out", out}, {"'m=x'"}},
      {{"run", "--workload", "gemm:m=[1:999999999:1],n=8,k=8,dt=f32", "--out", out}, {"more than"}},
      {{"run", "--resume", dir / "missing.journal"}, {"--resume", "missing.journal"}},
      {{"run", "--resume", dir / "garbage.journal"}, {"garbage.journal:1"}},
      {{"run", "--resume", dir / "empty.journal"}, {"empty.journal", "no header line"}},
      {{"run", "--resume", dir.path.string()}, {"--resume", "directory"}},
  };
  const std::set<std::string> before = dir.files();
  for (const auto& [args, needles] : cases) {
    std::string joined;
    for (const std::string& a : args) joined += a + " ";
    INFO("accelbench " << joined);
    const cli_result r = run_accelbench(dir, args);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("accelbench: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    for (const std::string& needle : needles) CHECK(r.err.find(needle) != std::string::npos);
    CHECK(dir.files() == before);  // no result, journal, probe or temporary file
  }
}

TEST_CASE("a workload too big for memory is unsupported, with sizes, before any allocation", "[e2e][reliability]") {
  temp_dir dir("accelbench-rel-e2e");
  // 2^20 cubed in f32: 12 TiB of operands. Every CPU backend must refuse it from its sizes alone.
  const std::string huge = "gemm:m=1048576,n=1048576,k=1048576,dt=f32";
  for (const std::string backend : {"openblas", "onednn", "reference"}) {
    if (!backend_available(backend)) {
      WARN(backend << " unavailable; case skipped");
      continue;
    }
    INFO(backend);
    const cli_result r = run_accelbench(dir, {"run", "-w", huge, "-b", backend, "-o", dir / "huge.json", "-q"});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    const json document = json::parse(read_file(dir / "huge.json"));
    const json& record = document.at("results").at(0);
    CHECK(record.at("outcome") == "unsupported");
    const std::string reason = record.at("reason").get<std::string>();
    if (backend == "reference") {
      CHECK_THAT(reason, Catch::Contains("limit"));  // its FLOP limit comes first
    } else {
      CHECK(std::regex_search(reason, std::regex("needs [0-9.]+ GiB.*[0-9.]+ GiB available")));
    }
  }
  // Nothing was allocated: the largest child process stayed small.
  rusage usage{};
  REQUIRE(getrusage(RUSAGE_CHILDREN, &usage) == 0);
  CHECK(usage.ru_maxrss < 2 * 1024 * 1024);  // KiB: under 2 GiB against 12 TiB asked for
}

TEST_CASE("--isolate: a crashing or aborting case fails alone; the others are measured",
          "[e2e][reliability][isolate]") {
  temp_dir dir("accelbench-rel-e2e");
  const std::string faulty = "gemm:m=24,n=16,k=16,dt=f32";
  for (const auto& [fault, signal_text] :
       std::vector<std::pair<std::string, std::string>>{{"crash", "SIGSEGV"}, {"abort", "SIGABRT"}}) {
    INFO(fault);
    const cli_result r = run_accelbench(
        dir,
        {"run", "-w", "gemm:m=[16,24,32],n=16,k=16,dt=f32", "-b", "reference", "--isolate", "-o", dir / "isolated.json",
         "-q", "--min-time", "0.01", "--timeout", "0.05", "--min-samples", "3", "--warmup-time", "0"},
        {"ACCELBENCH_TEST_FAULT=" + fault + ":" + faulty});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 1);  // a failed case
    const json document = json::parse(read_file(dir / "isolated.json"));
    REQUIRE(document.at("results").size() == 3);
    for (const json& record : document.at("results")) {
      INFO(record.at("workload"));
      if (record.at("workload") == faulty) {
        CHECK(record.at("outcome") == "failed");
        CHECK_THAT(record.at("reason").get<std::string>(), Catch::Contains(signal_text));
        CHECK(record.at("tflops").is_null());
      } else {
        CHECK(record.at("outcome") == "passed");
        CHECK(record.at("tflops").is_number());
        CHECK(record.at("stats").at("n").get<int>() >= 1);  // measured (the 0.05 s timeout may stop it early)
      }
    }
  }
}

TEST_CASE("--isolate --case-timeout: a hanging case ends as a timeout", "[e2e][reliability][isolate]") {
  temp_dir dir("accelbench-rel-e2e");
  const std::string hanging = "gemm:m=16,n=16,k=16,dt=f32";
  const auto t0 = std::chrono::steady_clock::now();
  const cli_result r = run_accelbench(
      dir,
      {"run", "-w", "gemm:m=[16,24],n=16,k=16,dt=f32", "-b", "reference", "--isolate", "--case-timeout", "3", "-o",
       dir / "hang.json", "-q", "--min-time", "0.01", "--timeout", "0.05", "--min-samples", "3", "--warmup-time", "0",
       "--cache", "hot"},  // no flush: a 480 MiB L3 (seen on a VM) makes cold samples seconds long under load
      {"ACCELBENCH_TEST_FAULT=hang:" + hanging});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(seconds < 30);
  const json document = json::parse(read_file(dir / "hang.json"));
  REQUIRE(document.at("results").size() == 2);
  CHECK(document.at("results").at(0).at("outcome") == "failed");
  CHECK_THAT(document.at("results").at(0).at("reason").get<std::string>(), Catch::Contains("timeout"));
  CHECK(document.at("results").at(1).at("outcome") == "passed");
}

TEST_CASE("SIGINT and SIGTERM: partial report, exit 130/143, --resume finishes the run", "[e2e][reliability][resume]") {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    INFO("signal " << signal_number);
    temp_dir dir("accelbench-rel-e2e");
    write_suite(dir);
    const pid_t pid = spawn_accelbench(dir, {"run", "--suite", "suite.txt", "-b", "reference", "-o", "out.json", "-q"});
    REQUIRE(wait_for_journal(dir / "out.json.journal", 2, 60));  // header + one finished case
    kill(pid, signal_number);
    const cli_result stopped = wait_accelbench(dir, pid);
    INFO("stderr: " << stopped.err);
    CHECK(stopped.exit_code == 128 + signal_number);
    CHECK_THAT(stopped.err, Catch::Contains("--resume"));
    const json partial = json::parse(read_file(dir / "out.json"));
    REQUIRE(partial.at("results").size() == slow_suite_cases);  // every case listed, unfinished ones as such
    std::size_t finished = 0, interrupted = 0;
    for (const json& record : partial.at("results")) {
      if (record.at("outcome") == "passed") ++finished;
      if (record.at("outcome") == "interrupted") {
        ++interrupted;
        CHECK(record.at("tflops").is_null());
      }
    }
    CHECK(finished >= 1);
    CHECK(interrupted >= 1);
    CHECK(finished + interrupted == slow_suite_cases);
    CHECK(line_count(dir / "out.json.journal") == 1 + finished);

    const cli_result resumed = run_accelbench(dir, {"run", "--resume", "out.json.journal", "-q"});
    INFO("resume stderr: " << resumed.err);
    CHECK(resumed.exit_code == 0);
    check_complete(json::parse(read_file(dir / "out.json")));
    CHECK_FALSE(fs::exists(dir / "out.json.journal"));  // complete: the result file holds it all
  }
}

TEST_CASE("kill -9 midway, then --resume: every case exactly once, finished ones not measured again",
          "[e2e][reliability][resume]") {
  temp_dir dir("accelbench-rel-e2e");
  write_suite(dir);
  const strings args = {"run", "--suite", "suite.txt", "-b", "reference", "-o", "out.json", "-q"};
  const pid_t pid = spawn_accelbench(dir, args);
  REQUIRE(wait_for_journal(dir / "out.json.journal", 3, 60));  // two cases finished
  kill(pid, SIGKILL);
  const cli_result killed = wait_accelbench(dir, pid);
  CHECK(killed.signal == SIGKILL);
  CHECK_FALSE(fs::exists(dir / "out.json"));  // no final file, and no half-written one
  for (const std::string& name : dir.files()) CHECK(name.find(".tmp.") == std::string::npos);
  const std::string journal_text = read_file(dir / "out.json.journal");
  std::map<std::string, json> journaled;  // workload -> record as journaled before the kill
  std::istringstream lines(journal_text);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const json entry = json::parse(line, nullptr, false);
    if (entry.is_discarded()) continue;  // a line cut off by the kill
    journaled[entry.at("case").at("workload").get<std::string>()] = entry.at("case");
  }
  REQUIRE(journaled.size() >= 2);
  REQUIRE(journaled.size() < slow_suite_cases);

  const cli_result resumed = run_accelbench(dir, {"run", "--resume", "out.json.journal", "-q"});
  INFO("resume stderr: " << resumed.err);
  CHECK(resumed.exit_code == 0);
  const json document = json::parse(read_file(dir / "out.json"));
  check_complete(document);
  for (const json& record : document.at("results")) {
    const auto it = journaled.find(record.at("workload").get<std::string>());
    if (it != journaled.end()) CHECK(record == it->second);  // kept as measured, not measured twice
  }

  // One run across both sessions: the run id of the first session everywhere.
  for (const json& record : document.at("results")) CHECK(record.at("run_id") == document.at("meta").at("run_id"));
  CHECK(journaled.begin()->second.at("run_id") == document.at("meta").at("run_id"));

  // The same as an uninterrupted run, apart from timing fields, measured values and the run id.
  const cli_result plain =
      run_accelbench(dir, {"run", "--suite", "suite.txt", "-b", "reference", "-o", "plain.json", "-q"});
  REQUIRE(plain.exit_code == 0);
  json a = document, b = json::parse(read_file(dir / "plain.json"));
  CHECK(a.at("meta").at("argv").at(1) == "run");
  for (json* d : {&a, &b}) {
    for (const char* key : {"started_at_utc", "timestamp_utc", "wall_s", "argv", "run_id"}) (*d)["meta"].erase(key);
    (*d)["system"].erase("host_processor_scaling_governor");
  }
  CHECK(a.at("meta") == b.at("meta"));
  CHECK(a.at("system") == b.at("system"));
  CHECK(workloads_of(a) == workloads_of(b));
  for (std::size_t i = 0; i < a.at("results").size(); ++i) {
    for (const char* key : {"workload", "backend", "backend_version", "device", "dtype", "cache_policy", "outcome",
                            "inputs", "flops", "flop_convention", "min_bytes", "plan", "repro"}) {
      INFO(key);
      CHECK(a["results"][i][key] == b["results"][i][key]);
    }
  }
}

TEST_CASE("a crash without --isolate loses no finished case; --resume finishes", "[e2e][reliability][resume]") {
  temp_dir dir("accelbench-rel-e2e");
  write_suite(dir);
  const cli_result crashed =
      run_accelbench(dir, {"run", "--suite", "suite.txt", "-b", "reference", "-o", "out.json", "-q"},
                     {"ACCELBENCH_TEST_FAULT=crash:gemm:m=40,n=16,k=16,dt=f32"});
  CHECK(crashed.signal == SIGSEGV);
  CHECK_FALSE(fs::exists(dir / "out.json"));
  CHECK(line_count(dir / "out.json.journal") == 1 + 3);  // the three cases before the crash

  // A fresh run refuses to overwrite the journal of the unfinished one.
  const cli_result again =
      run_accelbench(dir, {"run", "--suite", "suite.txt", "-b", "reference", "-o", "out.json", "-q"});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("--resume"));
  // --resume takes its options from the journal and refuses others.
  const cli_result mixed = run_accelbench(dir, {"run", "--resume", "out.json.journal", "--seed", "3"});
  CHECK(mixed.exit_code == 2);
  CHECK_THAT(mixed.err, Catch::Contains("--seed"));
  const cli_result gbench_flag =
      run_accelbench(dir, {"run", "--resume", "out.json.journal", "--benchmark_filter=m=16"});
  CHECK(gbench_flag.exit_code == 2);

  const cli_result resumed = run_accelbench(dir, {"run", "--resume", "out.json.journal", "-q"});
  INFO("resume stderr: " << resumed.err);
  CHECK(resumed.exit_code == 0);
  check_complete(json::parse(read_file(dir / "out.json")));
}

TEST_CASE("--resume refuses a journal whose suite changed", "[e2e][reliability][resume]") {
  temp_dir dir("accelbench-rel-e2e");
  write_suite(dir);
  const cli_result crashed =
      run_accelbench(dir, {"run", "--suite", "suite.txt", "-b", "reference", "-o", "out.json", "-q"},
                     {"ACCELBENCH_TEST_FAULT=crash:gemm:m=24,n=16,k=16,dt=f32"});
  REQUIRE(crashed.signal == SIGSEGV);
  std::ofstream(dir / "suite.txt", std::ios::app) << "gemm:m=64,n=16,k=16,dt=f32\n";
  const cli_result resumed = run_accelbench(dir, {"run", "--resume", "out.json.journal", "-q"});
  CHECK(resumed.exit_code == 2);
  CHECK_THAT(resumed.err, Catch::Contains("out.json.journal") && Catch::Contains("suite changed"));
  CHECK(std::count(resumed.err.begin(), resumed.err.end(), '\n') == 1);
  CHECK(fs::exists(dir / "out.json.journal"));  // kept for a resume with the right suite
}
