// End to end: the built accelbench executable, run as a user would (tests/support/run_accelbench),
// in a temporary working directory. Checks exit codes, one-line error messages, and the JSON file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/backend_available.hpp"
#include "tests/support/file_io.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace accelbench::testing;
using strings = std::vector<std::string>;
using names = std::set<std::string>;

namespace {

const strings quick_rule = {"--timeout", "0.2", "--min-samples", "3", "--min-time", "0.01", "--warmup-time", "0.02"};

strings with_quick_rule(strings args) {
  args.insert(args.end(), quick_rule.begin(), quick_rule.end());
  return args;
}

}  // namespace

TEST_CASE("--version and --help exit 0", "[e2e]") {
  temp_dir dir("accelbench-e2e");
  const cli_result version = run_accelbench(dir, {"--version"});
  CHECK(version.exit_code == 0);
  CHECK(std::regex_search(version.out, std::regex("^accelbench \\d+\\.\\d+\\.\\d+ ")));

  const cli_result help = run_accelbench(dir, {"run", "--help"});
  CHECK(help.exit_code == 0);
  for (const char* option : {"--workload", "--backend", "--out", "--cache", "--timeout", "--benchmark_filter"}) {
    INFO(option);
    CHECK(help.out.find(option) != std::string::npos);
  }
  CHECK(dir.files().empty());
}

TEST_CASE("bad usage exits 2 with a one-line message naming the field", "[e2e]") {
  struct bad_case {
    strings args;
    strings needles;
  };
  temp_dir dir("accelbench-e2e");
  const std::string out = (dir.path / "r.json").string();
  const std::string missing_dir_out = (dir.path / "no-such-folder" / "x.json").string();
  std::vector<bad_case> cases = {
      {{"run", "--workload", "gemm:m=0,n=1,k=1,dt=f32", "--out", out}, {"'m=0'"}},
      {{"run", "--workload", "gemm:m=1,n=1,k=1,dt=f99", "--out", out}, {"f99"}},
      {{"run", "--workload", "gemm:m=1,n=1,k=1,dt=f32,zz=1", "--out", out}, {"unknown field 'zz'"}},
      {{"run", "--workload", "gemm:m=[1:4:0],n=1,k=1,dt=f32", "--out", out}, {"[1:4:0]"}},
      {{"run", "--cache", "warm", "--out", out}, {"--cache", "warm"}},
      {{"run", "--backend", "nosuch", "--workload", "gemm:m=8,n=8,k=8,dt=f32", "--out", out}, {"--backend", "nosuch"}},
      {{"run", "--backend", "opneblas", "--workload", "gemm:m=8,n=8,k=8,dt=f32", "--out", out},
       {"--backend 'opneblas'", "did you mean 'openblas'"}},
      {{"run", "--workload", "gemm:m=8,n=8,k=8,dt=bf61", "--out", out}, {"'bf61'", "did you mean 'bf16'"}},
      {{"report", "r.json", "-o", "-"}, {"--out '-'", "name the folder"}},
      {{"run", "--suite", "/nonexistent/file", "--out", out}, {"--suite", "/nonexistent/file"}},
      {{"run", "--out", "/nonexistent-dir/x.json", "--workload", "gemm:m=8,n=8,k=8,dt=f32"},
       {"--out", "/nonexistent-dir/x.json"}},
      {{"run", "--out", missing_dir_out, "--workload", "gemm:m=8,n=8,k=8,dt=f32"}, {"--out", missing_dir_out}},
      // An existing folder is refused before anything is measured (not after, as exit 3).
      {{"run", "--out", dir.path.string(), "--workload", "gemm:m=8,n=8,k=8,dt=f32"}, {"--out", "is a directory"}},
      {{"run", "--repetitions", "0", "--out", out}, {"--repetitions"}},
      {{"run", "--min-samples", "abc", "--out", out}, {"--min-samples"}},
      {{"run", "--frobnicate"}, {"--frobnicate"}},
      {{"list", "nosuch"}, {"nosuch"}},
      {{"list", "workloads"}, {"list workloads"}},
      {{"list", "workloads", "/nonexistent/suite.txt"}, {"/nonexistent/suite.txt"}},
      {{}, {"subcommand"}},
      // A run that would measure nothing is refused, not an empty success that a gate reads as PASS.
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_filter=opneblas", "--out", out},
       {"--benchmark_filter 'opneblas'", "matches none of the 1 cases", "gemm:m=8,n=8,k=8,dt=f32/reference/0"}},
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_filter=[", "--out", out},
       {"--benchmark_filter '['", "not a valid"}},
      // Google Benchmark flags: misspelt, malformed, or replaced by our own output are named.
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_filtr=m=8", "--out", out},
       {"--benchmark_filtr=m=8", "not a Google Benchmark 1.7 flag"}},
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_min_time=0.1s", "--out", out},
       {"--benchmark_min_time=0.1s", "malformed"}},
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_format=json", "--out", out},
       {"--benchmark_format", "--format json|gbench"}},
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_time_unit=us", "--out", out},
       {"--benchmark_time_unit"}},
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_out=gb.json",
        "--benchmark_out_format=csv", "--out", out},
       {"--benchmark_out_format 'csv'", "=json"}},
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_report_aggregates_only=maybe", "--out",
        out},
       {"--benchmark_report_aggregates_only 'maybe'", "true, false"}},
      {{"run", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-b", "reference", "--benchmark_out=/nonexistent-dir/gb.json", "--out",
        out},
       {"--benchmark_out '/nonexistent-dir/gb.json'"}},
  };
  // A known backend that cannot run here (no GPU, or a build without CUDA) is refused with why.
  if (!backend_available("cuda")) {
    cases.push_back({{"run", "--backend", "cuda", "--workload", "gemm:m=8,n=8,k=8,dt=f32", "--out", out},
                     {"'cuda'", "unavailable"}});
  }
  for (const bad_case& c : cases) {
    std::string joined;
    for (const std::string& a : c.args) joined += a + " ";
    INFO("accelbench " << joined);
    const cli_result r = run_accelbench(dir, c.args);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("accelbench: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // exactly one line
    CHECK((!r.err.empty() && r.err.back() == '\n'));
    for (const std::string& needle : c.needles) CHECK(r.err.find(needle) != std::string::npos);
    CHECK(r.out.empty());
    // Nothing written: no result file, no probe or temporary file, no folder created.
    CHECK(dir.files().empty());
  }
  CHECK_FALSE(fs::exists("/nonexistent-dir/x.json"));
}

