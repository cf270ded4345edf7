// CUDA backend. [cuda] cases are host-side logic and run everywhere (no GPU needed): the
// cuBLASLt dtype/layout mapping (checked numerically by emulating the column-major product on
// the host), the algorithm choice, attention chunking, NVML loading without a driver, and the
// no-device reason. [gpu] cases run the backend through the C ABI against the fp64 reference
// and skip with a printed reason when no device is present.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "abi_conversion.hpp"
#include "accelbench/host_tensor.hpp"
#include "accelbench/reference.hpp"
#include "accelbench/workload.hpp"
#include "cuda/cublaslt_gemm.hpp"
#include "cuda/cuda_attention.hpp"
#include "cuda/cuda_device.hpp"
#include "cuda/nvml_telemetry.hpp"
#include "engine/verification.hpp"
#include "registry.hpp"

using namespace accelbench;
using namespace accelbench::cuda;

namespace {

gemm_workload gemm(const std::string& text) { return std::get<gemm_workload>(parse_workload(text)); }

// Column-major element (r, c) of a stored matrix, after op.
double lt_element(const lt_matrix& m, cublasOperation_t op, const std::vector<double>& data, std::int64_t batch,
                  std::uint64_t r, std::uint64_t c) {
  const std::uint64_t row = op == CUBLAS_OP_N ? r : c, col = op == CUBLAS_OP_N ? c : r;
  return data[static_cast<std::size_t>(batch * m.batch_stride + static_cast<std::int64_t>(col) * m.ld +
                                       static_cast<std::int64_t>(row))];
}

// What cuBLASLt computes for the mapping: D = op(A') op(B') column-major, with A' our B and B' our A.
std::vector<double> emulate(const lt_gemm_mapping& map, const std::vector<double>& ours_a,
                            const std::vector<double>& ours_b) {
  const std::uint64_t rows = map.d.rows, cols = map.d.cols;
  const std::uint64_t inner = map.op_a == CUBLAS_OP_N ? map.a.cols : map.a.rows;
  std::vector<double> d(static_cast<std::size_t>(map.batch * map.d.batch_stride));
  for (std::int64_t bt = 0; bt < map.batch; ++bt) {
    for (std::uint64_t c = 0; c < cols; ++c) {
      for (std::uint64_t r = 0; r < rows; ++r) {
        double sum = 0.0;
        for (std::uint64_t p = 0; p < inner; ++p) {
          sum += lt_element(map.a, map.op_a, ours_b, bt, r, p) * lt_element(map.b, map.op_b, ours_a, bt, p, c);
        }
        d[static_cast<std::size_t>(bt * map.d.batch_stride + static_cast<std::int64_t>(c) * map.d.ld +
                                   static_cast<std::int64_t>(r))] = sum;
      }
    }
  }
  return d;
}

}  // namespace

TEST_CASE("cuBLASLt mapping: the column-major swap computes our row-major product", "[cuda]") {
  for (const char* layout : {"ta=n,tb=n", "ta=t,tb=n", "ta=n,tb=t", "ta=t,tb=t"}) {
    const gemm_workload w = gemm(std::string("gemm:m=5,n=3,k=7,batch=2,dt=f32,") + layout);
    INFO(layout);
    const lt_gemm_mapping map = map_gemm(w, 90);
    REQUIRE(map.unsupported.empty());
    host_tensor a(dtype::f64, w.batch * w.m * w.k), b(dtype::f64, w.batch * w.k * w.n);
    fill_random(a, 1);
    fill_random(b, 2);
    std::vector<double> av(static_cast<std::size_t>(a.count())), bv(static_cast<std::size_t>(b.count()));
    a.read(0, a.count(), av.data());
    b.read(0, b.count(), bv.data());
    const std::vector<double> got = emulate(map, av, bv);
    const std::vector<double> want = reference_gemm(w, a, b);  // row-major [batch][m][n]
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) REQUIRE(got[i] == Approx(want[i]).margin(1e-12));
  }
}

