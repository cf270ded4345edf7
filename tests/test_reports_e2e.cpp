// End to end: `accelbench specs`, `peak`, `run --ceilings` and `report`, run as a user would; and
// the HTML report rendered in headless Chromium (its own ctest entry, skipped with a printed
// reason when /usr/bin/chromium is absent).
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/file_io.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace accelbench::testing;

namespace {

// A small real run with ceilings, reported: what the HTML tests render.
void make_report(const temp_dir& dir) {
  const cli_result peak =
      run_accelbench(dir, {"peak", "--no-gemm", "--repeats", "1", "--quiet", "--out", "ceilings.json"});
  REQUIRE(peak.exit_code == 0);
  const cli_result run = run_accelbench(
      dir, {"run", "-q", "-w", "gemm:m=128,n=128,k=128,dt=[f32,bf16]", "-b", "openblas", "--timeout", "0.2",
            "--min-time", "0.01", "--min-samples", "3", "--ceilings", "ceilings.json", "--out", "r.json"});
  REQUIRE(run.exit_code == 0);
  const cli_result report = run_accelbench(dir, {"report", "r.json", "--out", "rep", "--format", "md,csv,html,json"});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
}

}  // namespace

TEST_CASE("specs: device and dtype queries, JSON, bad input", "[specs_cli]") {
  temp_dir dir("accelbench-report-e2e");
  cli_result r = run_accelbench(dir, {"specs", "--device", "H20", "--dtype", "f8"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("296 TFLOPS dense") && Catch::Contains("S15") && Catch::Contains("http"));
  r = run_accelbench(dir, {"specs", "--device", "H100-SXM5", "--dtype", "bf16"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("989.4 TFLOPS dense") && Catch::Contains("sparse 1979"));
  r = run_accelbench(dir, {"specs", "--device", "NVIDIA H100 80GB HBM3", "--json"});
  CHECK(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["devices"][0]["id"] == "H100-SXM5");
  CHECK(j["devices"][0]["rates"]["bf16"]["sparse"] == 1979);
  r = run_accelbench(dir, {"specs", "--device", "H99"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--device 'H99'") && Catch::Contains("known:"));
  r = run_accelbench(dir, {"specs", "--dtype", "fp9"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("accepted: f64"));
  r = run_accelbench(dir, {"specs", "--specs-dir", "/nonexistent"});
  CHECK(r.exit_code == 2);
  // The override reaches through the environment too.
  r = run_accelbench(dir, {"specs"}, {"ACCELBENCH_SPECS_DIR=/nonexistent"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("/nonexistent"));
}

TEST_CASE("peak, run --ceilings and report, end to end", "[report_cli]") {
  temp_dir dir("accelbench-report-e2e");
  make_report(dir);
  const auto ceilings = nlohmann::json::parse(read_file(dir.path / "ceilings.json"));
  CHECK(ceilings["clock"]["ghz"].get<double>() > 0.1);
  CHECK_FALSE(ceilings["clock"]["source"].get<std::string>().empty());
  CHECK(ceilings["memory_bandwidth"]["triad_gbps"].get<double>() > 0);
  CHECK(ceilings["memory_bandwidth"]["read_gbps"].get<double>() > 0);
  CHECK_THAT(ceilings["memory_bandwidth"]["read_method"].get<std::string>(), Catch::Contains("sequential runs"));
  const auto result = nlohmann::json::parse(read_file(dir.path / "r.json"));
  CHECK(result["system"]["ceilings"] == ceilings);  // stored verbatim in the system block
  for (const char* name : {"report.md", "report.csv", "report.html", "report.json"}) {
    INFO(name);
    CHECK(fs::file_size(dir.path / "rep" / name) > 500);
  }
  const std::string md = read_file(dir.path / "rep" / "report.md");
  CHECK_THAT(md, Catch::Contains("## Press figures") && Catch::Contains("H100-SXM5 lower bound") &&
                     Catch::Contains("host CPU (computed)"));
  // The press question at model level: the seed chips are in the database, no result ran on them.
  CHECK_THAT(md, Catch::Contains("## The press question at model level") &&
                     Catch::Contains("| llama3-70b | decode: batch 16, context 4096 | H20 |") &&
                     Catch::Contains("| roofline + model |") && Catch::Contains("no ratio: bandwidth not quoted"));

  // Bad inputs: exit 2, one line, and no partial output.
  cli_result r = run_accelbench(dir, {"report", "r.json", "missing.json", "--out", "rep2"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("missing.json"));
  CHECK_FALSE(fs::exists(dir.path / "rep2"));
  r = run_accelbench(dir, {"report", "r.json", "--compare-to", "H999", "--out", "rep2"});
  CHECK(r.exit_code == 2);
  CHECK_FALSE(fs::exists(dir.path / "rep2"));
  r = run_accelbench(dir, {"report", "r.json", "--format", "pdf", "--out", "rep2"});
  CHECK(r.exit_code == 2);
  r = run_accelbench(dir, {"report", "r.json", "--models-dir", "no-such-folder", "--out", "rep2"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("no-such-folder"));
  CHECK_FALSE(fs::exists(dir.path / "rep2"));
  std::ofstream(dir.path / "bad_ceilings.json") << R"({"ceilings_version": 1})";
  r = run_accelbench(
      dir, {"run", "-q", "-w", "gemm:m=8,n=8,k=8,dt=f32", "--ceilings", "bad_ceilings.json", "--out", "r2.json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad_ceilings.json") && Catch::Contains("measured_at_utc"));
  CHECK_FALSE(fs::exists(dir.path / "r2.json"));
  r = run_accelbench(dir, {"peak", "--gemm-sizes", "12x", "--no-gemm"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("report --ceilings: this CPU's ceilings for a run made without them; bad ones flagged or refused",
          "[report_cli]") {
  temp_dir dir("accelbench-report-e2e");
  REQUIRE(run_accelbench(dir, {"peak", "--no-gemm", "--repeats", "1", "--quiet", "--out", "ceilings.json"}).exit_code ==
          0);
  REQUIRE(run_accelbench(dir, {"run", "-q", "-w", "gemm:m=64,n=64,k=64,dt=f32", "-b", "openblas", "--timeout", "0.2",
                               "--min-time", "0.01", "--min-samples", "3", "--out", "r.json"})
              .exit_code == 0);
  cli_result r = run_accelbench(dir, {"report", "r.json", "--ceilings", "ceilings.json", "--out", "rep"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto rep = nlohmann::json::parse(read_file(dir.path / "rep" / "report.json"));
  CHECK(rep["inputs"][0]["ceilings_file"] == "ceilings.json");
  CHECK(rep["results"][0]["spec_device"] == "host CPU (computed)");
  CHECK(rep["results"][0]["pct_of_spec"].is_number());
  CHECK(rep["results"][0]["pct_of_ceiling"].is_number());

  // Ceilings whose cross-check fails (what a noisy peak run writes) are flagged, not used silently.
  auto ceilings = nlohmann::json::parse(read_file(dir.path / "ceilings.json"));
  ceilings["fma_units"]["implied_by_measurement"] = 2.0 * ceilings["fma_units"]["pipes_per_core"].get<double>();
  std::ofstream(dir.path / "noisy.json") << ceilings.dump();
  r = run_accelbench(dir, {"report", "r.json", "--ceilings", "noisy.json", "--out", "rep-noisy"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("CEILINGS DISAGREE"));
  CHECK_THAT(read_file(dir.path / "rep-noisy" / "report.md"), Catch::Contains("CEILINGS DISAGREE: the measured f32"));

  // Another CPU's ceilings: refused (exit 2, one line), nothing written.
  ceilings["host_processor_model_name"] = "Some Other CPU";
  std::ofstream(dir.path / "other.json") << ceilings.dump();
  r = run_accelbench(dir, {"report", "r.json", "--ceilings", "other.json", "--out", "rep-other"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("'Some Other CPU'") && Catch::Contains("no input was"));
  CHECK_FALSE(fs::exists(dir.path / "rep-other"));
  std::ofstream(dir.path / "broken.json") << R"({"ceilings_version": 1})";
  r = run_accelbench(dir, {"report", "r.json", "--ceilings", "broken.json", "--out", "rep-broken"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("broken.json"));
}

TEST_CASE("report HTML renders in headless Chromium without console errors", "[chromium]") {
  const fs::path chromium = "/usr/bin/chromium";
  if (!fs::exists(chromium)) {
    return skip_test(chromium.string() + " is absent (apt-get install chromium; scripts/setup.sh lists it)");
  }
  temp_dir dir("accelbench-report-e2e");
  make_report(dir);
  const std::string flags =
      "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
      "--disable-sync --no-first-run --user-data-dir='" +
      (dir.path / "profile").string() + "'";
  const std::string url = "file://" + (dir.path / "rep" / "report.html").string();
  // The DOM after the inline script ran, with console messages logged to stderr.
  cli_result dom =
      run_shell(dir, "timeout 120 " + chromium.string() + " " + flags +
                         " --enable-logging=stderr --v=0 --virtual-time-budget=2000 --dump-dom '" + url + "'");
  REQUIRE(dom.exit_code == 0);
  CHECK(dom.err.find("Uncaught") == std::string::npos);
  // Every console message is logged as "...:INFO:CONSOLE:<line>] ..." (errors included).
  CHECK(dom.err.find(":CONSOLE") == std::string::npos);
  CHECK_THAT(dom.out, Catch::Contains("data-report-ready=\"") && !Catch::Contains("data-report-ready=\"0\""));
  CHECK_THAT(dom.out, Catch::Contains("id=\"summary\"") && Catch::Contains("class=\"card\"") &&
                          Catch::Contains("id=\"roofline-svg\"") && Catch::Contains("class=\"point\"") &&
                          Catch::Contains("class=\"point-label\"") && Catch::Contains("id=\"table-results-gemm\"") &&
                          Catch::Contains("id=\"press-ratios\"") && Catch::Contains("id=\"table-all-figures\""));
  // A screenshot kept in the test's build directory, for a person to look at.
  const fs::path shot = fs::current_path() / "report_html_screenshot.png";
  fs::remove(shot);
  const cli_result png =
      run_shell(dir, "timeout 120 " + chromium.string() + " " + flags + " --window-size=1400,2400 --screenshot='" +
                         shot.string() + "' '" + url + "'");
  CHECK(png.exit_code == 0);
  REQUIRE(fs::exists(shot));
  CHECK(fs::file_size(shot) > 20000);
  std::printf("screenshot: %s\n", shot.c_str());
}
