// Backends loaded at run time (backends/loader/plugin_loader.hpp) against mock plugins built from
// tests/plugins/mock_backend.c, one folder per scenario under ACCELBENCH_MOCK_PLUGIN_DIR:
//   good/          mock: f32 GEMM only, everything else unsupported
//   failures/      ABI version 2, a 16-byte table, no entry symbol, failing init, a NULL
//                  required slot, a table named unlike its file, score 0
//   variants/      mockv-{generic 1, fast 10, future 0, broken 20 + failing init}
//   dup_a/ dup_b/  libaccelbench-backend-mockdup.so in both (library_version "a" / "b")
//   builtin_name/  a plugin named "reference"
//   slowdown/      mock with the planted slowdown of tests/test_compare_e2e.cpp (MOCK_SLOWDOWN=N)
// Every failure must become a reason on its candidate and never stop the harness.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "backends/loader/plugin_loader.hpp"
#include "backends/loader/registry.hpp"
#include "bench/engine/case_runner.hpp"
#include "kernels/spec/errors.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/temp_dir.hpp"

using namespace accelbench;
namespace fs = std::filesystem;

namespace {

const fs::path mock_root = ACCELBENCH_MOCK_PLUGIN_DIR;

std::string dir(const char* scenario) { return (mock_root / scenario).string(); }

// The process-wide search configuration, reset for each test: only what a test names is seen.
struct search_scope {
  explicit search_scope(const std::vector<std::string>& dirs) {
    unsetenv("ACCELBENCH_BACKEND_PATH");
    set_backend_dirs(dirs);
  }
  ~search_scope() {
    unsetenv("ACCELBENCH_BACKEND_PATH");
    set_backend_dirs({});
  }
};

// load_backends() with its report, shut down again at the end of the test.
struct loaded {
  plugin_report report;
  std::vector<backend_entry> entries;
  loaded() : entries(load_backends(&report)) {}
  ~loaded() { shutdown_backends(entries); }
  const backend_entry* find(const std::string& name) const {
    for (const backend_entry& e : entries) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }
  const plugin_candidate& candidate(const std::string& file_name) const {
    for (const plugin_candidate& c : report.candidates) {
      if (c.file.filename() == file_name) return c;
    }
    FAIL("no candidate " << file_name);
    throw std::logic_error("unreachable");
  }
};

const plugin_candidate& find_candidate(const std::vector<plugin_candidate>& all, const std::string& file_name) {
  for (const plugin_candidate& c : all) {
    if (c.file.filename() == file_name) return c;
  }
  FAIL("no candidate " << file_name);
  throw std::logic_error("unreachable");
}

std::vector<plugin_candidate> discover(const std::vector<std::string>& dirs) {
  std::vector<plugin_dir> search;
  for (const std::string& d : dirs) search.push_back({d, plugin_dir_origin::option, fs::is_directory(d)});
  return discover_plugins(search);
}

struct command_result {
  int exit_code = -1;
  std::string output;  // stdout, then stderr
};

command_result run_accelbench(const std::vector<std::string>& args) {
  const testing::temp_dir dir("accelbench-plugins");
  const testing::cli_result r = testing::run_accelbench(dir, args);
  return {r.exit_code, r.out + r.err};
}

case_result run_case(const backend_entry& backend, const std::string& text) {
  run_options options;
  options.stop.timeout_s = 0.2;
  options.stop.min_samples = 3;
  options.stop.min_time_s = 0.01;
  options.stop.warmup_time_s = 0.01;
  case_runner runner(options, 1 << 20);
  const bench_case c{text, parse_workload(text), &backend, 0};
  case_result record = runner.new_record(c);
  runner.run_repetition(c, record);
  return record;
}

}  // namespace

