// The result model and its canonical JSON: a golden file, NaN/Inf as null, independence from
// the C and C++ locales, and the all-or-nothing file write; the JSON input cursor that every
// reader's errors come from, and the keys that name a case.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <locale>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "kernels/spec/errors.hpp"
#include "reports/model/atomic_file.hpp"
#include "reports/model/case_key.hpp"
#include "reports/model/json_input.hpp"
#include "reports/model/json_output.hpp"
#include "reports/model/number_format.hpp"
#include "reports/model/result.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"

using namespace accelbench;
namespace fs = std::filesystem;

namespace {

const fs::path golden_path = fs::path(ACCELBENCH_FIXTURES_DIR) / "golden_results.json";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// A run with fixed values everywhere: nothing here depends on the machine or the clock.
run_record golden_run() {
  run_record run;
  run.meta.tool_version = "0.1.0";
  run.meta.git_revision = "0123456789ab";
  run.meta.build_type = "Release";
  run.meta.argv = {"accelbench", "run", "--workload", "gemm:m=64,n=64,k=64,dt=[f32,f16]", "--backend", "openblas"};
  run.meta.started_at_utc = "2025-01-02T03:04:00Z";
  run.meta.timestamp_utc = "2025-01-02T03:04:05Z";
  run.meta.wall_s = 5.25;
  run.meta.seed = 42;
  run.meta.stopping = {{"min_samples", 10}, {"min_time_s", 0.5},    {"max_noise", 0.01},
                       {"timeout_s", 5.0},  {"warmup_time_s", 0.1}, {"repetitions", 1}};
  run.system = {{"system_desc_id", "0011223344556677"},         {"system_name", "golden-host"},
                {"host_processor_model_name", "Test CPU 9000"}, {"host_processor_core_count", 2},
                {"host_memory_capacity_bytes", 8589934592},     {"libraries", {{"openblas", "OpenBLAS 0.3.21"}}}};

  case_result passed;
  passed.workload = "gemm:m=64,n=64,k=64,dt=f32";
  passed.kind = "gemm";
  passed.backend = "openblas";
  passed.backend_version = "OpenBLAS 0.3.21";
  passed.device_index = 0;
  passed.device_name = "Test CPU 9000";
  passed.device_kind = "cpu";
  passed.dtype_in = passed.dtype_out = passed.dtype_acc = "f32";
  passed.cache = cache_policy::cold;
  passed.result = outcome::passed;
  passed.plan_description = "cblas_sgemm";
  verification_result v;
  v.passed = true;
  v.method = "full";
  v.error = 1.5e-7;
  v.max_local_error = 3.25e-7;
  v.tolerance = 1e-5;
  v.non_finite = 0;
  v.zero_fraction = 0.0;
  passed.verification = v;
  passed.seed = 12345678901234567890ull;
  passed.input_distribution = "normal(0,1)";
  passed.flops = 2 * 64 * 64 * 64;
  passed.flop_convention = "gemm-2mnk-v1";
  passed.min_bytes = 3 * 64 * 64 * 4;
  passed.prepare_s = 0.001;
  passed.verify_s = 0.0025;
  repetition_record rep;
  rep.samples_s = {2e-5, 1.5e-5, 2.5e-5};
  rep.stats = summarize(rep.samples_s);
  rep.stop_reason = "converged";
  rep.warmup_calls = 5;
  rep.warmup_s = 0.125;
  rep.wall_s = 0.25;
  rep.cpu_s = 0.0625;
  // Telemetry as a GPU backend reports it (the golden file fixes the format, not the device):
  // one batch of two samples throttled by the power cap, one batch with a field not reported.
  telemetry_reading hot;
  hot.first_sample = 0;
  hot.samples = 2;
  hot.sm_clock_mhz = 1755.0;
  hot.memory_clock_mhz = 2619.0;
  hot.power_w = 699.5;
  hot.temperature_c = 71.0;
  hot.clock_event_reasons = "sw_power_cap";
  hot.throttled = true;
  telemetry_reading partial;
  partial.first_sample = 2;
  partial.samples = 1;
  partial.sm_clock_mhz = 1980.0;
  rep.telemetry = {hot, partial};
  passed.repetitions.push_back(rep);

  case_result unsupported;
  unsupported.workload = "gemm:m=64,n=64,k=64,dt=f16";
  unsupported.kind = "gemm";
  unsupported.backend = "openblas";
  unsupported.backend_version = "OpenBLAS 0.3.21";
  unsupported.device_name = "Test CPU 9000";
  unsupported.device_kind = "cpu";
  unsupported.dtype_in = unsupported.dtype_out = "f16";
  unsupported.dtype_acc = "f32";
  unsupported.cache = cache_policy::hot;
  unsupported.result = outcome::unsupported;
  unsupported.reason = "OpenBLAS GEMM offers f64, f32 and bf16:f32 (sbgemm); not dt=f16:f16:f32";
  unsupported.seed = 7;
  unsupported.input_distribution = "normal(0,1)";
  unsupported.flops = 2 * 64 * 64 * 64;
  unsupported.flop_convention = "gemm-2mnk-v1";
  unsupported.min_bytes = 3 * 64 * 64 * 2;

  run.results = {passed, unsupported};
  return run;
}

struct comma_numpunct : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

// Restores the global C++ and C locales when a test ends, however it ends.
struct locale_guard {
  std::locale saved = std::locale();
  ~locale_guard() {
    std::locale::global(saved);
    std::setlocale(LC_ALL, "C");
  }
};

struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "accelbench-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

}  // namespace

