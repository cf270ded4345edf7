// Backends through the C ABI, checked against the fp64 reference with the harness's own
// verification, and the case runner on top of them. Test cases are tagged by backend
// ([reference], [openblas], [onednn], [torch]) so ctest runs each backend as its own test; a backend
// that is not built or not usable here is skipped (skip_test), the reference backend never.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "backends/common/abi_conversion.hpp"
#include "backends/common/backend_lifecycle.hpp"
#include "backends/common/composed_attention.hpp"
#include "backends/common/cpu_plan.hpp"
#include "backends/common/device_memory.hpp"
#include "backends/common/in_tree_backends.hpp"
#include "backends/common/plan_thunks.hpp"
#include "backends/loader/registry.hpp"
#include "bench/engine/case_runner.hpp"
#include "bench/engine/verification.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/reference.hpp"
#include "kernels/spec/workload.hpp"
#include "tests/support/backend_available.hpp"
#include "tests/support/skip.hpp"

using namespace accelbench;
using accelbench::testing::skip_test;

namespace {

// Backends are initialized once per process and kept for all test cases.
std::vector<backend_entry>& backends() {
  static std::vector<backend_entry> entries = load_backends();
  return entries;
}

const backend_entry* find_backend(const std::string& name) {
  for (const backend_entry& e : backends()) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// The backend if usable; otherwise nullptr after skip_test (the test case then returns).
const backend_entry* usable_backend(const std::string& name) {
  const backend_entry* e = find_backend(name);
  if (e == nullptr) {
    skip_test("backend '" + name + "' is not known to this build");
    return nullptr;
  }
  if (!e->available) {
    skip_test("backend '" + name + "' is unavailable (" + e->reason + ")");
    return nullptr;
  }
  return e;
}

// torch starts Python and imports torch, so load_backends starts it only when named: the torch
// tests load their own list (the other tests never start it).
const backend_entry* usable_torch() {
  static std::vector<backend_entry> entries = load_backends(nullptr, {"torch"});
  for (const backend_entry& e : entries) {
    if (e.name != "torch") continue;
    if (e.available) return &e;
    skip_test("backend 'torch' is unavailable (" + e.reason + ")");
    return nullptr;
  }
  skip_test("backend 'torch' is not known to this build");
  return nullptr;
}

// The reference backend is always built and runs everywhere: its absence is a failure.
const backend_entry& reference_backend() {
  const backend_entry* e = find_backend("reference");
  REQUIRE(e != nullptr);
  INFO("reference: " << e->reason);
  REQUIRE(e->available);
  return *e;
}

struct abi_run {
  ab_status support = AB_ERROR;
  std::string reason;
  std::optional<verification_result> verification;
};

// supports -> prepare (inputs from fill_random) -> run -> synchronize -> read_output -> verify.
abi_run run_through_abi(const backend_entry& backend, const std::string& text, std::uint64_t seed = 3) {
  const workload w = parse_workload(text);
  const std::string canonical = to_string(w);
  const ab_workload abi = to_abi(w, canonical);
  const ab_backend* table = backend.table;
  abi_run result;
  std::array<char, 512> reason{};
  result.support = table->supports(0, &abi, reason.data(), reason.size());
  result.reason = reason.data();
  if (result.support != AB_OK) return result;

  std::vector<host_tensor> inputs;
  std::vector<ab_host_tensor> views;
  const std::vector<std::int64_t> counts = input_element_counts(w);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    inputs.emplace_back(dtypes_of(w).in, counts[i]);
    fill_random(inputs.back(), seed + i);
  }
  for (const host_tensor& t : inputs) views.push_back({t.data(), static_cast<std::uint64_t>(t.bytes())});

  ab_plan* raw = nullptr;
  reason.fill('\0');
  const ab_status prepared =
      table->prepare(0, &abi, views.data(), static_cast<uint32_t>(views.size()), &raw, reason.data(), reason.size());
  INFO("prepare: " << reason.data());
  REQUIRE(prepared == AB_OK);
  REQUIRE(raw != nullptr);
  plan_handle plan(raw, plan_deleter{table});
  CHECK(std::string(table->plan_description(plan.get())).size() > 0);

  host_tensor output(dtypes_of(w).out, output_element_count(w));
  // Run twice: a plan must be re-runnable and give the same verified answer.
  for (int call = 0; call < 2; ++call) {
    const ab_status ran = table->run(plan.get());
    INFO("last_error: " << table->last_error(plan.get()));
    REQUIRE(ran == AB_OK);
    REQUIRE(table->synchronize(plan.get()) == AB_OK);
  }
  REQUIRE(table->read_output(plan.get(), output.data(), static_cast<std::uint64_t>(output.bytes())) == AB_OK);
  // A wrong size is refused, not silently truncated.
  CHECK(table->read_output(plan.get(), output.data(), static_cast<std::uint64_t>(output.bytes()) - 1) == AB_ERROR);
  CHECK(std::string(table->last_error(plan.get())).size() > 0);

  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    result.verification = verify_gemm(*g, inputs[0], inputs[1], output, seed ^ 0x5eed);
  } else {
    result.verification =
        verify_attention(std::get<attention_workload>(w), inputs[0], inputs[1], inputs[2], output, seed ^ 0x5eed);
  }
  return result;
}

// Runs `text` if the backend supports it; returns whether it ran. Verification must pass.
bool check_if_supported(const backend_entry& backend, const std::string& text) {
  INFO(backend.name << ": " << text);
  const abi_run r = run_through_abi(backend, text);
  if (r.support == AB_UNSUPPORTED) {
    CHECK_FALSE(r.reason.empty());
    return false;
  }
  REQUIRE(r.support == AB_OK);
  REQUIRE(r.verification.has_value());
  INFO("verification: method " << r.verification->method << ", error " << r.verification->error << ", local "
                               << r.verification->max_local_error << ", tolerance " << r.verification->tolerance
                               << ", reason " << r.verification->reason);
  CHECK(r.verification->passed);
  CHECK_FALSE(r.verification->mistrusted);
  return true;
}

void check_supported(const backend_entry& backend, const std::string& text) {
  INFO(backend.name << ": " << text);
  CHECK(check_if_supported(backend, text));
}