TEST_CASE("cuBLASLt mapping: operands, leading dimensions and batch strides", "[cuda]") {
  const lt_gemm_mapping nn = map_gemm(gemm("gemm:m=64,n=32,k=16,batch=3,dt=f32"), 80);
  CHECK(nn.op_a == CUBLAS_OP_N);
  CHECK(nn.op_b == CUBLAS_OP_N);
  CHECK(nn.a.rows == 32);  // cuBLASLt's A is our B (k x n row-major = n x k column-major)
  CHECK(nn.a.cols == 16);
  CHECK(nn.a.ld == 32);
  CHECK(nn.b.rows == 16);
  CHECK(nn.b.cols == 64);
  CHECK(nn.b.ld == 16);
  CHECK(nn.d.rows == 32);
  CHECK(nn.d.cols == 64);
  CHECK(nn.d.ld == 32);
  CHECK(nn.batch == 3);
  CHECK(nn.a.batch_stride == 16 * 32);
  CHECK(nn.b.batch_stride == 64 * 16);
  CHECK(nn.d.batch_stride == 64 * 32);

  const lt_gemm_mapping tt = map_gemm(gemm("gemm:m=64,n=32,k=16,ta=t,tb=t,dt=f32"), 80);
  CHECK(tt.op_a == CUBLAS_OP_T);
  CHECK(tt.op_b == CUBLAS_OP_T);
  CHECK(tt.a.rows == 16);
  CHECK(tt.a.ld == 16);
  CHECK(tt.b.rows == 64);
  CHECK(tt.b.ld == 64);
}

TEST_CASE("cuBLASLt mapping: dtypes and compute types", "[cuda]") {
  const lt_gemm_mapping f32 = map_gemm(gemm("gemm:m=8,n=8,k=8,dt=f32"), 80);
  CHECK(f32.compute == CUBLAS_COMPUTE_32F);
  CHECK(f32.a.type == CUDA_R_32F);
  CHECK(f32.d.type == CUDA_R_32F);

  const lt_gemm_mapping tf32 = map_gemm(gemm("gemm:m=8,n=8,k=8,dt=tf32"), 80);
  CHECK(tf32.unsupported.empty());
  CHECK(tf32.compute == CUBLAS_COMPUTE_32F_FAST_TF32);
  CHECK(tf32.a.type == CUDA_R_32F);  // tf32 is stored as f32

  const lt_gemm_mapping bf16 = map_gemm(gemm("gemm:m=8,n=8,k=8,dt=bf16"), 80);
  CHECK(bf16.a.type == CUDA_R_16BF);
  CHECK(bf16.d.type == CUDA_R_16BF);
  CHECK(bf16.compute == CUBLAS_COMPUTE_32F);
  CHECK(map_gemm(gemm("gemm:m=8,n=8,k=8,dt=bf16:f32"), 80).d.type == CUDA_R_32F);
  CHECK(map_gemm(gemm("gemm:m=8,n=8,k=8,dt=f16"), 80).a.type == CUDA_R_16F);
  CHECK_FALSE(map_gemm(gemm("gemm:m=8,n=8,k=8,dt=f16:f16:f16"), 80).unsupported.empty());

  const lt_gemm_mapping s8 = map_gemm(gemm("gemm:m=8,n=8,k=8,dt=s8"), 80);
  CHECK(s8.unsupported.empty());
  CHECK(s8.a.type == CUDA_R_8I);
  CHECK(s8.d.type == CUDA_R_32I);
  CHECK(s8.compute == CUBLAS_COMPUTE_32I);
  CHECK(s8.scale_type == CUDA_R_32I);

  const lt_gemm_mapping f64 = map_gemm(gemm("gemm:m=8,n=8,k=8,dt=f64"), 80);
  CHECK(f64.compute == CUBLAS_COMPUTE_64F);
  CHECK(f64.scale_type == CUDA_R_64F);

  CHECK_THAT(map_gemm(gemm("gemm:m=8,n=8,k=8,dt=f8e5m2"), 90).unsupported, Catch::Contains("e5m2"));
}