TEST_CASE("outcomes and cache policies have stable names", "[results]") {
  for (outcome o : {outcome::pending, outcome::passed, outcome::incorrect, outcome::failed, outcome::unsupported,
                    outcome::skipped, outcome::mistrusted, outcome::interrupted}) {
    const auto parsed = outcome_from_string(to_string(o));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == o);
  }
  CHECK(to_string(outcome::mistrusted) == "mistrusted");
  CHECK_FALSE(outcome_from_string("PASSED").has_value());
  CHECK(is_failure(outcome::incorrect));
  CHECK(is_failure(outcome::failed));
  CHECK_FALSE(is_failure(outcome::unsupported));
  CHECK_FALSE(is_failure(outcome::skipped));
  CHECK_FALSE(is_failure(outcome::mistrusted));
  CHECK(to_string(cache_policy::cold) == "cold");
  CHECK(to_string(cache_policy::hot) == "hot");
}

TEST_CASE("derived numbers: median of medians, TFLOPS only when verified", "[results]") {
  case_result r;
  r.flops = 2'000'000'000'000;
  r.min_bytes = 4'000'000'000;
  CHECK_FALSE(r.median_s().has_value());
  for (double median : {1.0, 4.0, 2.0}) {
    repetition_record rep;
    rep.samples_s = {median};
    rep.stats = summarize(rep.samples_s);
    r.repetitions.push_back(rep);
  }
  REQUIRE(r.median_s().has_value());
  CHECK(*r.median_s() == 2.0);
  r.result = outcome::incorrect;
  CHECK_FALSE(r.tflops().has_value());
  CHECK_FALSE(r.gbps().has_value());
  r.result = outcome::passed;
  REQUIRE(r.tflops().has_value());
  CHECK(*r.tflops() == Approx(1.0));
  CHECK(*r.gbps() == Approx(2.0));
  r.result = outcome::mistrusted;
  CHECK(r.tflops().has_value());
  r.workload = "gemm:m=1,n=1,k=1,dt=f32";
  r.backend = "onednn";
  r.cache = cache_policy::hot;
  CHECK(r.repro_command() == "accelbench run --workload 'gemm:m=1,n=1,k=1,dt=f32' --backend onednn --cache hot");
}

TEST_CASE("statistics summary", "[results]") {
  const sample_statistics s = summarize({4.0, 1.0, 3.0, 2.0, 5.0});
  CHECK(s.count == 5);
  CHECK(s.median == 3.0);
  CHECK(s.q1 == 2.0);
  CHECK(s.q3 == 4.0);
  CHECK(s.iqr == 2.0);
  CHECK(s.min == 1.0);
  CHECK(s.max == 5.0);
  CHECK(s.mean == 3.0);
  CHECK(s.stdev == Approx(std::sqrt(2.5)));
  CHECK(s.cv == Approx(std::sqrt(2.5) / 3.0));
  CHECK(summarize({}).count == 0);
  CHECK(summarize({2.0, 4.0}).median == 3.0);
}

