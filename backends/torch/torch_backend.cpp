// torch backend (docs/torch-backend.md): the standardized workloads through whatever PyTorch the
// machine has, on every device type it exposes (cpu, cuda/ROCm, npu, musa, xpu, mps). The torch
// logic is Python (torch_backend.py, compiled into this library); this file is the C ABI around
// it: it starts the chosen interpreter (interpreter_probe.hpp, python_api.hpp) in init(), holds
// the GIL only inside each call, and keeps the host clock on devices without timing events.
//
// Lifetime: the interpreter is started once per process and never finalized (torch cannot be
// unloaded or imported twice); shutdown() drops the backend's Python objects, and a later init()
// reuses the running interpreter. Forks (--isolate children) go through PyOS_BeforeFork /
// PyOS_AfterFork_*, as os.fork does, so the child's interpreter state is consistent.
#include <pthread.h>
#include <sched.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "accelbench_backend.h"
#include "backends/common/abi_conversion.hpp"
#include "backends/common/cpu_plan.hpp"
#include "backends/common/in_tree_backends.hpp"
#include "backends/common/plan_thunks.hpp"
#include "backends/torch/interpreter_probe.hpp"
#include "backends/torch/python_api.hpp"
#include "backends/torch/torch_backend_source.hpp"

namespace accelbench::torch_backend {
namespace {

constexpr std::uint32_t timer_slots = 64;
// ab_batch_calls_v1 is answered by the Python plan; the fidelity tool's extra is below.
constexpr const char* bare_matmul_proc = "accelbench_torch_bare_matmul_v1";

using clock_type = std::chrono::steady_clock;

struct device_entry {
  std::string name;
  int32_t kind = AB_DEVICE_CPU;
  std::uint64_t memory = 0;
  std::string properties;
};

// The process's interpreter: loaded and started once, kept until exit.
struct interpreter {
  std::unique_ptr<python_library> library;
  py_ref module;  // torch_backend.py
  std::string started_with;
  std::string failure;  // why the started interpreter cannot run the backend (permanent)
};

struct backend_state {
  py_ref backend;  // torch_backend.Backend
  std::string version;
  std::vector<device_entry> devices;
};

// Both are never destroyed: at exit no destructor may touch Python (the GIL is not held then,
// and the interpreter is never finalized).
interpreter& runtime() {
  static interpreter& i = *new interpreter;
  return i;
}

backend_state& state() {
  static backend_state& s = *new backend_state;
  return s;
}

const python_api& api() { return runtime().library->api(); }

// The engine's thread count for CPU libraries: OMP_NUM_THREADS when set (as OpenBLAS and oneDNN
// honour it), else the CPUs this process may run on.
int engine_threads() {
  if (const char* text = std::getenv("OMP_NUM_THREADS"); text != nullptr && *text != '\0') {
    int value = 0;
    const char* end = text + std::strlen(text);
    if (const auto [last, error] = std::from_chars(text, end, value); error == std::errc() && value > 0) return value;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return 1;
}

// A fork from C++ between our calls (the engine's --isolate child) is prepared as os.fork
// prepares one. A fork from Python code inside one of our calls (gil_scope::depth() > 0) is left
// to Python, which runs these steps itself around os.fork. The GIL state is carried from the
// prepare handler to the parent/child handler of the same fork.
bool g_fork_prepared = false;
int g_fork_gil = 0;
void fork_prepare() {
  g_fork_prepared = gil_scope::depth() == 0;
  if (!g_fork_prepared) return;
  g_fork_gil = api().gil_ensure();
  api().before_fork();
}
void fork_parent() {
  if (!g_fork_prepared) return;
  api().after_fork_parent();
  api().gil_release(g_fork_gil);
}
void fork_child() {
  if (!g_fork_prepared) return;
  api().after_fork_child();
  api().gil_release(g_fork_gil);
}

// Loads libpython, starts it and compiles torch_backend.py, once per process. Throws why not.
void start_interpreter(const interpreter_choice& chosen) {
  interpreter& i = runtime();
  if (!i.failure.empty()) throw std::runtime_error(i.failure);  // a started interpreter cannot be restarted
  if (i.library) {
    if (i.started_with != chosen.libpython) {
      throw std::runtime_error(fmt::format("this process already embeds {}; {} cannot be started beside it",
                                           i.started_with, chosen.libpython));
    }
    return;
  }
  auto library = std::make_unique<python_library>(chosen.libpython);
  if (!library->loaded()) throw std::runtime_error(library->reason());
  const python_api& py = library->api();
  const std::string loaded_version = py.get_version();
  if (loaded_version.rfind(chosen.version, 0) != 0) {
    throw std::runtime_error(fmt::format("{} is Python {}, but {} is Python {}", chosen.libpython,
                                         loaded_version.substr(0, loaded_version.find(' ')), chosen.executable,
                                         chosen.version));
  }
  if (py.is_initialized() != 0) throw std::runtime_error("a Python interpreter is already running in this process");
  i.library = std::move(library);  // kept from here on: the interpreter lives until exit
  i.started_with = chosen.libpython;
  py.initialize_ex(0);  // 0: the engine keeps its own SIGINT/SIGTERM handlers
  try {
    // The main thread holds the GIL after initialization: compile our module, then let go.
    py_ref code = checked(py, py.compile_string(torch_backend_source, "torch_backend.py", py_file_input),
                          "compiling torch_backend.py");
    i.module = checked(py, py.exec_code_module("accelbench_torch_backend", code.get()), "loading torch_backend.py");
  } catch (const std::exception& e) {
    i.failure = e.what();
  }
  py.eval_save_thread();  // from here on every call takes the GIL with gil_scope
  pthread_atfork(fork_prepare, fork_parent, fork_child);
  if (!i.failure.empty()) throw std::runtime_error(i.failure);
}

// Calls obj.method(*args) where args is built by Py_BuildValue(format, ...) as a tuple.
template <typename... Args>
py_ref call(py_object* object, const char* method, const char* format, Args... args) {
  const python_api& py = api();
  py_ref function = checked(py, py.get_attr(object, method), method);
  py_ref arguments = checked(py, py.build_value(format, args...), method);
  return checked(py, py.call_object(function.get(), arguments.get()), method);
}

std::string call_string(py_object* object, const char* method) {
  return to_std_string(api(), call(object, method, "()").get());
}

ab_status init(char* reason, size_t reason_len) {
  const interpreter_choice chosen = choose_interpreter();
  if (!chosen.reason.empty()) {
    write_reason(reason, reason_len, chosen.reason);
    return AB_ERROR;
  }
  try {
    start_interpreter(chosen);
    const python_api& py = api();
    gil_scope gil(py);
    backend_state& s = state();
    try {
      s.backend = call(runtime().module.get(), "start", "(si)", chosen.probe_json.c_str(), engine_threads());
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("import torch failed in {} ({})", chosen.executable, e.what()));
    }
    s.version = call_string(s.backend.get(), "version");
    const long long count = py.long_as_long_long(call(s.backend.get(), "device_count", "()").get());
    s.devices.clear();
    for (long long d = 0; d < count; ++d) {
      py_ref info = call(s.backend.get(), "device_info", "(L)", d);
      device_entry e;
      e.name = to_std_string(py, py.tuple_get_item(info.get(), 0));
      e.kind = static_cast<int32_t>(py.long_as_long_long(py.tuple_get_item(info.get(), 1)));
      e.memory = static_cast<std::uint64_t>(py.long_as_long_long(py.tuple_get_item(info.get(), 2)));
      e.properties = to_std_string(py, py.tuple_get_item(info.get(), 3));
      if (e.kind == AB_DEVICE_CPU) {  // torch has no CPU name: the host's, as the CPU backends say it
        ab_device_info host{};
        cpu::describe_host_cpu(&host);
        e.name = host.name;
        e.memory = host.memory_bytes;
      }
      s.devices.push_back(std::move(e));
    }
    return AB_OK;
  } catch (const std::exception& e) {
    write_reason(reason, reason_len, e.what());
    return AB_ERROR;
  }
}

void shutdown() {
  backend_state& s = state();
  if (!s.backend) return;
  gil_scope gil(api());
  s.backend.reset();  // plans were released before; the interpreter stays (see the top comment)
  s.devices.clear();
}

const char* library_version() { return state().version.c_str(); }
int32_t device_count() { return static_cast<int32_t>(state().devices.size()); }

bool valid_device(int32_t device) {
  return state().backend && device >= 0 && static_cast<std::size_t>(device) < state().devices.size();
}

ab_status device_info(int32_t device, ab_device_info* out) {
  if (!valid_device(device) || out == nullptr) return AB_ERROR;
  const device_entry& d = state().devices[static_cast<std::size_t>(device)];
  write_reason(out->name, sizeof(out->name), d.name);
  out->kind = d.kind;
  out->memory_bytes = d.memory;
  write_reason(out->properties_json, sizeof(out->properties_json), d.properties);
  return AB_OK;
}

// The workload as the dict torch_backend.py reads.
py_ref workload_dict(const ab_workload& w) {
  const auto name = [](int32_t t) { return std::string(to_string(static_cast<dtype>(t))); };
  const std::string in = name(w.dt_in), out = name(w.dt_out), acc = name(w.dt_acc);
  return checked(
      api(),
      api().build_value("{s:s,s:s,s:s,s:s,s:L,s:L,s:L,s:L,s:i,s:i,s:L,s:L,s:L,s:L,s:L,s:L,s:i,s:d,s:L}", "kind",
                        w.kind == AB_WORKLOAD_GEMM ? "gemm" : "attn", "dt_in", in.c_str(), "dt_out", out.c_str(),
                        "dt_acc", acc.c_str(), "m", static_cast<long long>(w.m), "n", static_cast<long long>(w.n), "k",
                        static_cast<long long>(w.k), "batch", static_cast<long long>(w.batch), "trans_a", w.trans_a,
                        "trans_b", w.trans_b, "b", static_cast<long long>(w.b), "hq", static_cast<long long>(w.hq),
                        "hkv", static_cast<long long>(w.hkv), "sq", static_cast<long long>(w.sq), "skv",
                        static_cast<long long>(w.skv), "d", static_cast<long long>(w.d), "causal", w.causal, "scale",
                        w.scale, "window", static_cast<long long>(w.window)),
      "workload");
}

ab_status supports(int32_t device, const ab_workload* abi, char* reason, size_t reason_len) {
  if (!valid_device(device) || abi == nullptr) return AB_ERROR;
  try {
    gil_scope gil(api());
    py_ref w = workload_dict(*abi);
    const std::string why =
        to_std_string(api(), call(state().backend.get(), "supports", "(iO)", device, w.get()).get());
    if (why.empty()) return AB_OK;
    write_reason(reason, reason_len, why);
    return AB_UNSUPPORTED;
  } catch (const std::exception& e) {
    write_reason(reason, reason_len, e.what());
    return AB_ERROR;
  }
}

// A prepared Python plan. Each member takes the GIL itself, except where a CPU plan is timed on
// the host clock: there record, synchronize and elapsed touch no Python.
class torch_plan {
 public:
  static constexpr std::uint32_t timer_slots = torch_backend::timer_slots;