TEST_CASE("plugin file names: libaccelbench-backend-<name>[-variant].so", "[plugin]") {
  const auto plain = parse_plugin_file_name("libaccelbench-backend-cuda.so");
  REQUIRE(plain.has_value());
  CHECK(plain->name == "cuda");
  CHECK(plain->variant.empty());
  const auto variant = parse_plugin_file_name("libaccelbench-backend-cuda-sm90-v1.2.so");
  REQUIRE(variant.has_value());
  CHECK(variant->name == "cuda");
  CHECK(variant->variant == "sm90-v1.2");
  for (const char* bad : {"libaccelbench-backend-.so", "libaccelbench-backend-Cuda.so",
                          "libaccelbench-backend-cuda-.so", "libaccelbench-backend-cuda.so.1", "libaccelbench-cuda.so",
                          "accelbench-backend-cuda.so", "libaccelbench-backend-cu da.so"}) {
    INFO(bad);
    CHECK_FALSE(parse_plugin_file_name(bad).has_value());
  }
}

TEST_CASE("plugin failures become reasons: version, size, symbol, slot, name, score", "[plugin]") {
  const std::vector<plugin_candidate> all = discover({dir("failures")});
  REQUIRE(all.size() == 7);
  auto reason_of = [&all](const std::string& file) {
    const plugin_candidate& c = find_candidate(all, file);
    CHECK(c.table == nullptr);  // none of them is usable
    CHECK_FALSE(c.selected);
    return c.reason;
  };
  using Catch::Matchers::Contains;
  CHECK_THAT(reason_of("libaccelbench-backend-mockabi.so"),
             Contains("ABI mismatch") && Contains("built for backend ABI 2") && Contains("speaks ABI 1"));
  CHECK_THAT(reason_of("libaccelbench-backend-mocksize.so"), Contains("ABI mismatch") && Contains("is 16 bytes"));
  CHECK_THAT(reason_of("libaccelbench-backend-mocknosym.so"), Contains("missing symbol accelbench_backend_entry"));
  CHECK_THAT(reason_of("libaccelbench-backend-mocknull.so"), Contains("required slot 'prepare' is NULL"));
  CHECK_THAT(reason_of("libaccelbench-backend-mockname.so"),
             Contains("file name says backend 'mockname'") && Contains("named 'othername'"));
  CHECK_THAT(reason_of("libaccelbench-backend-mockzero.so"),
             Contains("cannot run on this host") && Contains("returned 0"));
  // mockinit loads fine; its init fails only when it is selected (next test).
  const plugin_candidate& init = find_candidate(all, "libaccelbench-backend-mockinit.so");
  CHECK(init.table != nullptr);
  CHECK(init.reason.empty());
}

TEST_CASE("a failing plugin init is listed with file and reason; the harness goes on", "[plugin]") {
  search_scope scope({dir("failures")});
  loaded l;
  const backend_entry* init = l.find("mockinit");
  REQUIRE(init != nullptr);
  CHECK_FALSE(init->available);
  CHECK(init->table == nullptr);
  CHECK_THAT(init->reason, Catch::Matchers::Contains("libaccelbench-backend-mockinit.so") &&
                               Catch::Matchers::Contains("initialization failed: mock: no device driver loaded"));
  // Every bad plugin is an unavailable backend with its file in the reason.
  for (const char* name : {"mockabi", "mocksize", "mocknosym", "mocknull", "mockname", "mockzero"}) {
    INFO(name);
    const backend_entry* e = l.find(name);
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->available);
    CHECK_THAT(e->reason, Catch::Matchers::Contains(std::string("libaccelbench-backend-") + name + ".so"));
  }
  CHECK(l.candidate("libaccelbench-backend-mockinit.so").reason.find("initialization failed") != std::string::npos);
  // The rest of the harness is untouched: reference is still there.
  const backend_entry* reference = l.find("reference");
  REQUIRE(reference != nullptr);
#ifndef ACCELBENCH_TEST_BACKEND_DL
  CHECK(reference->available);
#endif
}