void check_unsupported(const backend_entry& backend, const std::string& text) {
  INFO(backend.name << ": " << text);
  const workload w = parse_workload(text);
  const std::string canonical = to_string(w);
  const ab_workload abi = to_abi(w, canonical);
  std::array<char, 512> reason{};
  CHECK(backend.table->supports(0, &abi, reason.data(), reason.size()) == AB_UNSUPPORTED);
  CHECK(std::strlen(reason.data()) > 0);
  // prepare agrees with supports, and never hands out a plan for it.
  std::vector<host_tensor> inputs;
  std::vector<ab_host_tensor> views;
  for (std::int64_t count : input_element_counts(w)) {
    inputs.emplace_back(dtypes_of(w).in, std::min<std::int64_t>(count, 16));
    views.push_back({inputs.back().data(), static_cast<std::uint64_t>(inputs.back().bytes())});
  }
  ab_plan* plan = nullptr;
  reason.fill('\0');
  CHECK(backend.table->prepare(0, &abi, views.data(), static_cast<uint32_t>(views.size()), &plan, reason.data(),
                               reason.size()) == AB_UNSUPPORTED);
  CHECK(plan == nullptr);
  CHECK(std::strlen(reason.data()) > 0);
}

// Seeded random GEMM shapes with odd sizes, transposes and batches.
std::vector<std::string> random_gemm_shapes(const std::string& dt, int count, std::int64_t max_dim,
                                            std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> dim(1, max_dim), batch(1, 3);
  std::bernoulli_distribution flip(0.5);
  std::vector<std::string> shapes;
  for (int i = 0; i < count; ++i) {
    gemm_workload g;
    g.m = dim(rng);
    g.n = dim(rng);
    g.k = dim(rng);
    g.batch = batch(rng);
    g.trans_a = flip(rng);
    g.trans_b = flip(rng);
    const workload parsed = parse_workload(fmt::format("gemm:m=1,n=1,k=1,dt={}", dt));
    g.dt = dtypes_of(parsed);
    shapes.push_back(to_string(g));
  }
  return shapes;
}

const std::vector<std::string> fixed_gemm_shapes = {
    "gemm:m=17,n=33,k=65,dt={}",
    "gemm:m=17,n=33,k=65,ta=t,dt={}",
    "gemm:m=17,n=33,k=65,tb=t,dt={}",
    "gemm:m=17,n=33,k=65,ta=t,tb=t,dt={}",
    "gemm:m=31,n=7,k=129,dt={},batch=3",
    "gemm:m=5,n=19,k=3,ta=t,tb=t,dt={},batch=3",
    "gemm:m=1,n=1,k=1,dt={}",
    "gemm:m=64,n=1,k=300,dt={}",
    "gemm:m=1,n=200,k=64,tb=t,dt={}",
};

const std::vector<std::string> attention_shapes = {
    "attn:b=1,hq=2,hkv=2,sq=16,skv=16,d=8,causal=0,dt={}",  "attn:b=1,hq=2,hkv=2,sq=16,skv=16,d=8,causal=1,dt={}",
    "attn:b=2,hq=4,hkv=2,sq=5,skv=37,d=16,causal=1,dt={}",   // sq < skv, GQA
    "attn:b=1,hq=4,hkv=1,sq=37,skv=5,d=16,causal=1,dt={}",   // sq > skv: leading rows fully masked
    "attn:b=1,hq=6,hkv=3,sq=23,skv=41,d=64,causal=0,dt={}",  // GQA, odd lengths
    "attn:b=2,hq=8,hkv=2,sq=1,skv=300,d=32,causal=0,dt={}",  // decode
    "attn:b=1,hq=2,hkv=1,sq=1,skv=300,d=32,causal=1,dt={}",  // decode, causal: sees everything
};

// GEMM and attention through one backend for every dtype spec it supports.
void exercise_backend(const backend_entry& backend, const std::vector<std::string>& gemm_dtypes,
                      const std::vector<std::string>& attention_dtypes, const std::vector<std::string>& must_support) {
  std::vector<std::string> ran;
  for (const std::string& dt : gemm_dtypes) {
    bool any = false;
    for (const std::string& shape : fixed_gemm_shapes)
      any = check_if_supported(backend, fmt::format(fmt::runtime(shape), dt)) || any;
    if (any) {
      for (const std::string& text : random_gemm_shapes(dt, 8, 70, 1000 + ran.size())) check_supported(backend, text);
      ran.push_back("gemm " + dt);
    }
  }
  for (const std::string& dt : attention_dtypes) {
    bool any = false;
    for (const std::string& shape : attention_shapes)
      any = check_if_supported(backend, fmt::format(fmt::runtime(shape), dt)) || any;
    if (any) ran.push_back("attn " + dt);
  }
  std::string summary;
  for (const std::string& r : ran) summary += r + "; ";
  INFO(backend.name << " ran: " << summary);
  for (const std::string& required : must_support) {
    INFO("required: " << required);
    CHECK(std::find(ran.begin(), ran.end(), required) != ran.end());
  }
}

// A copy of a backend's table with some slots replaced: a deliberately broken backend.
struct broken_backend {
  ab_backend table{};
  backend_entry entry;
  explicit broken_backend(const backend_entry& base) : table(*base.table), entry(base) {
    entry.name = "broken-" + base.name;
    entry.table = &table;
  }
};

const ab_backend* g_wrapped = nullptr;  // the real table behind the broken one

ab_status read_output_off_by_one(ab_plan* plan, void* host, uint64_t bytes) {
  const ab_status s = g_wrapped->read_output(plan, host, bytes);
  static_cast<float*>(host)[bytes / sizeof(float) - 1] += 1.0f;  // the last element is wrong
  return s;
}

ab_status run_fails(ab_plan*) { return AB_ERROR; }

ab_status read_output_leaves_buffer(ab_plan*, void*, uint64_t) { return AB_OK; }  // writes nothing

