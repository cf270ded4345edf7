// Batched calls per sample (ab_batch_calls_v1, how the CUDA backend's graph batches reach the
// results): the harness asks only with hot caches, divides each timed run by the backend's call
// count, records it as calls_per_sample, and reads the plan description after asking. The
// backend here is the reference backend with a fake batching extra and a fake timer, so the
// division is checked exactly; the CUDA side is in test_cuda (batch size) and test_cuda_gpu.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/loader/registry.hpp"
#include "bench/engine/case_runner.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"

using namespace accelbench;

namespace {

constexpr std::uint32_t fake_calls = 7;
constexpr double fake_call_s = 1e-6;  // what the fake timer says one call takes

const ab_backend* g_reference = nullptr;
ab_status g_answer = AB_OK;  // what the fake extra returns
int g_asked = 0;             // times the harness asked
int g_calls = 0;             // reference runs actually performed
bool g_batched = false;      // the current plan was switched to batched runs
std::string g_description;

ab_status fake_batch_calls(ab_plan*, uint32_t* calls_per_run) {
  ++g_asked;
  if (g_answer != AB_OK) return g_answer;
  g_batched = true;
  *calls_per_run = fake_calls;
  return AB_OK;
}
void* fake_get_proc(const char* name) {
  if (name != nullptr && std::string_view(name) == AB_PROC_BATCH_CALLS)
    return reinterpret_cast<void*>(&fake_batch_calls);
  return nullptr;
}
ab_status fake_prepare(int32_t device, const ab_workload* w, const ab_host_tensor* inputs, uint32_t count,
                       ab_plan** out, char* reason, size_t reason_len) {
  g_batched = false;
  return g_reference->prepare(device, w, inputs, count, out, reason, reason_len);
}
// A batched run really performs its calls (the output is the same every time).
ab_status fake_run(ab_plan* plan) {
  for (std::uint32_t i = 0; i < (g_batched ? fake_calls : 1u); ++i) {
    ++g_calls;
    if (const ab_status s = g_reference->run(plan); s != AB_OK) return s;
  }
  return AB_OK;
}
ab_status fake_elapsed(ab_plan*, uint32_t, double* seconds) {
  *seconds = (g_batched ? fake_calls : 1u) * fake_call_s;
  return AB_OK;
}
const char* fake_description(ab_plan* plan) {
  g_description = g_reference->plan_description(plan);
  if (g_batched) g_description += "; batched 7 calls per run";
  return g_description.c_str();
}

struct fixture {
  fixture() : entries(load_backends()) {
    for (const backend_entry& e : entries) {
      if (e.name == "reference" && e.available) reference = &e;
    }
    REQUIRE(reference != nullptr);  // the reference backend is always built
    g_reference = reference->table;
    table = *reference->table;
    table.prepare = fake_prepare;
    table.run = fake_run;
    table.elapsed_seconds = fake_elapsed;
    table.plan_description = fake_description;
    table.get_proc = fake_get_proc;
    wrapped = *reference;
    wrapped.table = &table;
    g_asked = g_calls = 0;
    g_answer = AB_OK;
  }
  ~fixture() { shutdown_backends(entries); }

  case_result run(cache_policy cache) {
    run_options options;
    options.stop.timeout_s = 0.2;
    options.stop.min_samples = 5;
    options.stop.min_time_s = 1e-9;
    options.stop.warmup_time_s = 0.0;
    options.cache = cache;
    case_runner runner(options, 1 << 20);
    const std::string text = "gemm:m=8,n=8,k=8,dt=f32";
    const bench_case c{text, parse_workload(text), &wrapped, 0};
    case_result record = runner.new_record(c);
    runner.run_repetition(c, record);
    runner.run_repetition(c, record);
    return record;
  }

  std::vector<backend_entry> entries;
  const backend_entry* reference = nullptr;
  ab_backend table{};
  backend_entry wrapped;
};

}  // namespace

TEST_CASE("hot caches: the backend batches calls, samples are per call and record the count", "[batching]") {
  fixture f;
  const case_result r = f.run(cache_policy::hot);
  INFO(r.reason);
  REQUIRE(r.result == outcome::passed);  // verified on the batched run's output
  CHECK(g_asked == 2);                   // once per plan: each repetition prepares its own
  CHECK_THAT(r.plan_description, Catch::EndsWith("; batched 7 calls per run"));  // read after asking
  REQUIRE(r.repetitions.size() == 2);
  for (const repetition_record& rep : r.repetitions) {
    CHECK(rep.calls_per_sample == fake_calls);
    REQUIRE(rep.samples_s.size() >= 5);
    for (double s : rep.samples_s) CHECK(s == Approx(fake_call_s));  // the run's 7 us / 7
  }
  REQUIRE(r.median_s().has_value());
  CHECK(*r.median_s() == Approx(fake_call_s));
  CHECK(g_calls % fake_calls == 0);  // every run, warm-up and verification included, did 7 calls

  // The count is in the results and reads back; 0 is refused.
  run_record run;
  run.meta.stopping = nlohmann::ordered_json::object();
  run.system = nlohmann::ordered_json::object();
  run.results = {r};
  const nlohmann::ordered_json doc = to_json(run);
  CHECK(doc["results"][0]["repetitions"][0]["calls_per_sample"] == fake_calls);
  CHECK(result_from_json(doc, "b.json").results.at(0).repetitions.at(1).calls_per_sample == fake_calls);
  nlohmann::ordered_json bad = doc;
  bad["results"][0]["repetitions"][0]["calls_per_sample"] = 0;
  CHECK_THROWS_WITH(result_from_json(bad, "b.json"),
                    Catch::Contains("calls_per_sample") && Catch::Contains(">= 1"));
  // A 1.2.0 file has no count: one call per sample.
  nlohmann::ordered_json old = doc;
  old["schema_version"] = "1.2.0";
  old["results"][0]["repetitions"][0].erase("calls_per_sample");
  CHECK(result_from_json(old, "old.json").results.at(0).repetitions.at(0).calls_per_sample == 1);
}

TEST_CASE("cold caches: never batched, a flush separates every call", "[batching]") {
  fixture f;
  const case_result r = f.run(cache_policy::cold);
  REQUIRE(r.result == outcome::passed);
  CHECK(g_asked == 0);
  CHECK_THAT(r.plan_description, !Catch::Contains("batched"));
  for (const repetition_record& rep : r.repetitions) {
    CHECK(rep.calls_per_sample == 1);
    for (double s : rep.samples_s) CHECK(s == Approx(fake_call_s));
  }
}

TEST_CASE("a backend that declines batching runs single calls; one that fails it fails the case", "[batching]") {
  fixture f;
  g_answer = AB_UNSUPPORTED;
  const case_result declined = f.run(cache_policy::hot);
  REQUIRE(declined.result == outcome::passed);
  CHECK(g_asked == 2);
  for (const repetition_record& rep : declined.repetitions) CHECK(rep.calls_per_sample == 1);

  g_answer = AB_ERROR;
  const case_result failed = f.run(cache_policy::hot);
  CHECK(failed.result == outcome::failed);
  CHECK_THAT(failed.reason, Catch::Contains(AB_PROC_BATCH_CALLS));
}
