// Host logic shared by the hip and musa backends. Timing as in the CUDA backend: a pair of
// device events per timer slot recorded on the device's stream; the harness enqueues a batch of
// samples and synchronizes once. flush_cache memsets a buffer of the vendor's flush size on the
// same stream, so the flush is ordered before the next sample's start event. Attention is the
// composed path of vendor_attention.hpp, its softmax kernel compiled once per device by the
// vendor's runtime compiler (softmax_kernel.hpp) the first time an attention is prepared there.
// GEMMs go through BLAS-Lt, or without it through rocBLAS (HIP) or muBLAS (MUSA)
// (vendor_matmul.hpp). Short launch sequences with hot caches are graph-batched as in the CUDA
// backend (batch_calls).
#include "backends/gpu_vendor/vendor_backend.hpp"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backends/common/abi_conversion.hpp"
#include "backends/common/backend_lifecycle.hpp"
#include "backends/common/candidate_tuning.hpp"
#include "backends/common/device_memory.hpp"
#include "backends/common/graph_batch.hpp"
#include "backends/common/plan_thunks.hpp"
#include "backends/gpu_vendor/mtml_telemetry.hpp"
#include "backends/gpu_vendor/rocm_smi_telemetry.hpp"
#include "backends/gpu_vendor/softmax_kernel.hpp"
#include "backends/gpu_vendor/vendor_attention.hpp"
#include "backends/gpu_vendor/vendor_device.hpp"
#include "backends/gpu_vendor/vendor_library.hpp"
#include "backends/gpu_vendor/vendor_matmul.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::gpu_vendor {
namespace {

constexpr std::uint32_t timer_slots = 64;
constexpr std::size_t workspace_bytes = 32ull << 20;            // BLAS-Lt workspace, as the CUDA backend allows
constexpr int tuning_candidates = 8;                            // as cuda_tuned
constexpr std::uint64_t attention_budget_bytes = 256ull << 20;  // one chunk's scores and probabilities

struct backend_state {
  const vendor_table* vendor = nullptr;
  bool tuned = false;           // the _tuned table: the fastest of the heuristic's top candidates
  backend_lifecycle lifecycle;  // init/shutdown count; ok() once the runtime started
  std::string version;
  std::unique_ptr<vendor_library> lib;
  std::unique_ptr<vendor_telemetry> telemetry;  // ROCm SMI or MTML
  std::vector<device_identity> devices;
  struct device_resources {
    bool ready = false;
    gpu_stream stream = nullptr;
    gemm_context blas;  // the GEMM library in use and the device's architecture
    void* flush = nullptr;
    void* workspace = nullptr;
    std::shared_ptr<const softmax_kernel> softmax;  // compiled on the first attention prepared here
  };
  std::vector<device_resources> resources;
};

backend_state& state() {
  static backend_state s;
  return s;
}

const vendor_library& lib() { return *state().lib; }

void check(gpu_status status, const char* call) {
  if (status != 0) {
    throw std::runtime_error(
        fmt::format("{}{} failed: {}", lib().vendor().runtime_prefix, call, lib().describe(status)));
  }
}

// A device allocation, freed on destruction.
class device_buffer {
 public:
  explicit device_buffer(std::size_t bytes) : m_bytes(bytes) { check(lib().rt().Malloc(&m_pointer, bytes), "Malloc"); }
  ~device_buffer() { lib().rt().Free(m_pointer); }
  device_buffer(const device_buffer&) = delete;
  device_buffer& operator=(const device_buffer&) = delete;
  void* get() const { return m_pointer; }
  std::size_t bytes() const { return m_bytes; }

