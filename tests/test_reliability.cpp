// Reliability, host side: the result reader's schema rules, the run journal (write, read,
// partial lines, corruption), case isolation in a child process, and the signal flag.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "bench/engine/case_isolation.hpp"
#include "bench/engine/interrupt.hpp"
#include "bench/runner/run_journal.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"
#include "tests/support/file_io.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using namespace accelbench;

namespace {

case_result sample_case(const std::string& workload, outcome o = outcome::passed) {
  case_result c;
  c.workload = workload;
  c.kind = "gemm";
  c.backend = "reference";
  c.backend_version = "ref 1";
  c.device_name = "cpu";
  c.device_kind = "cpu";
  c.dtype_in = c.dtype_out = c.dtype_acc = "f32";
  c.result = o;
  c.flops = 1000;
  c.min_bytes = 100;
  c.seed = 7;
  c.input_distribution = "normal(0,1)";
  c.flop_convention = "gemm-2mnk-v1";
  verification_result v;
  v.passed = true;
  v.method = "full";
  v.error = 1e-7;
  v.tolerance = 1e-5;
  c.verification = v;
  repetition_record rep;
  rep.samples_s = {1e-3, 1.1e-3, 0.9e-3};
  rep.stats = summarize(rep.samples_s);
  rep.stop_reason = "converged";
  c.repetitions.push_back(rep);
  return c;
}

run_record sample_run() {
  run_record run;
  run.meta.tool_version = "0.1.0";
  run.meta.argv = {"accelbench", "run"};
  run.meta.stopping = json::object();
  run.system = {{"system_desc_id", "abc"}};
  run.results = {sample_case("gemm:m=8,n=8,k=8,dt=f32")};
  return run;
}

const std::vector<case_key> three_cases = {{"gemm:m=8,n=8,k=8,dt=f32", "reference", 0},
                                           {"gemm:m=16,n=8,k=8,dt=f32", "reference", 0},
                                           {"gemm:m=24,n=8,k=8,dt=f32", "reference", 0}};

json sample_header() {
  return make_journal_header({{"argv", {"accelbench", "run"}}}, {{"system_desc_id", "abc"}}, {{"seed", 42}},
                             three_cases);
}

std::string entry_line(std::size_t index, const case_result& c, double elapsed = 1.0) {
  return json{{"index", index}, {"elapsed_s", elapsed}, {"case", to_json(c)}}.dump() + "\n";
}

}  // namespace

TEST_CASE("interrupted is an outcome with a stable name, not a failure", "[unit][reliability]") {
  CHECK(to_string(outcome::interrupted) == "interrupted");
  CHECK(outcome_from_string("interrupted") == outcome::interrupted);
  CHECK_FALSE(is_failure(outcome::interrupted));
  case_result c = sample_case("gemm:m=8,n=8,k=8,dt=f32", outcome::interrupted);
  CHECK_FALSE(c.tflops().has_value());  // never a figure for an unfinished case
  const case_result back = case_from_json(to_json(c), "test");
  CHECK(back.result == outcome::interrupted);
  CHECK(to_json(back) == to_json(c));
}