TEST_CASE("a small run writes verified results as JSON", "[e2e]") {
  temp_dir dir("accelbench-e2e");
  const bool have_openblas = backend_available("openblas");
  if (!have_openblas) WARN("openblas unavailable: the run uses the reference backend only");
  const std::string backends = have_openblas ? "openblas,reference" : "reference";
  const fs::path out = dir.path / "r.json";
  const strings args = with_quick_rule(
      {"run", "--workload", "gemm:m=64,n=64,k=64,dt=f32", "--backend", backends, "--out", out.string()});
  const cli_result r = run_accelbench(dir, args);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("results written to " + out.string()) != std::string::npos);
  REQUIRE(fs::exists(out));
  CHECK(dir.files() == names{"r.json"});  // the temporary file was renamed away

  const nlohmann::json json = nlohmann::json::parse(read_file(out));
  REQUIRE(json.contains("schema_version"));
  CHECK(std::regex_match(json.at("schema_version").get<std::string>(), std::regex("\\d+\\.\\d+\\.\\d+")));

  const auto& meta = json.at("meta");
  REQUIRE(meta.at("argv").is_array());
  const strings argv = meta.at("argv").get<strings>();
  REQUIRE(argv.size() == args.size() + 1);
  CHECK(fs::path(argv.front()).filename() == "accelbench");
  CHECK(strings(argv.begin() + 1, argv.end()) == args);
  CHECK(meta.at("seed") == 42);
  CHECK(meta.at("stopping").at("timeout_s").get<double>() == Approx(0.2));
  CHECK(meta.at("stopping").at("min_samples") == 3);
  CHECK(meta.at("stopping").at("repetitions") == 1);
  CHECK(meta.at("wall_s").get<double>() > 0.0);

  const auto& system = json.at("system");
  CHECK(system.at("host_processor_core_count").get<std::int64_t>() > 0);
  CHECK(system.at("libraries").contains("reference"));

  const auto& results = json.at("results");
  REQUIRE(results.size() == (have_openblas ? 2u : 1u));
  std::set<std::string> seen;
  for (const auto& result : results) {
    INFO(result.dump(2));
    seen.insert(result.at("backend").get<std::string>());
    CHECK(result.at("workload") == "gemm:m=64,n=64,k=64,dt=f32");
    CHECK(result.at("outcome") == "passed");
    CHECK(result.at("verification").at("passed") == true);
    CHECK(result.at("tflops").get<double>() > 0.0);
    CHECK(result.at("flops") == 2 * 64 * 64 * 64);
    CHECK(result.at("stats").at("n").get<std::int64_t>() >= 2);
    CHECK(result.at("repetitions").size() == 1);
    CHECK(result.at("cache_policy") == "cold");
  }
  CHECK(seen.count("reference") == 1);
  if (have_openblas) CHECK(seen.count("openblas") == 1);
}