TEST_CASE("cuBLASLt mapping: f8e4m3 needs sm_89+, the TN layout before sm_100, and scales", "[cuda]") {
  CHECK_THAT(map_gemm(gemm("gemm:m=16,n=16,k=16,tb=t,dt=f8e4m3"), 80).unsupported, Catch::Contains("8.9"));
  CHECK_THAT(map_gemm(gemm("gemm:m=16,n=16,k=16,dt=f8e4m3"), 90).unsupported, Catch::Contains("tb=t"));
  CHECK_THAT(map_gemm(gemm("gemm:m=16,n=16,k=16,ta=t,tb=t,dt=f8e4m3"), 89).unsupported, Catch::Contains("ta=n"));

  const lt_gemm_mapping tn = map_gemm(gemm("gemm:m=16,n=16,k=16,tb=t,dt=f8e4m3"), 90);
  REQUIRE(tn.unsupported.empty());
  CHECK(tn.op_a == CUBLAS_OP_T);  // cuBLASLt's "TN"
  CHECK(tn.op_b == CUBLAS_OP_N);
  CHECK(tn.fp8_scales);
  CHECK(tn.a.type == CUDA_R_8F_E4M3);
  CHECK(tn.d.type == CUDA_R_8F_E4M3);
  CHECK(tn.c.type == CUDA_R_16BF);  // fp8 D takes a bf16 C
  CHECK(tn.separate_c);

  const lt_gemm_mapping to_bf16 = map_gemm(gemm("gemm:m=16,n=16,k=16,tb=t,dt=f8e4m3:bf16"), 89);
  REQUIRE(to_bf16.unsupported.empty());
  CHECK(to_bf16.d.type == CUDA_R_16BF);
  CHECK_FALSE(to_bf16.separate_c);
  CHECK(map_gemm(gemm("gemm:m=16,n=16,k=16,dt=f8e4m3"), 100).unsupported.empty());  // Blackwell: any layout
}

TEST_CASE("Algorithm choice: fastest valid candidate, heuristic order breaks ties", "[cuda]") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(choose_fastest({3e-3, 1e-3, 2e-3}) == 1);
  CHECK(choose_fastest({inf, 2e-3, std::nan(""), 0.0, -1.0}) == 1);
  CHECK(choose_fastest({1e-3, 1e-3}) == 0);
  CHECK(choose_fastest({inf, inf}) == -1);
  CHECK(choose_fastest({}) == -1);
  CHECK(median_seconds({5.0, 1.0, 3.0}) == 3.0);
  CHECK(median_seconds({4.0, 1.0, 3.0, 2.0}) == 2.5);
  CHECK(median_seconds({}) == 0.0);
}

TEST_CASE("Composed attention chunking bounds the score workspace", "[cuda]") {
  const auto w = std::get<attention_workload>(parse_workload("attn:b=2,hq=32,hkv=8,sq=4096,skv=4096,d=128,causal=1,dt=bf16"));
  const attention_chunking all = plan_attention_chunks(w, 1ull << 40);
  CHECK(all.groups == 16);
  CHECK(all.group_rows == 4 * 4096);
  CHECK(all.rows_per_block == all.group_rows);
  CHECK(all.groups_per_chunk == 16);
  CHECK(all.bytes_per_score == 6);  // f32 score + bf16 probability

  const std::uint64_t budget = 1ull << 30;
  const attention_chunking some = plan_attention_chunks(w, budget);
  CHECK(some.rows_per_block == all.group_rows);  // one group is 384 MiB
  CHECK(some.groups_per_chunk == 2);
  CHECK(some.workspace_bytes <= budget);

  const attention_chunking split = plan_attention_chunks(w, 100ull << 20);
  CHECK(split.groups_per_chunk == 1);
  CHECK(split.rows_per_block < split.group_rows);
  CHECK(split.rows_per_block % 64 == 0);
  CHECK(split.workspace_bytes <= (100ull << 20));

  const attention_chunking tiny = plan_attention_chunks(w, 1);
  CHECK(tiny.rows_per_block == 1);  // at least one row, whatever the budget

  const auto f32 = std::get<attention_workload>(parse_workload("attn:b=1,hq=4,hkv=4,sq=64,skv=64,d=64,causal=0,dt=f32"));
  CHECK(plan_attention_chunks(f32, 1ull << 30).bytes_per_score == 4);  // probabilities overwrite scores
  CHECK(composed_attention_unsupported(f32).empty());
  const auto f8 = std::get<attention_workload>(parse_workload("attn:b=1,hq=4,hkv=4,sq=64,skv=64,d=64,causal=0,dt=f8e4m3"));
  CHECK_THAT(composed_attention_unsupported(f8), Catch::Contains("f8e4m3"));
}

