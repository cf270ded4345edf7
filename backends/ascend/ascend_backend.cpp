// Ascend backend: Huawei 910B-class NPUs through CANN, loaded at run time (docs/ascend.md).
// GEMM through aclnnMatmul / aclnnBatchMatMul, attention through aclnnFlashAttentionScore, each
// prepared once (two-phase API, repeatable executor) and enqueued on the device's stream.
//
// Timing: events created with ACL_EVENT_TIME_LINE | ACL_EVENT_SYNC per timer slot, recorded on
// the work stream; the harness enqueues a batch of samples and synchronizes once, as with CUDA.
// flush_cache zeroes a device buffer of twice the largest 910B L2 with aclnnInplaceZero on the
// same stream, so the flush is ordered before the next sample's start event.
//
// Always a plugin (libaccelbench-backend-ascend.so), built on every machine from plain C++:
// nothing about CANN is known at build time.
#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "accelbench_backend.h"
#include "backends/ascend/acl_objects.hpp"
#include "backends/ascend/ascend_attention.hpp"
#include "backends/ascend/ascend_gemm.hpp"
#include "backends/ascend/cann_library.hpp"
#include "backends/ascend/dcmi_telemetry.hpp"
#include "backends/common/abi_conversion.hpp"
#include "backends/common/backend_lifecycle.hpp"
#include "backends/common/device_memory.hpp"
#include "backends/common/plan_thunks.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::ascend {
namespace {

constexpr std::uint32_t timer_slots = 64;
// 192 MB is the largest L2 documented for a 910B bin (910B2, specs S22); writing twice that
// evicts it on every bin.
constexpr std::uint64_t flush_bytes = 2 * (192ull << 20);
// The runtime's "already initialized" (ACL_ERROR_REPEAT_INITIALIZE): aclInit is once per process.
constexpr aclError acl_repeat_initialize = 100002;

struct device_state {
  std::string soc;
  std::uint64_t free_bytes = 0, total_bytes = 0;
  bool ready = false;
  aclrtStream stream = nullptr;
  device_buffer flush;
  std::unique_ptr<acl_tensor> flush_tensor;
  std::unique_ptr<aclnn_call> flush_call;
};

struct backend_state {
  backend_lifecycle lifecycle;   // init/shutdown count; ok() once the runtime started
  bool acl_initialized = false;  // for the process: aclFinalize is never called (see shutdown)
  std::string version;
  std::unique_ptr<cann_library> lib;
  std::unique_ptr<dcmi_telemetry> telemetry;
  std::vector<device_state> devices;
};

backend_state& state() {
  static backend_state s;
  return s;
}

const cann_library& lib() { return *state().lib; }

device_state& ready_device(int32_t index) {
  device_state& d = state().devices.at(static_cast<std::size_t>(index));
  const cann_api& api = lib().api();
  check_acl(lib(), api.set_device(index), "aclrtSetDevice");
  if (!d.ready) {
    check_acl(lib(), api.create_stream(&d.stream), "aclrtCreateStream");
    d.flush = device_buffer(lib(), flush_bytes);
    d.flush_tensor = std::make_unique<acl_tensor>(
        lib(), dense_view({static_cast<std::int64_t>(flush_bytes / sizeof(float))}, ACCELBENCH_ACL_FLOAT),
        d.flush.get());
    std::uint64_t workspace = 0;
    aclOpExecutor* executor = nullptr;
    check_aclnn(lib(), api.zero_workspace(d.flush_tensor->get(), &workspace, &executor),
                "aclnnInplaceZeroGetWorkspaceSize");
    d.flush_call = std::make_unique<aclnn_call>(lib(), executor, workspace, api.zero, "aclnnInplaceZero");
    d.ready = true;
  }
  return d;
}

void release_device(int32_t index, device_state& d) {
  if (!d.ready) return;
  const cann_api& api = lib().api();
  api.set_device(index);
  if (d.stream != nullptr) api.synchronize_stream(d.stream);
  d.flush_call.reset();
  d.flush_tensor.reset();
  d.flush = device_buffer();
  if (d.stream != nullptr) api.destroy_stream(d.stream);
  d.stream = nullptr;
  api.reset_device(index);
  d.ready = false;
}

std::string device_properties_json(const device_state& d) {
  nlohmann::json j;
  j["soc_name"] = d.soc;
  j["memory_total_bytes"] = d.total_bytes;
  j["memory_free_bytes"] = d.free_bytes;
  j["cache_flush_bytes"] = flush_bytes;
  j["cann"] = state().version;
  j["libraries"] = lib().files();
  const dcmi_telemetry& t = *state().telemetry;
  j["telemetry"] = t.available() ? std::string("DCMI") : "unavailable: " + t.reason();
  return j.dump();
}

class ascend_plan {
 public:
  static constexpr std::uint32_t timer_slots = ascend::timer_slots;