TEST_CASE("score selection: highest usable score wins, 0 means cannot run here, a failing init falls back",
          "[plugin]") {
  search_scope scope({dir("variants")});
  loaded l;
  const backend_entry* e = l.find("mockv");
  REQUIRE(e != nullptr);
  REQUIRE(e->available);
  CHECK(e->version == "fast");  // broken (20) fails init, fast (10) beats generic (1); future (0) never runs
  CHECK(fs::path(e->file).filename() == "libaccelbench-backend-mockv-fast.so");
  CHECK(l.candidate("libaccelbench-backend-mockv-fast.so").selected);
  CHECK(l.candidate("libaccelbench-backend-mockv-fast.so").score == 10);
  CHECK_THAT(l.candidate("libaccelbench-backend-mockv-broken.so").reason,
             Catch::Matchers::Contains("initialization failed"));
  CHECK_THAT(l.candidate("libaccelbench-backend-mockv-generic.so").reason,
             Catch::Matchers::Contains("not selected") && Catch::Matchers::Contains("higher score (10 > 1)"));
  CHECK_THAT(l.candidate("libaccelbench-backend-mockv-future.so").reason,
             Catch::Matchers::Contains("cannot run on this host"));
  // Exactly one backend entry for the four files.
  CHECK(std::count_if(l.entries.begin(), l.entries.end(), [](const backend_entry& b) { return b.name == "mockv"; }) ==
        1);
}

TEST_CASE("select_plugin: preference order and init fallback", "[plugin]") {
  std::vector<plugin_candidate> all = discover({dir("variants")});
  std::vector<std::string> tried;
  plugin_candidate* chosen = select_plugin(all, "mockv", [&tried](const plugin_candidate& c) {
    tried.push_back(c.variant);
    return c.variant == "fast" ? std::string{} : std::string("refused by the test");
  });
  REQUIRE(chosen != nullptr);
  CHECK(chosen->variant == "fast");
  // Highest score first; nothing after the first success is initialized; score 0 never is.
  CHECK(tried == std::vector<std::string>{"broken", "fast"});
  // Nobody succeeds: no choice, every usable candidate carries its own failure.
  std::vector<plugin_candidate> again = discover({dir("variants")});
  CHECK(select_plugin(again, "mockv", [](const plugin_candidate&) { return std::string("no"); }) == nullptr);
  for (const plugin_candidate& c : again) {
    INFO(c.file);
    CHECK_FALSE(c.selected);
    CHECK_FALSE(c.reason.empty());
  }
}

TEST_CASE("two plugins with the same name: the earlier search directory wins", "[plugin]") {
  {
    search_scope scope({dir("dup_a"), dir("dup_b")});
    loaded l;
    const backend_entry* e = l.find("mockdup");
    REQUIRE(e != nullptr);
    REQUIRE(e->available);
    CHECK(e->version == "a");
    const plugin_candidate& shadowed = l.report.candidates.at(1);
    CHECK(shadowed.file == fs::path(dir("dup_b")) / "libaccelbench-backend-mockdup.so");
    CHECK_FALSE(shadowed.selected);
    CHECK_THAT(shadowed.reason, Catch::Matchers::Contains("shadowed by") && Catch::Matchers::Contains("dup_a"));
    CHECK(std::count_if(l.entries.begin(), l.entries.end(),
                        [](const backend_entry& b) { return b.name == "mockdup"; }) == 1);
  }
  {
    search_scope scope({dir("dup_b"), dir("dup_a")});
    loaded l;
    REQUIRE(l.find("mockdup") != nullptr);
    CHECK(l.find("mockdup")->version == "b");
  }
}