TEST_CASE("canonical JSON matches the golden file", "[results][golden]") {
  const std::string text = to_json_text(golden_run());
  if (const char* update = std::getenv("ACCELBENCH_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    write_file_atomically(golden_path.string(), text);
    WARN("golden file rewritten: " << golden_path);
  }
  REQUIRE(fs::exists(golden_path));
  const std::string golden = read_file(golden_path);
  CHECK(text == golden);

  // Spot checks, so a wrong golden file cannot pass silently.
  const auto json = nlohmann::json::parse(text);
  CHECK(json.at("schema_version") == results_schema_version);
  CHECK(json.at("meta").at("method_version") == method_version);
  CHECK(json.at("meta").at("argv").size() == 6);
  REQUIRE(json.at("results").size() == 2);
  const auto& passed = json.at("results").at(0);
  CHECK(passed.at("outcome") == "passed");
  CHECK(passed.at("median_s").get<double>() == 2e-5);
  CHECK(passed.at("tflops").get<double>() == Approx(524288.0 / 2e-5 / 1e12));
  CHECK(passed.at("gbps").get<double>() == Approx(49152.0 / 2e-5 / 1e9));
  CHECK(passed.at("inputs").at("seed").get<std::uint64_t>() == 12345678901234567890ull);
  CHECK(passed.at("stats").at("n") == 3);
  CHECK(passed.at("repetitions").at(0).at("samples_s").size() == 3);
  CHECK(passed.at("verification").at("local_tolerance").get<double>() == Approx(8e-5));
  const auto& telemetry = passed.at("repetitions").at(0).at("telemetry");
  REQUIRE(telemetry.size() == 2);
  CHECK(telemetry.at(0).at("throttled") == true);
  CHECK(telemetry.at(0).at("clock_event_reasons") == "sw_power_cap");
  CHECK(telemetry.at(1).at("power_w").is_null());  // not reported: null, never 0
  CHECK(passed.at("throttled_samples") == 2);
  CHECK(passed.at("noisy").is_null());  // every repetition converged
  CHECK(passed.at("repetitions").at(0).at("cpu_s").get<double>() == 0.0625);
  const auto& unsupported = json.at("results").at(1);
  CHECK(unsupported.at("throttled_samples").is_null());  // no telemetry, not "0 throttled"
  CHECK(unsupported.at("outcome") == "unsupported");
  CHECK(unsupported.at("verification").is_null());
  CHECK(unsupported.at("tflops").is_null());
  CHECK(unsupported.at("median_s").is_null());
  CHECK(unsupported.at("repetitions").empty());
  CHECK(unsupported.at("cache_policy") == "hot");
  // Key order is part of the format.
  CHECK(text.find("\"schema_version\"") < text.find("\"meta\""));
  CHECK(text.find("\"meta\"") < text.find("\"system\""));
  CHECK(text.find("\"system\"") < text.find("\"results\""));
  CHECK(text.back() == '\n');
}

TEST_CASE("NaN and Inf are written as null", "[results]") {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  constexpr double inf = std::numeric_limits<double>::infinity();
  run_record run = golden_run();
  run.meta.wall_s = nan;
  case_result& r = run.results.at(0);
  r.verification->error = nan;
  r.verification->max_local_error = inf;
  r.prepare_s = -inf;
  repetition_record& rep = r.repetitions.at(0);
  rep.samples_s = {nan, 1e-5, inf};
  rep.stats.median = nan;
  rep.stats.max = inf;
  rep.warmup_s = nan;

  const std::string text = to_json_text(run);
  for (const char* bad : {"nan", "NaN", "inf", "Infinity"}) CHECK(text.find(bad) == std::string::npos);
  const auto json = nlohmann::json::parse(text);  // still valid JSON
  const auto& result = json.at("results").at(0);
  CHECK(json.at("meta").at("wall_s").is_null());
  CHECK(result.at("verification").at("error").is_null());
  CHECK(result.at("verification").at("max_local_error").is_null());
  CHECK(result.at("prepare_s").is_null());
  const auto& samples = result.at("repetitions").at(0).at("samples_s");
  REQUIRE(samples.size() == 3);
  CHECK(samples.at(0).is_null());
  CHECK(samples.at(1).get<double>() == 1e-5);
  CHECK(samples.at(2).is_null());
  CHECK(result.at("repetitions").at(0).at("stats").at("median_s").is_null());
  CHECK(result.at("repetitions").at(0).at("stats").at("max_s").is_null());
  CHECK(result.at("repetitions").at(0).at("warmup_s").is_null());
}

TEST_CASE("JSON numbers do not depend on the C or C++ locale", "[results][locale]") {
  const run_record run = golden_run();
  const std::string classic = to_json_text(run);
  REQUIRE(classic.find("0.5") != std::string::npos);  // min_time_s
  REQUIRE(classic.find("2e-05") != std::string::npos);

  locale_guard guard;
  std::locale::global(std::locale(std::locale::classic(), new comma_numpunct));
  // The installed locale really is in effect for ordinary stream formatting.
  std::ostringstream probe;
  probe << 0.5 << ' ' << 1234567;
  REQUIRE(probe.str() == "0,5 1.234.567");
  CHECK(to_json_text(run) == classic);

  // A C locale with a decimal comma, where the system has one.
  bool c_locale_set = false;
  for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8"}) {
    if (std::setlocale(LC_ALL, name) != nullptr) {
      c_locale_set = true;
      break;
    }
  }
  if (!c_locale_set) {
    WARN("no de_DE/fr_FR C locale installed; only the C++ locale was exercised");
  } else {
    CHECK(std::string(std::localeconv()->decimal_point) == ",");
  }
  const std::string localized = to_json_text(run);
  CHECK(localized == classic);
  CHECK(localized.find("0.5") != std::string::npos);
  CHECK(localized.find("0,5") == std::string::npos);
  CHECK(localized.find("8.589.934.592") == std::string::npos);
  CHECK(localized.find("8589934592") != std::string::npos);
}

