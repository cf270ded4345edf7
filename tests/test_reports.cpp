// Spec database, machine ceilings and the comparison report: the database's figures and its
// validation, the ceilings block's round trip and validation, the report's derived figures
// (% of peak, impossible flag, roofline, lower-bound times, press readings) and that every view
// carries every figure.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"
#include "reports/model/ceilings.hpp"
#include "reports/model/number_format.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"
#include "reports/views/csv_writer.hpp"
#include "reports/views/html_writer.hpp"
#include "reports/views/markdown_writer.hpp"
#include "reports/views/report_model.hpp"
#include "reports/views/spec_database.hpp"
#include "tests/support/file_io.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace accelbench;

namespace {

const spec_database& real_db() {
  static const spec_database db = spec_database::load(ACCELBENCH_SPECS_DIR);
  return db;
}

const char* sources_json =
    R"({"kind": "sources", "sources": {"S1": {"title": "a datasheet", "url": "https://example.com"}}})";

std::string vendor_json(const std::string& rate) {
  return R"({"kind": "vendor", "vendor": "V", "devices": [{"id": "X1", "name": "X one", "aliases": ["Vendor X1"],
    "status": "datasheet", "rates": {"bf16": )" +
         rate + R"(}, "memory": {"size_gb": 8, "type": "HBM", "bandwidth_gbps": 100}, "interconnect": null,
    "tdp_w": null, "sources": ["S1"], "notes": []}]})";
}

std::string load_error(const std::string& vendor) {
  const testing::temp_dir dir("accelbench-specs");
  testing::write_file(dir.path / "sources.json", sources_json);
  testing::write_file(dir.path / "v.json", vendor);
  try {
    spec_database::load(dir.path.string());
  } catch (const input_error& e) {
    return e.what();
  }
  return "";
}

machine_ceilings sample_ceilings() {
  machine_ceilings c;
  c.measured_at_utc = "2026-11-22T00:00:00Z";
  c.host_processor_model_name = "Test CPU";
  c.cpu_vendor = "AuthenticAMD";
  c.cpu_family = 0x19;
  c.cpu_model = 1;
  c.cores = 2;
  c.threads = 2;
  c.isa = {"avx2", "fma"};
  c.clock_ghz = 3.0;
  c.clock_source = "measured";
  c.fma_pipes_per_core = 2;
  c.vector_bits = 256;
  c.fma_pipes_assumption = "Zen 3: two 256-bit FMA pipes";
  c.fma_pipes_implied = 1.9;
  c.theoretical = {{"f64", 0.096, "avx2+fma", "2 x 2 x 4 x 2 x 3"},
                   {"f32", 0.192, "avx2+fma", "2 x 2 x 8 x 2 x 3"},
                   {"bf16", std::nullopt, "", "no native bf16"}};
  c.measured_fma = {{"f32", 0.18, "avx2+fma", 2, "12 chains"}};
  c.triad_gbps = 20.0;
  c.triad_array_bytes = 128 << 20;
  c.triad_threads = 2;
  c.triad_repeats = 10;
  c.triad_method = "triad";
  c.read_gbps = 26.0;
  c.read_method = "read";
  c.best_gemm = {{"f32", 0.17, "gemm:m=2048,n=2048,k=2048,dt=f32", "openblas", ""},
                 {"bf16", 0.03, "gemm:m=2048,n=2048,k=2048,dt=bf16", "native", ""}};
  return c;
}

case_result timed_result(const std::string& workload, const std::string& dtype, std::int64_t flops, std::int64_t bytes,
                         double median_s, const std::string& device, const std::string& kind) {
  case_result r;
  r.workload = workload;
  r.kind = "gemm";
  r.backend = kind == "cpu" ? "openblas" : "cuda";
  r.backend_version = "1.0";
  r.device_name = device;
  r.device_kind = kind;
  r.dtype_in = r.dtype_out = dtype;
  r.dtype_acc = "f32";
  r.result = outcome::passed;
  r.plan_description = "plan";
  verification_result v;
  v.passed = true;
  v.method = "freivalds+sampled";
  v.error = 1.25e-7;
  v.tolerance = 1e-5;
  v.max_local_error = 3e-7;
  r.verification = v;
  r.seed = 7;
  r.input_distribution = "normal(0,1)";
  r.flops = flops;
  r.flop_convention = "gemm-2mnk-v1";
  r.min_bytes = bytes;
  repetition_record rep;
  rep.samples_s = {median_s * 0.99, median_s, median_s * 1.01};
  rep.stats = summarize(rep.samples_s);
  rep.stop_reason = "converged";
  r.repetitions.push_back(rep);
  return r;
}