TEST_CASE("--benchmark_filter selects cases; the rest are skipped", "[e2e]") {
  temp_dir dir("accelbench-e2e");
  // Two cases on the reference backend (always built); the filter matches the benchmark name
  // WORKLOAD/BACKEND/DEVICE of the second only.
  const fs::path out = dir.path / "filtered.json";
  const cli_result r = run_accelbench(
      dir,
      with_quick_rule({"run", "--workload", "gemm:m=64,n=64,k=64,dt=f32", "--workload", "gemm:m=32,n=32,k=32,dt=f32",
                       "--backend", "reference", "--out", out.string(), "--benchmark_filter=^gemm:m=32,", "--quiet"}));
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json json = nlohmann::json::parse(read_file(out));
  REQUIRE(json.at("results").size() == 2);
  for (const auto& result : json.at("results")) {
    INFO(result.dump(2));
    CHECK(result.at("backend") == "reference");
    if (result.at("workload") == "gemm:m=64,n=64,k=64,dt=f32") {
      CHECK(result.at("outcome") == "skipped");
      CHECK(result.at("tflops").is_null());
      CHECK(result.at("repetitions").empty());
    } else {
      CHECK(result.at("workload") == "gemm:m=32,n=32,k=32,dt=f32");
      CHECK(result.at("outcome") == "passed");
    }
  }
}

TEST_CASE("repetitions: --repetitions or Google Benchmark's --benchmark_repetitions", "[e2e]") {
  temp_dir dir("accelbench-e2e");
  for (const strings& flag : {strings{"--repetitions", "2"}, strings{"--benchmark_repetitions=2"}}) {
    INFO(flag.front());
    const fs::path out = dir.path / "reps.json";
    strings args = with_quick_rule({"run", "--workload", "gemm:m=16,n=16,k=16,dt=f32", "--backend", "reference",
                                    "--out", out.string(), "--quiet"});
    args.insert(args.end(), flag.begin(), flag.end());
    const cli_result r = run_accelbench(dir, args);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const nlohmann::json json = nlohmann::json::parse(read_file(out));
    CHECK(json.at("meta").at("stopping").at("repetitions") == 2);
    REQUIRE(json.at("results").size() == 1);
    const auto& result = json.at("results").at(0);
    CHECK(result.at("outcome") == "passed");
    REQUIRE(result.at("repetitions").size() == 2);
    const std::int64_t n0 = result.at("repetitions").at(0).at("stats").at("n").get<std::int64_t>();
    const std::int64_t n1 = result.at("repetitions").at(1).at("stats").at("n").get<std::int64_t>();
    CHECK(n0 >= 2);
    CHECK(n1 >= 2);
    CHECK(result.at("stats").at("n").get<std::int64_t>() == n0 + n1);  // pooled over repetitions
    fs::remove(out);
  }
}