TEST_CASE("write_file_atomically writes the whole file", "[results][atomic]") {
  temp_dir dir;
  const fs::path target = dir.path / "results.json";
  write_file_atomically(target.string(), "first\n");
  CHECK(read_file(target) == "first\n");
  // Replacing an existing file.
  const std::string big(1 << 20, 'x');
  write_file_atomically(target.string(), big);
  CHECK(read_file(target) == big);
  write_file_atomically(target.string(), "");
  CHECK(fs::file_size(target) == 0);
  // Nothing but the target is left behind (no temporary files).
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir.path)) {
    INFO(entry.path());
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("write_file_atomically into a missing folder throws and leaves no file", "[results][atomic]") {
  temp_dir dir;
  const fs::path missing = dir.path / "no-such-folder";
  const fs::path target = missing / "results.json";
  try {
    write_file_atomically(target.string(), "data");
    FAIL("expected std::runtime_error");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find(target.string()) != std::string::npos);
  }
  CHECK_FALSE(fs::exists(target));
  CHECK_FALSE(fs::exists(missing));
  CHECK(fs::is_empty(dir.path));
  // A target that is a directory cannot be replaced by a file; the directory survives.
  fs::create_directory(missing);
  CHECK_THROWS_AS(write_file_atomically(missing.string(), "data"), std::runtime_error);
  CHECK(fs::is_directory(missing));
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path)) ++entries;
  CHECK(entries == 1);  // the temporary file was removed
}

// ---- reading result files back ----

TEST_CASE("result files read back into the same record", "[unit][results]") {
  const std::string golden = read_file(golden_path);
  const accelbench::run_record run = accelbench::result_from_json(nlohmann::ordered_json::parse(golden), "golden");
  REQUIRE(run.results.size() == 2);
  // Written again, the record reproduces the file byte for byte.
  CHECK(accelbench::to_json_text(run) == golden);
  // A file measured under an earlier method keeps it (merge and compare must see it).
  auto older = nlohmann::ordered_json::parse(golden);
  older["meta"]["method_version"] = "accelbench-method-1";
  const accelbench::run_record old_run = accelbench::result_from_json(older, "older");
  CHECK(old_run.meta.method_version == "accelbench-method-1");
  CHECK(accelbench::to_json(old_run).at("meta").at("method_version") == "accelbench-method-1");
}