 private:
  void* m_pointer = nullptr;
  std::size_t m_bytes;
};

backend_state::device_resources& ready_device(int index) {
  backend_state& s = state();
  auto& r = s.resources.at(static_cast<std::size_t>(index));
  const runtime_api& rt = lib().rt();
  check(rt.SetDevice(index), "SetDevice");
  if (!r.ready) {
    check(rt.StreamCreate(&r.stream), "StreamCreate");
    check(rt.Malloc(&r.flush, s.vendor->default_l2_flush_bytes), "Malloc");
    if (lib().blaslt_available()) {
      if (const blas_status b = lib().lt().Create(&r.blas.blaslt); b != 0) {
        throw std::runtime_error(fmt::format("{}Create returned status {}", s.vendor->blaslt_prefix, b));
      }
      check(rt.Malloc(&r.workspace, workspace_bytes), "Malloc");
    } else if (lib().fallback_available()) {
      if (const std::string error = lib().create_fallback_handle(&r.blas.fallback); !error.empty()) {
        throw std::runtime_error(error);
      }
    }
    r.blas.architecture = s.devices.at(static_cast<std::size_t>(index)).architecture;
    r.ready = true;
  }
  return r;
}

void release_device(int index, backend_state::device_resources& r) {
  if (!r.ready) return;
  const runtime_api& rt = lib().rt();
  rt.SetDevice(index);
  if (r.stream != nullptr) rt.StreamSynchronize(r.stream);
  r.softmax.reset();
  if (r.blas.blaslt != nullptr) lib().lt().Destroy(r.blas.blaslt);
  if (r.blas.fallback != nullptr) lib().destroy_fallback_handle(r.blas.fallback);
  if (r.workspace != nullptr) rt.Free(r.workspace);
  if (r.flush != nullptr) rt.Free(r.flush);
  if (r.stream != nullptr) rt.StreamDestroy(r.stream);
  r = {};
}

class vendor_plan {
 public:
  static constexpr std::uint32_t timer_slots = gpu_vendor::timer_slots;

  vendor_plan(int device, const workload& w, const ab_host_tensor* inputs, uint32_t input_count)
      : m_device(device), m_resources(&ready_device(device)) {
    const std::size_t expected = input_element_counts(w).size();
    if (input_count != expected) {
      throw std::invalid_argument(fmt::format("expected {} inputs, got {}", expected, input_count));
    }
    const runtime_api& rt = lib().rt();
    const runtime_constants& c = lib().vendor().runtime;
    for (uint32_t i = 0; i < input_count; ++i) {
      m_inputs.push_back(std::make_unique<device_buffer>(inputs[i].bytes));
      check(rt.Memcpy(m_inputs.back()->get(), inputs[i].data, inputs[i].bytes, c.memcpy_host_to_device), "Memcpy");
    }
    m_output_bytes = static_cast<std::uint64_t>(output_element_count(w) * storage_bytes(dtypes_of(w).out));
    m_output = std::make_unique<device_buffer>(m_output_bytes);
    // All-ones bytes are NaN in every float type: a matmul that writes nothing fails verification.
    check(rt.MemsetAsync(m_output->get(), 0xff, m_output_bytes, m_resources->stream), "MemsetAsync");
    if (const auto* g = std::get_if<gemm_workload>(&w)) {
      prepare_gemm(*g);
    } else {
      prepare_attention(std::get<attention_workload>(w));
    }
    for (uint32_t i = 0; i < timer_slots; ++i) {
      m_starts.push_back(create_event());
      m_stops.push_back(create_event());
    }
    if (state().tuned && m_matmul) tune();
    description = m_matmul ? m_matmul->description() : m_attention->description();
  }

  // One plan at a time on one thread; the destructor makes its device current, as prepare does.
  ~vendor_plan() {
    const runtime_api& rt = lib().rt();
    rt.SetDevice(m_device);
    rt.StreamSynchronize(m_resources->stream);
    drop_graph();
    for (gpu_event e : m_starts) rt.EventDestroy(e);
    for (gpu_event e : m_stops) rt.EventDestroy(e);
  }
  vendor_plan(const vendor_plan&) = delete;
  vendor_plan& operator=(const vendor_plan&) = delete;

  void run() {
    if (m_graph_exec != nullptr) {
      check(lib().rt().GraphLaunch(m_graph_exec, m_resources->stream), "GraphLaunch");
    } else {
      enqueue();
    }
  }

