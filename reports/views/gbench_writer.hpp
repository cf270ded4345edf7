#pragma once
// Google Benchmark-compatible JSON of a run (`accelbench run --format gbench`), so tools that
// read Google Benchmark's --benchmark_format=json output ingest our results: google/benchmark's
// tools/compare.py, github-action-benchmark (tool: googlecpp) and Bencher (cpp_google).
//
// The layout is Google Benchmark 1.7's JSON reporter: a `context` object and a `benchmarks`
// array. Per measured case, one `iteration` entry per repetition (name
// "WORKLOAD/BACKEND/DEVICE/CACHE", real_time = that repetition's median sample, iterations = its
// sample count) and, with more than one repetition, `aggregate` entries mean, median, stddev and
// cv, exactly as Google Benchmark writes them. cpu_time is the process CPU time (all threads) per
// call over that repetition's samples (repetitions[].cpu_s; files before schema 1.4.0 lack it,
// and cpu_time then repeats real_time, as the context's time_note says). With aggregates_only
// (--benchmark_report_aggregates_only) only the aggregate entries are written, as Google
// Benchmark does; a single repetition then keeps its iteration entry. Times are in ns for every case, so a case never
// changes unit between two runs (compare.py drops entries whose unit differs). Counters: TFLOPS and GBps on verified
// cases only, samples. Cases that were not measured (unsupported, failed, incorrect) are left out, like cases not
// selected: an error row would carry real_time 0, which charting tools plot as a 0 ns result.
#include <string>

#include <nlohmann/json.hpp>

#include "reports/model/result.hpp"

namespace accelbench {

struct gbench_options {
  bool aggregates_only = false;
};

nlohmann::ordered_json to_gbench_json(const run_record& run, const gbench_options& options = {});
std::string to_gbench_json_text(const run_record& run, const gbench_options& options = {});

}  // namespace accelbench
