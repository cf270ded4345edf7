// Device telemetry in results: the harness side, host-only. A fake telemetry source
// stands in for NVML; what is checked is the per-batch aggregation, the throttled-sample count,
// the backend lookup through get_proc, the JSON round trip and the reader's validation, and the
// console line. The NVML side (to_abi_telemetry, is_throttled) is in test_cuda.cpp.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "bench/engine/telemetry_sampler.hpp"
#include "bench/runner/console_table.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"

using namespace accelbench;

namespace {

ab_telemetry reading(double sm_mhz, bool throttled, const char* reasons) {
  ab_telemetry t{};
  t.struct_size = sizeof(t);
  t.reported = AB_TELEMETRY_SM_CLOCK | AB_TELEMETRY_POWER | AB_TELEMETRY_CLOCK_EVENTS;
  t.sm_clock_mhz = sm_mhz;
  t.power_w = 650.0;
  t.throttled = throttled ? 1 : 0;
  std::strncpy(t.clock_event_reasons, reasons, sizeof(t.clock_event_reasons) - 1);
  return t;
}

// A GPU-like case: three batches (4, 4, 2 samples), the second one throttled.
case_result telemetry_case() {
  std::vector<ab_telemetry> script = {reading(1980, false, ""), reading(1410, true, "sw_power_cap"),
                                      reading(1980, false, "")};
  std::size_t next = 0;
  telemetry_sampler sampler([&](ab_telemetry& out) {
    out = script.at(next++);
    return AB_OK;
  });
  repetition_record rep;
  for (const std::int64_t batch : {4, 4, 2}) {
    const auto first = static_cast<std::int64_t>(rep.samples_s.size());
    sampler.sample_batch(rep, first, batch);
    for (std::int64_t i = 0; i < batch; ++i) rep.samples_s.push_back(1e-3);
  }
  rep.stats = summarize(rep.samples_s);
  rep.stop_reason = "converged";
  case_result c;
  c.workload = "gemm:m=4096,n=4096,k=4096,dt=bf16";
  c.kind = "gemm";
  c.backend = "cuda";
  c.device_name = "NVIDIA H100 80GB HBM3";
  c.device_kind = "gpu";
  c.dtype_in = c.dtype_out = "bf16";
  c.dtype_acc = "f32";
  c.result = outcome::passed;
  c.verification = verification_result{};
  c.verification->passed = true;
  c.repetitions.push_back(rep);
  return c;
}

ab_status fake_read(int32_t device, ab_telemetry* out) {
  *out = reading(device == 0 ? 1000.0 : 2000.0, false, "");
  return AB_OK;
}

void* fake_get_proc(const char* name) {
  return std::string(name) == AB_PROC_READ_TELEMETRY ? reinterpret_cast<void*>(&fake_read) : nullptr;
}

}  // namespace

TEST_CASE("telemetry: one reading per batch, throttled samples counted", "[telemetry]") {
  const case_result c = telemetry_case();
  const repetition_record& rep = c.repetitions.at(0);
  REQUIRE(rep.telemetry.size() == 3);
  CHECK(rep.telemetry[1].first_sample == 4);
  CHECK(rep.telemetry[1].samples == 4);
  CHECK(rep.telemetry[1].throttled);
  CHECK(rep.telemetry[1].clock_event_reasons == "sw_power_cap");
  CHECK(*rep.telemetry[1].sm_clock_mhz == 1410.0);
  CHECK_FALSE(rep.telemetry[1].temperature_c.has_value());  // not reported by the source
  CHECK(rep.throttled_samples() == 4);
  CHECK(c.throttled_samples() == 4);
  CHECK(c.throttle_summary() == "throttled: 4 of 10 samples (sw_power_cap)");

  case_result quiet = c;
  quiet.repetitions[0].telemetry[1].throttled = false;
  CHECK(quiet.throttled_samples() == 0);
  CHECK(quiet.throttle_summary().empty());
  quiet.repetitions[0].telemetry.clear();
  CHECK_FALSE(quiet.throttled_samples().has_value());  // no telemetry is not "none throttled"
}