  // ab_batch_calls_v1 (the harness asks only with hot caches), as the cuda backend: a launch
  // sequence shorter than ~20 us is captured N times into one graph (graph_batch.hpp), which
  // run() then launches. Returns N (1: no graph); a capture the runtime or a library refuses
  // keeps single launches, with the reason in the description.
  std::uint32_t batch_calls() {
    if (m_batch_decided) return m_calls;  // asked again: same answer
    m_batch_decided = true;
    const char* runtime = lib().vendor().runtime_name;
    if (!lib().graphs_available()) {
      description += fmt::format("; not graph-batched: the {} runtime has no stream capture", runtime);
      return 1;
    }
    const graph_batch_choice choice = choose_graph_batch([this] { return estimate_plan_launch_seconds(*this); },
                                                         [this](std::uint32_t calls) { capture(calls); }, runtime);
    if (choice.calls == 1) drop_graph();  // run() stays single launches
    m_calls = choice.calls;
    description += choice.note;
    return m_calls;
  }

  // One launch sequence of the workload on the device's stream (beta 0 everywhere, so repeating
  // it rewrites the same output).
  void enqueue() {
    if (m_matmul) {
      m_matmul->enqueue(m_inputs[0]->get(), m_inputs[1]->get(), m_output->get(), m_resources->workspace,
                        m_resources->stream);
    } else {
      m_attention->enqueue(m_inputs[0]->get(), m_inputs[1]->get(), m_inputs[2]->get(), m_output->get(), m_scores->get(),
                           m_resources->workspace, m_resources->stream);
    }
  }

  void record(uint32_t slot, bool start) {
    if (slot >= m_starts.size()) throw std::out_of_range(fmt::format("timer slot {} >= {}", slot, m_starts.size()));
    check(lib().rt().EventRecord(start ? m_starts[slot] : m_stops[slot], m_resources->stream), "EventRecord");
  }

  void synchronize() { check(lib().rt().StreamSynchronize(m_resources->stream), "StreamSynchronize"); }

  double elapsed(uint32_t slot) {
    if (slot >= m_starts.size()) throw std::out_of_range(fmt::format("timer slot {} >= {}", slot, m_starts.size()));
    float ms = 0.0f;
    check(lib().rt().EventElapsedTime(&ms, m_starts[slot], m_stops[slot]), "EventElapsedTime");
    return ms * 1e-3;
  }

  void read_output(void* host, std::uint64_t bytes) {
    if (bytes != m_output_bytes) {
      throw std::invalid_argument(fmt::format("read_output: {} bytes requested, output has {}", bytes, m_output_bytes));
    }
    synchronize();
    check(lib().rt().Memcpy(host, m_output->get(), bytes, lib().vendor().runtime.memcpy_device_to_host), "Memcpy");
  }

  std::string description;
  std::string last_error;

 private:
  void prepare_gemm(const gemm_workload& g) {
    m_matmul = make_matmul(lib(), m_resources->blas, g, workspace_bytes, state().tuned ? tuning_candidates : 1);
    if (!m_matmul->unsupported().empty()) throw plan_unsupported(m_matmul->unsupported());
    check_workspace(m_matmul->workspace_needed());
    run_once_without_heuristic();
  }

  // BLAS-Lt's heuristic says beforehand what it cannot run; rocBLAS and muBLAS say it only when
  // called (not implemented, not supported), so prepare runs the work once: unsupported, not failed.
  void run_once_without_heuristic() {
    if (lib().blaslt_available()) return;
    try {
      run();
      synchronize();
    } catch (const gemm_not_implemented& e) {
      throw plan_unsupported(e.what());
    }
  }

  // The _tuned tables run attention's GEMMs with the heuristic's first algorithm too: tuning
  // each chunk shape is not worth its prepare time for a path that materializes the scores.
  void prepare_attention(const attention_workload& a) {
    if (!m_resources->softmax) {
      const std::string& architecture = state().devices.at(static_cast<std::size_t>(m_device)).architecture;
      if (architecture.empty()) throw std::runtime_error("the device's architecture is unknown: no --offload-arch");
      m_resources->softmax = std::make_shared<const softmax_kernel>(lib(), architecture);
    }
    const attention_chunking chunks = plan_attention_chunks(a, attention_budget_bytes);
    m_scores = std::make_unique<device_buffer>(chunks.workspace_bytes);
    m_attention =
        std::make_unique<vendor_attention>(lib(), m_resources->blas, a, chunks, workspace_bytes, m_resources->softmax);
    if (!m_attention->unsupported().empty()) throw plan_unsupported(m_attention->unsupported());
    check_workspace(m_attention->gemm_workspace_needed());
    run_once_without_heuristic();
  }