TEST_CASE("malformed result files are rejected naming the field", "[unit][results]") {
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(read_file(golden_path));
  SECTION("newer major schema") {
    document["schema_version"] = "2.0.0";
    CHECK_THROWS_WITH(accelbench::result_from_json(document, "f.json"),
                      Catch::Contains("schema_version") && Catch::Contains("newer"));
  }
  SECTION("bad outcome") {
    document["results"][0]["outcome"] = "great";
    CHECK_THROWS_WITH(accelbench::result_from_json(document, "f.json"), Catch::Contains("results[0].outcome"));
  }
  SECTION("missing field") {
    document["results"][1].erase("workload");
    CHECK_THROWS_WITH(accelbench::result_from_json(document, "f.json"),
                      Catch::Contains("results[1].workload") && Catch::Contains("missing"));
  }
  SECTION("wrong type") {
    document["results"][0]["flops"] = "many";
    CHECK_THROWS_WITH(accelbench::result_from_json(document, "f.json"), Catch::Contains("results[0].flops"));
  }
  SECTION("not an object") {
    CHECK_THROWS_AS(accelbench::result_from_json(nlohmann::ordered_json::array(), "f.json"), accelbench::input_error);
  }
}

TEST_CASE("JSON input: one-line errors name the origin, the field path and the accepted form", "[unit][results]") {
  const nlohmann::ordered_json document = nlohmann::ordered_json::parse(
      R"({"name": "x", "n": "many", "big": 18446744073709551615, "list": [{"x": true}], "rate": -1})");
  const json_cursor root(document, "f.json");
  const auto error_of = [](const auto& read) -> std::string {
    try {
      read();
    } catch (const input_error& e) {
      return e.what();
    }
    return "no error";
  };
  SECTION("wrong type") {
    CHECK(error_of([&] { root.at("n").integer(); }) == "f.json: field 'n': expected an integer");
    CHECK(error_of([&] { root.at("name").boolean(); }) == "f.json: field 'name': expected true or false");
    CHECK(error_of([&] { root.at("rate").positive_or_null(); }) ==
          "f.json: field 'rate': expected a positive number or null");
  }
  SECTION("integers out of range") {
    CHECK(error_of([&] { root.at("big").integer(); }) == "f.json: field 'big': expected an integer");
    CHECK(error_of([&] { root.at("big").small_integer(0); }) ==
          "f.json: field 'big': expected an integer from 0 to 2147483647");
    CHECK(root.at("big").unsigned_integer() == UINT64_MAX);
  }
  SECTION("missing required field") {
    CHECK(error_of([&] { root.at("seed"); }) == "f.json: field 'seed': missing");
    CHECK_FALSE(root.has("seed"));
  }
  SECTION("unknown key") {
    CHECK(error_of([&] {
            root.only_keys({"name", "n", "big", "list"});
          }) == "f.json: field 'rate': unknown key; accepted: name, n, big, list");
    CHECK(error_of([&] {
            root.only_keys({"name", "n", "big", "list"}, "docs/x.md");
          }) == "f.json: field 'rate': unknown key; accepted: name, n, big, list (docs/x.md)");
    CHECK_NOTHROW(root.only_keys({"name", "n", "big", "list", "rate"}));
  }
  SECTION("nested path") {
    CHECK(error_of([&] { root.at("list").index(0).at("x").number(); }) ==
          "f.json: field 'list[0].x': expected a number");
    CHECK(error_of([&] { root.at("list").at("x"); }) == "f.json: field 'list': expected an object");
    CHECK(error_of([&] { root.entry("device 'X'").at("list").index(0).at("y"); }) ==
          "f.json: device 'X': field 'list[0].y': missing");
  }
  SECTION("the root itself has no field part") {
    CHECK(error_of([&] { root.array_size(); }) == "f.json: expected an array");
  }
}