TEST_CASE("discovery order: --backend-dir, then ACCELBENCH_BACKEND_PATH, then install, then exe dir", "[plugin]") {
  search_scope scope({dir("dup_a")});
  setenv("ACCELBENCH_BACKEND_PATH", (dir("dup_b") + ":" + dir("good") + "::" + dir("dup_a")).c_str(), 1);
  const std::vector<plugin_dir> dirs = plugin_search_dirs();
  REQUIRE(dirs.size() >= 3);
  CHECK(dirs[0].path == fs::path(dir("dup_a")));
  CHECK(dirs[0].origin == plugin_dir_origin::option);
  CHECK(dirs[1].path == fs::path(dir("dup_b")));
  CHECK(dirs[1].origin == plugin_dir_origin::environment);
  CHECK(dirs[2].path == fs::path(dir("good")));
  CHECK(dirs[2].origin == plugin_dir_origin::environment);
  // dup_a reached twice is searched once; then the two built-in places, in that order.
  const auto origin_count = [&dirs](plugin_dir_origin o) {
    return std::count_if(dirs.begin(), dirs.end(), [o](const plugin_dir& d) { return d.origin == o; });
  };
  CHECK(origin_count(plugin_dir_origin::environment) == 2);
  REQUIRE(dirs.size() == 5);
  CHECK(dirs[3].origin == plugin_dir_origin::install);
  CHECK(dirs[4].origin == plugin_dir_origin::executable);
  CHECK(dirs[4].path.filename() == "backends");
  {
    loaded l;
    REQUIRE(l.find("mockdup") != nullptr);
    CHECK(l.find("mockdup")->version == "a");  // --backend-dir before the environment
  }
  set_backend_dirs({});
  {
    loaded l;
    REQUIRE(l.find("mockdup") != nullptr);
    CHECK(l.find("mockdup")->version == "b");  // now the environment decides
  }
  CHECK(plugin_dir_origin_from_string(to_string(plugin_dir_origin::environment)) == plugin_dir_origin::environment);
  CHECK(plugin_dir_origin_from_string("nowhere") == plugin_dir_origin::invalid);
}

TEST_CASE("a plugin that reports an unsupported workload: verified where it runs, unsupported elsewhere", "[plugin]") {
  search_scope scope({dir("good")});
  loaded l;
  const backend_entry* mock = l.find("mock");
  REQUIRE(mock != nullptr);
  REQUIRE(mock->available);
  CHECK(fs::path(mock->file).filename() == "libaccelbench-backend-mock.so");
  REQUIRE(mock->devices.size() == 1);
  CHECK(mock->devices[0].name == "mock device");

  const case_result gemm = run_case(*mock, "gemm:m=33,n=17,k=29,tb=t,dt=f32,batch=2");
  INFO(gemm.reason);
  CHECK(gemm.result == outcome::passed);
  CHECK(gemm.tflops().has_value());
  for (const char* text : {"gemm:m=8,n=8,k=8,dt=bf16", "attn:b=1,hq=2,hkv=2,sq=8,skv=8,d=8,causal=0,dt=f32"}) {
    INFO(text);
    const case_result r = run_case(*mock, text);
    CHECK(r.result == outcome::unsupported);
    CHECK(r.reason == "mock: only f32 GEMM");
    CHECK_FALSE(r.tflops().has_value());
  }
}

TEST_CASE("the planted slowdown: MOCK_SLOWDOWN=N is marked in the plan; a bad value fails init", "[plugin]") {
  search_scope scope({dir("slowdown")});
  REQUIRE(setenv("MOCK_SLOWDOWN", "3", 1) == 0);
  {
    loaded l;
    const backend_entry* mock = l.find("mock");
    REQUIRE(mock != nullptr);
    REQUIRE(mock->available);
    const case_result gemm = run_case(*mock, "gemm:m=33,n=17,k=29,tb=t,dt=f32,batch=2");
    INFO(gemm.reason);
    CHECK(gemm.result == outcome::passed);  // the work done three times is still the right answer
    CHECK(gemm.plan_description == "mock naive loops [TEST-ONLY SLOWDOWN MOCK_SLOWDOWN=3: work done 3 times]");
  }
  for (const char* bad : {"0", "17", "abc", "2x", ""}) {
    INFO("MOCK_SLOWDOWN='" << bad << "'");
    REQUIRE(setenv("MOCK_SLOWDOWN", bad, 1) == 0);
    loaded l;
    const backend_entry* mock = l.find("mock");
    REQUIRE(mock != nullptr);
    CHECK_FALSE(mock->available);
    CHECK_THAT(mock->reason, Catch::Matchers::Contains(std::string("initialization failed: MOCK_SLOWDOWN='") + bad +
                                                       "': accepted values are 1 to 16"));
  }
  unsetenv("MOCK_SLOWDOWN");
  loaded l;
  REQUIRE(l.find("mock") != nullptr);
  REQUIRE(l.find("mock")->available);
  CHECK(run_case(*l.find("mock"), "gemm:m=8,n=8,k=8,dt=f32").plan_description == "mock naive loops");
}