  static void check_workspace(std::size_t needed) {
    if (needed > workspace_bytes) {
      throw std::runtime_error(
          fmt::format("the heuristic's algorithm needs {} bytes of workspace, {} allowed", needed, workspace_bytes));
    }
  }

  // Times each heuristic candidate (candidate_tuning.hpp: one warm-up, about 50 ms of runs, the
  // median) and keeps the fastest; in prepare, never in timed samples. A candidate that fails or
  // needs too much workspace never wins; ties keep the heuristic's order.
  void tune() {
    const std::vector<double> seconds = time_candidates(
        static_cast<std::size_t>(m_matmul->candidate_count()),
        [this](int i) {
          m_matmul->select(i);
          if (m_matmul->workspace_needed() > workspace_bytes) throw std::runtime_error("workspace too large");
          run();
          synchronize();
        },
        [this](int i) {
          m_matmul->select(i);
          record(0, true);
          run();
          record(0, false);
          synchronize();
          return elapsed(0);
        });
    const int best = choose_fastest(seconds);
    if (best < 0) throw std::runtime_error("no heuristic candidate ran while tuning");
    m_matmul->select(best);
  }

  // Captures `calls` back-to-back sequences into one graph and instantiates it. Thread-local
  // capture: only this thread issues work for the plan.
  void capture(std::uint32_t calls) {
    const runtime_api& rt = lib().rt();
    gpu_stream stream = m_resources->stream;
    check(rt.StreamBeginCapture(stream, lib().vendor().runtime.capture_mode_thread_local), "StreamBeginCapture");
    try {
      for (std::uint32_t i = 0; i < calls; ++i) enqueue();
    } catch (...) {
      gpu_graph partial = nullptr;
      rt.StreamEndCapture(stream, &partial);  // leave capture mode whatever failed
      if (partial != nullptr) rt.GraphDestroy(partial);
      throw;
    }
    check(rt.StreamEndCapture(stream, &m_graph), "StreamEndCapture");
    check(rt.GraphInstantiateWithFlags(&m_graph_exec, m_graph, 0), "GraphInstantiateWithFlags");
    synchronize();
  }

  void drop_graph() {
    const runtime_api& rt = lib().rt();
    if (m_graph_exec != nullptr) rt.GraphExecDestroy(m_graph_exec);
    if (m_graph != nullptr) rt.GraphDestroy(m_graph);
    m_graph_exec = nullptr;
    m_graph = nullptr;
  }

  gpu_event create_event() {
    gpu_event e = nullptr;
    check(lib().rt().EventCreate(&e), "EventCreate");
    return e;
  }