  ascend_plan(int32_t device, const workload& w, const ab_host_tensor* inputs, uint32_t input_count)
      : m_device(device), m_state(&ready_device(device)) {
    const cann_library& l = lib();
    const auto counts = std::get_if<gemm_workload>(&w) != nullptr ? 2u : 3u;
    if (input_count != counts)
      throw std::invalid_argument(fmt::format("expected {} inputs, got {}", counts, input_count));
    for (uint32_t i = 0; i < input_count; ++i) {
      m_inputs.emplace_back(l, inputs[i].bytes);
      m_inputs.back().upload(inputs[i].data, inputs[i].bytes);
    }
    m_output_bytes = static_cast<std::uint64_t>(output_element_count(w) * storage_bytes(dtypes_of(w).out));
    m_output = device_buffer(l, m_output_bytes);
    // All-ones bytes are NaN in every float type: an operator that writes nothing fails verification.
    check_acl(l, l.api().memset(m_output.get(), m_output.bytes(), 0xff, m_output_bytes), "aclrtMemset");
    if (const auto* g = std::get_if<gemm_workload>(&w)) {
      m_gemm = std::make_unique<ascend_gemm>(l, *g, m_inputs[0].get(), m_inputs[1].get(), m_output.get());
      description = m_gemm->description();
    } else {
      m_attention = std::make_unique<ascend_attention>(l, std::get<attention_workload>(w), m_inputs[0].get(),
                                                       m_inputs[1].get(), m_inputs[2].get(), m_output.get());
      description = m_attention->description();
    }
    for (uint32_t i = 0; i < timer_slots; ++i) {
      m_starts.push_back(create_event());
      m_stops.push_back(create_event());
    }
  }

  // The harness runs one plan at a time on one thread; prepare and flush_cache make its device
  // current, and so does the destructor, whose events and buffers belong to it.
  ~ascend_plan() {
    const cann_api& api = lib().api();
    api.set_device(m_device);
    if (m_state->stream != nullptr) api.synchronize_stream(m_state->stream);
    for (aclrtEvent e : m_starts) api.destroy_event(e);
    for (aclrtEvent e : m_stops) api.destroy_event(e);
  }
  ascend_plan(const ascend_plan&) = delete;
  ascend_plan& operator=(const ascend_plan&) = delete;

  void run() {
    if (m_gemm) {
      m_gemm->enqueue(m_state->stream);
    } else {
      m_attention->enqueue(m_state->stream);
    }
  }

  void record(uint32_t slot, bool start) {
    if (slot >= m_starts.size()) throw std::out_of_range(fmt::format("timer slot {} >= {}", slot, m_starts.size()));
    check_acl(lib(), lib().api().record_event(start ? m_starts[slot] : m_stops[slot], m_state->stream),
              "aclrtRecordEvent");
  }

  void synchronize() { check_acl(lib(), lib().api().synchronize_stream(m_state->stream), "aclrtSynchronizeStream"); }

  double elapsed(uint32_t slot) {
    if (slot >= m_starts.size()) throw std::out_of_range(fmt::format("timer slot {} >= {}", slot, m_starts.size()));
    float ms = 0.0f;
    check_acl(lib(), lib().api().elapsed_time(&ms, m_starts[slot], m_stops[slot]), "aclrtEventElapsedTime");
    return ms * 1e-3;
  }