TEST_CASE("a plugin named like a known backend", "[plugin]") {
  search_scope scope({dir("builtin_name")});
  loaded l;
  const backend_entry* reference = l.find("reference");
  REQUIRE(reference != nullptr);
  const plugin_candidate& c = l.candidate("libaccelbench-backend-reference.so");
#ifdef ACCELBENCH_TEST_BACKEND_DL
  // Not linked in: the plugin of that name provides it.
  CHECK(reference->available);
  CHECK(reference->version == "mock reference");
  CHECK(c.selected);
#else
  // Linked in: the linked-in one is used, the plugin is listed as not used.
  CHECK(reference->available);
  CHECK(reference->version != "mock reference");
  CHECK(reference->file.empty());
  CHECK_FALSE(c.selected);
  CHECK_THAT(c.reason, Catch::Matchers::Contains("linked into accelbench"));
#endif
}

TEST_CASE("files that are not plugins, and a missing --backend-dir", "[plugin]") {
  const testing::temp_dir t("accelbench-plugins");
  std::ofstream(t.path / "libaccelbench-backend-junk.so") << "not an ELF file\n";
  std::ofstream(t.path / "libaccelbench-backend-Bad.so") << "\n";
  std::ofstream(t.path / "unrelated.so") << "\n";  // not ours: ignored
  const std::vector<plugin_candidate> all = discover({t.path.string()});
  REQUIRE(all.size() == 2);
  CHECK_THAT(find_candidate(all, "libaccelbench-backend-junk.so").reason, Catch::Matchers::Contains("cannot load"));
  CHECK_THAT(find_candidate(all, "libaccelbench-backend-Bad.so").reason,
             Catch::Matchers::Contains("file name is not libaccelbench-backend-<name>[-variant].so"));
  CHECK_THROWS_AS(set_backend_dirs({(t.path / "missing").string()}), input_error);
  CHECK_THROWS_WITH(set_backend_dirs({(t.path / "missing").string()}), Catch::Matchers::Contains("--backend-dir"));
  // A search directory that does not exist is skipped, not an error.
  CHECK(discover({(t.path / "missing").string()}).empty());
}

TEST_CASE("accelbench list backends --verbose shows each plugin file and its reason", "[plugin]") {
  const std::string failures = dir("failures");
  const command_result r = run_accelbench({"--backend-dir", failures, "list", "backends", "--verbose"});
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Matchers::Contains("--backend-dir") && Catch::Matchers::Contains(failures));
  for (const char* expected :
       {"libaccelbench-backend-mockabi.so: ABI mismatch: built for backend ABI 2",
        "libaccelbench-backend-mocksize.so: ABI mismatch", "libaccelbench-backend-mocknosym.so: missing symbol",
        "libaccelbench-backend-mockinit.so: initialization failed: mock: no device driver loaded",
        "libaccelbench-backend-mocknull.so: required slot 'prepare' is NULL",
        "libaccelbench-backend-mockname.so: the file name says backend",
        "libaccelbench-backend-mockzero.so: cannot run"}) {
    CHECK_THAT(r.output, Catch::Matchers::Contains(std::string("rejected  ") + failures + "/" + expected));
  }
  // The option is global: also accepted after the subcommand; a missing folder is exit 2.
  const command_result after = run_accelbench({"list", "backends", "--backend-dir", dir("good")});
  INFO(after.output);
  CHECK(after.exit_code == 0);
  CHECK_THAT(after.output, Catch::Matchers::Contains("mock       available    mock 1.0"));
  const command_result missing = run_accelbench({"--backend-dir", "/nonexistent/accelbench", "list", "backends"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Matchers::Contains("--backend-dir '/nonexistent/accelbench': not a directory"));
}
