#pragma once
// What a model gets from a device (docs/models.md): a lowered step's kernels timed, in order of
// preference, from
//   measured:   a verified result of that very workload on that device (the fastest backend);
//   efficiency: the device's measured efficiency on its nearest measured workload of the same
//               kind and dtype (roofline bound / measured time) applied to this workload's bound;
//   roofline:   the spec lower bound max(flops / dense peak, bytes / memory bandwidth);
// then summed into the step time, time to first token, tokens/s and tokens per joule. The
// memory fit (weights + KV cache against the spec memory) gives the tensor-parallel degree, and
// the all-reduces that degree needs are timed from the spec interconnect: a `model`, never a
// measurement. Every figure carries its label; a figure the inputs cannot give is absent, with
// the reason, never guessed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/llm/lowering.hpp"
#include "reports/model/result.hpp"
#include "reports/views/spec_database.hpp"

namespace accelbench {

// The labels, weakest last: a sum is as good as its weakest part.
enum class provenance { measured, efficiency, roofline, model, spec, tdp };
std::string_view to_string(provenance p);

// One verified, timed result, keyed by the device it ran on: the spec database id when the
// device's reported name is in the database, else the reported name.
struct measured_case {
  std::string device, workload, backend;
  double seconds = 0.0;
  std::optional<double> power_w;  // mean of the result's telemetry power readings; null without telemetry
};
std::vector<measured_case> measured_cases(const std::vector<run_record>& runs, const spec_database& db);

// A device to project for: a spec database entry, or a device known only from results.
struct projection_target {
  std::string id;                     // spec id, or the results' device name
  const device_spec* spec = nullptr;  // null: no spec figures, measured results only
};
// Resolves --device NAME: a database id, alias or family name, else a device named in `measured`.
// Throws input_error listing both kinds.
projection_target resolve_target(const std::string& name, const spec_database& db,
                                 const std::vector<measured_case>& measured);

struct item_time {
  std::size_t item = 0;           // index into the step's items
  std::optional<double> seconds;  // one instance; null when nothing gives a figure
  std::optional<provenance> source;
  bool compute_only = false;      // a roofline without the memory term (the spec quotes no bandwidth)
  std::optional<double> power_w;  // measured items with telemetry: the device's mean power while it ran
  std::string basis;
};

// Spec roofline of one workload: nullopt when the device quotes no dense rate for its dtype.
// `memory_bound` and `bandwidth_known` say which term won and whether there was one.
struct roofline_time {
  double seconds = 0.0;
  bool memory_bound = false, bandwidth_known = false;
  double peak_tflops = 0.0;
};
std::optional<roofline_time> spec_roofline(const workload& w, const device_spec& d);

struct memory_fit {
  std::optional<double> device_bytes;  // spec memory (GB x 1e9); null when not quoted
  std::int64_t weight_bytes = 0, kv_bytes_per_token = 0, kv_tokens = 0;
  std::optional<bool> fits;                   // on one device
  std::optional<std::int64_t> max_kv_tokens;  // largest batch x context beside the weights on one device
  std::optional<int> min_devices;             // smallest power of two whose memory holds weights + KV
};
// kv_tokens: batch x context (decode) or batch x prompt (prefill). No reserve for activations,
// the framework or fragmentation: a lower bound on the memory needed.
memory_fit fit_memory(const model_description& m, std::int64_t kv_tokens, std::optional<double> device_bytes);
// A spec's memory in bytes: vendors' GB are 10^9 bytes.
std::optional<double> memory_bytes(const device_spec& d);

// The first "<number> GB/s" in a spec interconnect text ("NVLink 900 GB/s; PCIe ..." -> 900).
std::optional<double> interconnect_gbps(const std::string& interconnect);

struct projected_figure {
  std::string name;  // "step time", "time to first token", ...
  std::optional<double> value;
  std::string unit;   // s, tokens/s, tokens/J, devices, bytes, tokens
  std::string label;  // provenance: "measured", "roofline", "roofline + model", "spec", ...; "" when no value
  std::string basis;  // what it came from, or why there is no value
};

struct phase_projection {
  std::string device;
  lowered_step step;
  std::vector<item_time> items;
  memory_fit fit;
  int devices = 1;                        // tensor-parallel degree the figures assume
  std::vector<projected_figure> figures;  // in print order
  const projected_figure* find(const std::string& name) const;
};

// `devices`: the tensor-parallel degree; 0 = the memory fit's minimum (1 when memory is unknown).
phase_projection project(const model_description& m, const lowered_step& step, const projection_target& target,
                         const std::vector<measured_case>& measured, int devices = 0);

}  // namespace accelbench