// Plain loops for the composed attention's GEMM steps, so its blocking and masking are
// tested on their own.
class naive_steps final : public cpu::attention_steps {
 public:
  explicit naive_steps(dtype in) : m_in(in) {}
  void scores(const void* q, const void* k, float* s, std::int64_t rows, std::int64_t keys, std::int64_t ld,
              std::int64_t d, float scale) override {
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t j = 0; j < keys; ++j) {
        double dot = 0.0;
        for (std::int64_t x = 0; x < d; ++x) dot += load_element(m_in, q, r * d + x) * load_element(m_in, k, j * d + x);
        s[r * ld + j] = static_cast<float>(dot * scale);
      }
  }
  void output(const float* p, const void* v, float* o, std::int64_t rows, std::int64_t keys, std::int64_t ld,
              std::int64_t d) override {
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t x = 0; x < d; ++x) {
        double sum = 0.0;
        for (std::int64_t j = 0; j < keys; ++j) sum += p[r * ld + j] * load_element(m_in, v, j * d + x);
        o[r * d + x] = static_cast<float>(sum);
      }
  }

 private:
  dtype m_in;
};

stopping_criterion short_rule() {
  stopping_criterion stop;
  stop.timeout_s = 0.2;
  stop.min_samples = 3;
  stop.min_time_s = 0.01;
  stop.warmup_time_s = 0.01;
  return stop;
}

}  // namespace

TEST_CASE("workloads convert to the ABI and back", "[abi]") {
  for (const char* text : {"gemm:m=17,n=33,k=65,ta=t,dt=bf16:f32,batch=3", "gemm:m=1,n=2,k=3,tb=t,dt=s8",
                           "attn:b=2,hq=8,hkv=2,sq=5,skv=37,d=64,causal=1,dt=f16:f32",
                           "attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=1,causal=0,dt=f32",
                           "attn:b=1,hq=4,hkv=1,sq=9,skv=20,d=8,causal=1,dt=bf16,window=5"}) {
    INFO(text);
    const workload w = parse_workload(text);
    const std::string canonical = to_string(w);
    const ab_workload abi = to_abi(w, canonical);
    CHECK(abi.struct_size == sizeof(ab_workload));
    CHECK(abi.text == canonical.c_str());
    CHECK(from_abi(abi) == w);
    CHECK(abi.dt_in == static_cast<int32_t>(dtypes_of(w).in));
  }
  const ab_workload g = to_abi(parse_workload("gemm:m=17,n=33,k=65,ta=t,dt=bf16:f32,batch=3"), "x");
  CHECK(g.kind == AB_WORKLOAD_GEMM);
  CHECK(g.m == 17);
  CHECK(g.n == 33);
  CHECK(g.k == 65);
  CHECK(g.batch == 3);
  CHECK(g.trans_a == 1);
  CHECK(g.trans_b == 0);
  CHECK(g.dt_in == AB_DT_BF16);
  CHECK(g.dt_out == AB_DT_F32);
  CHECK(g.dt_acc == AB_DT_F32);
  const ab_workload a = to_abi(parse_workload("attn:b=2,hq=8,hkv=2,sq=5,skv=37,d=64,causal=1,dt=f16"), "y");
  CHECK(a.kind == AB_WORKLOAD_ATTENTION);
  CHECK(a.hq == 8);
  CHECK(a.hkv == 2);
  CHECK(a.causal == 1);
  CHECK(a.scale == Approx(0.125));
  CHECK(a.dt_out == AB_DT_F16);
  CHECK(a.window == 0);
  // A harness built before the window field sends a shorter struct: read as no window.
  ab_workload old = to_abi(parse_workload("attn:b=1,hq=1,hkv=1,sq=9,skv=9,d=8,causal=1,dt=f32,window=3"), "z");
  CHECK(old.window == 3);
  old.struct_size = static_cast<uint32_t>(offsetof(ab_workload, window));
  CHECK(std::get<attention_workload>(from_abi(old)).window == 0);
  // The dtype enums of the ABI and the host agree.
  CHECK(static_cast<int>(dtype::f8e5m2) == AB_DT_F8E5M2);
  CHECK(static_cast<int>(dtype::s32) == AB_DT_S32);
}

TEST_CASE("every in-tree backend's table is named as the registry lists it", "[abi]") {
  // The table's name must equal the registry's (and a plugin file's) name for the backend, or
  // `-b <name>` finds a backend whose results say another name, and the plugin build refuses the
  // file (a historic "cuda-tuned" table for "cuda_tuned"). Checked whether or not the backend
  // can run here: the name field is read without init, so a GPU-less machine checks cuda too.
  struct in_tree {
    const char* name;
    const ab_backend* (*entry)();
  };
  // The entry points this build links in (tests/CMakeLists.txt passes the list the registry gets).
  const std::vector<in_tree> linked = {
#ifdef ACCELBENCH_TEST_LINKED_REFERENCE
      {"reference", accelbench_backend_reference},
#endif
#ifdef ACCELBENCH_TEST_LINKED_NATIVE
      {"native", accelbench_backend_native},
#endif
#ifdef ACCELBENCH_TEST_LINKED_OPENBLAS
      {"openblas", accelbench_backend_openblas},
#endif
#ifdef ACCELBENCH_TEST_LINKED_ONEDNN
      {"onednn", accelbench_backend_onednn},
#endif
#ifdef ACCELBENCH_TEST_LINKED_CUDA
      {"cuda", accelbench_backend_cuda},
#endif
#ifdef ACCELBENCH_TEST_LINKED_CUDA_TUNED
      {"cuda_tuned", accelbench_backend_cuda_tuned},
#endif
#ifdef ACCELBENCH_TEST_LINKED_TORCH
      {"torch", accelbench_backend_torch},
#endif
  };
  for (const in_tree& backend : linked) {
    INFO(backend.name);
    const ab_backend* table = backend.entry();
    REQUIRE(table != nullptr);
    REQUIRE(table->name != nullptr);
    CHECK(std::string(table->name) == backend.name);
    const backend_entry* entry = find_backend(backend.name);
    REQUIRE(entry != nullptr);
    CHECK(entry->file.empty());  // linked in, not taken from a plugin
    if (entry->available) CHECK(entry->table == table);
    if (backend.name == std::string("torch")) CHECK_FALSE(entry->available);  // on demand: not named here
  }
  // Built as plugins instead (ACCELBENCH_BACKEND_DL): each file's table, as the loader opened it
  // from the build's plugin folder (ACCELBENCH_BACKEND_PATH); a name mismatch leaves no table.
  std::vector<std::string> plugins;
  std::istringstream plugin_list(ACCELBENCH_TEST_PLUGIN_BUILT);
  for (std::string name; std::getline(plugin_list, name, ',');) plugins.push_back(name);
  const std::vector<plugin_candidate> candidates = discover_plugins(plugin_search_dirs());
  for (const std::string& name : plugins) {
    INFO(name);
    const auto found = std::find_if(candidates.begin(), candidates.end(),
                                    [&name](const plugin_candidate& c) { return c.name == name; });
    REQUIRE(found != candidates.end());
    INFO(found->file.string() << ": " << found->reason);
    REQUIRE(found->table != nullptr);
    CHECK(std::string(found->table->name) == name);
  }
  // reference is built either way, so neither list is empty and the test always checks something.
  CHECK(linked.size() + plugins.size() >= 1);
}