TEST_CASE("compare: a NEW file that lost cases of BASE fails the gate unless --allow-missing", "[e2e]") {
  temp_dir dir("accelbench-e2e");
  const auto measure = [&](const strings& workloads, const std::string& name) {
    strings args = {"run", "--backend", "reference", "--out", (dir.path / name).string(), "--quiet"};
    for (const std::string& w : workloads) args.insert(args.end(), {"--workload", w});
    const cli_result r = run_accelbench(dir, with_quick_rule(args));
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
  };
  measure({"gemm:m=16,n=16,k=16,dt=f32", "gemm:m=24,n=24,k=24,dt=f32"}, "base.json");
  measure({"gemm:m=16,n=16,k=16,dt=f32"}, "new.json");
  const cli_result strict = run_accelbench(dir, {"compare", "base.json", "new.json"});
  INFO("stdout: " << strict.out << "\nstderr: " << strict.err);
  CHECK(strict.exit_code == 1);
  CHECK_THAT(strict.out, Catch::Contains("FAIL (1 of BASE's 2 cases are missing in NEW"));
  CHECK_THAT(strict.out, Catch::Contains("1 cases compared"));
  const cli_result allowed = run_accelbench(dir, {"compare", "base.json", "new.json", "--allow-missing"});
  INFO("stdout: " << allowed.out);
  CHECK(allowed.exit_code == 0);  // one repetition: UNSURE, which passes
}

TEST_CASE("an unsupported case is reported, not an error", "[e2e]") {
  temp_dir dir("accelbench-e2e");
  // The reference backend (always built) refuses a GEMM its naive loops would not finish.
  const fs::path out = dir.path / "unsupported.json";
  const cli_result r =
      run_accelbench(dir, with_quick_rule({"run", "--workload", "gemm:m=2048,n=2048,k=2048,dt=f32", "--backend",
                                           "reference", "--out", out.string(), "--cache", "hot"}));
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  const nlohmann::json json = nlohmann::json::parse(read_file(out));
  REQUIRE(json.at("results").size() == 1);
  CHECK(json.at("results").at(0).at("outcome") == "unsupported");
  CHECK_FALSE(json.at("results").at(0).at("reason").get<std::string>().empty());
  CHECK(json.at("results").at(0).at("cache_policy") == "hot");
}

TEST_CASE("list commands", "[e2e]") {
  temp_dir dir("accelbench-e2e");
  const cli_result backends = run_accelbench(dir, {"list", "backends"});
  CHECK(backends.exit_code == 0);
  CHECK(std::regex_search(backends.out, std::regex("(^|\\n)reference +available")));
  // cuda is always listed: available, or unavailable with the reason (always without a GPU).
  const bool cuda_available = std::regex_search(backends.out, std::regex("(^|\\n)cuda +available"));
  if (!cuda_available) CHECK(std::regex_search(backends.out, std::regex("(^|\\n)cuda +unavailable  \\S")));
  if (!nvidia_device_present()) CHECK_FALSE(cuda_available);

  const cli_result devices = run_accelbench(dir, {"list", "devices"});
  CHECK(devices.exit_code == 0);
  CHECK(devices.out.find("reference:0") != std::string::npos);
  // One row per device: the CPU once, with every CPU backend that reaches it.
  INFO(devices.out);
  const std::regex cpu_row("\\ncpu ");
  const auto cpu_rows =
      std::distance(std::sregex_iterator(devices.out.begin(), devices.out.end(), cpu_row), std::sregex_iterator());
  CHECK(cpu_rows == 1);
  CHECK(std::regex_search(devices.out, std::regex("\\ncpu .*reference:0")));

  const cli_result suites = run_accelbench(dir, {"list", "suites"});
  CHECK(suites.exit_code == 0);
  for (const char* name : {"smoke", "gemm-llm", "attention-llm"}) {
    INFO(name);
    // Name, case count and the estimated duration per backend (m:ss).
    CHECK(std::regex_search(suites.out, std::regex(std::string("(^|\\n)") + name + " +\\d+ +\\d+:\\d\\d  ")));
  }

  // A misspelt subcommand is named with a suggestion; a bad repetition count says the range.
  const cli_result typo = run_accelbench(dir, {"rnu"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("'rnu' is not a subcommand; did you mean 'run'?"));
  const cli_result zero = run_accelbench(dir, {"run", "--repetitions", "0"});
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Catch::Contains("must be a whole number from 1 to 1000"));
  CHECK(zero.err.size() < 200);
  const cli_result help = run_accelbench(dir, {"--help"});
  CHECK_THAT(help.out, Catch::Contains("Usage: accelbench ") && Catch::Contains("Examples:"));

  const cli_result workloads = run_accelbench(dir, {"list", "workloads", "smoke"});
  CHECK(workloads.exit_code == 0);
  CHECK(workloads.out.find("gemm:m=512,n=512,k=512,dt=f32\n") != std::string::npos);
  CHECK(workloads.out.find("attn:") != std::string::npos);
  CHECK(dir.files().empty());
}