  // Built with the GIL held. plan.run and an empty argument tuple are looked up once: run() is
  // the timed call, and every lookup would be time inside each host-clock sample.
  torch_plan(py_ref plan, bool timed_on_host)
      : m_host_timed(timed_on_host),
        m_plan(std::move(plan)),
        m_run(checked(api(), api().get_attr(m_plan.get(), "run"), "run")),
        m_no_arguments(checked(api(), api().build_value("()"), "run")) {}
  ~torch_plan() {
    gil_scope gil(api());
    m_run.reset();
    m_no_arguments.reset();
    m_plan.reset();
  }
  torch_plan(const torch_plan&) = delete;
  torch_plan& operator=(const torch_plan&) = delete;

  void run() {
    gil_scope gil(api());
    checked(api(), api().call_object(m_run.get(), m_no_arguments.get()), "run");
  }

  void record(std::uint32_t slot, bool start) {
    check_slot(slot);
    if (m_host_timed) {
      // No OpenMP wake here (unlike oneDNN): torch's f32 matmul runs on OpenBLAS's own threads,
      // and libgomp's, woken, spun against them: 1.5-2.4x the time (docs/methodology.md).
      (start ? m_starts : m_stops)[slot] = clock_type::now();
      return;
    }
    gil_scope gil(api());
    call(m_plan.get(), "record", "(Ii)", slot, start ? 1 : 0);
  }