TEST_CASE("a device backend starts once per set of users and answers later inits as the first did", "[abi]") {
  backend_lifecycle life;
  int starts = 0;
  std::string why = "no device: probe failed";
  const auto start = [&] {
    ++starts;
    return why;
  };
  char reason[16] = {};
  CHECK(life.init(reason, sizeof(reason), start) == AB_ERROR);
  CHECK(std::string(reason) == "no device: prob");  // cut to the buffer, terminated
  std::memset(reason, 0, sizeof(reason));
  CHECK(life.init(reason, sizeof(reason), start) == AB_ERROR);  // the _tuned twin: the same answer
  CHECK(std::string(reason) == "no device: prob");
  CHECK((starts == 1 && !life.ok()));
  CHECK_FALSE(life.shutdown());
  CHECK(life.shutdown());        // the last user out releases
  CHECK_FALSE(life.shutdown());  // more shutdowns than inits change nothing
  why.clear();
  CHECK(life.init(reason, sizeof(reason), start) == AB_OK);  // a new set of users starts again
  CHECK((starts == 2 && life.ok()));
  CHECK(life.init(nullptr, 0, start) == AB_OK);
  CHECK(starts == 2);
  CHECK_FALSE(life.shutdown());
  CHECK(life.shutdown());
  CHECK_FALSE(life.ok());
}

namespace {

// Records what the CPU plan slots call, in order; its wake-up fails when told to.
class recording_plan final : public cpu::cpu_plan {
 public:
  void run() override { events += "run "; }
  void read_output(void*, std::uint64_t) override {}
  void before_timed_call() override {
    events += "wake ";
    if (wake_fails) throw std::runtime_error("the pool did not wake");
  }
  std::string events;
  bool wake_fails = false;
};

}  // namespace

TEST_CASE("CPU plan slots: threads are woken before the start time, and a failed wake is an error", "[abi]") {
  ab_backend table{};
  cpu::install_cpu_plan_slots(table);
  auto* plan = new recording_plan;  // released through the table
  ab_plan* handle = cpu::to_handle(plan);
  REQUIRE(table.record_start(handle, 0) == AB_OK);
  const auto taken = plan->starts[0];
  REQUIRE(table.run(handle) == AB_OK);
  REQUIRE(table.record_stop(handle, 0) == AB_OK);
  CHECK(plan->events == "wake run ");
  double seconds = -1.0;
  REQUIRE(table.elapsed_seconds(handle, 0, &seconds) == AB_OK);
  CHECK(seconds >= 0.0);
  plan->wake_fails = true;
  CHECK(table.record_start(handle, 0) == AB_ERROR);
  CHECK(std::string(table.last_error(handle)) == "the pool did not wake");
  CHECK(plan->starts[0] == taken);  // no start time for a call that will not run
  table.release(handle);
}

namespace {

// A device plan as plan_thunks expects one: records each call, fails when told to.
struct logging_device_plan {
  static constexpr std::uint32_t timer_slots = 4;
  void run() {
    if (run_fails) throw std::runtime_error("launch failed: out of resources");
    log += "run ";
  }
  void record(std::uint32_t slot, bool start) { log += fmt::format("{}{} ", start ? "start" : "stop", slot); }
  void synchronize() { log += "sync "; }
  double elapsed(std::uint32_t slot) { return 0.25 * slot; }
  void read_output(void*, std::uint64_t bytes) { log += fmt::format("read{} ", bytes); }
  std::string description = "fake plan", last_error, log;
  bool run_fails = false;
};
using device_thunks = plan_thunks<logging_device_plan>;

}  // namespace

TEST_CASE("device plan entry points: each reaches its member, and an exception is the plan's last error", "[abi]") {
  const ab_backend table = device_thunks::plan_table("fake", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                                     nullptr, nullptr, nullptr);
  CHECK(table.abi_version == AB_ABI_VERSION);
  CHECK(table.struct_size == sizeof(ab_backend));
  CHECK(std::string(table.name) == "fake");
  ab_plan* handle = nullptr;
  char reason[64] = {};
  REQUIRE(device_thunks::prepare(&handle, reason, sizeof(reason),
                                 [] { return std::make_unique<logging_device_plan>(); }) == AB_OK);
  REQUIRE(handle != nullptr);
  logging_device_plan& plan = *device_thunks::from_handle(handle);
  CHECK(table.timer_slot_count(handle) == 4);
  CHECK(table.record_start(handle, 2) == AB_OK);
  CHECK(table.run(handle) == AB_OK);
  CHECK(table.record_stop(handle, 2) == AB_OK);
  CHECK(table.synchronize(handle) == AB_OK);
  CHECK(table.read_output(handle, nullptr, 8) == AB_OK);
  CHECK(plan.log == "start2 run stop2 sync read8 ");
  double seconds = 0.0;
  CHECK(table.elapsed_seconds(handle, 2, &seconds) == AB_OK);
  CHECK(seconds == 0.5);
  CHECK(table.elapsed_seconds(handle, 2, nullptr) == AB_ERROR);
  CHECK(std::string(table.plan_description(handle)) == "fake plan");
  plan.run_fails = true;
  CHECK(table.run(handle) == AB_ERROR);
  CHECK(std::string(table.last_error(handle)) == "launch failed: out of resources");
  table.release(handle);
}

