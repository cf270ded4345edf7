// Fleet runs (docs/fleet.md): the shard partition, shard defaults from Slurm and Kubernetes,
// merging shards and machines; end to end, a 4-shard run merges to the unsharded run's cases.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "bench/runner/shard.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/model/merge.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"
#include "tests/support/file_io.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace accelbench;

namespace {

std::vector<std::string> sample_workloads() {
  std::vector<std::string> w;
  for (int m : {64, 128, 256, 512, 1024, 2048, 4096}) {
    for (const char* dt : {"f32", "bf16"}) w.push_back("gemm:m=" + std::to_string(m) + ",n=1024,k=1024,dt=" + dt);
  }
  w.push_back("attn:b=1,hq=8,hkv=2,sq=1024,skv=1024,d=128,causal=1,dt=f32");
  return w;
}

case_result record(const std::string& workload, const std::string& system, const std::string& run_id,
                   outcome o = outcome::passed) {
  case_result c;
  c.workload = workload;
  c.kind = "gemm";
  c.backend = "openblas";
  c.device_name = "cpu";
  c.device_kind = "cpu";
  c.result = o;
  c.system_desc_id = system;
  c.run_id = run_id;
  return c;
}

run_record shard_file(const std::string& run_id, int index, int count, const std::string& system,
                      const std::vector<std::string>& workloads) {
  run_record run;
  run.meta.run_id = run_id;
  run.meta.shard_index = index;
  run.meta.shard_count = count;
  run.meta.started_at_utc = "2026-01-01T00:00:0" + std::to_string(index) + "Z";
  run.meta.stopping = nlohmann::ordered_json::object();
  run.system = {{"system_desc_id", system}, {"system_name", "host-" + system}};
  for (const std::string& w : workloads) run.results.push_back(record(w, system, run_id));
  return run;
}

}  // namespace

TEST_CASE("shards: a deterministic, disjoint, complete and balanced partition", "[fleet]") {
  const std::vector<std::string> workloads = sample_workloads();
  for (int count : {1, 2, 3, 4, 7, 20}) {
    INFO("count " << count);
    std::multiset<std::string> all;
    std::vector<double> load(static_cast<std::size_t>(count), 0.0);
    for (int i = 0; i < count; ++i) {
      const std::vector<std::string> part = select_shard(workloads, {i, count});
      CHECK(part == select_shard(workloads, {i, count}));  // same answer every time
      for (const std::string& w : part) {
        all.insert(w);
        load[static_cast<std::size_t>(i)] += estimated_cost(w);
      }
      // Suite order is kept inside a shard.
      std::vector<std::size_t> positions;
      for (const std::string& w : part)
        positions.push_back(std::find(workloads.begin(), workloads.end(), w) - workloads.begin());
      CHECK(std::is_sorted(positions.begin(), positions.end()));
    }
    CHECK(all == std::multiset<std::string>(workloads.begin(), workloads.end()));  // every workload exactly once
    if (count > 1 && count <= static_cast<int>(workloads.size())) {
      // LPT: no shard exceeds the lightest one by more than the largest single workload.
      double largest = 0;
      for (const std::string& w : workloads) largest = std::max(largest, estimated_cost(w));
      CHECK(*std::max_element(load.begin(), load.end()) - *std::min_element(load.begin(), load.end()) <=
            largest + 1e-9);
    }
  }
  // The heaviest workloads are spread out, not dealt round-robin by position.
  const std::vector<int> of = assign_shards(workloads, 2);
  CHECK(of[12] != of[13]);  // m=4096 f32 and bf16: the two most expensive go to different shards
}