run_record sample_run(bool with_ceilings) {
  run_record run;
  run.meta.tool_version = "0.1.0";
  run.meta.argv = {"accelbench", "run"};
  run.meta.stopping = {{"min_samples", 10}, {"min_time_s", 0.5},    {"max_noise", 0.01},
                       {"timeout_s", 5.0},  {"warmup_time_s", 0.1}, {"repetitions", 1}};
  run.system = {{"system_name", "testhost"}, {"host_processor_model_name", "Test CPU"}};
  if (with_ceilings) run.system["ceilings"] = to_json(sample_ceilings());
  const std::int64_t g = 2ll * 4096 * 4096 * 4096;  // 137.4 GFLOP
  // 0.15 TFLOPS on the CPU: 78 % of the computed f32 peak.
  run.results.push_back(timed_result("gemm:m=4096,n=4096,k=4096,dt=f32", "f32", g, 3 * 4096ll * 4096 * 4, g / 0.15e12,
                                     "AMD EPYC", "cpu"));
  // 700 TFLOPS bf16 on an H100 SXM5 (reported name): 70.8 % of 989.4 dense.
  run.results.push_back(timed_result("gemm:m=4096,n=4096,k=4096,dt=bf16", "bf16", g, 3 * 4096ll * 4096 * 2, g / 700e12,
                                     "NVIDIA H100 80GB HBM3", "gpu"));
  // 1500 TFLOPS bf16: above the 989.4 dense peak (a sparse figure or a timing error): impossible.
  run.results.push_back(timed_result("gemm:m=4096,n=4096,k=4096,dt=bf16,batch=1", "bf16", g, 3 * 4096ll * 4096 * 2,
                                     g / 1500e12, "NVIDIA H100 80GB HBM3", "gpu"));
  case_result unsupported =
      timed_result("gemm:m=64,n=64,k=64,dt=s8", "s8", 2 * 64 * 64 * 64, 3 * 64 * 64, 1e-6, "AMD EPYC", "cpu");
  unsupported.result = outcome::unsupported;
  unsupported.reason = "no s8 kernel";
  unsupported.verification.reset();
  unsupported.repetitions.clear();
  run.results.push_back(unsupported);
  return run;
}