TEST_CASE("device plan prepare: what the library cannot run is unsupported, anything else an error", "[abi]") {
  ab_plan* handle = reinterpret_cast<ab_plan*>(&handle);  // prepare clears it first
  char reason[64] = {};
  CHECK(device_thunks::prepare(&handle, reason, sizeof(reason), []() -> std::unique_ptr<logging_device_plan> {
          throw plan_unsupported("the heuristic offers no algorithm");
        }) == AB_UNSUPPORTED);
  CHECK(handle == nullptr);
  CHECK(std::string(reason) == "the heuristic offers no algorithm");
  CHECK(device_thunks::prepare(&handle, reason, sizeof(reason), []() -> std::unique_ptr<logging_device_plan> {
          throw std::runtime_error("cudaMalloc failed: out of memory");
        }) == AB_ERROR);
  CHECK(handle == nullptr);
  CHECK(std::string(reason) == "cudaMalloc failed: out of memory");
  CHECK(device_thunks::prepare(nullptr, reason, sizeof(reason),
                               [] { return std::make_unique<logging_device_plan>(); }) == AB_ERROR);
}

TEST_CASE("a case larger than the device's free memory is refused with both sizes and the device named", "[abi]") {
  CHECK(device_memory_shortfall(std::uint64_t{1} << 30, std::uint64_t{1} << 30, "H100").empty());
  CHECK(device_memory_shortfall(std::uint64_t{3} << 30, std::uint64_t{1} << 31, "Ascend910B3") ==
        "needs 3.00 GiB of device memory, 2.00 GiB free on Ascend910B3");
}

TEST_CASE("the host memory check keeps a reserve free", "[abi]") {
  const std::uint64_t available = std::uint64_t{8} << 30, reserve = cpu::host_memory_reserve_bytes;
  CHECK(cpu::fits_host_memory(available - reserve, available));
  CHECK_FALSE(cpu::fits_host_memory(available - reserve + 1, available));
  CHECK_FALSE(cpu::fits_host_memory(available, available));
  CHECK(cpu::fits_host_memory(std::uint64_t{1} << 50, 0));  // unknown: the library's own error decides
}

TEST_CASE("case seeds are deterministic and depend on seed and text", "[abi]") {
  CHECK(case_seed(42, "gemm:m=1,n=1,k=1,dt=f32") == case_seed(42, "gemm:m=1,n=1,k=1,dt=f32"));
  CHECK(case_seed(42, "gemm:m=1,n=1,k=1,dt=f32") != case_seed(43, "gemm:m=1,n=1,k=1,dt=f32"));
  CHECK(case_seed(42, "gemm:m=1,n=1,k=1,dt=f32") != case_seed(42, "gemm:m=2,n=1,k=1,dt=f32"));
}

TEST_CASE("composed attention: query blocks, causal limits and output types", "[composed]") {
  const std::vector<std::string> shapes = {
      "attn:b=2,hq=4,hkv=2,sq=13,skv=29,d=8,causal=1,dt={}",  // sq < skv
      "attn:b=1,hq=2,hkv=1,sq=29,skv=13,d=8,causal=1,dt={}",  // sq > skv: masked leading rows
      "attn:b=1,hq=3,hkv=3,sq=17,skv=17,d=4,causal=1,dt={}",
      "attn:b=2,hq=2,hkv=1,sq=11,skv=23,d=8,causal=0,dt={}",
      "attn:b=1,hq=2,hkv=1,sq=17,skv=17,d=8,causal=1,dt={},window=1",   // each row sees only itself
      "attn:b=1,hq=2,hkv=1,sq=13,skv=29,d=8,causal=1,dt={},window=5",   // window, sq < skv
      "attn:b=1,hq=2,hkv=1,sq=29,skv=13,d=8,causal=1,dt={},window=4",   // window, sq > skv
      "attn:b=1,hq=1,hkv=1,sq=11,skv=23,d=8,causal=1,dt={},window=40",  // window >= skv: plain causal
  };
  for (const char* dt : {"f32", "bf16", "f16"}) {
    for (const std::string& shape : shapes) {
      const std::string text = fmt::format(fmt::runtime(shape), dt);
      const attention_workload w = std::get<attention_workload>(parse_workload(text));
      host_tensor q(w.dt.in, w.b * w.hq * w.sq * w.d), k(w.dt.in, w.b * w.hkv * w.skv * w.d),
          v(w.dt.in, w.b * w.hkv * w.skv * w.d);
      fill_random(q, 1);
      fill_random(k, 2);
      fill_random(v, 3);
      for (const std::int64_t block_rows : {std::int64_t{1}, std::int64_t{3}, std::int64_t{7}, w.sq}) {
        INFO(text << " block_rows " << block_rows);
        host_tensor o(w.dt.out, w.b * w.hq * w.sq * w.d);
        fill_random(o, 9);  // stale data must be overwritten everywhere
        naive_steps steps(w.dt.in);
        cpu::run_composed_attention(w, q.data(), k.data(), v.data(), o.data(), steps, block_rows);
        // Every row against the fp64 reference (not only the rows verification samples).
        double worst = 0.0;
        for (std::int64_t bt = 0; bt < w.b; ++bt)
          for (std::int64_t h = 0; h < w.hq; ++h)
            for (std::int64_t r = 0; r < w.sq; ++r) {
              const std::vector<double> expected = reference_attention_row(w, q, k, v, bt, h, r);
              for (std::int64_t x = 0; x < w.d; ++x) {
                const double actual = o.get(((bt * w.hq + h) * w.sq + r) * w.d + x);
                if (causal_key_limit(w, r) == 0) REQUIRE(actual == 0.0);
                const double e = expected[static_cast<std::size_t>(x)];
                // f32 arithmetic in the steps, then rounding to the output type.
                const double allowed = 1e-5 + 2 * unit_roundoff(w.dt.out) * std::fabs(e);
                worst = std::max(worst, std::fabs(actual - e) / allowed);
              }
            }
        CHECK(worst <= 1.0);
        const verification_result r = verify_attention(w, q, k, v, o, 5);
        INFO(r.reason);
        CHECK(r.passed);
      }
    }
  }
  const attention_workload w =
      std::get<attention_workload>(parse_workload("attn:b=1,hq=1,hkv=1,sq=50,skv=100,d=8,dt=f32"));
  CHECK(cpu::composed_block_rows(w, 10 * 100 * 4) == 10);
  CHECK(cpu::composed_block_rows(w, 1) == 1);
  CHECK(cpu::composed_block_rows(w, std::int64_t{1} << 40) == 50);
}