TEST_CASE("JSON input: read_json_file says why a file cannot be read", "[unit][results]") {
  const fs::path dir = fs::temp_directory_path() / ("accelbench-json-input-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string missing = (dir / "missing.json").string();
  CHECK_THROWS_WITH(read_json_file(missing, "an accelbench result file is expected"),
                    Catch::StartsWith(missing + ": cannot read the file (") &&
                        Catch::EndsWith("; an accelbench result file is expected"));
  CHECK_THROWS_WITH(read_json_file(dir.string()), Catch::Contains("is a directory"));
  std::ofstream((dir / "broken.json").string()) << "{\"a\": ";
  CHECK_THROWS_WITH(read_json_file((dir / "broken.json").string()),
                    Catch::Contains("broken.json: not valid JSON (byte"));
  std::ofstream((dir / "huge.json").string()) << "[1e999]";
  CHECK_THROWS_AS(read_json_file((dir / "huge.json").string()), input_error);
  std::ofstream((dir / "good.json").string()) << R"({"b": 1, "a": 2})";
  CHECK(read_json_file((dir / "good.json").string()).begin().key() == "b");  // file order kept
  fs::remove_all(dir);
}

TEST_CASE("JSON output: numbers without a JSON form are written as null", "[unit][results]") {
  CHECK(number_or_null(1.5) == 1.5);
  CHECK(number_or_null(std::numeric_limits<double>::quiet_NaN()).is_null());
  CHECK(number_or_null(-std::numeric_limits<double>::infinity()).is_null());
  CHECK(number_or_null(std::optional<double>()).is_null());
  CHECK(number_or_null(std::optional<double>(2.0)) == 2.0);
}

TEST_CASE("case keys: each match uses as much identity as it needs", "[unit][results]") {
  case_result a;
  a.workload = "gemm:m=8,n=8,k=8,dt=f32";
  a.backend = "reference";
  a.dtype_in = "f32";
  a.system_desc_id = "m1";
  a.run_id = "r1";
  case_result hot = a;
  hot.cache = cache_policy::hot;
  case_result other_run = a;
  other_run.run_id = "r2";
  // Within a run the cache policy is run-wide, so it is no part of the journal's key.
  CHECK(case_key_of(a) == case_key_of(hot));
  CHECK(measurement_key_of(a) != measurement_key_of(hot));
  CHECK(measurement_key_of(a) == measurement_key_of(other_run));
  CHECK(record_key_of(a) != record_key_of(other_run));
  case_result other_device = a;
  other_device.device_index = 1;
  CHECK(case_key_of(a) != case_key_of(other_device));
}

TEST_CASE("human numbers: one style for durations, rates and percents", "[unit][results]") {
  using accelbench::human_duration;
  using accelbench::human_percent;
  using accelbench::human_rate;
  CHECK(human_duration(0.000811109) == "811 µs");
  CHECK(human_duration(5.01561e-07) == "502 ns");
  CHECK(human_duration(2.5e-5) == "25.0 µs");
  CHECK(human_duration(0.00125) == "1.25 ms");
  CHECK(human_duration(3.1) == "3.10 s");
  CHECK(human_duration(125.0) == "125 s");
  CHECK(human_duration(9.9996e-4) == "1.00 ms");  // not "1000 µs"
  CHECK(human_duration(0.5e-9) == "0.500 ns");
  CHECK(human_duration(std::nan("")).empty());
  CHECK(human_rate(0.184212) == "0.184");
  CHECK(human_rate(0.003123) == "0.00312");
  CHECK(human_rate(19.79) == "19.8");
  CHECK(human_rate(989.4) == "989");
  CHECK(human_rate(1979.0) == "1979");  // a quoted spec figure reads as quoted
  CHECK(human_rate(9.9996) == "10.0");
  CHECK(human_rate(0.0) == "0");
  CHECK(human_rate(std::optional<double>()).empty());
  CHECK(human_percent(25.3028) == "25.3%");
  CHECK(human_percent(77.9082) == "77.9%");
  CHECK(human_percent(137.4) == "137%");
  CHECK(human_percent(0.04) == "0.0%");
  CHECK(human_percent(std::numeric_limits<double>::infinity()).empty());
}