  void read_output(void* host, std::uint64_t bytes) {
    if (bytes != m_output_bytes) {
      throw std::invalid_argument(fmt::format("read_output: {} bytes requested, output has {}", bytes, m_output_bytes));
    }
    synchronize();
    m_output.download(host, bytes);
  }

  std::string description;
  std::string last_error;

 private:
  aclrtEvent create_event() {
    aclrtEvent e = nullptr;
    check_acl(lib(), lib().api().create_event(&e, ACCELBENCH_ACL_EVENT_TIME_LINE | ACCELBENCH_ACL_EVENT_SYNC),
              "aclrtCreateEventWithFlag");
    return e;
  }

  int32_t m_device;
  device_state* m_state;
  std::vector<device_buffer> m_inputs;
  device_buffer m_output;
  std::uint64_t m_output_bytes = 0;
  std::unique_ptr<ascend_gemm> m_gemm;
  std::unique_ptr<ascend_attention> m_attention;
  std::vector<aclrtEvent> m_starts, m_stops;
};

using thunks = plan_thunks<ascend_plan>;  // run .. release: backends/common/plan_thunks.hpp

// Loads CANN, initializes it and reads each device's SoC and memory; "" or why not.
std::string start_runtime(backend_state& s) {
  s.lib = std::make_unique<cann_library>();
  if (!s.lib->available()) return s.lib->reason();
  const cann_api& api = s.lib->api();
  if (!s.acl_initialized) {
    const aclError init = api.init(nullptr);
    if (init != 0 && init != acl_repeat_initialize) return fmt::format("aclInit failed: {}", s.lib->describe(init));
    s.acl_initialized = true;
  }
  uint32_t count = 0;
  if (const aclError e = api.device_count(&count); e != 0) {
    return fmt::format("no Ascend device: aclrtGetDeviceCount failed: {} (is the driver loaded? npu-smi info)",
                       s.lib->describe(e));
  }
  if (count == 0) return "no Ascend device: aclrtGetDeviceCount found 0 (npu-smi info lists the NPUs)";
  for (uint32_t i = 0; i < count; ++i) {
    device_state d;
    const auto index = static_cast<int32_t>(i);
    if (const aclError e = api.set_device(index); e != 0) {
      return fmt::format("aclrtSetDevice({}) failed: {}", i, s.lib->describe(e));
    }
    const char* soc = api.soc_name();
    d.soc = soc != nullptr && soc[0] != '\0' ? soc : "Ascend (unknown SoC)";
    std::size_t free = 0, total = 0;
    if (const aclError e = api.mem_info(ACCELBENCH_ACL_HBM_MEM, &free, &total); e != 0) {
      return fmt::format("aclrtGetMemInfo on device {} failed: {}", i, s.lib->describe(e));
    }
    d.free_bytes = free;
    d.total_bytes = total;
    s.devices.push_back(std::move(d));
  }
  s.telemetry = std::make_unique<dcmi_telemetry>();
  int32_t major = 0, minor = 0, patch = 0;
  const bool versioned = api.version != nullptr && api.version(&major, &minor, &patch) == 0;
  s.version =
      fmt::format("CANN runtime {}, {}", versioned ? fmt::format("{}.{}.{}", major, minor, patch) : "(version unknown)",
                  s.devices.front().soc);
  return {};
}

ab_status init(char* reason, size_t reason_len) {
  return state().lifecycle.init(reason, reason_len, [] {
    backend_state& s = state();
    s.devices.clear();
    std::string why = start_runtime(s);
    if (!why.empty()) s.devices.clear();
    return why;
  });
}

// Releases streams and buffers and resets the devices, but never calls aclFinalize: the runtime
// is process-wide and the harness may init this backend again (aclInit.md: older runtimes answer
// a second aclInit with ACL_ERROR_REPEAT_INITIALIZE, to be ignored, which init does).
void shutdown() {
  backend_state& s = state();
  if (!s.lifecycle.shutdown()) return;
  for (std::size_t i = 0; i < s.devices.size(); ++i) release_device(static_cast<int32_t>(i), s.devices[i]);
  s.devices.clear();
}

const char* library_version() { return state().version.c_str(); }
int32_t device_count() { return state().lifecycle.ok() ? static_cast<int32_t>(state().devices.size()) : 0; }

bool valid_device(int32_t device) {
  return state().lifecycle.ok() && device >= 0 && static_cast<std::size_t>(device) < state().devices.size();
}

ab_status device_info(int32_t device, ab_device_info* out) {
  if (!valid_device(device) || out == nullptr) return AB_ERROR;
  const device_state& d = state().devices[static_cast<std::size_t>(device)];
  // The SoC name as CANN reports it ("Ascend910B3"): the spec database lists the 910B bins by it.
  write_reason(out->name, sizeof(out->name), d.soc);
  out->kind = AB_DEVICE_NPU;
  out->memory_bytes = d.free_bytes;
  write_reason(out->properties_json, sizeof(out->properties_json), device_properties_json(d));
  return AB_OK;
}

// Device bytes a plan allocates beyond inputs and output (the operator's workspace is not known
// before prepare; the margin covers the sizes seen in CANN's examples).
std::uint64_t extra_bytes(const workload& w) {
  constexpr std::uint64_t workspace_margin = 64ull << 20;
  if (const auto* a = std::get_if<attention_workload>(&w)) return attention_extra_bytes(*a) + workspace_margin;
  return workspace_margin;
}

ab_status supports(int32_t device, const ab_workload* abi, char* reason, size_t reason_len) {
  if (!valid_device(device) || abi == nullptr) return AB_ERROR;
  const device_state& d = state().devices[static_cast<std::size_t>(device)];
  const workload w = from_abi(*abi);
  std::string why;
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    why = map_gemm(*g).unsupported;
  } else {
    why = lib().attention_missing();
    if (why.empty()) why = attention_unsupported(std::get<attention_workload>(w));
  }
  if (why.empty()) {
    const std::uint64_t needed = static_cast<std::uint64_t>(io_bytes(w)) + extra_bytes(w) + (d.ready ? 0 : flush_bytes);
    why = device_memory_shortfall(needed, d.free_bytes, d.soc);
  }
  if (why.empty()) return AB_OK;
  write_reason(reason, reason_len, why);
  return AB_UNSUPPORTED;
}