TEST_CASE("telemetry: fields the device does not report stay empty", "[telemetry]") {
  ab_telemetry t{};
  t.reported = AB_TELEMETRY_TEMPERATURE;
  t.temperature_c = 64.0;
  t.sm_clock_mhz = 1234.0;  // present in the struct but not flagged: ignored
  t.throttled = 1;          // likewise: clock events not reported
  std::memset(t.clock_event_reasons, 'x', sizeof(t.clock_event_reasons));  // no terminator
  const telemetry_reading r = to_reading(t, 3, 2);
  CHECK(r.first_sample == 3);
  CHECK(r.samples == 2);
  CHECK(*r.temperature_c == 64.0);
  CHECK_FALSE(r.sm_clock_mhz.has_value());
  CHECK_FALSE(r.throttled);
  CHECK(r.clock_event_reasons.empty());

  t.reported |= AB_TELEMETRY_CLOCK_EVENTS;  // reasons without a terminator are cut at the array's end
  CHECK(to_reading(t, 0, 1).clock_event_reasons.size() == sizeof(t.clock_event_reasons));
}

TEST_CASE("telemetry: a failing source is asked once, then no more", "[telemetry]") {
  int calls = 0;
  telemetry_sampler sampler([&](ab_telemetry&) {
    ++calls;
    return AB_UNSUPPORTED;
  });
  repetition_record rep;
  sampler.sample_batch(rep, 0, 4);
  sampler.sample_batch(rep, 4, 4);
  CHECK(calls == 1);
  CHECK(rep.telemetry.empty());
  telemetry_sampler none;
  none.sample_batch(rep, 0, 4);
  CHECK(rep.telemetry.empty());
}

TEST_CASE("telemetry: the backend's reader comes from get_proc", "[telemetry]") {
  ab_backend table{};
  table.abi_version = AB_ABI_VERSION;
  table.struct_size = sizeof(table);
  repetition_record rep;
  telemetry_sampler::for_backend(&table, 0).sample_batch(rep, 0, 1);  // no get_proc: nothing
  CHECK(rep.telemetry.empty());
  table.get_proc = fake_get_proc;
  telemetry_sampler::for_backend(&table, 1).sample_batch(rep, 0, 1);
  REQUIRE(rep.telemetry.size() == 1);
  CHECK(*rep.telemetry[0].sm_clock_mhz == 2000.0);  // the device index reached the backend
}

TEST_CASE("telemetry: JSON round trip and the reader's checks", "[telemetry][results]") {
  run_record run;
  run.meta.stopping = nlohmann::ordered_json::object();
  run.system = nlohmann::ordered_json::object();
  run.results = {telemetry_case()};
  const nlohmann::ordered_json doc = to_json(run);
  const run_record back = result_from_json(doc, "t.json");
  REQUIRE(back.results.at(0).repetitions.at(0).telemetry.size() == 3);
  CHECK(to_json(back) == doc);

  auto rejected = [](nlohmann::ordered_json d, const std::string& what) {
    CHECK_THROWS_WITH(result_from_json(d, "t.json"), Catch::Contains(what));
  };
  nlohmann::ordered_json bad = doc;
  bad["results"][0]["repetitions"][0]["telemetry"][0]["fan_rpm"] = 1200;
  rejected(bad, "telemetry[0].fan_rpm");
  bad = doc;
  bad["results"][0]["repetitions"][0]["telemetry"][2]["samples"] = 3;  // past the 10 samples
  rejected(bad, "must lie within");
  bad = doc;
  bad["results"][0]["repetitions"][0]["telemetry"][0]["throttled"] = "no";
  rejected(bad, "expected true or false");
  bad = doc;
  bad["results"][0]["throttled_samples"] = 0;
  rejected(bad, "does not match");
  // A 1.1.0 file has neither key and still reads.
  nlohmann::ordered_json old = doc;
  old["schema_version"] = "1.1.0";
  old["results"][0].erase("throttled_samples");
  old["results"][0]["repetitions"][0].erase("telemetry");
  CHECK(result_from_json(old, "old.json").results.at(0).repetitions.at(0).telemetry.empty());
}

TEST_CASE("telemetry: the console says how many samples were throttled", "[telemetry]") {
  const std::string table = format_results_table({telemetry_case()});
  CHECK_THAT(table, Catch::Contains("[cuda] throttled: 4 of 10 samples (sw_power_cap)"));
}

TEST_CASE("The console names a plan that fell back to a slower path", "[telemetry]") {
  case_result r = telemetry_case();
  r.plan_description = "fallback: composed (cuDNN rejected: heuristics: no engine): cuBLASLt Q K^T; Q K^T: ...";
  const std::string table = format_results_table({r});
  CHECK_THAT(table,
             Catch::Contains("[cuda] fallback: composed (cuDNN rejected: heuristics: no engine): cuBLASLt Q K^T\n"));
  r.plan_description = "cudnn sdpa (engine 3, ...)";
  CHECK_THAT(format_results_table({r}), !Catch::Contains("fallback"));
}