TEST_CASE("NVML loader fails cleanly without the library or driver", "[cuda]") {
  const nvml_library missing("libaccelbench-no-such-nvml.so.1");
  CHECK_FALSE(missing.available());
  CHECK_THAT(missing.reason(), Catch::Contains("libaccelbench-no-such-nvml.so.1"));
  CHECK(missing.driver_version().empty());
  std::string error;
  CHECK_FALSE(missing.sample("GPU-00000000-0000-0000-0000-000000000000", error).has_value());
  CHECK(error == missing.reason());

  // The real library: present only where a driver is installed.
  void* real = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  const nvml_library nvml;
  if (real == nullptr) {
    CHECK_FALSE(nvml.available());
    CHECK_THAT(nvml.reason(), Catch::Contains("libnvidia-ml.so.1"));
  } else {
    dlclose(real);
    if (!nvml.available()) CHECK_THAT(nvml.reason(), Catch::Contains("nvmlInit"));
  }
}

TEST_CASE("NVML clock-event reasons and UUID text", "[cuda]") {
  CHECK_FALSE(is_throttled(0));
  CHECK_FALSE(is_throttled(0x1));   // idle
  CHECK_FALSE(is_throttled(0x2));   // application clocks
  CHECK(is_throttled(0x4));         // software power cap
  CHECK(is_throttled(0x40));        // hardware thermal slowdown
  CHECK(describe_clock_event_reasons(0).empty());
  CHECK(describe_clock_event_reasons(0x4 | 0x20) == "sw_power_cap,sw_thermal_slowdown");
  CHECK(describe_clock_event_reasons(0x1000) == "0x1000");
  const unsigned char bytes[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                                   0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  CHECK(format_gpu_uuid(bytes) == "GPU-12345678-9abc-def0-0123-456789abcdef");
}

TEST_CASE("Device facts become a compact JSON object", "[cuda]") {
  device_facts f;
  f.name = "NVIDIA H100 80GB HBM3";
  f.cc_major = 9;
  f.sm_count = 132;
  f.memory_bytes = 85ull << 30;
  f.l2_bytes = 50 << 20;
  f.sm_clock_max_khz = 1980000;
  f.uuid = "GPU-12345678-9abc-def0-0123-456789abcdef";
  f.cuda_driver_version = 13000;
  f.cuda_runtime_version = 13000;
  f.nvml_unavailable = std::string(5000, 'x');  // a long reason must not overflow properties_json
  const std::string text = device_properties_json(f);
  CHECK(text.size() < sizeof(ab_device_info{}.properties_json));
  const auto j = nlohmann::json::parse(text);
  CHECK(j.at("compute_capability") == "9.0");
  CHECK(j.at("sm_count") == 132);
  CHECK(j.at("l2_cache_bytes") == 50 << 20);
  CHECK(j.at("sm_clock_max_mhz") == 1980);
  CHECK(j.at("cuda_runtime") == "13.0");
  CHECK(j.at("mig") == "unknown");
  CHECK(cuda_version_text(12080) == "12.8");
}

TEST_CASE("No driver or device: init fails with the reason list backends prints", "[cuda]") {
  CHECK_THAT(describe_no_device("", "", false, "libcuda.so.1: cannot open shared object file"),
             Catch::Contains("cudaGetDeviceCount") && Catch::Contains("NVIDIA driver not found"));
  CHECK(describe_no_device("", "", true, "") == "cudaGetDeviceCount: no CUDA-capable device");
  CHECK_THAT(describe_no_device("cudaErrorNoDevice", "no CUDA-capable device is detected", true, ""),
             Catch::Contains("cudaErrorNoDevice"));

  void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  std::vector<backend_entry> entries = load_backends();
  int seen = 0;
  for (const backend_entry& e : entries) {
    if (e.name != "cuda" && e.name != "cuda_tuned") continue;
    ++seen;
    INFO(e.name << ": " << e.reason);
    if (driver == nullptr) {
      CHECK_FALSE(e.available);
      CHECK_THAT(e.reason, Catch::Contains("cudaGetDeviceCount") && Catch::Contains("NVIDIA driver not found"));
    } else if (!e.available) {
      CHECK_THAT(e.reason, Catch::Contains("cudaGetDeviceCount"));
    } else {
      CHECK_FALSE(e.devices.empty());
      CHECK(e.devices.front().kind == "gpu");
      CHECK(nlohmann::json::parse(e.devices.front().properties_json).contains("compute_capability"));
    }
  }
  CHECK(seen == 2);
  shutdown_backends(entries);
  if (driver != nullptr) dlclose(driver);
}

TEST_CASE("Verification: an f8e4m3 output is judged by its own rounding, also by Freivalds", "[cuda]") {
  // What a correct fp8 GEMM returns: the exact product rounded to e4m3 (2^27 MACs: the Freivalds path).
  const gemm_workload w = gemm("gemm:m=1024,n=512,k=256,tb=t,dt=f8e4m3");
  host_tensor a(dtype::f8e4m3, w.m * w.k), b(dtype::f8e4m3, w.n * w.k), c(dtype::f8e4m3, w.m * w.n);
  fill_random(a, 21);
  fill_random(b, 22);
  const std::vector<double> exact = reference_gemm(w, a, b);
  for (std::int64_t i = 0; i < c.count(); ++i) c.set(i, exact[static_cast<std::size_t>(i)]);
  const verification_result ok = verify_gemm(w, a, b, c, 5);
  INFO(ok.method << " error " << ok.error << " tolerance " << ok.tolerance << " " << ok.reason);
  CHECK(ok.method == "freivalds+sampled");
  CHECK(ok.error > 0.02);  // output rounding alone (~0.026 here), close to the 3e-2 f8-input tolerance
  CHECK(ok.passed);
  // A wrong answer (the product with another B, same statistics) must still fail.
  host_tensor other_b(dtype::f8e4m3, w.n * w.k), bad(dtype::f8e4m3, w.m * w.n);
  fill_random(other_b, 23);
  const std::vector<double> other = reference_gemm(w, a, other_b);
  for (std::int64_t i = 0; i < bad.count(); ++i) bad.set(i, other[static_cast<std::size_t>(i)]);
  CHECK_FALSE(verify_gemm(w, a, b, bad, 5).passed);
}

// ---- GPU: through the C ABI, verified against fp64 ----

namespace {

std::vector<backend_entry>& gpu_backends() {
  static std::vector<backend_entry> entries = load_backends();
  return entries;
}

const backend_entry* gpu_backend(const std::string& name) {
  for (const backend_entry& e : gpu_backends()) {
    if (e.name != name) continue;
    if (e.available) return &e;
    WARN("skipped: no usable CUDA device (" << e.reason << ")");
    return nullptr;
  }
  WARN("skipped: backend '" << name << "' is not in this build");
  return nullptr;
}

// Runs text through prepare/run/read_output and verifies it; returns false when unsupported.
bool run_verified(const backend_entry& backend, const std::string& text) {
  INFO(backend.name << ": " << text);
  const workload w = parse_workload(text);
  const std::string canonical = to_string(w);
  const ab_workload abi = to_abi(w, canonical);
  const ab_backend* t = backend.table;
  std::array<char, 512> reason{};
  const ab_status support = t->supports(0, &abi, reason.data(), reason.size());
  if (support == AB_UNSUPPORTED) {
    WARN(text << " unsupported here: " << reason.data());
    return false;
  }
  REQUIRE(support == AB_OK);
  std::vector<host_tensor> inputs;
  std::vector<std::int64_t> counts;
  std::int64_t out_count = 0;
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    counts = {g->batch * g->m * g->k, g->batch * g->k * g->n};
    out_count = g->batch * g->m * g->n;
  } else {
    const auto& a = std::get<attention_workload>(w);
    counts = {a.b * a.hq * a.sq * a.d, a.b * a.hkv * a.skv * a.d, a.b * a.hkv * a.skv * a.d};
    out_count = a.b * a.hq * a.sq * a.d;
  }
  std::vector<ab_host_tensor> views;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    inputs.emplace_back(dtypes_of(w).in, counts[i]);
    fill_random(inputs.back(), 11 + i);
  }
  for (const host_tensor& h : inputs) views.push_back({h.data(), static_cast<std::uint64_t>(h.bytes())});
  ab_plan* raw = nullptr;
  const ab_status prepared =
      t->prepare(0, &abi, views.data(), static_cast<uint32_t>(views.size()), &raw, reason.data(), reason.size());
  if (prepared == AB_UNSUPPORTED) {
    WARN(text << " unsupported at prepare: " << reason.data());
    return false;
  }
  INFO("prepare: " << reason.data());
  REQUIRE(prepared == AB_OK);
  plan_handle plan(raw, plan_deleter{t});
  INFO("plan: " << t->plan_description(plan.get()));
  // Two timed samples in slots 0 and 1, with an L2 flush between, one synchronize.
  for (uint32_t slot = 0; slot < 2; ++slot) {
    REQUIRE(t->flush_cache(0) == AB_OK);
    REQUIRE(t->record_start(plan.get(), slot) == AB_OK);
    REQUIRE(t->run(plan.get()) == AB_OK);
    REQUIRE(t->record_stop(plan.get(), slot) == AB_OK);
  }
  REQUIRE(t->synchronize(plan.get()) == AB_OK);
  for (uint32_t slot = 0; slot < 2; ++slot) {
    double seconds = 0.0;
    REQUIRE(t->elapsed_seconds(plan.get(), slot, &seconds) == AB_OK);
    CHECK(seconds > 0.0);
  }
  CHECK(t->record_start(plan.get(), t->timer_slot_count(plan.get())) == AB_ERROR);
  host_tensor output(dtypes_of(w).out, out_count);
  REQUIRE(t->read_output(plan.get(), output.data(), static_cast<std::uint64_t>(output.bytes())) == AB_OK);
  CHECK(t->read_output(plan.get(), output.data(), static_cast<std::uint64_t>(output.bytes()) - 1) == AB_ERROR);
  verification_result v;
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    v = verify_gemm(*g, inputs[0], inputs[1], output, 5);
  } else {
    v = verify_attention(std::get<attention_workload>(w), inputs[0], inputs[1], inputs[2], output, 5);
  }
  INFO("verification: " << v.method << " error " << v.error << " local " << v.max_local_error << " " << v.reason);
  CHECK(v.passed);
  return true;
}

}  // namespace

