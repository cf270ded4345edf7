#pragma once
// Baseline vs new result files: a verdict per case and a CI exit code (docs/ci.md; the rule is
// methodology §3). Cases are matched by workload + backend + device + dtype + cache policy.
// Per matched case, on repetition-level medians: ratio of medians (new/base time, > 1 is
// slower) with a bootstrap interval, a two-sided Mann-Whitney U test corrected across cases
// (Holm; Benjamini-Hochberg for large sweeps), an effect floor and a robust noise estimate.
//
//   SLOWER  adjusted p < alpha, ratio - 1 > max(floor, 2 x noise), interval above 1
//   FASTER  the mirror image
//   SAME    the whole interval inside [1 - floor, 1 + floor]
//   UNSURE  anything else, with the reason (too few repetitions, too noisy, not significant,
//           clocks differ, machine differs, inputs differ, not measured on one side), and a
//           SLOWER/FASTER whose side was noisy (repetitions stopped on the timeout above the
//           noise target) unless the change is far outside the noise: the whole interval beyond
//           2 x floor
//   FAIL    NEW is incorrect or failed, whatever its speed
//   SKIPPED measured on neither side (unsupported, filtered out), or only in NEW
//
// Exit code: 1 when any case is SLOWER or FAIL (or UNSURE with fail_on_unsure), else 0.
// Different machines (system_desc_id) are refused unless allowed; when allowed and the hardware
// differs, a significant change is UNSURE (not attributable to the change under test).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/gate/regression_statistics.hpp"
#include "reports/model/result.hpp"

namespace accelbench {

enum class verdict { same, faster, slower, unsure, fail, skipped };
std::string_view to_string(verdict v);  // SAME, FASTER, SLOWER, UNSURE, FAIL, SKIPPED
std::optional<verdict> verdict_from_string(std::string_view text);

struct compare_options {
  std::optional<double> threshold;  // effect floor (fraction) for every case; unset: by device kind
  double cpu_floor = 0.05;          // CPUs and shared runners
  double accelerator_floor = 0.03;  // dedicated GPU/NPU devices
  double alpha = 0.01;              // family-wise (Holm) or false-discovery (BH) level
  double confidence = 0.95;         // bootstrap interval
  int bootstrap_resamples = 10000;
  std::size_t min_repetitions = 5;  // fewer on either side: UNSURE
  std::size_t fdr_above = 50;       // more tested cases than this: Benjamini-Hochberg
  double clock_tolerance = 0.02;    // mean clocks differing by more: confirm in cycle space
  bool allow_different_machines = false;
  bool fail_on_unsure = false;
  bool allow_missing = false;       // cases of BASE absent from NEW do not fail the gate
  std::uint64_t seed = 0x5eedc0de;  // bootstrap seed: the same files give the same verdicts
};

// The effect floor for a device kind (cpu | gpu | npu) unless a threshold is given.
double effect_floor(std::string_view device_kind, const compare_options& options);

// Evidence for one case from repetition-level medians, before the multiple-testing correction.
struct sample_evidence {
  std::size_t n_base = 0, n_new = 0;
  double median_base = 0.0, median_new = 0.0;
  double ratio = 0.0;                 // median_new / median_base
  ratio_interval interval{0.0, 0.0};  // bootstrap interval of the ratio
  double p_value = 1.0;               // two-sided Mann-Whitney U
  bool exact_test = false;
  double noise = 0.0;   // max of the two sides' robust relative noise
  bool enough = false;  // both sides have at least min_repetitions
};
sample_evidence gather_evidence(const std::vector<double>& base, const std::vector<double>& contender,
                                const compare_options& options, std::uint64_t seed);

// Mean clocks of the two sides where telemetry recorded them.
struct clock_context {
  double base_mhz = 0.0, new_mhz = 0.0;
};

struct decision {
  verdict result = verdict::unsure;
  std::string reason;
};
// The verdict rule on evidence whose p-value has been adjusted. A non-empty `not_comparable`
// (what differs besides the change: "machine differs (...)", "measurement method differs
// (...)") turns SLOWER/FASTER into UNSURE; clocks that differ by more than the tolerance must
// agree in cycle space (time x clock) or the change is UNSURE.
decision decide(const sample_evidence& evidence, double p_adjusted, double floor, const compare_options& options,
                std::optional<clock_context> clocks = std::nullopt, const std::string& not_comparable = "");

// A SLOWER/FASTER decision on a case measured noisily on either side (`noise_notes`: the sides'
// noise summaries) stands only when the change is far outside the noise: its whole `confidence`
// interval beyond twice the floor; otherwise UNSURE. Any other decision keeps its verdict, with
// the notes appended to its reason.
decision account_for_noise(decision d, const sample_evidence& evidence, double floor, double confidence,
                           const std::string& noise_notes);

// Evidence and decision for a single case (no correction): the unit the statistical tests use.
decision compare_samples(const std::vector<double>& base, const std::vector<double>& contender, double floor,
                         const compare_options& options, std::uint64_t seed);

struct case_side {
  outcome result = outcome::pending;
  std::string reason;
  std::string backend_version;
  std::string plan;
  std::vector<double> repetition_medians;
  std::optional<double> median_s;
  std::optional<double> tflops;  // only when verified
  std::string noise;             // case_result::noise_summary(): "" unless noisy
};

struct case_comparison {
  std::string workload, backend, dtype, device_name, device_kind;
  int device_index = 0;
  cache_policy cache = cache_policy::cold;
  case_side base, contender;
  std::optional<sample_evidence> evidence;  // both sides timed
  std::optional<double> p_adjusted;         // both sides had enough repetitions
  double floor = 0.0;
  verdict result = verdict::unsure;
  std::string reason;
  std::string repro;
  std::string label() const;  // "WORKLOAD backend:device cache"
  bool noisy() const { return !base.noise.empty() || !contender.noise.empty(); }
};

struct unmatched_case {
  std::string workload, backend, dtype;
  int device_index = 0;
  cache_policy cache = cache_policy::cold;
  outcome result = outcome::pending;
  std::string label() const;
};

struct machine_difference {
  std::string field, base, contender;
  bool hardware = false;  // processor, cores, memory, accelerators (else: kernel, libraries)
};

struct run_identity {
  std::string path, git_revision, timestamp_utc, system_desc_id, system_name, processor, method_version;
};

struct comparison {
  compare_options options;
  run_identity base, contender;
  std::vector<machine_difference> machine_differences;  // empty: the same machine
  std::string correction;                               // holm | benjamini-hochberg
  std::vector<case_comparison> cases;                   // in BASE's order
  std::vector<unmatched_case> missing;                  // in BASE, not in NEW
  std::vector<unmatched_case> added;                    // in NEW, not in BASE
  std::optional<double> geomean_ratio;                  // over cases timed on both sides
  std::size_t geomean_cases = 0;