  void synchronize() {
    if (m_host_timed) return;  // CPU calls finish before returning
    gil_scope gil(api());
    call(m_plan.get(), "synchronize", "()");
  }

  double elapsed(std::uint32_t slot) {
    check_slot(slot);
    if (m_host_timed) return std::chrono::duration<double>(m_stops[slot] - m_starts[slot]).count();
    gil_scope gil(api());
    return api().float_as_double(call(m_plan.get(), "elapsed", "(I)", slot).get());
  }

  void read_output(void* host, std::uint64_t bytes) {
    const python_api& py = api();
    gil_scope gil(py);
    py_ref view = checked(
        py, py.memoryview_from_memory(static_cast<char*>(host), static_cast<std::ptrdiff_t>(bytes), py_buffer_write),
        "read_output");
    call(m_plan.get(), "read_output", "(O)", view.get());
  }

  // ab_batch_calls_v1, answered by the Python plan; its description then says what it chose.
  std::uint32_t batch_calls() {
    gil_scope gil(api());
    const auto calls =
        static_cast<std::uint32_t>(api().long_as_long_long(call(m_plan.get(), "batch_calls", "()").get()));
    refresh_description();
    return calls;
  }

  void refresh_description() { description = call_string(m_plan.get(), "description"); }

  std::string description, last_error;

