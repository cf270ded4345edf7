// The torch backend as a user meets it, through the accelbench executable: it starts only when a
// command names it; every way it cannot start (no Python, a Python without torch, a device plugin
// that fails to import) is a reason, never a crash; --isolate children run it. Skipped (exit 77)
// where the real torch is missing, except the checks that need no torch.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/file_io.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace accelbench::testing;
using json = nlohmann::json;

namespace {

// The `list backends` line of torch.
std::string torch_line(const std::string& listing) {
  std::smatch m;
  return std::regex_search(listing, m, std::regex("(^|\\n)(torch +[^\\n]*)")) ? m[2].str() : std::string();
}

// An executable shell script at dir/name.
std::string write_script(const temp_dir& dir, const std::string& name, const std::string& body) {
  const std::string path = dir / name;
  write_file(path, "#!/bin/sh\n" + body + "\n");
  chmod(path.c_str(), 0755);
  return path;
}

// Whether the default interpreter runs the backend here (else the torch-dependent checks skip).
bool torch_usable(std::string& line) {
  const temp_dir dir("accelbench-torch-e2e");
  line = torch_line(run_accelbench(dir, {"list", "backends"}).out);
  return line.find(" available ") != std::string::npos;
}

const std::vector<std::string> quick = {"-q", "--min-time",    "0.01", "--timeout", "0.3", "--min-samples",
                                        "3",  "--warmup-time", "0"};

}  // namespace

TEST_CASE("torch starts only in commands that name it", "[torch_e2e]") {
  // A stand-in interpreter that leaves a mark when the backend asks it anything.
  const temp_dir dir("accelbench-torch-e2e");
  const std::string mark = dir / "asked";
  const std::string python = write_script(dir, "python", "touch '" + mark + "'\nexec /usr/bin/python3 \"$@\"");
  const std::vector<std::string> env = {"ACCELBENCH_PYTHON=" + python};

  std::vector<std::string> args = {"run", "-b", "reference", "-w", "gemm:m=8,n=8,k=8,dt=f32", "-o", dir / "r.json"};
  args.insert(args.end(), quick.begin(), quick.end());
  const cli_result run = run_accelbench(dir, args, env);
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(mark));  // -b reference: the torch backend was never initialized

  const cli_result list = run_accelbench(dir, {"list", "backends"}, env);
  CHECK(list.exit_code == 0);
  CHECK(std::filesystem::exists(mark));  // list names every backend: the probe ran
  CHECK_FALSE(torch_line(list.out).empty());
}

TEST_CASE("torch is unavailable with the reason when Python or torch is missing", "[torch_e2e]") {
  const temp_dir dir("accelbench-torch-e2e");
  SECTION("no such interpreter") {
    const cli_result r = run_accelbench(dir, {"list", "backends"}, {"ACCELBENCH_PYTHON=" + (dir / "no-python")});
    CHECK(r.exit_code == 0);
    CHECK_THAT(torch_line(r.out), Catch::Contains("unavailable") && Catch::Contains("no such executable"));
    // The other backends are untouched.
    CHECK(std::regex_search(r.out, std::regex("(^|\\n)reference +available")));
  }
  SECTION("an interpreter that is not Python") {
    const std::string fake = write_script(dir, "python", "echo not a python; exit 3");
    const cli_result r = run_accelbench(dir, {"list", "backends"}, {"ACCELBENCH_PYTHON=" + fake});
    CHECK(r.exit_code == 0);
    CHECK_THAT(torch_line(r.out), Catch::Contains("unavailable") && Catch::Contains("could not be asked"));
  }
  SECTION("a Python without torch") {
    if (!std::filesystem::exists("/usr/bin/python3")) return skip_test("no /usr/bin/python3 to run without torch");
    // -S: no site-packages, hence no torch (what a pyenv Python without torch looks like).
    const std::string bare = write_script(dir, "python", "exec /usr/bin/python3 -S \"$@\"");
    const cli_result r = run_accelbench(dir, {"list", "backends"}, {"ACCELBENCH_PYTHON=" + bare});
    CHECK(r.exit_code == 0);
    CHECK_THAT(torch_line(r.out), Catch::Contains("unavailable") && Catch::Contains("cannot import torch"));
    // -b torch is then refused before anything runs, with the same reason.
    const cli_result run =
        run_accelbench(dir, {"run", "-b", "torch", "-w", "gemm:m=8,n=8,k=8,dt=f32"}, {"ACCELBENCH_PYTHON=" + bare});
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("cannot import torch"));
  }
}

TEST_CASE("torch lists its device plugins, and one that fails to import costs only its devices", "[torch_e2e]") {
  std::string line;
  if (!torch_usable(line)) return skip_test("torch backend unavailable here: " + line);
  const temp_dir dir("accelbench-torch-e2e");
  std::filesystem::create_directories(dir / "site/torch_npu");
  std::filesystem::create_directories(dir / "site/torch_musa");
  write_file(dir / "site/torch_npu/__init__.py", "raise ImportError('planted: no CANN here')\n");
  write_file(dir / "site/torch_musa/__init__.py", "__version__ = '0.0-planted'\n");
  const cli_result r = run_accelbench(dir, {"list", "backends"}, {"PYTHONPATH=" + (dir / "site")});
  CHECK(r.exit_code == 0);
  const std::string torch = torch_line(r.out);
  CHECK_THAT(torch, Catch::Contains(" available ") &&
                        Catch::Contains("torch_npu import failed (ImportError: planted: no CANN here)") &&
                        Catch::Contains("torch_musa 0.0-planted"));
  CHECK_THAT(r.out, Catch::Contains("device 0:"));  // the CPU device stays
}

TEST_CASE("torch runs in --isolate children and beside other backends", "[torch_e2e]") {
  std::string line;
  if (!torch_usable(line)) return skip_test("torch backend unavailable here: " + line);
  const temp_dir dir("accelbench-torch-e2e");
  std::vector<std::string> args = {"run",
                                   "-b",
                                   "torch,reference",
                                   "--isolate",
                                   "-o",
                                   dir / "isolated.json",
                                   "-w",
                                   "gemm:m=33,n=17,k=29,ta=t,dt=f32,batch=2",
                                   "-w",
                                   "attn:b=1,hq=4,hkv=2,sq=9,skv=13,d=16,causal=1,dt=f32"};
  args.insert(args.end(), quick.begin(), quick.end());
  const cli_result r = run_accelbench(dir, args);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  const json document = json::parse(read_file(dir / "isolated.json"));
  REQUIRE(document.at("results").size() == 4);
  for (const json& record : document.at("results")) {
    INFO(record.at("workload") << " on " << record.at("backend") << ": " << record.value("reason", ""));
    CHECK(record.at("outcome") == "passed");
  }
  CHECK_THAT(document.at("system").dump(), Catch::Contains("torch 1.") || Catch::Contains("torch 2."));
}