  std::size_t count(verdict v) const;
  bool hardware_differs() const;
  // The two files were measured under different protocols (meta.method_version).
  bool method_differs() const;
  // Why the gate fails although no case is SLOWER or FAIL: nothing was timed on both sides, or
  // cases of BASE are missing in NEW (unless allow_missing). Empty when neither.
  std::string coverage_problem() const;
  // 0, or 1 on SLOWER / FAIL, a coverage problem (/ UNSURE with fail_on_unsure).
  int exit_code() const;
  // The cases more repetitions could settle: a change beyond the floor, measured on one machine,
  // that is UNSURE (not yet significant or not yet clear of the noise) or SLOWER/FASTER on noisy
  // repetitions (scripts/ci/perf-gate.sh re-measures them before it reports).
  std::vector<const case_comparison*> worth_remeasuring() const;
};

// Pools several result files of one side (base or new) into one record: the repetitions of each
// case are concatenated, so runs made as alternating processes (A B A B ...) compare as two
// samples whose machine drift is shared. The files must come from the same machine
// (system_desc_id), method (method_version) and build (git_revision, build_type), and may hold
// different cases; an incorrect or failed outcome in any file wins. Throws input_error naming
// the file and the field that differs.
run_record pool_runs(const std::vector<run_record>& runs, const std::vector<std::string>& paths);

// Fields of the two system blocks that make their system_desc_id differ.
std::vector<machine_difference> machine_differences(const nlohmann::ordered_json& base_system,
                                                    const nlohmann::ordered_json& new_system);

// Throws input_error (naming the files) when the machines differ and that is not allowed, when
// a file holds the same case twice, when a system_desc_id is missing, or when the two files
// have no case in common.
comparison compare_runs(const run_record& base, const run_record& contender, const compare_options& options,
                        const std::string& base_path, const std::string& new_path);

}  // namespace accelbench