TEST_CASE("registry: every known backend is listed, reference is always usable", "[reference]") {
  const std::vector<backend_entry>& entries = backends();
  for (const char* name : {"reference", "native", "openblas", "onednn", "cuda", "cuda_tuned", "torch"}) {
    INFO(name);
    REQUIRE(find_backend(name) != nullptr);
  }
  // The device kind each known backend must report; the CUDA backends drive GPUs, the rest the
  // host CPU (a plugin backend from ACCELBENCH_BACKEND_PATH may be anything).
  const std::set<std::string> gpu_backends = {"cuda", "cuda_tuned"};
  const std::set<std::string> cpu_backends = {"reference", "native", "openblas", "onednn"};
  for (const backend_entry& e : entries) {
    INFO(e.name);
    if (e.available) {
      REQUIRE(e.table != nullptr);
      CHECK(e.table->abi_version == AB_ABI_VERSION);
      CHECK(std::string(e.table->name) == e.name);
      CHECK_FALSE(e.version.empty());
      REQUIRE_FALSE(e.devices.empty());
      if (cpu_backends.count(e.name) != 0) CHECK(e.devices.front().kind == "cpu");
      if (gpu_backends.count(e.name) != 0) CHECK(e.devices.front().kind == "gpu");
      CHECK(e.devices.front().memory_bytes > 0);
      CHECK(e.devices.front().properties_json.front() == '{');
    } else {
      CHECK_FALSE(e.reason.empty());
    }
  }
  const backend_entry* reference = find_backend("reference");
  CHECK(reference->available);
  // Without an NVIDIA driver or device the CUDA backends cannot be usable (with one, they may be).
  if (!accelbench::testing::nvidia_device_present()) {
    CHECK_FALSE(find_backend("cuda")->available);
    CHECK_FALSE(find_backend("cuda_tuned")->available);
  }
}

TEST_CASE("reference backend matches the reference for every dtype", "[reference]") {
  const backend_entry* backend = &reference_backend();
  exercise_backend(
      *backend, {"f32", "f64", "tf32", "bf16", "bf16:f32", "f16", "f16:f32", "f8e4m3:f32", "f8e5m2:bf16", "s8"},
      {"f32", "bf16", "f16:f32"},
      {"gemm f32", "gemm f64", "gemm bf16", "gemm f16", "gemm s8", "gemm f8e4m3:f32", "attn f32", "attn bf16"});
}

TEST_CASE("reference backend refuses what its naive loops cannot finish", "[reference]") {
  const backend_entry* backend = &reference_backend();
  check_unsupported(*backend, "gemm:m=2048,n=2048,k=2048,dt=f32");
  check_unsupported(*backend, "attn:b=1,hq=32,hkv=8,sq=4096,skv=4096,d=128,causal=1,dt=bf16");
  std::array<char, 128> reason{};
  const std::string text = "gemm:m=8,n=8,k=8,dt=f32";
  const ab_workload abi = to_abi(parse_workload(text), text);
  CHECK(backend->table->supports(1, &abi, reason.data(), reason.size()) != AB_OK);  // no device 1
}

TEST_CASE("openblas backend matches the reference", "[openblas]") {
  const backend_entry* backend = usable_backend("openblas");
  if (backend == nullptr) return;
  exercise_backend(*backend, {"f32", "f64", "bf16:f32"}, {"f32"}, {"gemm f32", "gemm f64", "attn f32"});
  // Large enough for the Freivalds path of the verification.
  check_supported(*backend, "gemm:m=512,n=512,k=512,dt=f32");
  check_supported(*backend, "gemm:m=300,n=257,k=1000,ta=t,tb=t,dt=f64");
  check_supported(*backend, "attn:b=1,hq=4,hkv=2,sq=256,skv=512,d=64,causal=1,dt=f32");
}

TEST_CASE("openblas backend refuses what it cannot run", "[openblas]") {
  const backend_entry* backend = usable_backend("openblas");
  if (backend == nullptr) return;
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=f16");
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=s8");
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=f32:bf16");
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=f8e4m3:f32");
  check_unsupported(*backend, "attn:b=1,hq=2,hkv=2,sq=16,skv=16,d=8,causal=0,dt=bf16");
  check_unsupported(*backend, "gemm:m=3000000000,n=1,k=1,dt=f32");  // beyond the 32-bit BLAS interface
}

TEST_CASE("onednn backend matches the reference", "[onednn]") {
  const backend_entry* backend = usable_backend("onednn");
  if (backend == nullptr) return;
  exercise_backend(*backend, {"f32", "bf16", "bf16:f32", "f16", "f16:f32", "s8"}, {"f32", "bf16"},
                   {"gemm f32", "attn f32"});
  check_supported(*backend, "gemm:m=512,n=512,k=512,dt=f32");
  check_supported(*backend, "attn:b=1,hq=4,hkv=2,sq=256,skv=512,d=64,causal=1,dt=f32");
}

TEST_CASE("onednn backend refuses what it cannot run", "[onednn]") {
  const backend_entry* backend = usable_backend("onednn");
  if (backend == nullptr) return;
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=f64");
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=tf32");
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=f8e5m2:f32");
  check_unsupported(*backend, "attn:b=1,hq=2,hkv=2,sq=16,skv=16,d=8,causal=0,dt=f16");
  check_unsupported(*backend, "attn:b=1,hq=2,hkv=2,sq=16,skv=16,d=8,causal=0,dt=f64");
}