  int m_device;
  backend_state::device_resources* m_resources;
  gpu_graph m_graph = nullptr;  // set by batch_calls(): m_calls launch sequences
  gpu_graph_exec m_graph_exec = nullptr;
  std::uint32_t m_calls = 1;
  bool m_batch_decided = false;
  std::vector<std::unique_ptr<device_buffer>> m_inputs;
  std::unique_ptr<device_buffer> m_output;
  std::uint64_t m_output_bytes = 0;
  std::unique_ptr<vendor_matmul> m_matmul;        // a GEMM, or
  std::unique_ptr<vendor_attention> m_attention;  // an attention,
  std::unique_ptr<device_buffer> m_scores;        // with its scores and probabilities
  std::vector<gpu_event> m_starts, m_stops;
};

using thunks = plan_thunks<vendor_plan>;  // run .. release: backends/common/plan_thunks.hpp

// Loads the runtime and reads each device; "" or why not.
std::string start_runtime(backend_state& s) {
  s.lib = std::make_unique<vendor_library>(*s.vendor);
  const vendor_library& l = *s.lib;
  if (!l.runtime_available()) return l.runtime_reason();
  int count = 0;
  if (const gpu_status e = l.rt().GetDeviceCount(&count); e != 0) {
    return fmt::format("no {} device: {}GetDeviceCount failed: {}", s.vendor->runtime_name, s.vendor->runtime_prefix,
                       l.describe(e));
  }
  if (count <= 0)
    return fmt::format("no {} device: {}GetDeviceCount found 0", s.vendor->runtime_name, s.vendor->runtime_prefix);
  for (int i = 0; i < count; ++i) {
    std::string error;
    s.devices.push_back(read_device_identity(l, i, error));
    if (!error.empty()) return error;
  }
  s.resources.assign(s.devices.size(), {});
  if (!s.telemetry) {
    if (s.vendor->telemetry == telemetry_source::rocm_smi) {
      s.telemetry = std::make_unique<rocm_smi_telemetry>(rocm_smi_candidates());
    } else {
      s.telemetry = std::make_unique<mtml_telemetry>(mtml_candidates());
    }
  }
  int version = 0;
  const bool versioned = l.rt().RuntimeGetVersion != nullptr && l.rt().RuntimeGetVersion(&version) == 0;
  std::string gemm_library = l.gemm_reason();
  if (l.blaslt_available()) {
    gemm_library = fmt::format("{} {}", s.vendor->blaslt_name, l.blaslt_path());
  } else if (l.fallback_available()) {
    const std::string own_version = l.fallback_version();
    gemm_library = fmt::format("{}{} {} ({} not found)", l.gemm_name(), own_version.empty() ? "" : " " + own_version,
                               l.fallback_path(), s.vendor->blaslt_name);
  }
  s.version = fmt::format("{} runtime {} ({}); {}", s.vendor->runtime_name,
                          versioned ? std::to_string(version) : "(version unknown)", l.runtime_path(), gemm_library);
  return {};
}

ab_status init(char* reason, size_t reason_len) {
  return state().lifecycle.init(reason, reason_len, [] {
    backend_state& s = state();
    s.devices.clear();
    s.resources.clear();
    std::string why = start_runtime(s);
    if (!why.empty()) s.devices.clear();
    return why;
  });
}

void shutdown() {
  backend_state& s = state();
  if (!s.lifecycle.shutdown()) return;
  for (std::size_t i = 0; i < s.resources.size(); ++i) release_device(static_cast<int>(i), s.resources[i]);
  s.resources.clear();
  s.devices.clear();
}

const char* library_version() { return state().version.c_str(); }
int32_t device_count() { return state().lifecycle.ok() ? static_cast<int32_t>(state().devices.size()) : 0; }

bool valid_device(int32_t device) {
  return state().lifecycle.ok() && device >= 0 && static_cast<std::size_t>(device) < state().devices.size();
}

std::string device_properties_json(const device_identity& d) {
  const backend_state& s = state();
  nlohmann::json j;
  j["architecture"] = d.architecture;
  j["compute_units"] = d.compute_units;
  j["clock_mhz"] = d.clock_mhz;
  j["memory_total_bytes"] = d.total_bytes;
  j["memory_free_bytes"] = d.free_bytes;
  j["cache_flush_bytes"] = s.vendor->default_l2_flush_bytes;
  j["runtime"] = lib().runtime_path();
  j["blaslt"] = lib().blaslt_available() ? lib().blaslt_path() : "unavailable: " + lib().blaslt_reason();
  if (!lib().blaslt_available()) {
    j["gemm_fallback"] = lib().fallback_available() ? lib().fallback_path() : "unavailable: " + lib().fallback_reason();
  }
  j["runtime_compiler"] = lib().rtc_available() ? lib().rtc_path() : "unavailable: " + lib().rtc_reason();
  j["telemetry"] = s.telemetry->available() ? s.telemetry->source() : "unavailable: " + s.telemetry->reason();
  return j.dump();
}

ab_status device_info(int32_t device, ab_device_info* out) {
  if (!valid_device(device) || out == nullptr) return AB_ERROR;
  const device_identity& d = state().devices[static_cast<std::size_t>(device)];
  write_reason(out->name, sizeof(out->name), d.name);
  out->kind = state().vendor->device_kind;
  out->memory_bytes = d.free_bytes;
  write_reason(out->properties_json, sizeof(out->properties_json), device_properties_json(d));
  return AB_OK;
}

ab_status supports(int32_t device, const ab_workload* abi, char* reason, size_t reason_len) {
  if (!valid_device(device) || abi == nullptr) return AB_ERROR;
  const backend_state& s = state();
  const device_identity& d = s.devices[static_cast<std::size_t>(device)];
  const workload w = from_abi(*abi);
  std::string why;
  std::uint64_t scratch_bytes = 0;  // attention's scores and probabilities
  const auto* attention = std::get_if<attention_workload>(&w);
  if (!lib().gemm_available()) {
    why = fmt::format("no GEMM library: {}", lib().gemm_reason());
  } else if (const auto* g = std::get_if<gemm_workload>(&w)) {
    if (s.tuned && !lib().blaslt_available()) {
      why = fmt::format(
          "{}_tuned times {}'s heuristic candidates, and {} is not here ({} has one standard "
          "algorithm: use {})",
          s.vendor->backend, s.vendor->blaslt_name, s.vendor->blaslt_name, lib().gemm_name(), s.vendor->backend);
    } else {
      why = gemm_unsupported(lib(), *g, d.architecture);
    }
  } else if (!lib().rtc_available()) {
    why = fmt::format("attention on {} needs its softmax kernel compiled at run time for the device: {}",
                      s.vendor->backend, lib().rtc_reason());
  } else {
    why = composed_attention_unsupported(*attention, lib().gemm_name());
    if (why.empty()) scratch_bytes = plan_attention_chunks(*attention, attention_budget_bytes).workspace_bytes;
  }
  if (why.empty()) {
    const bool ready = s.resources[static_cast<std::size_t>(device)].ready;
    const std::uint64_t needed = static_cast<std::uint64_t>(io_bytes(w)) + workspace_bytes + scratch_bytes +
                                 (ready ? 0 : s.vendor->default_l2_flush_bytes);
    why = device_memory_shortfall(needed, d.free_bytes, d.name);
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
                         [&] { return std::make_unique<vendor_plan>(device, from_abi(*abi), inputs, input_count); });
}

ab_status flush_cache(int32_t device) {
  if (!valid_device(device)) return AB_ERROR;
  try {
    const backend_state::device_resources& r = ready_device(device);
    check(lib().rt().MemsetAsync(r.flush, 0, state().vendor->default_l2_flush_bytes, r.stream), "MemsetAsync");
    return AB_OK;
  } catch (const std::exception&) {
    return AB_ERROR;
  }
}

// ab_read_telemetry_v1: one ROCm SMI or MTML reading; AB_UNSUPPORTED without it (the device's
// properties say why).
ab_status read_telemetry(int32_t device, ab_telemetry* out) {
  if (!valid_device(device) || out == nullptr) return AB_ERROR;
  const backend_state& s = state();
  if (!s.telemetry) return AB_UNSUPPORTED;
  const std::optional<ab_telemetry> reading = s.telemetry->read(device);
  if (!reading) return AB_UNSUPPORTED;
  *out = *reading;
  return AB_OK;
}

// ab_batch_calls_v1: see vendor_plan::batch_calls.
ab_status batch_calls(ab_plan* p, uint32_t* calls) {
  if (calls == nullptr) return AB_ERROR;
  return thunks::guarded(p, [calls](vendor_plan& plan) { *calls = plan.batch_calls(); });
}

void* get_proc(const char* name) {
  if (name == nullptr) return nullptr;
  if (std::string_view(name) == AB_PROC_READ_TELEMETRY) return reinterpret_cast<void*>(&read_telemetry);
  if (std::string_view(name) == AB_PROC_BATCH_CALLS) return reinterpret_cast<void*>(&batch_calls);
  return nullptr;
}

}  // namespace

const ab_backend* vendor_backend(const vendor_table& vendor, bool tuned) {
  state().vendor = &vendor;
  state().tuned = tuned;
  static const std::string name = std::string(vendor.backend) + (tuned ? "_tuned" : "");
  static const ab_backend table = thunks::plan_table(name.c_str(), init, library_version, device_count, device_info,
                                                     supports, prepare, shutdown, flush_cache, get_proc);
  return &table;
}

}  // namespace accelbench::gpu_vendor