// CSV quotes a field with a comma; HTML escapes quotes and angle brackets.
std::string csv_form(const std::string& v) {
  if (v.find_first_of(",\"") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
std::string html_form(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else if (c == '\'')
      out += "&#39;";
    else
      out += c;
  }
  return out;
}
std::string md_form(const std::string& v) {
  std::string out;
  for (char c : v) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

TEST_CASE("spec database: the headline figures (H20 f8, H100 bf16, Ascend), with sources", "[specs]") {
  const spec_database& db = real_db();
  const device_spec& h20 = db.require("H20", "test");
  const spec_rate* f8 = h20.rate(spec_dtype::f8);
  REQUIRE(f8 != nullptr);
  CHECK(*f8->dense == 296);
  CHECK_FALSE(f8->sparse.has_value());  // no sparse figure quoted: the "148/148" pitfall is two dtypes
  CHECK(f8->status == spec_status::leaked);
  REQUIRE(db.source(f8->sources.at(0)) != nullptr);
  CHECK(db.source(f8->sources.at(0))->url.value_or("").find("http") == 0);
  CHECK(*h20.dense(spec_dtype::bf16) == 148);
  CHECK_FALSE(h20.rate(spec_dtype::bf16)->sparse.has_value());

  const device_spec& h100 = db.require("H100-SXM5", "test");
  CHECK(*h100.rate(spec_dtype::bf16)->dense == 989.4);
  CHECK(*h100.rate(spec_dtype::bf16)->sparse == 1979);
  CHECK(format_spec_value(*h100.rate(spec_dtype::bf16)->dense) == "989.4");

  // Derived Ascend entries carry the derived status and the formula's result.
  CHECK(*db.require("Ascend-910B2", "test").dense(spec_dtype::bf16) == Approx(353.9));
  CHECK(db.require("Ascend-910B4", "test").rate(spec_dtype::bf16)->status == spec_status::derived);
  CHECK_FALSE(db.require("Ascend-910B", "test").memory_bandwidth_gbps.has_value());  // unknown: measure it
}

TEST_CASE("spec database: every SKU accelbench reports against is present", "[specs]") {
  for (const char* id :
       {"H100-SXM5", "H100-PCIe", "H200-SXM", "H800-SXM5", "H20", "L20", "L2", "A100-SXM-80GB", "A800-SXM-80GB",
        "Ascend-910", "Ascend-910B", "Ascend-910B2", "Ascend-910B4", "Ascend-910C", "Hygon-K100-AI", "MTT-S4000"}) {
    INFO(id);
    CHECK(real_db().find(id) != nullptr);
  }
}

TEST_CASE("spec database: aliases match exactly, never by substring", "[specs]") {
  const spec_database& db = real_db();
  REQUIRE(db.find("NVIDIA H100 80GB HBM3") != nullptr);
  CHECK(db.find("NVIDIA H100 80GB HBM3")->id == "H100-SXM5");
  CHECK(db.find("nvidia h100 pcie")->id == "H100-PCIe");
  CHECK(db.find("ascend_910b")->id == "Ascend-910B");
  CHECK(db.find("H100") == nullptr);  // verl's substring match would give the PCIe card the SXM figure
  CHECK_THROWS_WITH(db.require("H100", "--device"), Catch::Contains("known: ") && Catch::Contains("H100-SXM5"));
}

TEST_CASE("spec database: device names the NVIDIA driver reports match their entries", "[specs]") {
  // cudaDeviceProp::name / nvidia-smi strings, as the CUDA backend records them in device.name;
  // report_model.cpp matches results to the database with find(), so these give % of spec.
  const std::pair<const char*, const char*> driver_names[] = {
      {"NVIDIA H100 80GB HBM3", "H100-SXM5"},
      {"NVIDIA H100 PCIe", "H100-PCIe"},
      {"NVIDIA H200", "H200-SXM"},
      {"NVIDIA H800", "H800-SXM5"},
      {"NVIDIA H20", "H20"},
      {"NVIDIA L20", "L20"},
      {"NVIDIA A100-SXM4-80GB", "A100-SXM-80GB"},
      {"NVIDIA A800-SXM4-80GB", "A800-SXM-80GB"},
  };
  for (const auto& [name, id] : driver_names) {
    INFO(name);
    const device_spec* d = real_db().find(name);
    REQUIRE(d != nullptr);
    CHECK(d->id == id);
  }
  // Other SKUs of the same chips are different entries (or none): never a prefix match.
  CHECK(real_db().find("NVIDIA A100-SXM4-40GB") == nullptr);
  CHECK(real_db().find("NVIDIA H100 NVL") == nullptr);
}

TEST_CASE("report: a GPU result is judged against the entry its driver name matches", "[report]") {
  run_record run = sample_run(false);
  case_result gpu = run.results.at(1);
  REQUIRE(gpu.device_kind == "gpu");
  gpu.device_name = "NVIDIA H100 PCIe";
  run.results = {gpu};
  const report r = build_report({{"g.json", run}}, real_db(), {});
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].spec_device == "H100-PCIe");
  REQUIRE(r.rows[0].pct_of_spec.has_value());
  CHECK(*r.rows[0].pct_of_spec == Approx(100 * *gpu.tflops() / *r.rows[0].spec_dense_tflops));

  run.results[0].device_name = "NVIDIA Unknown GPU";
  const report unknown = build_report({{"g.json", run}}, real_db(), {});
  CHECK_FALSE(unknown.rows[0].pct_of_spec.has_value());
  CHECK_THAT(unknown.rows[0].spec_basis, Catch::Contains("matches no spec database id or alias"));
}

TEST_CASE("spec database: a malformed file names the file, entry and field", "[specs]") {
  const std::string good =
      R"({"dense": 100, "sparse": 200, "unit": "TFLOPS", "sources": ["S1"], "status": "datasheet"})";
  CHECK(load_error(vendor_json(good)).empty());
  CHECK_THAT(load_error(vendor_json(
                 R"({"dense": 100, "sparce": 200, "unit": "TFLOPS", "sources": ["S1"], "status": "datasheet"})")),
             Catch::Contains("v.json") && Catch::Contains("device 'X1'") && Catch::Contains("rates.bf16.sparce") &&
                 Catch::Contains("unknown key"));
  CHECK_THAT(load_error(vendor_json(
                 R"({"dense": "100", "sparse": null, "unit": "TFLOPS", "sources": ["S1"], "status": "datasheet"})")),
             Catch::Contains("rates.bf16.dense") && Catch::Contains("number or null"));
  CHECK_THAT(load_error(vendor_json(
                 R"({"dense": 100, "sparse": null, "unit": "TFLOPS", "sources": ["S9"], "status": "datasheet"})")),
             Catch::Contains("source 'S9' is not defined"));
  CHECK_THAT(load_error(vendor_json(
                 R"({"dense": 100, "sparse": null, "unit": "TFLOPS", "sources": ["S1"], "status": "rumour"})")),
             Catch::Contains("rates.bf16.status") && Catch::Contains("accepted: datasheet, leaked"));
  // Sparse below dense reads like swapped columns (the asterisk confusion).
  CHECK_THAT(load_error(vendor_json(
                 R"({"dense": 200, "sparse": 100, "unit": "TFLOPS", "sources": ["S1"], "status": "datasheet"})")),
             Catch::Contains("swapped"));
  CHECK_THAT(load_error("{not json"), Catch::Contains("v.json") && Catch::Contains("not valid JSON"));
}