TEST_CASE("result reader: unknown keys and schema versions", "[unit][reliability]") {
  json document = to_json(sample_run());
  REQUIRE_NOTHROW(result_from_json(document, "f.json"));
  SECTION("unknown key at every level is an error naming it") {
    const std::vector<std::pair<json::json_pointer, std::string>> places = {
        {json::json_pointer("/extra"), "'extra'"},
        {json::json_pointer("/meta/extra"), "'meta.extra'"},
        {json::json_pointer("/results/0/extra"), "'results[0].extra'"},
        {json::json_pointer("/results/0/device/extra"), "'results[0].device.extra'"},
        {json::json_pointer("/results/0/inputs/extra"), "'results[0].inputs.extra'"},
        {json::json_pointer("/results/0/verification/extra"), "'results[0].verification.extra'"},
        {json::json_pointer("/results/0/repetitions/0/extra"), "'results[0].repetitions[0].extra'"},
        {json::json_pointer("/results/0/repetitions/0/stats/extra"), "'results[0].repetitions[0].stats.extra'"},
        {json::json_pointer("/results/0/stats/extra"), "'results[0].stats.extra'"},
    };
    for (const auto& [pointer, name] : places) {
      json bad = document;
      bad[pointer] = 1;
      INFO(name);
      CHECK_THROWS_WITH(result_from_json(bad, "f.json"), Catch::Contains(name) && Catch::Contains("unknown key"));
    }
  }
  SECTION("a newer minor version may add keys; a newer major is refused") {
    document["schema_version"] = "1.99.0";
    document["results"][0]["new_optional_field"] = true;
    CHECK_NOTHROW(result_from_json(document, "f.json"));
    document["schema_version"] = "2.0.0";
    CHECK_THROWS_WITH(result_from_json(document, "f.json"), Catch::Contains("newer"));
  }
  SECTION("an older minor (1.0.0, before run_id, shard and record origins) still reads") {
    document["schema_version"] = "1.0.0";
    document["meta"].erase("run_id");
    document["meta"].erase("shard");
    document["results"][0].erase("system_desc_id");
    document["results"][0].erase("run_id");
    document["results"][0].erase("noisy");
    document["results"][0].erase("throttled_samples");
    document["results"][0]["repetitions"][0].erase("cpu_s");
    document["results"][0]["repetitions"][0].erase("calls_per_sample");
    document["results"][0]["repetitions"][0].erase("telemetry");
    const run_record run = result_from_json(document, "f.json");
    CHECK_FALSE(run.results.front().repetitions.front().cpu_s.has_value());
    CHECK(run.meta.run_id.empty());
    CHECK(run.meta.shard_count == 0);
  }
  SECTION("shard values are checked") {
    document["meta"]["shard"] = {{"index", 4}, {"count", 4}};
    CHECK_THROWS_WITH(result_from_json(document, "f.json"), Catch::Contains("meta.shard"));
  }
  SECTION("an older major is refused explicitly") {
    document["schema_version"] = "0.9.0";
    CHECK_THROWS_WITH(result_from_json(document, "f.json"), Catch::Contains("predates"));
  }
  SECTION("malformed versions") {
    for (const char* v : {"1", "1.0", "1.0.0.0", "x.0.0", "99999999999999999999999.0.0", "1.-1.0", ""}) {
      INFO(v);
      document["schema_version"] = v;
      CHECK_THROWS_WITH(result_from_json(document, "f.json"), Catch::Contains("schema_version"));
    }
  }
  SECTION("values out of range") {
    document["results"][0]["device"]["index"] = -1;
    CHECK_THROWS_WITH(result_from_json(document, "f.json"), Catch::Contains("device.index"));
    document = to_json(sample_run());
    document["results"][0]["flops"] = -5;
    CHECK_THROWS_WITH(result_from_json(document, "f.json"), Catch::Contains("results[0].flops"));
    document = to_json(sample_run());
    document["meta"]["stopping"] = 3;
    CHECK_THROWS_WITH(result_from_json(document, "f.json"), Catch::Contains("meta.stopping"));
  }
}