TEST_CASE("shards: I/N text and the batch systems' environment", "[fleet]") {
  CHECK(parse_shard("0/4").index == 0);
  CHECK(parse_shard("3/4").count == 4);
  for (const char* bad : {"4/4", "-1/4", "1/0", "1", "a/b", "1/4x", "", "0/1000001"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_shard(bad), input_error);
  }
  CHECK_FALSE(shard_from_environment({}).has_value());
  auto slurm = shard_from_environment({{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  REQUIRE(slurm.has_value());
  CHECK(slurm->index == 2);
  CHECK(slurm->count == 4);
  // --array=1-7:2 : ids 1,3,5,7 are shards 0..3.
  slurm = shard_from_environment({{"SLURM_ARRAY_TASK_ID", "5"},
                                  {"SLURM_ARRAY_TASK_COUNT", "4"},
                                  {"SLURM_ARRAY_TASK_MIN", "1"},
                                  {"SLURM_ARRAY_TASK_STEP", "2"}});
  REQUIRE(slurm.has_value());
  CHECK(slurm->index == 2);
  const auto k8s = shard_from_environment({{"JOB_COMPLETION_INDEX", "1"}, {"ACCELBENCH_SHARD_COUNT", "3"}});
  REQUIRE(k8s.has_value());
  CHECK(k8s->index == 1);
  CHECK(k8s->count == 3);
  CHECK_THROWS_WITH(shard_from_environment({{"JOB_COMPLETION_INDEX", "1"}}), Catch::Contains("ACCELBENCH_SHARD_COUNT"));
  CHECK_THROWS_AS(shard_from_environment({{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}), input_error);
  CHECK_THROWS_AS(shard_from_environment({{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}), input_error);
}

TEST_CASE("merge: dedupe by (system, device, workload, backend, run); missing shards reported", "[fleet]") {
  const std::vector<std::string> argv = {"accelbench", "merge"};
  const run_record s0 = shard_file("r1", 0, 3, "sysA", {"gemm:m=1", "gemm:m=2"});
  const run_record s2 = shard_file("r1", 2, 3, "sysA", {"gemm:m=3"});
  SECTION("a shard given twice is deduplicated; shard 1 is missing") {
    const merge_outcome m = merge_runs({{"s0.json", s0}, {"s2.json", s2}, {"s0-again.json", s0}}, argv);
    CHECK(m.merged.results.size() == 3);
    CHECK(m.duplicates == 2);
    REQUIRE(m.missing.size() == 1);
    CHECK_THAT(m.missing[0], Catch::Contains("r1") && Catch::Contains("shard(s) 1 of 3"));
    CHECK(m.merged.meta.run_id == "r1");
    CHECK(m.merged.meta.shard_count == 0);  // the merged file is no shard
    CHECK(m.merged.meta.started_at_utc == "2026-01-01T00:00:00Z");
    CHECK(m.merged.system.at("system_desc_id") == "sysA");
    CHECK(m.merged.meta.argv == argv);
  }
  SECTION("the finished record wins over an interrupted copy") {
    run_record interrupted = s0;
    interrupted.results[0].result = outcome::interrupted;
    const merge_outcome m = merge_runs({{"a.json", interrupted}, {"b.json", s0}}, argv);
    CHECK(m.merged.results[0].result == outcome::passed);
  }
  SECTION("other machines and other runs are kept apart") {
    const run_record other_machine = shard_file("r2", 0, 1, "sysB", {"gemm:m=1"});
    const run_record other_run = shard_file("r3", 0, 1, "sysA", {"gemm:m=1"});
    const merge_outcome m = merge_runs({{"a.json", s0}, {"b.json", other_machine}, {"c.json", other_run}}, argv);
    CHECK(m.merged.results.size() == 4);
    CHECK(m.duplicates == 0);
    CHECK(m.merged.system.at("system_desc_id") == "multiple");
    CHECK(m.merged.system.at("systems").size() == 2);
    CHECK(m.merged.results[2].system_desc_id == "sysB");
    CHECK(m.merged.meta.run_id == "multiple");
    // The merged file is a valid result file.
    CHECK_NOTHROW(result_from_json(to_json(m.merged), "merged"));
  }
  SECTION("one run with two shard counts cannot be merged") {
    const run_record wrong = shard_file("r1", 1, 4, "sysA", {"gemm:m=4"});
    CHECK_THROWS_WITH(merge_runs({{"s0.json", s0}, {"wrong.json", wrong}}, argv),
                      Catch::Contains("wrong.json") && Catch::Contains("shard"));
  }
  SECTION("1.0.0 files (no run or machine in the records) take them from the file") {
    run_record old = s0;
    for (case_result& r : old.results) r.system_desc_id = r.run_id = "";
    const merge_outcome m = merge_runs({{"old.json", old}, {"new.json", s0}}, argv);
    CHECK(m.merged.results.size() == 2);
    CHECK(m.duplicates == 2);
  }
  CHECK_THROWS_AS(merge_runs({}, argv), input_error);
}

namespace {

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(testing::read_file(path)); }

std::multiset<std::string> case_keys(const nlohmann::json& document) {
  std::multiset<std::string> keys;
  for (const auto& r : document.at("results")) {
    keys.insert(r.at("workload").get<std::string>() + "|" + r.at("backend").get<std::string>());
  }
  return keys;
}

}  // namespace

TEST_CASE("4 shards merge to the same cases as an unsharded run", "[fleet_e2e]") {
  using strings = std::vector<std::string>;
  const testing::temp_dir dir("accelbench-fleet");
  const auto run_cli = [&dir](const strings& args) { return testing::run_accelbench(dir, args).exit_code; };
  const auto with = [](strings args, const strings& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  testing::write_file(
      dir.path / "suite.txt",
      "@option min-time=0.005,timeout=0.02,min-samples=2,warmup-time=0\n"
      "gemm:m=[8,16,24,32,40,48],n=8,k=8,dt=f32\nattn:b=1,hq=2,hkv=1,sq=8,skv=8,d=8,causal=[0,1],dt=f32\n");
  const strings common = {"run", "--suite", "suite.txt", "-b", "reference", "-q", "--cache", "hot"};
  REQUIRE(run_cli(with(common, {"-o", "all.json"})) == 0);
  strings files;
  for (int i = 0; i < 4; ++i) {
    INFO("shard " << i);
    REQUIRE(run_cli(with(common, {"--run-id", "fleet-test", "--shard", std::to_string(i) + "/4", "-o",
                                  "shard" + std::to_string(i) + ".json"})) == 0);
    const auto shard = read_json(dir.path / ("shard" + std::to_string(i) + ".json"));
    CHECK(shard.at("meta").at("run_id") == "fleet-test");
    CHECK(shard.at("meta").at("shard").at("index") == i);
    CHECK(shard.at("meta").at("shard").at("count") == 4);
    CHECK(shard.at("results").size() >= 1);  // 8 workloads over 4 shards: none is empty
    files.push_back("shard" + std::to_string(i) + ".json");
  }
  // Missing shard: reported, exit 1, file still written.
  const testing::cli_result partial =
      testing::run_accelbench(dir, {"merge", "shard0.json", "shard1.json", "shard2.json", "-o", "partial.json"});
  CHECK(partial.exit_code == 1);
  CHECK_THAT(partial.err, Catch::Contains("shard(s) 3 of 4 missing"));
  CHECK(fs::exists(dir.path / "partial.json"));

  // shard 0 twice: deduplicated
  REQUIRE(run_cli(with(with({"merge"}, files), {"shard0.json", "-o", "merged.json"})) == 0);
  const auto merged = read_json(dir.path / "merged.json");
  const auto all = read_json(dir.path / "all.json");
  CHECK(case_keys(merged) == case_keys(all));
  const std::multiset<std::string> merged_keys = case_keys(merged);
  CHECK(std::set<std::string>(merged_keys.begin(), merged_keys.end()).size() == merged.at("results").size());
  CHECK(merged.at("meta").at("run_id") == "fleet-test");
  CHECK(merged.at("meta").at("shard").is_null());

  CHECK(run_cli({"merge", "/nonexistent.json", "-o", "x.json"}) == 2);
  CHECK(run_cli({"merge", "suite.txt", "-o", "x.json"}) == 2);
  CHECK_FALSE(fs::exists(dir.path / "x.json"));
}