TEST_CASE("ceilings: JSON round trip, and validation names the field", "[ceilings]") {
  const machine_ceilings c = sample_ceilings();
  const nlohmann::ordered_json j = to_json(c);
  const machine_ceilings back = ceilings_from_json(j, "c.json", "");
  CHECK(to_json(back) == j);
  CHECK(*back.theoretical_tflops("f32") == 0.192);
  CHECK_FALSE(back.theoretical_tflops("bf16").has_value());
  CHECK(*back.measured_fma_tflops("f32") == 0.18);
  CHECK(*back.best_gemm_tflops("bf16") == 0.03);
  CHECK(*back.read_gbps == 26.0);

  // Files written before the read-only figure existed still read, as not measured.
  nlohmann::ordered_json older = j;
  older["memory_bandwidth"].erase("read_gbps");
  older["memory_bandwidth"].erase("read_method");
  const machine_ceilings old_file = ceilings_from_json(older, "old.json", "");
  CHECK_FALSE(old_file.read_gbps.has_value());
  CHECK(old_file.read_method.empty());
  CHECK(*old_file.triad_gbps == 20.0);

  nlohmann::ordered_json bad = j;
  bad["clock"]["ghz"] = -1;
  CHECK_THROWS_WITH(ceilings_from_json(bad, "r.json", "system.ceilings"),
                    Catch::Contains("r.json") && Catch::Contains("system.ceilings.clock.ghz"));
  bad = j;
  bad["memory_bandwidth"]["read_gbps"] = "fast";
  CHECK_THROWS_WITH(ceilings_from_json(bad, "c.json", ""), Catch::Contains("memory_bandwidth.read_gbps"));
  bad = j;
  bad["memory_bandwidth"].erase("read_method");  // a figure without its method is not accepted
  CHECK_THROWS_WITH(ceilings_from_json(bad, "c.json", ""),
                    Catch::Contains("memory_bandwidth.read_method") && Catch::Contains("missing"));
  bad = j;
  bad.erase("memory_bandwidth");
  CHECK_THROWS_WITH(ceilings_from_json(bad, "c.json", ""),
                    Catch::Contains("memory_bandwidth") && Catch::Contains("missing"));
}

TEST_CASE("result reader: system.ceilings is optional and validated when present", "[ceilings]") {
  nlohmann::ordered_json doc = to_json(sample_run(true));
  CHECK_NOTHROW(result_from_json(doc, "r.json"));
  doc["system"]["ceilings"]["theoretical"][0]["tflops"] = "fast";
  CHECK_THROWS_WITH(result_from_json(doc, "r.json"), Catch::Contains("system.ceilings.theoretical[0].tflops"));
  doc["system"].erase("ceilings");
  CHECK_NOTHROW(result_from_json(doc, "r.json"));
}