ab_status prepare(int32_t device, const ab_workload* abi, const ab_host_tensor* inputs, uint32_t input_count,
                  ab_plan** out, char* reason, size_t reason_len) {
  if (out == nullptr) return AB_ERROR;
  *out = nullptr;
  if (const ab_status s = supports(device, abi, reason, reason_len); s != AB_OK) return s;
  return thunks::prepare(out, reason, reason_len,
                         [&] { return std::make_unique<ascend_plan>(device, from_abi(*abi), inputs, input_count); });
}

ab_status flush_cache(int32_t device) {
  if (!valid_device(device)) return AB_ERROR;
  try {
    device_state& d = ready_device(device);
    d.flush_call->enqueue(d.stream);
    return AB_OK;
  } catch (const std::exception&) {
    return AB_ERROR;
  }
}

// ab_read_telemetry_v1: one DCMI reading; AB_UNSUPPORTED without DCMI (the fields stay null,
// and the device's properties say why).
ab_status read_telemetry(int32_t device, ab_telemetry* out) {
  if (!valid_device(device) || out == nullptr) return AB_ERROR;
  const std::optional<ab_telemetry> reading = state().telemetry->read(device);
  if (!reading) return AB_UNSUPPORTED;
  *out = *reading;
  return AB_OK;
}

void* get_proc(const char* name) {
  if (name != nullptr && std::string_view(name) == AB_PROC_READ_TELEMETRY) {
    return reinterpret_cast<void*>(&read_telemetry);
  }
  return nullptr;
}

constexpr ab_backend make_table() {
  return thunks::plan_table("ascend", init, library_version, device_count, device_info, supports, prepare, shutdown,
                            flush_cache, get_proc);
}

}  // namespace
}  // namespace accelbench::ascend

extern "C" ACCELBENCH_BACKEND_EXPORT const ab_backend* accelbench_backend_entry(void) {
  static constexpr ab_backend table = accelbench::ascend::make_table();
  return &table;
}
