#pragma once
// The comparison report's model: result files (one or several machines) joined with the spec
// database and each file's measured ceilings into per-result derived figures. The Markdown,
// CSV, HTML and JSON writers only print this model; none computes a figure of its own.
//
// Per result: TFLOPS; % of its device's dense spec for its dtype (for a CPU, the theoretical
// peak from the file's ceilings block); % of the measured ceiling; arithmetic intensity
// (flops / min_bytes); the roofline bound max(flops/peak, min_bytes/bandwidth) and the
// efficiency against it; the lower-bound time on each compared device at its spec. A result
// above its device's dense spec is flagged impossible (a timing or FLOP-count error), never
// presented as a record; a result above its measured ceiling, or measured on a machine whose
// ceilings disagree with themselves, is flagged too. The press section reads quoted headline
// figures against the database.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/model/ceilings.hpp"
#include "reports/model/result.hpp"
#include "reports/views/figure_text.hpp"
#include "reports/views/report_table.hpp"
#include "reports/views/spec_database.hpp"

namespace accelbench {

struct report_input {
  report_input(std::string file_name, run_record record) : file(std::move(file_name)), run(std::move(record)) {}
  std::string file;
  run_record run;
  std::string ceilings_file;  // set when `report --ceilings FILE` supplied this input's ceilings
};

// `report --ceilings FILE`: the file's ceilings apply to every input measured on the CPU they
// were measured on (replacing ceilings stored in the result). Throws input_error when no input
// was measured on that CPU (ceilings of another CPU would make every "% of peak" wrong).
void apply_ceilings(std::vector<report_input>& inputs, const machine_ceilings& ceilings, const std::string& file);

struct projected_time {
  std::string device;                                 // spec database id
  std::optional<double> seconds;                      // lower bound at spec; null when the device quotes no rate
  std::string limit;                                  // see bound_wording
  std::string basis;                                  // the figures used, or why none
  std::optional<double> peak_tflops, bandwidth_gbps;  // the compared device's figures used
};

struct report_row {
  std::size_t input = 0;  // index into report::inputs
  case_result result;
  sample_statistics all_samples;  // over every repetition's samples, as the result JSON's "stats"

  std::string spec_device;  // database id, "host CPU (computed)", or "" when unmatched
  std::string spec_dtype;   // database precision judged against (f8 for f8e4m3 ...)
  std::optional<double> spec_dense_tflops;
  std::string spec_status;  // datasheet ... | computed | ""
  std::string spec_basis;   // how the peak was found, or why there is none
  std::optional<double> pct_of_spec;

  std::optional<double> ceiling_tflops;
  std::string ceiling_kind;  // "measured FMA (avx2+fma)" | "best GEMM (backend)" | ""
  std::optional<double> pct_of_ceiling;

  double arithmetic_intensity = 0.0;  // FLOP per byte of compulsory traffic
  std::optional<double> bandwidth_gbps;
  std::string bandwidth_basis;  // spec memory bandwidth | measured STREAM triad | measured read-only bandwidth
  std::optional<double> roofline_bound_s;
  std::string roofline_limit;  // see bound_wording
  std::optional<double> roofline_efficiency;

  bool impossible = false;
  std::string flag;  // why impossible

  bool above_ceiling = false;      // tflops above the measured ceiling: the ceiling or the timing is wrong
  std::string ceiling_flag;        // why
  bool ceilings_disagree = false;  // this machine's ceilings failed peak's FMA cross-check

  std::vector<projected_time> projections;  // one per compared device, in --compare-to order
};

// A headline figure as the press quotes it, and what it really is in the database.
struct press_reading {
  std::string device, context, unit;
  double quoted = 0.0;
  std::string status;                 // the device entry's status
  std::vector<std::string> readings;  // "bf16 sparse = 1979", "f8 dense = 1978.9"
};

struct matched_ratio {
  std::string label;  // "bf16 dense"
  double a = 0.0, b = 0.0, ratio = 0.0;
};

struct press_ratio {
  std::string context, a, b;
  double a_quoted = 0.0, b_quoted = 0.0, quoted_ratio = 0.0;
  std::vector<std::string> a_readings, b_readings;
  std::vector<std::string> like_for_like;  // readings the two quotes share ("f8 dense"); empty = mismatched
  std::vector<matched_ratio> matched;      // same precision and sparsity on both sides
};

// A bound's limit: "compute", "memory", or "compute only" (no bandwidth known, so the compute
// term alone: still a lower bound). Worded for a reader: "compute-bound", "memory-bound",
// "compute (bandwidth unknown)".
std::string bound_wording(const std::string& limit);

struct report {
  std::vector<report_input> inputs;
  std::vector<std::string> compare_to;  // database ids
  std::vector<report_row> rows;
  std::vector<press_reading> press_claims;
  std::vector<press_ratio> press_comparisons;
  // Sections computed outside the views and printed after the press section (the LLM model
  // section: reports/llm/model_section.hpp). Empty unless the caller adds them.
  std::vector<report_table> model_tables;
  std::string specs_dir;

  std::optional<machine_ceilings> ceilings_of(std::size_t input) const;
};

// Throws input_error for an unknown --compare-to device.
report build_report(std::vector<report_input> inputs, const spec_database& db,
                    const std::vector<std::string>& compare_to);

nlohmann::ordered_json to_json(const report& r);

// The best verified, possible result per (device, dtype): the "achieved vs spec" summary.
// Impossible results are left out (they are flagged, never records), and so is the reference
// backend (a correctness oracle, not a contender).
struct best_entry {
  std::string device;  // spec id, or the device name with its system
  std::string dtype;
  std::size_t row = 0;
  double tflops = 0.0;
  std::optional<double> peak_tflops, pct_of_peak;
  std::optional<double> pct_of_ceiling;
  bool suspect = false;  // above its ceiling, or the machine's ceilings disagree
};
std::vector<best_entry> best_per_device(const report& r);
// A row's device as the summaries name it.
std::string device_label(const report& r, const report_row& row);
// The reference backend checks correctness; its speed is no one's claim, so charts omit it.
bool is_reference_backend(const report_row& row);

// Every per-result figure, in print order. Each writer prints all of them, so no format can
// drop a figure another carries (tests/test_reports.cpp checks it). A numeric column gives its
// value as a number and says what kind of figure it is: CSV prints it in full precision,
// Markdown and HTML in the human style.
struct report_cell {
  std::string text;              // text and integer columns
  std::optional<double> number;  // numeric columns; null = not applicable
};
struct report_column {
  std::string key;                  // CSV header and JSON-ish name
  std::string title;                // Markdown/HTML header
  std::optional<figure_kind> kind;  // set for numeric columns
  std::function<report_cell(const report&, const report_row&)> value;

  std::string human(const report& r, const report_row& row) const;  // Markdown, HTML
  std::string full(const report& r, const report_row& row) const;   // CSV
};
std::vector<report_column> report_columns(const report& r);

}  // namespace accelbench