TEST_CASE("report: % of peak, ceilings, roofline, lower bounds, impossible flag", "[report]") {
  const report r = build_report({{"a.json", sample_run(true)}}, real_db(), {"H100-SXM5", "H20", "Ascend-910B"});
  REQUIRE(r.rows.size() == 4);

  const report_row& cpu = r.rows[0];
  CHECK(cpu.spec_device == "host CPU (computed)");
  CHECK(*cpu.spec_dense_tflops == 0.192);
  CHECK(*cpu.pct_of_spec == Approx(100 * 0.15 / 0.192));
  CHECK(*cpu.pct_of_ceiling == Approx(100 * 0.15 / 0.18));  // measured FMA is the ceiling
  CHECK(cpu.ceiling_kind.find("measured FMA") == 0);
  CHECK(cpu.arithmetic_intensity == Approx(2.0 * 4096 / 12));
  CHECK(cpu.roofline_limit == "compute");
  CHECK(*cpu.roofline_efficiency == Approx(100 * 0.15 / 0.192));
  CHECK_FALSE(cpu.impossible);
  // The host's memory roof is the higher of the triad (20) and the read-only rate (26).
  CHECK(*cpu.bandwidth_gbps == 26.0);
  CHECK(cpu.bandwidth_basis == "measured read-only bandwidth");
  // f32 on H100 SXM5: the 66.9 vector rate, compute-bound; Ascend 910B quotes no f32.
  CHECK(*cpu.projections[0].seconds == Approx(2.0 * 4096 * 4096 * 4096 / 66.9e12));
  CHECK(cpu.projections[1].limit == "compute");
  CHECK_FALSE(cpu.projections[2].seconds.has_value());

  const report_row& gpu = r.rows[1];
  CHECK(gpu.spec_device == "H100-SXM5");
  CHECK(*gpu.spec_dense_tflops == 989.4);  // dense, never the 1979 sparse figure
  CHECK(*gpu.pct_of_spec == Approx(100 * 700 / 989.4));
  CHECK(gpu.bandwidth_basis == "spec memory bandwidth");
  CHECK_FALSE(gpu.impossible);
  // H20 bf16 148 dense: 137.4 GFLOP at 148 TFLOPS; the 910B's bandwidth is unknown, so compute only.
  CHECK(*gpu.projections[1].seconds == Approx(2.0 * 4096 * 4096 * 4096 / 148e12));
  CHECK(*gpu.projections[2].seconds == Approx(2.0 * 4096 * 4096 * 4096 / 320e12));
  CHECK(gpu.projections[2].limit == "compute only");
  CHECK(bound_wording(gpu.projections[2].limit) == "compute (bandwidth unknown)");

  const report_row& fast = r.rows[2];
  CHECK(fast.impossible);
  CHECK_THAT(fast.flag, Catch::Contains("IMPOSSIBLE"));
  CHECK(to_json(r)["results"][2]["impossible"] == true);
  CHECK(to_json(r)["results"][1]["impossible"] == false);
  // Never a record: the best H100 bf16 entry is the 700, not the 1500.
  for (const best_entry& b : best_per_device(r)) {
    if (b.dtype == "bf16") CHECK(b.tflops == Approx(700));
  }

  CHECK_FALSE(r.rows[3].result.tflops().has_value());
  CHECK_FALSE(r.rows[3].pct_of_spec.has_value());
}

TEST_CASE("report: the host's memory roof is the triad where the read-only rate is lower or absent", "[report]") {
  run_record run = sample_run(true);
  machine_ceilings c = sample_ceilings();
  c.read_gbps = 15.0;  // below the triad's 20
  run.system["ceilings"] = to_json(c);
  CHECK(*build_report({{"a.json", run}}, real_db(), {}).rows[0].bandwidth_gbps == 20.0);
  c.read_gbps.reset();  // ceilings written before the read-only figure
  c.read_method.clear();
  run.system["ceilings"] = to_json(c);
  const report_row row = build_report({{"a.json", run}}, real_db(), {}).rows[0];
  CHECK(*row.bandwidth_gbps == 20.0);
  CHECK(row.bandwidth_basis == "measured STREAM triad");
}

TEST_CASE("report: a CPU result without ceilings says how to get them", "[report]") {
  const report r = build_report({{"b.json", sample_run(false)}}, real_db(), {});
  CHECK_FALSE(r.rows[0].spec_dense_tflops.has_value());
  CHECK_THAT(r.rows[0].spec_basis, Catch::Contains("--ceilings"));
  CHECK_THROWS_AS(build_report({{"b.json", sample_run(false)}}, real_db(), {"H999"}), input_error);
}

TEST_CASE("report: a median whose samples never met the noise target is flagged", "[report]") {
  run_record run = sample_run(false);
  CHECK(run.results[0].noise_summary().empty());  // converged
  run.results[0].repetitions[0].stop_reason = "timeout";
  run.results[0].repetitions[0].stats.cv = 0.97;
  CHECK(run.results[0].noise_summary() ==
        "noisy: 1 of 1 repetitions stopped on the timeout above the noise target (CV up to 97%)");
  const std::string md = render_markdown(build_report({{"n.json", run}}, real_db(), {}));
  CHECK_THAT(md, Catch::Contains("noisy: 1 of 1 repetitions stopped on the timeout"));
}

TEST_CASE("report: press figures read against the database", "[report]") {
  const report r = build_report({}, real_db(), {});
  bool saw_h100 = false, saw_h20 = false;
  for (const press_reading& p : r.press_claims) {
    if (p.device == "H100-SXM5" && p.quoted == 1979) {
      saw_h100 = true;
      CHECK_THAT(p.readings.at(0) + ";" + p.readings.back(),
                 Catch::Contains("bf16 sparse") && Catch::Contains("f8 dense"));
    }
    if (p.device == "H20" && p.quoted == 296) {
      saw_h20 = true;
      REQUIRE(p.readings.size() == 1);
      CHECK(p.readings[0] == "f8 dense = 296");
    }
  }
  CHECK(saw_h100);
  CHECK(saw_h20);
  bool saw_ascend = false, saw_mismatch = false;
  for (const press_ratio& p : r.press_comparisons) {
    if (p.a == "Ascend-910B") {
      saw_ascend = true;
      CHECK(std::find(p.like_for_like.begin(), p.like_for_like.end(), "bf16 dense") != p.like_for_like.end());
      CHECK(p.quoted_ratio == Approx(320.0 / 312));
    }
    if (p.a == "H100-SXM5" && p.b_quoted == 148) {
      saw_mismatch = true;
      CHECK(p.like_for_like.empty());  // sparse 1979 against dense 148
      CHECK(p.quoted_ratio == Approx(13.37).epsilon(0.01));
      bool bf16 = false;
      for (const matched_ratio& m : p.matched) {
        if (m.label == "bf16 dense") {
          bf16 = true;
          CHECK(m.ratio == Approx(989.4 / 148));
        }
      }
      CHECK(bf16);
    }
  }
  CHECK(saw_ascend);
  CHECK(saw_mismatch);
}