TEST_CASE("result reader: every documented field is type-checked; a file that disagrees with itself is refused",
          "[unit][reliability]") {
  // Each of these edits used to read without complaint.
  const json original = to_json(sample_run());
  REQUIRE_NOTHROW(result_from_json(original, "f.json"));
  struct mutation {
    const char* what;
    std::function<void(json&)> edit;
    std::vector<std::string> message;
  };
  const std::vector<mutation> mutations = {
      {"median_s not a number", [](json& d) { d["results"][0]["median_s"] = "hello"; }, {"results[0].median_s"}},
      {"tflops not a number", [](json& d) { d["results"][0]["tflops"] = "fast"; }, {"results[0].tflops"}},
      {"tflops edited",
       [](json& d) { d["results"][0]["tflops"] = 999; },
       {"results[0].tflops", "does not match", "flops / median_s"}},
      {"gbps edited", [](json& d) { d["results"][0]["gbps"] = 1.0; }, {"results[0].gbps", "does not match"}},
      {"median_s edited",
       [](json& d) { d["results"][0]["median_s"] = 5e-3; },
       {"results[0].median_s", "does not match"}},
      {"stats removed", [](json& d) { d["results"][0].erase("stats"); }, {"results[0].stats", "missing"}},
      {"unknown stats key",
       [](json& d) { d["results"][0]["stats"]["p99_s"] = 1e-3; },
       {"results[0].stats.p99_s", "unknown key"}},
      {"repetition stats scaled",
       [](json& d) {
         for (auto& [key, value] : d["results"][0]["repetitions"][0]["stats"].items()) {
           if (key != "n" && key != "cv" && value.is_number()) value = value.get<double>() * 3;
         }
       },
       {"results[0].repetitions[0].stats.median_s", "does not match"}},
      {"samples scaled",
       [](json& d) {
         for (auto& sample : d["results"][0]["repetitions"][0]["samples_s"]) sample = sample.get<double>() * 3;
       },
       {"results[0].repetitions[0].stats", "does not match"}},
      {"a sample removed",
       [](json& d) { d["results"][0]["repetitions"][0]["samples_s"].erase(0); },
       {"results[0].repetitions[0].stats.n", "does not match"}},
      {"negative sample",
       [](json& d) { d["results"][0]["repetitions"][0]["samples_s"][0] = -1e-3; },
       {"results[0].repetitions[0].samples_s[0]", ">= 0"}},
      {"stop reason",
       [](json& d) { d["results"][0]["repetitions"][0]["stop_reason"] = "bored"; },
       {"stop_reason", "converged, timeout or max_samples"}},
      {"noisy without a timeout",
       [](json& d) {
         d["results"][0]["noisy"] = {{"timeout_repetitions", 1}, {"repetitions", 1}, {"max_cv", 0.5}};
       },
       {"results[0].noisy", "does not match"}},
      {"noisy removed from a timed-out case",
       [](json& d) { d["results"][0]["repetitions"][0]["stop_reason"] = "timeout"; },
       {"results[0].noisy", "does not match"}},
      {"cpu time negative",
       [](json& d) { d["results"][0]["repetitions"][0]["cpu_s"] = -1.0; },
       {"results[0].repetitions[0].cpu_s"}},
      {"metric",
       [](json& d) { d["results"][0]["verification"]["metric"] = "l2"; },
       {"verification.metric", "relative_frobenius"}},
      {"local tolerance",
       [](json& d) { d["results"][0]["verification"]["local_tolerance"] = 1.0; },
       {"verification.local_tolerance", "does not match"}},
      {"tool", [](json& d) { d["meta"]["tool"] = "nvbench"; }, {"meta.tool", "accelbench"}},
      {"method version", [](json& d) { d["meta"]["method_version"] = 1; }, {"meta.method_version"}},
      {"repro", [](json& d) { d["results"][0]["repro"] = nullptr; }, {"results[0].repro"}},
  };
  for (const mutation& m : mutations) {
    json document = original;
    m.edit(document);
    INFO(m.what);
    try {
      result_from_json(document, "f.json");
      FAIL("accepted");
    } catch (const input_error& e) {
      const std::string message = e.what();
      CHECK(message.rfind("f.json: ", 0) == 0);
      for (const std::string& needle : m.message) CHECK_THAT(message, Catch::Contains(needle));
    }
  }
  SECTION("a noisy case reads back with its flag") {
    case_result noisy = sample_case("gemm:m=8,n=8,k=8,dt=f32");
    noisy.repetitions.front().stop_reason = "timeout";
    run_record run = sample_run();
    run.results = {noisy};
    const json document = to_json(run);
    REQUIRE(document["results"][0]["noisy"]["timeout_repetitions"] == 1);
    CHECK(result_from_json(document, "f.json").results.front().noise().has_value());
  }
}