TEST_CASE("case_runner measures a small GEMM on openblas", "[openblas]") {
  const backend_entry* backend = usable_backend("openblas");
  if (backend == nullptr) return;
  run_options options;
  options.stop = short_rule();
  options.cache = cache_policy::cold;
  case_runner runner(options, 1 << 20);
  const std::string text = "gemm:m=64,n=64,k=64,dt=f32";
  const bench_case c{text, parse_workload(text), backend, 0};
  case_result record = runner.new_record(c);
  CHECK(record.result == outcome::pending);
  CHECK(record.workload == text);
  CHECK(record.kind == "gemm");
  CHECK(record.backend == "openblas");
  CHECK(record.backend_version == backend->version);
  CHECK(record.device_kind == "cpu");
  CHECK(record.dtype_in == "f32");
  CHECK(record.flops == 2 * 64 * 64 * 64);
  CHECK(record.flop_convention == "gemm-2mnk-v1");
  CHECK(record.seed == case_seed(options.seed, text));

  runner.run_repetition(c, record);
  INFO("reason: " << record.reason);
  REQUIRE(record.result == outcome::passed);
  REQUIRE(record.verification.has_value());
  CHECK(record.verification->passed);
  CHECK(record.verification->method == "full");
  CHECK(record.plan_description == "cblas_sgemm");
  REQUIRE(record.repetitions.size() == 1);
  const repetition_record& rep = record.repetitions.front();
  CHECK(rep.samples_s.size() >= 2);
  CHECK(rep.stats.count == static_cast<std::int64_t>(rep.samples_s.size()));
  CHECK(rep.warmup_calls >= 2);
  CHECK((rep.stop_reason == "converged" || rep.stop_reason == "timeout"));
  for (double s : rep.samples_s) CHECK(s > 0.0);
  REQUIRE(record.tflops().has_value());
  CHECK(*record.tflops() > 0.0);
  CHECK(rep.wall_s < 5.0);

  // A second repetition appends without verifying again.
  runner.run_repetition(c, record);
  CHECK(record.result == outcome::passed);
  CHECK(record.repetitions.size() == 2);
}

TEST_CASE("case_runner: an unsupported case is recorded with its reason", "[openblas]") {
  const backend_entry* backend = usable_backend("openblas");
  if (backend == nullptr) return;
  run_options options;
  options.stop = short_rule();
  case_runner runner(options, 1 << 20);
  const std::string text = "gemm:m=64,n=64,k=64,dt=f16";
  const bench_case c{text, parse_workload(text), backend, 0};
  case_result record = runner.new_record(c);
  runner.run_repetition(c, record);
  CHECK(record.result == outcome::unsupported);
  CHECK(record.reason.find("f16") != std::string::npos);
  CHECK(record.repetitions.empty());
  CHECK_FALSE(record.verification.has_value());
  CHECK_FALSE(record.tflops().has_value());
  CHECK_FALSE(is_failure(record.result));
  runner.run_repetition(c, record);  // not measured again
  CHECK(record.result == outcome::unsupported);
  CHECK(record.repetitions.empty());
}

TEST_CASE("case_runner: a wrong answer is incorrect, a failing run is failed", "[reference]") {
  const backend_entry* reference = &reference_backend();
  run_options options;
  options.stop = short_rule();
  options.cache = cache_policy::hot;
  case_runner runner(options, 1 << 20);
  const std::string text = "gemm:m=32,n=32,k=32,dt=f32,batch=2";
  const workload w = parse_workload(text);

  SECTION("the reference itself passes, hot cache") {
    const bench_case c{text, w, reference, 0};
    case_result record = runner.new_record(c);
    runner.run_repetition(c, record);
    INFO(record.reason);
    CHECK(record.result == outcome::passed);
    CHECK(record.cache == cache_policy::hot);
    CHECK(record.repetitions.size() == 1);
  }
  // One repetition on the reference with one slot of its table replaced.
  const auto run_broken = [&](void (*replace)(ab_backend&)) {
    broken_backend broken(*reference);
    replace(broken.table);
    const bench_case c{text, w, &broken.entry, 0};
    case_result record = runner.new_record(c);
    runner.run_repetition(c, record);
    return record;
  };
  SECTION("one wrong element") {
    g_wrapped = reference->table;
    const case_result record = run_broken([](ab_backend& t) { t.read_output = read_output_off_by_one; });
    CHECK(record.result == outcome::incorrect);
    CHECK(is_failure(record.result));
    REQUIRE(record.verification.has_value());
    CHECK_FALSE(record.verification->passed);
    CHECK_FALSE(record.reason.empty());
    CHECK(record.repetitions.empty());  // never timed
    CHECK_FALSE(record.tflops().has_value());
  }
  SECTION("an output never written") {
    const case_result record = run_broken([](ab_backend& t) { t.read_output = read_output_leaves_buffer; });
    CHECK(record.result == outcome::incorrect);
    CHECK(record.repetitions.empty());
  }
  SECTION("run reports an error") {
    const case_result record = run_broken([](ab_backend& t) { t.run = run_fails; });
    CHECK(record.result == outcome::failed);
    CHECK(record.reason.find("run failed") != std::string::npos);
    CHECK(record.repetitions.empty());
  }
}

