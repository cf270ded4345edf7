#include "reports/views/gbench_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "reports/model/sample_statistics.hpp"

namespace accelbench {
namespace {

using json = nlohmann::ordered_json;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

json context_of(const run_record& run) {
  const json& system = run.system;
  json context;
  std::string date = run.meta.timestamp_utc;
  if (!date.empty() && date.back() == 'Z') date = date.substr(0, date.size() - 1) + "+00:00";
  context["date"] = date;
  context["host_name"] = system.value("system_name", std::string());
  if (!run.meta.argv.empty()) context["executable"] = run.meta.argv.front();
  const std::int64_t vcpus = system.value("host_processor_vcpu_count", std::int64_t{0});
  context["num_cpus"] = vcpus;
  // mhz_per_cpu and load_avg are not recorded by accelbench, so they are left out rather than
  // invented.
  const std::string governor = system.value("host_processor_scaling_governor", std::string());
  context["cpu_scaling_enabled"] = !governor.empty() && governor != "performance";
  json caches = json::array();
  if (system.contains("caches") && system.at("caches").is_array()) {
    for (const json& c : system.at("caches")) {
      const std::string level = c.value("level", std::string());
      const std::int64_t instances = std::max<std::int64_t>(1, c.value("instances", std::int64_t{1}));
      caches.push_back({{"type", level.size() > 2 && level.back() == 'd' ? "Data" : "Unified"},
                        {"level", level.size() >= 2 ? std::atoi(level.c_str() + 1) : 0},
                        {"size", c.value("size_bytes", std::int64_t{0})},
                        {"num_sharing", std::max<std::int64_t>(1, vcpus / instances)}});
    }
  }
  context["caches"] = caches;
  context["library_build_type"] = lowercase(run.meta.build_type) == "debug" ? "debug" : "release";
  // Custom context keys (Google Benchmark's AddCustomContext puts them here too).
  context["accelbench_version"] = run.meta.tool_version;
  context["accelbench_git_revision"] = run.meta.git_revision;
  context["accelbench_results_schema"] = results_schema_version;
  context["system_desc_id"] = system.value("system_desc_id", std::string());
  context["host_processor_model_name"] = system.value("host_processor_model_name", std::string());
  bool cpu_known = true;
  for (const case_result& r : run.results) {
    for (const repetition_record& rep : r.repetitions) cpu_known = cpu_known && rep.cpu_s.has_value();
  }
  context["time_note"] = cpu_known ? "real_time: the backend timer's median sample of a repetition; cpu_time: process "
                                     "CPU time (all threads) per call over that repetition's samples"
                                   : "real_time: the backend timer's median sample of a repetition; cpu_time repeats "
                                     "it (this result file predates schema 1.4.0, which records CPU time)";
  return context;
}

json entry_head(const std::string& name, std::size_t family, const std::string& run_type, std::size_t repetitions) {
  json entry;
  entry["name"] = name;
  entry["family_index"] = family;
  entry["per_family_instance_index"] = 0;
  entry["run_name"] = name;
  entry["run_type"] = run_type;
  entry["repetitions"] = repetitions;
  return entry;
}

struct moments {
  double mean = 0, median = 0, stddev = 0, cv = 0;
};

moments moments_of(const std::vector<double>& values) {
  const sample_statistics s = summarize(values);
  // Google Benchmark's cv aggregate is stddev / mean as a fraction.
  return {s.mean, s.median, s.stdev, s.mean > 0 ? s.stdev / s.mean : 0.0};
}

}  // namespace

json to_gbench_json(const run_record& run, const gbench_options& options) {
  json benchmarks = json::array();
  std::size_t family = 0;
  for (const case_result& r : run.results) {
    if (r.result == outcome::skipped || r.result == outcome::pending) continue;
    const std::string name =
        r.workload + "/" + r.backend + "/" + std::to_string(r.device_index) + "/" + std::string(to_string(r.cache));
    const bool verified = r.result == outcome::passed || r.result == outcome::mistrusted;
    std::vector<const repetition_record*> reps;
    for (const repetition_record& rep : r.repetitions) {
      if (rep.stats.count > 0 && std::isfinite(rep.stats.median) && rep.stats.median > 0) reps.push_back(&rep);
    }
    // Not measured (unsupported, failed, incorrect): no row. Google Benchmark's error rows carry
    // real_time 0, which charting tools plot as a 0 ns result; the outcome and its reason stay in
    // accelbench's own result file and table.
    if (!verified || reps.empty()) continue;
    std::vector<double> times_ns, cpu_ns, tflops, gbps, samples;
    const bool iterations_written = !options.aggregates_only || reps.size() == 1;
    for (std::size_t i = 0; i < reps.size(); ++i) {
      const repetition_record& rep = *reps[i];
      const double seconds = rep.stats.median;
      times_ns.push_back(seconds * 1e9);
      const double calls = static_cast<double>(rep.stats.count) * static_cast<double>(rep.calls_per_sample);
      cpu_ns.push_back(rep.cpu_s ? *rep.cpu_s / calls * 1e9 : times_ns.back());
      tflops.push_back(static_cast<double>(r.flops) / seconds / 1e12);
      gbps.push_back(static_cast<double>(r.min_bytes) / seconds / 1e9);
      samples.push_back(static_cast<double>(rep.stats.count));
      if (!iterations_written) continue;
      json entry = entry_head(name, family, "iteration", reps.size());
      entry["repetition_index"] = i;
      entry["threads"] = 1;
      entry["iterations"] = rep.stats.count;
      entry["real_time"] = times_ns.back();
      entry["cpu_time"] = cpu_ns.back();
      entry["time_unit"] = "ns";
      entry["TFLOPS"] = tflops.back();
      entry["GBps"] = gbps.back();
      entry["samples"] = samples.back();
      benchmarks.push_back(std::move(entry));
    }
    if (reps.size() > 1) {
      const moments time = moments_of(times_ns), cpu = moments_of(cpu_ns), tf = moments_of(tflops),
                    gb = moments_of(gbps), count = moments_of(samples);
      for (const char* aggregate : {"mean", "median", "stddev", "cv"}) {
        const auto pick = [aggregate](const moments& m) {
          const std::string a = aggregate;
          return a == "mean" ? m.mean : a == "median" ? m.median : a == "stddev" ? m.stddev : m.cv;
        };
        json entry = entry_head(name + "_" + aggregate, family, "aggregate", reps.size());
        entry["run_name"] = name;
        entry["threads"] = 1;
        entry["aggregate_name"] = aggregate;
        entry["aggregate_unit"] = std::string(aggregate) == "cv" ? "percentage" : "time";
        entry["iterations"] = reps.size();
        entry["real_time"] = pick(time);
        entry["cpu_time"] = pick(cpu);
        entry["time_unit"] = "ns";
        entry["TFLOPS"] = pick(tf);
        entry["GBps"] = pick(gb);
        entry["samples"] = pick(count);
        benchmarks.push_back(std::move(entry));
      }
    }
    ++family;
  }
  json document;
  document["context"] = context_of(run);
  document["benchmarks"] = std::move(benchmarks);
  return document;
}

std::string to_gbench_json_text(const run_record& run, const gbench_options& options) {
  return to_gbench_json(run, options).dump(2) + "\n";
}

}  // namespace accelbench
