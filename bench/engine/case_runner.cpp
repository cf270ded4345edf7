#include "bench/engine/case_runner.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <vector>

#include <fmt/format.h>

#include "backends/common/abi_conversion.hpp"
#include "bench/engine/case_isolation.hpp"
#include "bench/engine/interrupt.hpp"
#include "bench/engine/telemetry_sampler.hpp"
#include "bench/engine/verification.hpp"
#include "kernels/spec/errors.hpp"

namespace accelbench {
namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// CPU time of this process, all threads: Google Benchmark's cpu_time for a repetition's samples.
double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

void check(const ab_backend* table, ab_plan* plan, ab_status status, const char* what) {
  if (status == AB_OK) return;
  const char* message = plan != nullptr && table->last_error != nullptr ? table->last_error(plan) : "";
  throw case_error(fmt::format("{} failed: {}", what, message != nullptr ? message : ""));
}

// Between samples and between phases: a pending SIGINT/SIGTERM ends the case here.
void check_interrupt() {
  if (interrupt_requested()) throw interrupted_error{interrupt_signal()};
}

// Calls each run() performs (the backend's optional ab_batch_calls_v1). Asked only with hot
// caches: cold samples each follow a flush, so batching them would drop the flush's effect.
std::uint32_t batch_calls(const ab_backend* table, ab_plan* plan, cache_policy cache) {
  if (cache != cache_policy::hot || table->get_proc == nullptr) return 1;
  auto* batch = reinterpret_cast<ab_batch_calls_fn>(table->get_proc(AB_PROC_BATCH_CALLS));
  if (batch == nullptr) return 1;
  std::uint32_t calls = 1;
  const ab_status status = batch(plan, &calls);
  if (status == AB_UNSUPPORTED) return 1;
  check(table, plan, status, AB_PROC_BATCH_CALLS);
  if (calls == 0) throw case_error(fmt::format("{} returned 0 calls per run", AB_PROC_BATCH_CALLS));
  return calls;
}

}  // namespace

// Host inputs of the last case, kept across its repetitions (generation is not free at 8192^2).
struct case_runner::input_cache {
  std::string key;
  std::vector<host_tensor> tensors;
  // Where the verifying run's output is read back. Allocated (and touched) with the inputs,
  // before prepare: the backend's memory check there then sees all of the harness's memory.
  host_tensor output;
};