// How the readers' views print each figure of report.json (the CSV prints every one in full).
std::string human_form_of(const std::string& key, double v) {
  if (key.find("_s") == key.size() - 2 || key == "lower_bound_s") return human_duration(v);
  if (key.rfind("pct_", 0) == 0 || key == "roofline_efficiency") return human_percent(v);
  if (key == "verification_error") return fmt::format("{:.3g}", v);
  return human_rate(v);
}

TEST_CASE("report: Markdown, CSV and HTML carry every figure the JSON holds for a result", "[report]") {
  const report r = build_report({{"a.json", sample_run(true)}}, real_db(), {"H100-SXM5", "H20", "Ascend-910B"});
  const std::string md = render_markdown(r), csv = render_csv(r), html = render_html(r);
  const nlohmann::ordered_json result_json = to_json(r.inputs[0].run);
  const nlohmann::ordered_json report_json = to_json(r);
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const nlohmann::ordered_json& j = result_json["results"][i];
    // (key, value) of every figure: the headline ones straight from the result file ...
    std::vector<std::pair<std::string, double>> numbers;
    std::vector<std::string> texts{j["outcome"].get<std::string>(), j["workload"].get<std::string>()};
    for (const char* key : {"tflops", "median_s", "gbps"}) {
      if (!j[key].is_null()) numbers.emplace_back(key, j[key].get<double>());
    }
    if (!j["verification"].is_null())
      numbers.emplace_back("verification_error", j["verification"]["error"].get<double>());
    // ... and every figure of the report's JSON for it (derived ones included).
    const nlohmann::ordered_json& derived = report_json["results"][i];
    for (const auto& item : derived.items()) {
      if (item.value().is_number_float()) {
        numbers.emplace_back(item.key(), item.value().get<double>());
      } else if (item.value().is_string() && !item.value().get<std::string>().empty()) {
        texts.push_back(item.value().get<std::string>());
      }
    }
    for (const auto& p : derived["projections"]) {
      if (!p["lower_bound_s"].is_null()) numbers.emplace_back("lower_bound_s", p["lower_bound_s"].get<double>());
    }
    for (const std::string& f : texts) {
      INFO("result " << i << ": " << f);
      CHECK(md.find(md_form(f)) != std::string::npos);
      CHECK(csv.find(csv_form(f)) != std::string::npos);
      CHECK(html.find(html_form(f)) != std::string::npos);
    }
    // Full precision in the CSV (reads back as the same double), the human style for readers.
    for (const auto& [key, v] : numbers) {
      const std::string full = fmt::format("{}", v), human = human_form_of(key, v);
      INFO("result " << i << ": " << key << " = " << full << " / " << human);
      CHECK(std::stod(full) == v);
      CHECK(csv.find(full) != std::string::npos);
      CHECK(md.find(human) != std::string::npos);
      CHECK(html.find(html_form(human)) != std::string::npos);
    }
  }
  // Every column reaches every format (CSV header is the column key).
  for (const report_column& c : report_columns(r)) {
    INFO(c.key);
    CHECK(csv.find(c.key) != std::string::npos);
    CHECK(md.find(c.key) != std::string::npos);
    CHECK(html.find(html_form(c.key)) != std::string::npos);
  }
  // Readers never see raw doubles: no 6-digit mantissas in Markdown, none in the HTML.
  const std::string six_digits = fmt::format("{:.6g}", *r.rows[0].result.median_s());  // the old style
  CHECK(md.find(six_digits) == std::string::npos);
  CHECK(html.find(six_digits) == std::string::npos);
}