 private:
  static void check_slot(std::uint32_t slot) {
    if (slot >= timer_slots) throw std::out_of_range(fmt::format("timer slot {} >= {}", slot, timer_slots));
  }

  const bool m_host_timed;  // CPU: steady clock around synchronous calls, no Python in between
  std::array<clock_type::time_point, timer_slots> m_starts{}, m_stops{};
  py_ref m_plan, m_run, m_no_arguments;
};

using thunks = plan_thunks<torch_plan>;  // run .. release: backends/common/plan_thunks.hpp

ab_status prepare(int32_t device, const ab_workload* abi, const ab_host_tensor* inputs, uint32_t input_count,
                  ab_plan** out, char* reason, size_t reason_len) {
  if (out == nullptr) return AB_ERROR;
  *out = nullptr;
  if (const ab_status s = supports(device, abi, reason, reason_len); s != AB_OK) return s;
  const uint32_t expected = abi->kind == AB_WORKLOAD_GEMM ? 2 : 3;
  if (input_count != expected || inputs == nullptr) {
    write_reason(reason, reason_len, fmt::format("expected {} inputs, got {}", expected, input_count));
    return AB_ERROR;
  }
  return thunks::prepare(out, reason, reason_len, [&] {
    const python_api& py = api();
    gil_scope gil(py);
    py_ref w = workload_dict(*abi);
    py_ref views = checked(py, py.list_new(static_cast<std::ptrdiff_t>(input_count)), "inputs");
    for (uint32_t i = 0; i < input_count; ++i) {
      // Read-only views of the engine's buffers: torch copies them to the device in prepare.
      py_object* view = py.memoryview_from_memory(const_cast<char*>(static_cast<const char*>(inputs[i].data)),
                                                  static_cast<std::ptrdiff_t>(inputs[i].bytes), py_buffer_read);
      if (view == nullptr || py.list_set_item(views.get(), i, view) != 0) checked(py, nullptr, "inputs");
    }
    py_ref plan = call(state().backend.get(), "prepare", "(iOO)", device, w.get(), views.get());
    py_ref host_timed = checked(py, py.get_attr(plan.get(), "host_timed"), "host_timed");
    auto result = std::make_unique<torch_plan>(std::move(plan), py.object_is_true(host_timed.get()) == 1);
    result->refresh_description();
    return result;
  });
}

// ab_batch_calls_v1: see torch_plan::batch_calls.
ab_status batch_calls(ab_plan* p, uint32_t* calls) {
  if (calls == nullptr) return AB_ERROR;
  return thunks::guarded(p, [calls](torch_plan& plan) { *calls = plan.batch_calls(); });
}

// accelbench_torch_bare_matmul_v1: the fidelity benchmark's baseline (tools/torch_fidelity), a
// bare torch.matmul(a, b, out=c) loop on the CPU in this same interpreter, each call timed.
ab_status bare_matmul(int64_t n, const char* dt, uint32_t iterations, double* seconds) {
  if (!state().backend || seconds == nullptr || dt == nullptr) return AB_ERROR;
  try {
    const python_api& py = api();
    gil_scope gil(py);
    py_ref times =
        call(runtime().module.get(), "bare_matmul_loop", "(LsII)", static_cast<long long>(n), dt, iterations, 2u);
    for (uint32_t i = 0; i < iterations; ++i) {
      py_ref item = call(times.get(), "__getitem__", "(I)", i);
      seconds[i] = py.float_as_double(item.get());
    }
    return AB_OK;
  } catch (const std::exception&) {
    return AB_ERROR;
  }
}

void* get_proc(const char* name) {
  if (name == nullptr) return nullptr;
  if (std::string_view(name) == AB_PROC_BATCH_CALLS) return reinterpret_cast<void*>(&batch_calls);
  if (std::string_view(name) == bare_matmul_proc) return reinterpret_cast<void*>(&bare_matmul);
  return nullptr;
}

}  // namespace
}  // namespace accelbench::torch_backend

extern "C" const ab_backend* accelbench_backend_torch(void) {
  using namespace accelbench::torch_backend;
  // No flush_cache: the harness flushes the host caches.
  static const ab_backend table = thunks::plan_table("torch", init, library_version, device_count, device_info,
                                                     supports, prepare, shutdown, nullptr, get_proc);
  return &table;
}