std::uint64_t case_seed(std::uint64_t run_seed, const std::string& workload_text) {
  std::uint64_t hash = 1469598103934665603ull ^ run_seed;
  for (unsigned char c : workload_text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

case_runner::case_runner(run_options options, std::int64_t last_level_cache_bytes)
    : m_options(options), m_flusher(last_level_cache_bytes), m_inputs(std::make_unique<input_cache>()) {}

case_runner::~case_runner() = default;

case_result case_runner::new_record(const bench_case& c) const {
  case_result r;
  r.workload = c.text;
  r.kind = std::string(kind_name(c.w));
  r.backend = c.backend->name;
  r.backend_version = c.backend->version;
  r.device_index = c.device;
  for (const device_description& d : c.backend->devices) {
    if (d.index == c.device) {
      r.device_name = d.name;
      r.device_kind = d.kind;
    }
  }
  const dtype_spec dt = dtypes_of(c.w);
  r.dtype_in = std::string(to_string(dt.in));
  r.dtype_out = std::string(to_string(dt.out));
  r.dtype_acc = std::string(to_string(dt.acc));
  r.cache = m_options.cache;
  r.seed = case_seed(m_options.seed, c.text);
  r.input_distribution = dt.in == dtype::s8 ? "uniform-int[-128,127]" : "normal(0,1)";
  r.flops = flops(c.w);
  r.flop_convention = std::string(flop_convention(c.w));
  r.min_bytes = min_bytes(c.w);
  return r;
}

void case_runner::run_repetition(const bench_case& c, case_result& record) {
  if (record.result != outcome::pending && record.result != outcome::passed && record.result != outcome::mistrusted) {
    return;  // unsupported, incorrect, failed or interrupted: nothing more to measure
  }
  if (m_options.isolate) {
    run_isolated(record, m_options.case_timeout_s, [&](case_result& r) { measure_repetition(c, r); });
  } else {
    measure_repetition(c, record);
  }
}

// The phases of one repetition, in order. Each records an outcome on the record and returns
// false (or a null plan) when the case cannot go on; backend errors throw case_error.

// First repetition only: the backend's support check and the host memory the harness needs.
bool case_runner::check_support(const bench_case& c, const ab_workload& abi, case_result& record) const {
  std::array<char, 512> reason{};
  const ab_status support = c.backend->table->supports(c.device, &abi, reason.data(), reason.size());
  if (support != AB_OK) {
    record.result = support == AB_UNSUPPORTED ? outcome::unsupported : outcome::failed;
    record.reason = reason.data();
    return false;
  }
  // The harness keeps host copies of inputs and output; check them before allocating.
  std::uint64_t device_memory = 0;
  for (const device_description& d : c.backend->devices) {
    if (d.index == c.device) device_memory = d.memory_bytes;
  }
  const auto host_bytes = static_cast<std::uint64_t>(io_bytes(c.w));
  const std::uint64_t needed = record.device_kind == "cpu" ? 2 * host_bytes : host_bytes;
  if (device_memory != 0 && needed > device_memory) {
    record.result = outcome::unsupported;
    record.reason = fmt::format("needs {:.2f} GiB for inputs and outputs, {:.2f} GiB available on {}",
                                needed / 1073741824.0, device_memory / 1073741824.0, record.device_name);
    return false;
  }
  return true;
}

// Seeded random inputs, generated once per case and kept across its repetitions.
std::vector<ab_host_tensor> case_runner::input_views(const bench_case& c, const case_result& record) {
  if (m_inputs->key != c.text) {
    m_inputs->tensors.clear();
    m_inputs->key.clear();
    const std::vector<std::int64_t> counts = input_element_counts(c.w);
    const dtype in = dtypes_of(c.w).in;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      m_inputs->tensors.emplace_back(in, counts[i]);
      fill_random(m_inputs->tensors.back(), record.seed + i);
    }
    m_inputs->output = host_tensor(dtypes_of(c.w).out, output_element_count(c.w));
    // All-ones bytes (NaN in every float type, -1 in integers): an output never written fails.
    std::memset(m_inputs->output.data(), 0xff, static_cast<std::size_t>(m_inputs->output.bytes()));
    m_inputs->key = c.text;
  }
  std::vector<ab_host_tensor> views;
  for (const host_tensor& t : m_inputs->tensors) views.push_back({t.data(), static_cast<std::uint64_t>(t.bytes())});
  return views;
}

// First repetition only: one run, its output checked against fp64 math on the same inputs.
bool case_runner::verify_output(const bench_case& c, ab_plan* plan, case_result& record) const {
  const ab_backend* table = c.backend->table;
  const auto verify_start = clock_type::now();
  check(table, plan, table->run(plan), "run");
  check(table, plan, table->synchronize(plan), "synchronize");
  host_tensor& output = m_inputs->output;
  check(table, plan, table->read_output(plan, output.data(), output.bytes()), "read_output");
  const std::uint64_t verify_seed = record.seed ^ 0x5eedull;
  const std::vector<host_tensor>& in = m_inputs->tensors;
  if (const auto* g = std::get_if<gemm_workload>(&c.w)) {
    record.verification = verify_gemm(*g, in[0], in[1], output, verify_seed);
  } else {
    record.verification = verify_attention(std::get<attention_workload>(c.w), in[0], in[1], in[2], output, verify_seed);
  }
  record.verify_s = seconds_since(verify_start);
  record.reason = record.verification->reason;
  if (!record.verification->passed) {
    record.result = outcome::incorrect;
    return false;
  }
  record.result = record.verification->mistrusted ? outcome::mistrusted : outcome::passed;
  return true;
}

// Warm-up by time (at least two calls): library threads spin up, JIT kernels are built, clocks settle.
void case_runner::warm_up(const ab_backend* table, ab_plan* plan, repetition_record& rep) const {
  const auto warmup_start = clock_type::now();
  while (rep.warmup_calls < 2 || seconds_since(warmup_start) < m_options.stop.warmup_time_s) {
    check_interrupt();
    check(table, plan, table->run(plan), "run");
    check(table, plan, table->synchronize(plan), "synchronize");
    ++rep.warmup_calls;
  }
  rep.warmup_s = seconds_since(warmup_start);
}

// Timed samples in batches until the stopping rule says stop; every measured sample is kept.
void case_runner::sample(const bench_case& c, ab_plan* plan, repetition_record& rep) {
  const ab_backend* table = c.backend->table;
  const std::uint32_t max_batch =
      std::max<std::uint32_t>(1, std::min<std::uint32_t>(table->timer_slot_count(plan), 64));
  const auto calls = static_cast<double>(rep.calls_per_sample);
  const auto sampling_start = clock_type::now();
  double measured = 0.0, sum = 0.0, sum_squares = 0.0;  // running moments for the noise estimate
  auto verdict = stopping_criterion::verdict::keep_going;
  std::uint32_t batch = 1;
  telemetry_sampler telemetry = telemetry_sampler::for_backend(table, c.device);
  const double cpu_start = process_cpu_seconds();
  while (verdict == stopping_criterion::verdict::keep_going) {
    check_interrupt();
    // Enqueue a batch of samples, then synchronize once (one sync per batch on GPUs).
    const auto batch_start = clock_type::now();
    for (std::uint32_t slot = 0; slot < batch; ++slot) {
      check_interrupt();  // a batch of cold samples can take a while (one cache flush each)
      if (m_options.cache == cache_policy::cold) {
        if (table->flush_cache != nullptr) {
          check(table, plan, table->flush_cache(c.device), "flush_cache");
        } else {
          m_flusher.flush();
        }
      }
      check(table, plan, table->record_start(plan, slot), "record_start");
      check(table, plan, table->run(plan), "run");
      check(table, plan, table->record_stop(plan, slot), "record_stop");
    }
    // While the batch runs on an asynchronous device: no host call between its timed launches.
    telemetry.sample_batch(rep, static_cast<std::int64_t>(rep.samples_s.size()), batch);
    check(table, plan, table->synchronize(plan), "synchronize");
    for (std::uint32_t slot = 0; slot < batch; ++slot) {
      double seconds = 0.0;
      check(table, plan, table->elapsed_seconds(plan, slot, &seconds), "elapsed_seconds");
      // A sample is per call; the stopping rule's time and the batch size use what was timed.
      rep.samples_s.push_back(seconds / calls);
      measured += seconds;
      sum += seconds;
      sum_squares += seconds * seconds;
    }
    const auto n = static_cast<double>(rep.samples_s.size());
    const double mean = sum / n;
    const double variance = n > 1 ? std::max(0.0, (sum_squares - n * mean * mean) / (n - 1)) : 0.0;
    const double cv = mean > 0 ? std::sqrt(variance) / mean : 0.0;
    verdict = m_options.stop.check(static_cast<std::int64_t>(n), measured, seconds_since(sampling_start), cv);
    // Batches of about 20 ms: long kernels are checked after every sample, short ones are
    // enqueued many at a time so a GPU is not idled by a synchronize per sample.
    // Sized by wall time per sample, cache flush included: with cold caches a 5 us kernel
    // costs a ~10 ms flush, and 64 of those would blow through the stopping rule's timeout.
    const double wall_per_sample = seconds_since(batch_start) / batch;
    batch = static_cast<std::uint32_t>(
        std::clamp(0.02 / std::max({mean, wall_per_sample, 1e-9}), 1.0, static_cast<double>(max_batch)));
  }
  rep.cpu_s = process_cpu_seconds() - cpu_start;
  rep.stop_reason = to_string(verdict);
}

void case_runner::measure_repetition(const bench_case& c, case_result& record) {
  const ab_backend* table = c.backend->table;
  const ab_workload abi = to_abi(c.w, c.text);
  try {
    check_interrupt();
    const bool first = record.result == outcome::pending;
    if (first && !check_support(c, abi, record)) return;
    const std::vector<ab_host_tensor> inputs = input_views(c, record);

    const auto prepare_start = clock_type::now();
    ab_plan* raw_plan = nullptr;
    std::array<char, 512> reason{};
    const ab_status prepared = table->prepare(c.device, &abi, inputs.data(), static_cast<uint32_t>(inputs.size()),
                                              &raw_plan, reason.data(), reason.size());
    if (prepared != AB_OK) {
      record.result = prepared == AB_UNSUPPORTED ? outcome::unsupported : outcome::failed;
      record.reason = fmt::format("prepare: {}", reason.data());
      return;
    }
    plan_handle plan(raw_plan, plan_deleter{table});
    const std::uint32_t calls = batch_calls(table, plan.get(), m_options.cache);  // part of preparing
    record.prepare_s = seconds_since(prepare_start);
    if (table->plan_description != nullptr) record.plan_description = table->plan_description(plan.get());

    if (first && !verify_output(c, plan.get(), record)) return;

    check_interrupt();
    repetition_record rep;
    rep.calls_per_sample = calls;
    const auto repetition_start = clock_type::now();
    warm_up(table, plan.get(), rep);
    sample(c, plan.get(), rep);
    rep.stats = summarize(rep.samples_s);
    rep.wall_s = seconds_since(repetition_start);
    record.repetitions.push_back(std::move(rep));
  } catch (const interrupted_error& e) {
    record.result = outcome::interrupted;
    record.reason = fmt::format("{} during the case; accelbench run --resume JOURNAL measures it again",
                                signal_name(e.signal_number));
  } catch (const std::bad_alloc&) {
    record.result = outcome::failed;
    record.reason = "out of memory while preparing or running the case";
  } catch (const std::exception& e) {
    record.result = outcome::failed;
    record.reason = e.what();
  }
}

}  // namespace accelbench