TEST_CASE("report: Markdown holds the press section and projected times; HTML is self-contained", "[report]") {
  const report r = build_report({{"a.json", sample_run(true)}}, real_db(), {"H100-SXM5", "H20", "Ascend-910B"});
  const std::string md = render_markdown(r);
  CHECK_THAT(md, Catch::Contains("## Press figures") && Catch::Contains("bf16 sparse = 1979") &&
                     Catch::Contains("f8 dense = 296") && Catch::Contains("H20 lower bound") &&
                     Catch::Contains("IMPOSSIBLE"));
  // The machine ceilings: both memory figures, each with its method.
  CHECK_THAT(md, Catch::Contains("| STREAM triad GB/s | triad method | read-only GB/s | read method |") &&
                     Catch::Contains("| 20.0 | triad | 26.0 | read |"));
  const std::string html = render_html(r);
  CHECK_THAT(html, Catch::Contains("id=\"summary\"") && Catch::Contains("<svg id=\"roofline-svg\"") &&
                       Catch::Contains("class=\"flagged\""));
  // Offline: nothing is fetched.
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
}

TEST_CASE("report: CSV quoting and one line per result", "[report]") {
  run_record run = sample_run(true);
  run.results[3].reason = "a, \"quoted\" reason";
  const report r = build_report({{"a.json", run}}, real_db(), {});
  const std::string csv = render_csv(r);
  CHECK_THAT(csv, Catch::Contains("\"a, \"\"quoted\"\" reason\""));
  std::size_t lines = 0;
  for (char c : csv) lines += c == '\n' ? 1 : 0;
  CHECK(lines == 1 + r.rows.size());
}

TEST_CASE("report --ceilings: applied to the inputs measured on that CPU only", "[report]") {
  std::vector<report_input> inputs{{"cpu.json", sample_run(false)}, {"other.json", sample_run(false)}};
  inputs[1].run.system["host_processor_model_name"] = "Other CPU";
  apply_ceilings(inputs, sample_ceilings(), "c.json");
  CHECK(inputs[0].ceilings_file == "c.json");
  CHECK(inputs[1].ceilings_file.empty());
  CHECK_FALSE(inputs[1].run.system.contains("ceilings"));
  const report r = build_report(inputs, real_db(), {});
  CHECK(*r.rows[0].spec_dense_tflops == 0.192);          // the CPU result got its computed peak
  CHECK_FALSE(r.rows[4].spec_dense_tflops.has_value());  // the other CPU's did not
  CHECK_THAT(render_markdown(r), Catch::Contains("from --ceilings c.json"));

  std::vector<report_input> elsewhere{{"other.json", sample_run(false)}};
  elsewhere[0].run.system["host_processor_model_name"] = "Other CPU";
  CHECK_THROWS_WITH(apply_ceilings(elsewhere, sample_ceilings(), "c.json"),
                    Catch::Contains("--ceilings 'c.json'") && Catch::Contains("'Test CPU'") &&
                        Catch::Contains("'Other CPU' (other.json)"));
}

TEST_CASE("report: ceilings that disagree and results above a ceiling are flagged, not presented as fact", "[report]") {
  // A noisy peak run: the measured FMA rate implies 2.9 pipes where the table says 2, and the
  // measured ceiling (0.11) is below what the GEMM then reached (0.15).
  machine_ceilings noisy = sample_ceilings();
  noisy.fma_pipes_implied = 2.9;
  noisy.measured_fma = {{"f32", 0.11, "avx2+fma", 2, "12 chains"}};
  CHECK(noisy.fma_pipes_disagree());
  CHECK_FALSE(sample_ceilings().fma_pipes_disagree());  // 1.9 of 2: within 25 %
  run_record run = sample_run(false);
  run.system["ceilings"] = to_json(noisy);
  const report r = build_report({{"noisy.json", run}}, real_db(), {});
  const report_row& cpu = r.rows[0];
  CHECK(*cpu.pct_of_ceiling == Approx(100 * 0.15 / 0.11));
  CHECK(cpu.above_ceiling);
  CHECK(cpu.ceilings_disagree);
  CHECK_THAT(cpu.ceiling_flag, Catch::Contains("ABOVE CEILING") && Catch::Contains("136%"));
  CHECK_FALSE(r.rows[1].above_ceiling);  // the GPU has no measured ceiling
  const std::string md = render_markdown(r);
  CHECK_THAT(md, Catch::Contains("CEILINGS DISAGREE: the measured f32 FMA rate implies 2.90 FMA pipes") &&
                     Catch::Contains("ABOVE CEILING: 0.150 TFLOPS is 136%"));
  CHECK(to_json(r)["results"][0]["above_ceiling"] == true);
  CHECK(to_json(r)["inputs"][0]["ceilings_disagree"] == true);
  for (const best_entry& b : best_per_device(r)) {
    if (b.dtype == "f32") CHECK(b.suspect);
  }
  CHECK_THAT(render_html(r), Catch::Contains("⚠ see Flags"));

  // The same run against sound ceilings: no flag.
  const std::string clean = render_markdown(build_report({{"a.json", sample_run(true)}}, real_db(), {}));
  CHECK_THAT(clean, !Catch::Contains("ABOVE CEILING") && !Catch::Contains("CEILINGS DISAGREE"));
}