TEST_CASE("run -b with the list cuda and cuda_tuned: both names are known backends", "[e2e]") {
  // Both names are known to every build (the registry lists them without CUDA too), so the list
  // is never refused as unknown; where a backend cannot run here, the refusal names it as
  // unavailable, and where both run, both are measured.
  temp_dir dir("accelbench-e2e");
  const fs::path out = dir.path / "cuda.json";
  const cli_result r = run_accelbench(dir, with_quick_rule({"run", "-b", "cuda,cuda_tuned", "--workload",
                                                            "gemm:m=64,n=64,k=64,dt=f32", "--out", out.string()}));
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.err.find("unknown backend") == std::string::npos);
  const bool cuda = backend_available("cuda"), tuned = backend_available("cuda_tuned");
  if (cuda && tuned) {
    CHECK(r.exit_code == 0);
    const nlohmann::json json = nlohmann::json::parse(read_file(out));
    names backends;
    for (const auto& result : json.at("results")) backends.insert(result.at("backend").get<std::string>());
    CHECK(backends == names{"cuda", "cuda_tuned"});
  } else {
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(cuda ? "--backend 'cuda_tuned': unavailable" : "--backend 'cuda': unavailable") !=
          std::string::npos);
    CHECK(dir.files().empty());
  }
}

TEST_CASE("run --ceilings auto: this machine's quick ceilings, measured once and cached", "[e2e]") {
  // A first run used to show "% of peak -" for the local CPU until the user found 'peak'.
  temp_dir dir("accelbench-e2e");
  const std::vector<std::string> env{"ACCELBENCH_CACHE_DIR=" + (dir.path / "cache").string()};
  const strings args = with_quick_rule(
      {"run", "-w", "gemm:m=64,n=64,k=64,dt=f32", "-b", "reference", "--ceilings", "auto", "--out", "r.json"});
  const cli_result first = run_accelbench(dir, args, env);
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.err, Catch::Contains("measuring this machine's ceilings once"));
  const nlohmann::json result = nlohmann::json::parse(read_file(dir.path / "r.json"));
  const nlohmann::json& system = result.at("system");
  REQUIRE(system.contains("ceilings"));
  CHECK(system.at("ceilings").at("host_processor_model_name") == system.at("host_processor_model_name"));
  const fs::path cached = dir.path / "cache" / ("ceilings-" + system.at("system_desc_id").get<std::string>() + ".json");
  CHECK(fs::exists(cached));
  // The second run reuses the cache: nothing measured again, the same ceilings stored.
  const cli_result second = run_accelbench(dir, args, env);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.err, !Catch::Contains("measuring"));
  CHECK(nlohmann::json::parse(read_file(dir.path / "r.json")).at("system").at("ceilings") == system.at("ceilings"));

  // A cache file from before the read-only bandwidth (its triad timed on the caller's clock) is
  // measured again and replaced.
  nlohmann::json older = nlohmann::json::parse(read_file(cached));
  older["memory_bandwidth"].erase("read_gbps");
  older["memory_bandwidth"].erase("read_method");
  older["memory_bandwidth"]["triad_gbps"] = 999.0;
  write_file(cached, older.dump(2));
  const cli_result third = run_accelbench(dir, args, env);
  CHECK(third.exit_code == 0);
  CHECK_THAT(third.err, Catch::Contains("predates the read-only bandwidth"));
  const nlohmann::json remeasured = nlohmann::json::parse(read_file(cached));
  CHECK(remeasured["memory_bandwidth"]["read_gbps"].get<double>() > 0);
  CHECK(remeasured["memory_bandwidth"]["triad_gbps"].get<double>() != 999.0);
  CHECK(nlohmann::json::parse(read_file(dir.path / "r.json")).at("system").at("ceilings") == remeasured);
}