TEST_CASE("journal: written lines read back; a cut-off last line is dropped", "[unit][reliability][journal]") {
  const testing::temp_dir dir("accelbench-rel");
  const std::string path = (dir.path / "run.journal").string();
  {
    journal_writer writer = journal_writer::create(path, sample_header());
    writer.append(0, 1.5, sample_case(three_cases[0].workload));
    writer.append(2, 2.5, sample_case(three_cases[2].workload, outcome::unsupported));
  }
  journal_contents j = read_journal(path);
  CHECK(j.cases == three_cases);
  REQUIRE(j.entries.size() == 2);
  CHECK(j.entries[0].index == 0);
  CHECK(j.entries[1].index == 2);
  CHECK(j.entries[1].elapsed_s == 2.5);
  CHECK(j.entries[1].record.result == outcome::unsupported);
  CHECK(to_json(j.entries[0].record) == to_json(sample_case(three_cases[0].workload)));
  CHECK_FALSE(j.dropped_partial_line);
  const std::string complete = testing::read_file(path);
  CHECK(j.valid_bytes == complete.size());

  // kill -9 in the middle of a write: half a line at the end.
  const std::string partial = entry_line(1, sample_case(three_cases[1].workload));
  { std::ofstream(path, std::ios::app) << partial.substr(0, partial.size() / 2); }
  j = read_journal(path);
  CHECK(j.dropped_partial_line);
  CHECK(j.entries.size() == 2);
  CHECK(j.valid_bytes == complete.size());

  // Resuming cuts the partial line off before appending.
  {
    journal_writer writer = journal_writer::reopen(path, j.valid_bytes);
    writer.append(1, 3.0, sample_case(three_cases[1].workload));
  }
  j = read_journal(path);
  CHECK_FALSE(j.dropped_partial_line);
  REQUIRE(j.entries.size() == 3);
  CHECK(j.entries[2].index == 1);

  journal_writer writer = journal_writer::reopen(path, j.valid_bytes);
  writer.remove();
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("journal: malformed content is an input_error naming the line", "[unit][reliability][journal]") {
  const std::string header = sample_header().dump() + "\n";
  const std::string good = entry_line(0, sample_case(three_cases[0].workload));
  struct bad {
    std::string text, needle;
  };
  json wrong_version = sample_header();
  wrong_version["accelbench_journal"] = 2;
  json extra_key = sample_header();
  extra_key["extra"] = 1;
  json bad_cases = sample_header();
  bad_cases["cases"][1] = "gemm";
  const std::vector<bad> cases = {
      {"", "no header line"},
      {"{\"not\": \"a journal\"}\n", "j:1: not an accelbench journal"},
      {"garbage\n", "j:1: not valid JSON"},
      {wrong_version.dump() + "\n", "journal format 2"},
      {extra_key.dump() + "\n", "'extra': unknown key"},
      {bad_cases.dump() + "\n", "'cases[1]'"},
      {header + "not json\n" + good, "j:2: not valid JSON"},
      {header + good + good, "j:3: case 0 appears twice"},
      {header + entry_line(3, sample_case(three_cases[0].workload)), "j:2: field 'index'"},
      {header + entry_line(1, sample_case(three_cases[0].workload)), "j:2: field 'case': is not case 1"},
      {header + entry_line(0, sample_case(three_cases[0].workload, outcome::interrupted)), "never journaled"},
      {header + entry_line(0, sample_case(three_cases[0].workload), -1.0), "'elapsed_s'"},
      {header + "{\"index\": 0}\n", "j:2: not a journal entry"},
      {header + "\n", "j:2: not valid JSON"},
  };
  for (const bad& b : cases) {
    INFO(b.text.substr(0, 200));
    CHECK_THROWS_AS(parse_journal(b.text, "j"), input_error);
    CHECK_THROWS_WITH(parse_journal(b.text, "j"), Catch::Contains(b.needle));
  }
  json entry = json::parse(good);
  entry["case"]["outcome"] = "great";
  CHECK_THROWS_WITH(parse_journal(header + entry.dump() + "\n", "j"), Catch::Contains("j:2: field 'case.outcome'"));
}

TEST_CASE("journal: creating over a missing folder is an input_error", "[unit][reliability][journal]") {
  CHECK_THROWS_AS(journal_writer::create("/nonexistent-folder/x.journal", sample_header()), input_error);
  CHECK_THROWS_AS(read_journal("/nonexistent-folder/x.journal"), input_error);
}

TEST_CASE("isolation: the child's record comes back; crashes, aborts, hangs and exceptions do not",
          "[unit][reliability][isolate]") {
  const case_result start = sample_case("gemm:m=8,n=8,k=8,dt=f32", outcome::pending);
  SECTION("a normal child") {
    case_result record = start;
    run_isolated(record, 30, [](case_result& r) {
      r.result = outcome::passed;
      r.reason = "from the child";
      r.repetitions.push_back(r.repetitions.front());
    });
    CHECK(record.result == outcome::passed);
    CHECK(record.reason == "from the child");
    CHECK(record.repetitions.size() == 2);
  }
  SECTION("a segfault") {
    case_result record = start;
    run_isolated(record, 30, [](case_result&) {
      std::signal(SIGSEGV, SIG_DFL);
      std::raise(SIGSEGV);
    });
    CHECK(record.result == outcome::failed);
    CHECK_THAT(record.reason, Catch::Contains("SIGSEGV"));
    CHECK(record.repetitions.size() == 1);  // the parent's record, untouched otherwise
  }
  SECTION("an abort") {
    case_result record = start;
    run_isolated(record, 30, [](case_result&) { std::abort(); });
    CHECK(record.result == outcome::failed);
    CHECK_THAT(record.reason, Catch::Contains("SIGABRT"));
  }
  SECTION("a hang ends at the timeout") {
    case_result record = start;
    const auto t0 = std::chrono::steady_clock::now();
    run_isolated(record, 0.5, [](case_result&) {
      while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
    });
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(record.result == outcome::failed);
    CHECK_THAT(record.reason, Catch::Contains("timeout") && Catch::Contains("--case-timeout 0.5"));
    CHECK(waited >= 0.5);
    CHECK(waited < 10);
  }
  SECTION("an exception in the child") {
    case_result record = start;
    run_isolated(record, 30, [](case_result&) { throw std::runtime_error("boom"); });
    CHECK(record.result == outcome::failed);
    CHECK_THAT(record.reason, Catch::Contains("exited with status 4"));
  }
}

TEST_CASE("SIGINT and SIGTERM set a flag; a second one exits at once", "[unit][reliability][signals]") {
  // In a child: the flag is process-wide and must not leak into the other tests.
  for (int signal_number : {SIGINT, SIGTERM}) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      if (interrupt_requested()) _exit(10);
      install_interrupt_handlers();
      std::raise(signal_number);
      const bool ok = interrupt_requested() && interrupt_signal() == signal_number;
      if (!ok) _exit(11);
      std::raise(signal_number == SIGINT ? SIGTERM : SIGINT);  // a second signal exits at once
      _exit(12);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    INFO(signal_name(signal_number));
    REQUIRE(WIFEXITED(status));  // the handler caught both: the child was not killed by them
    CHECK(WEXITSTATUS(status) == 128 + (signal_number == SIGINT ? SIGTERM : SIGINT));
  }
  CHECK(std::string(signal_name(SIGSEGV)) == "SIGSEGV");
  CHECK(std::string(signal_name(SIGTERM)) == "SIGTERM");
}

// Inputs the fuzzers found (tests/fuzz): each stays a regression test.
TEST_CASE("fuzz regressions: result files", "[unit][reliability][fuzz]") {
  // A number beyond double range made the JSON parser throw out_of_range, which escaped as an
  // internal error (exit 3) instead of an input_error (exit 2).
  const std::string path = std::string(ACCELBENCH_FIXTURES_DIR) + "/fuzz_result_number_overflow.json";
  CHECK_THROWS_AS(read_result_file(path), input_error);
  CHECK_THROWS_WITH(read_result_file(path), Catch::Contains("fuzz_result_number_overflow.json"));
}