TEST_CASE("report Markdown: rows of one kind get their sweep axes as columns", "[report]") {
  run_record run = sample_run(true);
  case_result attn = run.results[0];
  attn.kind = "attn";
  attn.workload = "attn:b=2,hq=32,hkv=8,sq=512,skv=1024,d=128,causal=1,dt=f32";
  run.results.push_back(attn);
  const std::string md = render_markdown(build_report({{"a.json", run}}, real_db(), {}));
  CHECK_THAT(md, Catch::Contains("## Results: gemm") && Catch::Contains("## Results: attn"));
  CHECK_THAT(md, Catch::Contains("| # | m | n | k | ta | tb | batch | backend | dtype | outcome | median | TFLOPS |"));
  CHECK_THAT(md, Catch::Contains("| # | b | hq | hkv | sq | skv | d | causal | backend |"));
  CHECK_THAT(md, Catch::Contains("| 5 | 2 | 32 | 8 | 512 | 1024 | 128 | 1 | openblas | f32 | passed |"));
  CHECK_THAT(md, Catch::Contains("| 1 | 4096 | 4096 | 4096 | n | n | 1 | openblas |"));
}

TEST_CASE("report HTML: cards, labelled roofline, compact tables, no Markdown syntax", "[report]") {
  run_record run = sample_run(true);
  case_result reference = run.results[0];
  reference.backend = "reference";
  reference.repetitions[0].samples_s = {50.0, 50.0, 50.0};  // slow: would spread the chart's axis
  run.results.push_back(reference);
  const report r = build_report({{"a.json", run}}, real_db(), {"H100-SXM5", "H20", "Ascend-910B"});
  const std::string html = render_html(r);
  // A card per device, with its best figures in the human style.
  CHECK_THAT(html, Catch::Contains("<div class=\"card\"><h3>Test CPU (testhost)</h3>") &&
                       Catch::Contains("<div class=\"card\"><h3>H100-SXM5 (testhost)</h3>") &&
                       Catch::Contains(">0.150</td>") && Catch::Contains("70.7%") && Catch::Contains("83.3%"));
  // Points carry visible backend labels; reference results are left out of the chart.
  CHECK_THAT(html, Catch::Contains("class=\"point-label\"") && Catch::Contains(">openblas</text>") &&
                       Catch::Contains(">cuda</text>") && Catch::Contains("class=\"roof-label\""));
  CHECK(html.find("data-backend=\"reference\"") == std::string::npos);
  for (const best_entry& b : best_per_device(r)) CHECK(r.rows[b.row].result.backend != "reference");
  // The local machine's roof (from its ceilings) and the compared devices' roofs.
  CHECK_THAT(html, Catch::Contains("Test CPU (testhost) f32: peak 0.192 TFLOPS, 26.0 GB/s") &&
                       Catch::Contains("H20 bf16 (compared, spec)"));
  // H100-SXM5 was measured: its roof is drawn once, in its measured colour, not again as compared.
  CHECK_THAT(html, Catch::Contains("H100-SXM5 (testhost) bf16: peak 989 TFLOPS") &&
                       !Catch::Contains("H100-SXM5 bf16 (compared, spec)"));
  // Extra columns open on demand; every figure in a closed <details>.
  CHECK_THAT(html, Catch::Contains("<input type=\"checkbox\" class=\"more\"") && Catch::Contains("class=\"extra") &&
                       Catch::Contains("<details><summary>"));
  // Plain text: no Markdown emphasis or code marks, no "unknown-bound".
  CHECK(html.find("*dense*") == std::string::npos);
  CHECK(html.find('`') == std::string::npos);
  CHECK(html.find("unknown-bound") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("compute (bandwidth unknown)"));
  // The lower-bound table: once per workload, not once per backend row.
  const std::string md = render_markdown(r);
  const std::size_t table = md.find("## Lower-bound time");
  REQUIRE(table != std::string::npos);
  const std::string section = md.substr(table, md.find("\n## ", table + 1) - table);
  std::size_t f32_rows = 0;
  for (std::size_t at = section.find("| gemm:m=4096,n=4096,k=4096,dt=f32 |"); at != std::string::npos;
       at = section.find("| gemm:m=4096,n=4096,k=4096,dt=f32 |", at + 1)) {
    ++f32_rows;
  }
  CHECK(f32_rows == 1);  // openblas and reference measured it: one row
}