TEST_CASE("a process that does not name torch never loads Python", "[abi]") {
  // load_backends() without naming torch (as `run -b onednn` does) must leave libpython unmapped.
  const std::vector<backend_entry>& entries = backends();
  const auto torch =
      std::find_if(entries.begin(), entries.end(), [](const backend_entry& e) { return e.name == "torch"; });
  REQUIRE(torch != entries.end());
  CHECK_FALSE(torch->available);
  CHECK_THAT(torch->reason, Catch::Contains("not started"));
  std::ifstream maps("/proc/self/maps");
  const std::string mapped((std::istreambuf_iterator<char>(maps)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(mapped.empty());
  CHECK(mapped.find("libpython") == std::string::npos);
  CHECK(mapped.find("libtorch") == std::string::npos);
}

TEST_CASE("torch backend matches the reference", "[torch]") {
  const backend_entry* backend = usable_torch();
  if (backend == nullptr) return;
  // torch 1.13 computes bf16 products on the CPU through oneDNN only where the CPU has AVX-512
  // (avx512bw/vl/dq). Elsewhere its own kernels keep bf16 partial sums, and matrix-vector shapes
  // miss the bf16 tolerance (Zen 3, 2026-12-07: relative error 0.020-0.023 against 0.016), which
  // the harness rightly reports as failed. There bf16 is checked for the wiring only (layout,
  // strides, GQA): torch's bf16 product, not garbage, within 0.1.
  const bool exact_bf16 = backend->devices.front().kind != "cpu" || __builtin_cpu_supports("avx512bw");
  std::vector<std::string> gemm_dtypes = {"f32", "f64", "f16", "tf32"}, attention_dtypes = {"f32", "f16"};
  if (exact_bf16) {
    gemm_dtypes.push_back("bf16");
    attention_dtypes.push_back("bf16");
  } else {
    WARN("this CPU has no AVX-512: torch's bf16 results are checked against a loose bound only");
    std::vector<std::string> texts;
    for (const std::string& shape : fixed_gemm_shapes) texts.push_back(fmt::format(fmt::runtime(shape), "bf16"));
    for (const std::string& shape : attention_shapes) texts.push_back(fmt::format(fmt::runtime(shape), "bf16"));
    for (const std::string& text : texts) {
      INFO(text);
      const abi_run r = run_through_abi(*backend, text);
      REQUIRE(r.support == AB_OK);
      REQUIRE(r.verification.has_value());
      INFO("error " << r.verification->error << ", reason " << r.verification->reason);
      CHECK(r.verification->error < 0.1);
      CHECK_FALSE(r.verification->mistrusted);
    }
  }
  // f16 and tf32 run where this torch computes them (CUDA), and say why not elsewhere.
  exercise_backend(*backend, gemm_dtypes, attention_dtypes, {"gemm f32", "gemm f64", "attn f32"});
  check_supported(*backend, "gemm:m=512,n=512,k=512,dt=f32");  // the Freivalds path of verification
  check_supported(*backend, "gemm:m=300,n=257,k=1000,ta=t,tb=t,dt=f32,batch=2");
  check_supported(*backend, "attn:b=1,hq=8,hkv=2,sq=256,skv=512,d=64,causal=1,dt=f32");  // GQA, sq < skv
  check_supported(*backend, "attn:b=2,hq=4,hkv=1,sq=96,skv=40,d=32,causal=1,dt=f32");    // sq > skv
}

TEST_CASE("torch backend refuses what torch.matmul does not compute", "[torch]") {
  const backend_entry* backend = usable_torch();
  if (backend == nullptr) return;
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=s8");        // torch.matmul returns int8
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=bf16:f32");  // output dtype = input dtype
  check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=f8e4m3:f32");
  check_unsupported(*backend, "attn:b=1,hq=2,hkv=2,sq=16,skv=16,d=8,causal=0,dt=f64");
  check_unsupported(*backend, "attn:b=1,hq=2,hkv=2,sq=16,skv=16,d=8,causal=0,dt=tf32");
  if (backend->devices.front().kind == "cpu") {
    check_unsupported(*backend, "gemm:m=64,n=64,k=64,dt=tf32");             // no TF32 switch on the CPU
    check_unsupported(*backend, "gemm:m=100000,n=100000,k=100000,dt=f32");  // beyond host memory
  }
}

TEST_CASE("torch backend: devices, threads, timing method and plan are recorded", "[torch]") {
  const backend_entry* backend = usable_torch();
  if (backend == nullptr) return;
  CHECK_THAT(backend->version, Catch::Contains("torch ") && Catch::Contains("intra-op threads") &&
                                   Catch::Contains("Python ") && Catch::Contains("device plugins"));
  REQUIRE_FALSE(backend->devices.empty());
  const device_description& cpu = backend->devices.front();
  CHECK(cpu.kind == "cpu");
  CHECK(cpu.memory_bytes > 0);
  CHECK_THAT(cpu.properties_json, Catch::Contains("\"intra_op_threads\""));

  run_options options;
  options.stop = short_rule();
  case_runner runner(options, 1 << 20);
  const std::string text = "gemm:m=96,n=80,k=72,ta=t,dt=f32,batch=2";
  const bench_case c{text, parse_workload(text), backend, 0};
  case_result record = runner.new_record(c);
  runner.run_repetition(c, record);
  INFO("reason: " << record.reason);
  REQUIRE(record.result == outcome::passed);
  CHECK_THAT(record.plan_description, Catch::Contains("torch.matmul (bmm") && Catch::Contains("timing: host clock") &&
                                          Catch::Contains("intra-op threads") && Catch::Contains("transposed A"));
  REQUIRE(record.repetitions.size() == 1);
  CHECK(record.repetitions.front().calls_per_sample == 1);  // cold cache: the engine never asks to batch
  for (double s : record.repetitions.front().samples_s) CHECK(s > 0.0);

  // Hot: a call of a few microseconds is repeated in a Python loop per run(), and recorded.
  run_options hot_options = options;
  hot_options.cache = cache_policy::hot;
  case_runner hot_runner(hot_options, 1 << 20);
  const std::string tiny = "gemm:m=8,n=8,k=8,dt=f32";
  const bench_case t{tiny, parse_workload(tiny), backend, 0};
  case_result tiny_record = hot_runner.new_record(t);
  hot_runner.run_repetition(t, tiny_record);
  REQUIRE(tiny_record.result == outcome::passed);
  INFO("plan: " << tiny_record.plan_description);
  // The decision follows the call timed at prepare: under a sanitizer or a loaded machine even
  // an 8^3 call can take longer than the 20 us threshold, and then it must not be batched.
  std::smatch slow;
  const std::regex not_batched("not batched: one call ([0-9.]+) us at prepare");
  if (std::regex_search(tiny_record.plan_description, slow, not_batched)) {
    CHECK(std::stod(slow[1].str()) >= 20.0);
    CHECK(tiny_record.repetitions.front().calls_per_sample == 1);
  } else {
    CHECK(tiny_record.repetitions.front().calls_per_sample > 1);
    CHECK_THAT(tiny_record.plan_description, Catch::Contains("calls per run in a Python loop"));
  }

  const std::string attention = "attn:b=1,hq=4,hkv=2,sq=24,skv=40,d=16,causal=1,dt=f32";
  const bench_case a{attention, parse_workload(attention), backend, 0};
  case_result attention_record = runner.new_record(a);
  runner.run_repetition(a, attention_record);
  REQUIRE(attention_record.result == outcome::passed);
  // Debian's torch 1.13 has no scaled_dot_product_attention; a newer torch says it uses it.
  CHECK_THAT(attention_record.plan_description, (Catch::Contains("composed torch.matmul, softmax, torch.matmul") ||
                                                 Catch::Contains("scaled_dot_product_attention")) &&
                                                    Catch::Contains("GQA") && Catch::Contains("causal bottom-right"));
}