TEST_CASE("CUDA GEMM through cuBLASLt, default and tuned, verified", "[gpu]") {
  for (const char* name : {"cuda", "cuda_tuned"}) {
    const backend_entry* b = gpu_backend(name);
    if (b == nullptr) return;
    for (const char* text : {"gemm:m=256,n=192,k=128,dt=f32", "gemm:m=127,n=65,k=33,ta=t,dt=f32,batch=3",
                             "gemm:m=256,n=256,k=256,dt=tf32", "gemm:m=512,n=256,k=1024,tb=t,dt=bf16",
                             "gemm:m=256,n=128,k=64,dt=f16:f32", "gemm:m=256,n=256,k=256,tb=t,dt=s8",
                             "gemm:m=2048,n=2048,k=2048,dt=bf16"}) {
      CHECK(run_verified(*b, text));
    }
    run_verified(*b, "gemm:m=256,n=256,k=256,dt=s8");                // non-TN int8: may have no algorithm
    run_verified(*b, "gemm:m=256,n=256,k=256,tb=t,dt=f8e4m3");       // sm_89+
    run_verified(*b, "gemm:m=256,n=256,k=256,tb=t,dt=f8e4m3:bf16");  // sm_89+
  }
}

TEST_CASE("CUDA composed attention verified (MHA, GQA, causal, sq != skv)", "[gpu]") {
  const backend_entry* b = gpu_backend("cuda");
  if (b == nullptr) return;
  for (const char* text : {"attn:b=1,hq=4,hkv=4,sq=128,skv=128,d=64,causal=0,dt=f32",
                           "attn:b=2,hq=8,hkv=2,sq=256,skv=256,d=128,causal=1,dt=bf16",
                           "attn:b=1,hq=4,hkv=1,sq=64,skv=192,d=64,causal=1,dt=f16",
                           "attn:b=1,hq=2,hkv=2,sq=96,skv=64,d=64,causal=1,dt=bf16"}) {
    CHECK(run_verified(*b, text));
  }
}
