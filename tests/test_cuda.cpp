// CUDA backend. [cuda] cases are host-side logic and run everywhere (no GPU needed): the
// cuBLASLt dtype/layout mapping (checked numerically by emulating the column-major product on
// the host), the algorithm choice, attention chunking, NVML loading without a driver, and the
// no-device reason. The GPU cases are in test_cuda_gpu.cpp (ctest `cuda_gpu`, skipped without a
// device).
#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backends/common/abi_conversion.hpp"
#include "backends/common/candidate_tuning.hpp"
#include "backends/common/graph_batch.hpp"
#include "backends/cuda/attention_path.hpp"
#include "backends/cuda/cublaslt_gemm.hpp"
#include "backends/cuda/cublaslt_library.hpp"
#include "backends/cuda/cuda_attention.hpp"
#include "backends/cuda/cuda_device.hpp"
#include "backends/cuda/cudnn_library.hpp"
#include "backends/cuda/nvml_telemetry.hpp"
#include "backends/cuda/sdpa_graph.hpp"
#include "backends/loader/registry.hpp"
#include "bench/engine/verification.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/reference.hpp"
#include "kernels/spec/workload.hpp"

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

TEST_CASE("Candidate tuning: one warm-up, about 50 ms of timed runs each, a failing one never wins", "[cuda]") {
  const std::vector<double> run_seconds = {0.01, 1e-4, 1.0, 2e-3};  // per candidate; #3 throws
  std::vector<int> warmed(4, 0), timed(4, 0);
  int failures = 0;
  const std::vector<double> seconds = time_candidates(
      4,
      [&](int i) {
        ++warmed[static_cast<std::size_t>(i)];
        if (i == 3) throw std::runtime_error("this candidate cannot launch");
      },
      [&](int i) {
        ++timed[static_cast<std::size_t>(i)];
        return run_seconds[static_cast<std::size_t>(i)];
      },
      [&] { ++failures; });
  CHECK(warmed == std::vector<int>{1, 1, 1, 1});
  CHECK(timed == std::vector<int>{5, 20, 3, 0});  // 50 ms / 10 ms; at most 20; at least 3
  CHECK(failures == 1);
  CHECK(seconds[1] == Approx(1e-4));
  CHECK(std::isinf(seconds[3]));
  CHECK(choose_fastest(seconds) == 1);
}

TEST_CASE("Composed attention chunking bounds the score workspace", "[cuda]") {
  const auto w =
      std::get<attention_workload>(parse_workload("attn:b=2,hq=32,hkv=8,sq=4096,skv=4096,d=128,causal=1,dt=bf16"));
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

  const auto f32 =
      std::get<attention_workload>(parse_workload("attn:b=1,hq=4,hkv=4,sq=64,skv=64,d=64,causal=0,dt=f32"));
  CHECK(plan_attention_chunks(f32, 1ull << 30).bytes_per_score == 4);  // probabilities overwrite scores
  CHECK(composed_attention_unsupported(f32).empty());
  const auto f8 =
      std::get<attention_workload>(parse_workload("attn:b=1,hq=4,hkv=4,sq=64,skv=64,d=64,causal=0,dt=f8e4m3"));
  CHECK_THAT(composed_attention_unsupported(f8), Catch::Contains("f8e4m3"));
}

TEST_CASE("Composed attention: every cuBLASLt operand is as aligned as its GEMM was chosen for", "[cuda]") {
  CHECK(pointer_alignment(0) == 256);
  CHECK(pointer_alignment(2) == 2);
  CHECK(pointer_alignment(6) == 2);
  CHECK(pointer_alignment(0x1004) == 4);
  CHECK(pointer_alignment(512 + 128) == 128);
  CHECK(pointer_alignment(4096) == 256);
  // cuBLASLt's A is our B (the column-major swap), and D is our C like C.
  const auto prefs = alignment_preferences({2, 4, 8});
  CHECK(prefs[0] == std::pair{CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, std::uint32_t{4}});
  CHECK(prefs[1] == std::pair{CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, std::uint32_t{2}});
  CHECK(prefs[2] == std::pair{CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, std::uint32_t{8}});
  CHECK(prefs[3] == std::pair{CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, std::uint32_t{8}});

  // Odd sizes, split into chunks: offsets into Q/O and K/V are 2-byte aligned, and the
  // probabilities after the f32 scores would be too without rounding.
  for (const char* text : {"attn:b=3,hq=3,hkv=1,sq=7,skv=13,d=5,causal=1,dt=bf16",
                           "attn:b=2,hq=4,hkv=2,sq=9,skv=11,d=3,causal=0,dt=f16:f32",
                           "attn:b=2,hq=2,hkv=2,sq=5,skv=7,d=3,causal=0,dt=f32"}) {
    INFO(text);
    const auto w = std::get<attention_workload>(parse_workload(text));
    for (const std::uint64_t budget : {1ull << 30, 2000ull, 300ull}) {
      INFO("budget " << budget);
      const attention_chunking c = plan_attention_chunks(w, budget);
      CHECK(c.probs_offset % 256 == 0);
      const auto scores = static_cast<std::uint64_t>(c.rows_per_block * c.groups_per_chunk * w.skv * 4);
      if (w.dt.in == dtype::f32) {
        CHECK(c.probs_offset == 0);  // f32 probabilities overwrite their scores
        CHECK(c.workspace_bytes == scores);
      } else {
        CHECK(c.probs_offset >= scores);
        CHECK(c.workspace_bytes == c.probs_offset + scores / 4 * 2);
      }
      const std::vector<attention_chunk> chunks = attention_chunks(w, c);
      std::int64_t rows = 0;
      bool some_misaligned = false;
      for (const attention_chunk& k : chunks) {
        rows += k.rows * k.groups;
        const auto in = static_cast<std::uint64_t>(storage_bytes(w.dt.in));
        const auto out = static_cast<std::uint64_t>(storage_bytes(w.dt.out));
        CHECK(k.q_offset == static_cast<std::uint64_t>((k.g0 * c.group_rows + k.r0) * w.d) * in);
        CHECK(k.o_offset == k.q_offset / in * out);
        CHECK(k.kv_offset == static_cast<std::uint64_t>(k.g0 * w.skv * w.d) * in);
        // What each GEMM was chosen for is what its pointers have (from 256-aligned buffers).
        CHECK(k.scores_alignment ==
              operand_alignment{pointer_alignment(k.q_offset), pointer_alignment(k.kv_offset), 256});
        CHECK(k.output_alignment ==
              operand_alignment{256, pointer_alignment(k.kv_offset), pointer_alignment(k.o_offset)});
        some_misaligned = some_misaligned || k.scores_alignment.a < 256 || k.scores_alignment.b < 256;
      }
      CHECK(rows == c.groups * c.group_rows);  // every query row once
      if (chunks.size() > 1) CHECK(some_misaligned);
    }
  }
}

TEST_CASE("cuBLASLt is loaded at run time: search order and a clean failure", "[cuda]") {
  CHECK(cublaslt_candidates(13, {"/w/nvidia/cublas/lib"}) ==
        std::vector<std::string>{"libcublasLt.so.13", "/w/nvidia/cublas/lib/libcublasLt.so.13",
                                 "/usr/local/cuda-13/lib64/libcublasLt.so.13",
                                 "/usr/local/cuda/lib64/libcublasLt.so.13"});
  const cublaslt_library missing("/nonexistent/libcublasLt.so.13");
  CHECK_FALSE(missing.available());
  CHECK_THAT(missing.reason(), Catch::Contains("cuBLASLt not loaded") && Catch::Contains("nvidia-cublas"));
  // The toolkit's, here: every entry point bound.
  REQUIRE(cublaslt().available());
  CHECK(lt().cublasLtMatmul != nullptr);
  CHECK(lt().cublasLtGetVersion() / 10000 == CUBLAS_VER_MAJOR);
}

TEST_CASE("cuBLASLt heuristic: no algorithm is unsupported with the status named, a failure is not", "[cuda]") {
  CHECK(heuristic_unsupported(CUBLAS_STATUS_SUCCESS, 3, CUBLAS_COMPUTE_32F).empty());
  CHECK_THAT(heuristic_unsupported(CUBLAS_STATUS_SUCCESS, 0, CUBLAS_COMPUTE_32F),
             Catch::Contains("found no algorithm") && Catch::Contains("32F compute"));
  REQUIRE(cublaslt().available());  // the toolkit's, loaded as on a GPU machine
  for (const auto& [status, name] : {std::pair{CUBLAS_STATUS_NOT_SUPPORTED, "CUBLAS_STATUS_NOT_SUPPORTED"},
                                     std::pair{CUBLAS_STATUS_INVALID_VALUE, "CUBLAS_STATUS_INVALID_VALUE"},
                                     std::pair{CUBLAS_STATUS_ARCH_MISMATCH, "CUBLAS_STATUS_ARCH_MISMATCH"}}) {
    const std::string why = heuristic_unsupported(status, 0, CUBLAS_COMPUTE_32F);
    INFO(why);
    CHECK_THAT(why, Catch::Contains("found no algorithm") && Catch::Contains(name));
  }
  // Real failures stay errors (prepare fails with the message, the case is `failed`).
  CHECK(heuristic_unsupported(CUBLAS_STATUS_ALLOC_FAILED, 0, CUBLAS_COMPUTE_32F).empty());
  CHECK(heuristic_unsupported(CUBLAS_STATUS_INTERNAL_ERROR, 0, CUBLAS_COMPUTE_32F).empty());
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
  CHECK_FALSE(is_throttled(0x1));  // idle
  CHECK_FALSE(is_throttled(0x2));  // application clocks
  CHECK(is_throttled(0x4));        // software power cap
  CHECK(is_throttled(0x40));       // hardware thermal slowdown
  CHECK(describe_clock_event_reasons(0).empty());
  CHECK(describe_clock_event_reasons(0x4 | 0x20) == "sw_power_cap,sw_thermal_slowdown");
  CHECK(describe_clock_event_reasons(0x1000) == "0x1000");
  const unsigned char bytes[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                                   0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  CHECK(format_gpu_uuid(bytes) == "GPU-12345678-9abc-def0-0123-456789abcdef");
}

TEST_CASE("NVML finds a MIG instance by its MIG- UUID too", "[cuda]") {
  CHECK(
      nvml_uuid_candidates("GPU-01234567-89ab-cdef-0123-456789abcdef") ==
      std::vector<std::string>{"GPU-01234567-89ab-cdef-0123-456789abcdef", "MIG-01234567-89ab-cdef-0123-456789abcdef"});
  CHECK(nvml_uuid_candidates("MIG-0123") == std::vector<std::string>{"MIG-0123"});
}

TEST_CASE("NVML readings become the harness's telemetry (ab_read_telemetry_v1)", "[cuda]") {
  nvml_sample s;
  s.sm_clock_mhz = 1410;
  s.power_w = 699.5;
  s.clock_event_reasons = 0x4 | 0x1;  // software power cap while (briefly) idle
  const ab_telemetry t = to_abi_telemetry(s);
  CHECK(t.struct_size == sizeof(ab_telemetry));
  CHECK(t.reported == (AB_TELEMETRY_SM_CLOCK | AB_TELEMETRY_POWER | AB_TELEMETRY_CLOCK_EVENTS));
  CHECK(t.sm_clock_mhz == 1410.0);
  CHECK(t.power_w == 699.5);
  CHECK(t.throttled == 1);
  CHECK(std::string(t.clock_event_reasons) == "gpu_idle,sw_power_cap");

  s.clock_event_reasons = 0x1 | 0x2;  // idle and application clocks: not throttling
  CHECK(to_abi_telemetry(s).throttled == 0);
  const ab_telemetry empty = to_abi_telemetry(nvml_sample{});
  CHECK(empty.reported == 0);
  CHECK(empty.clock_event_reasons[0] == '\0');
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

// ---- cuDNN fused attention: the graph as data, checked by evaluating it on the host ----

namespace {

attention_workload attn(const std::string& text) { return std::get<attention_workload>(parse_workload(text)); }

// A dense value of a graph tensor over its logical dims.
struct value {
  std::array<std::int64_t, 4> dims{};
  std::vector<double> data;
  double at(const std::array<std::int64_t, 4>& i) const {  // size-1 dims broadcast
    std::int64_t offset = 0;
    for (int a = 0; a < 4; ++a) offset = offset * dims[a] + (dims[a] == 1 ? 0 : i[a]);
    return data[static_cast<std::size_t>(offset)];
  }
};

template <typename F>
void for_each_index(const std::array<std::int64_t, 4>& dims, F&& f) {
  for (std::int64_t a = 0; a < dims[0]; ++a)
    for (std::int64_t b = 0; b < dims[1]; ++b)
      for (std::int64_t c = 0; c < dims[2]; ++c)
        for (std::int64_t d = 0; d < dims[3]; ++d) f(std::array<std::int64_t, 4>{a, b, c, d});
}

// What the cuDNN graph computes, op by op in fp64: inputs are read through the graph's strides
// from our buffers, O is written through its strides. Matmul heads broadcast as cuDNN's GQA
// (operand head = output head * operand heads / output heads).
std::vector<double> evaluate(const sdpa_graph& g, const attention_workload& w, const host_tensor& q,
                             const host_tensor& k, const host_tensor& v) {
  std::map<std::int64_t, value> values;
  const std::map<std::int64_t, const host_tensor*> buffers = {{sdpa_uid::q, &q}, {sdpa_uid::k, &k}, {sdpa_uid::v, &v}};
  for (const sdpa_tensor& t : g.tensors) {
    value val{t.dims, {}};
    if (const auto it = buffers.find(t.uid); it != buffers.end()) {
      for_each_index(t.dims, [&](const auto& i) {
        std::int64_t offset = 0;
        for (int a = 0; a < 4; ++a) offset += i[a] * t.strides[a];
        val.data.push_back(it->second->get(offset));
      });
    } else if (t.by_value) {
      val.data = {t.uid == sdpa_uid::scale ? g.scale
                  : t.uid == sdpa_uid::skv ? g.skv
                  : t.uid == sdpa_uid::sq  ? g.sq
                                           : g.negative_infinity};
    } else {
      continue;  // computed below
    }
    values[t.uid] = val;
  }
  for (const sdpa_op& o : g.ops) {
    const sdpa_tensor& out = g.tensor(o.output);
    value r{out.dims, {}};
    for_each_index(out.dims, [&](const auto& i) {
      if (o.kind == sdpa_op_kind::matmul) {
        const value& a = values.at(o.inputs[0]);
        const value& b = values.at(o.inputs[1]);
        const std::int64_t ha = i[1] * a.dims[1] / out.dims[1], hb = i[1] * b.dims[1] / out.dims[1];
        double sum = 0.0;
        for (std::int64_t p = 0; p < a.dims[3]; ++p) sum += a.at({i[0], ha, i[2], p}) * b.at({i[0], hb, p, i[3]});
        r.data.push_back(sum);
      } else if (o.kind == sdpa_op_kind::reduction) {
        const value& x = values.at(o.inputs[0]);
        double acc = o.reduction == CUDNN_REDUCE_TENSOR_MAX ? -INFINITY : 0.0;
        for (std::int64_t j = 0; j < x.dims[3]; ++j) {
          const double e = x.at({i[0], i[1], i[2], j});
          acc = o.reduction == CUDNN_REDUCE_TENSOR_MAX ? std::max(acc, e) : acc + e;
        }
        r.data.push_back(acc);
      } else {
        const auto in = [&](std::size_t n) { return values.at(o.inputs.at(n)).at(i); };
        switch (o.pointwise) {
          case CUDNN_POINTWISE_GEN_INDEX:
            r.data.push_back(static_cast<double>(i.at(o.axis)));
            break;
          case CUDNN_POINTWISE_ADD:
            r.data.push_back(in(0) + in(1));
            break;
          case CUDNN_POINTWISE_SUB:
            r.data.push_back(in(0) - in(1));
            break;
          case CUDNN_POINTWISE_MUL:
            r.data.push_back(in(0) * in(1));
            break;
          case CUDNN_POINTWISE_DIV:
            r.data.push_back(in(0) / in(1));
            break;
          case CUDNN_POINTWISE_EXP:
            r.data.push_back(std::exp(in(0)));
            break;
          case CUDNN_POINTWISE_LOG:
            r.data.push_back(std::log(in(0)));
            break;
          case CUDNN_POINTWISE_CMP_GE:
            r.data.push_back(in(0) >= in(1) ? 1.0 : 0.0);
            break;
          case CUDNN_POINTWISE_BINARY_SELECT:
            r.data.push_back(in(2) != 0.0 ? in(0) : in(1));
            break;
          default:
            FAIL("pointwise mode " << o.pointwise << " not emulated");
        }
      }
    });
    values[o.output] = std::move(r);
  }
  // O through its strides into our [b][hq][sq][d] buffer.
  const sdpa_tensor& o = g.tensor(sdpa_uid::o);
  std::vector<double> result(static_cast<std::size_t>(w.b * w.hq * w.sq * w.d));
  const value& ov = values.at(sdpa_uid::o);
  for_each_index(o.dims, [&](const auto& i) {
    std::int64_t offset = 0;
    for (int a = 0; a < 4; ++a) offset += i[a] * o.strides[a];
    result[static_cast<std::size_t>(offset)] = ov.at(i);
  });
  return result;
}

}  // namespace

TEST_CASE("cuDNN SDPA graph computes our attention (MHA, GQA, MQA, causal, sq != skv)", "[cuda]") {
  for (const char* text :
       {"attn:b=2,hq=2,hkv=2,sq=5,skv=5,d=8,causal=0,dt=bf16", "attn:b=1,hq=4,hkv=2,sq=6,skv=6,d=8,causal=1,dt=f16",
        "attn:b=1,hq=3,hkv=1,sq=3,skv=7,d=16,causal=1,dt=bf16", "attn:b=2,hq=4,hkv=1,sq=4,skv=9,d=8,causal=0,dt=f16"}) {
    INFO(text);
    const attention_workload w = attn(text);
    REQUIRE(sdpa_unsupported(w).empty());
    host_tensor q(w.dt.in, w.b * w.hq * w.sq * w.d), k(w.dt.in, w.b * w.hkv * w.skv * w.d),
        v(w.dt.in, w.b * w.hkv * w.skv * w.d);
    fill_random(q, 31);
    fill_random(k, 32);
    fill_random(v, 33);
    const std::vector<double> got = evaluate(describe_sdpa(w), w, q, k, v);
    for (std::int64_t bt = 0; bt < w.b; ++bt) {
      for (std::int64_t h = 0; h < w.hq; ++h) {
        for (std::int64_t i = 0; i < w.sq; ++i) {
          const std::vector<double> want = reference_attention_row(w, q, k, v, bt, h, i);
          for (std::int64_t c = 0; c < w.d; ++c) {
            const auto index = static_cast<std::size_t>(((bt * w.hq + h) * w.sq + i) * w.d + c);
            REQUIRE(got[index] == Approx(want[static_cast<std::size_t>(c)]).margin(1e-12));
          }
        }
      }
    }
  }
}

TEST_CASE("cuDNN SDPA graph: layouts, uids, scale and the causal mask's shape", "[cuda]") {
  const attention_workload w = attn("attn:b=2,hq=8,hkv=2,sq=64,skv=128,d=64,causal=1,dt=bf16");
  const sdpa_graph g = describe_sdpa(w);
  const sdpa_tensor& kt = g.tensor(sdpa_uid::k);
  CHECK(kt.dims == std::array<std::int64_t, 4>{2, 2, 64, 128});                     // [b, hkv, d, skv]
  CHECK(kt.strides == std::array<std::int64_t, 4>{2 * 128 * 64, 128 * 64, 1, 64});  // K read transposed
  CHECK(g.tensor(sdpa_uid::q).strides == std::array<std::int64_t, 4>{8 * 64 * 64, 64 * 64, 64, 1});
  CHECK(g.tensor(sdpa_uid::v).dims == std::array<std::int64_t, 4>{2, 2, 128, 64});
  CHECK(g.tensor(sdpa_uid::o).type == CUDNN_DATA_BFLOAT16);
  CHECK_FALSE(g.tensor(sdpa_uid::q).is_virtual);
  CHECK(g.tensor(sdpa_uid::scale).by_value);
  CHECK(g.scale == Approx(0.125));  // 1/sqrt(64)
  CHECK(g.skv == 128);
  CHECK(g.sq == 64);
  // Masked scores get the lowest finite float: -inf makes older cuDNN 9 engines produce NaN.
  CHECK(g.negative_infinity == std::numeric_limits<float>::lowest());
  std::vector<std::string> names;
  for (const sdpa_op& o : g.ops) names.push_back(o.name);
  CHECK(names == std::vector<std::string>{"bmm1", "attn_scale", "row", "col", "row+skv", "row+skv-sq", "keep",
                                          "causal_mask", "max", "sub", "exp", "sum", "log", "stats", "P", "bmm2"});
  for (const sdpa_op& o : g.ops) {
    if (o.name == "P") CHECK(g.tensor(o.output).type == CUDNN_DATA_BFLOAT16);  // bmm2's A in the I/O type
    if (o.name == "row") CHECK(o.axis == 2);
    if (o.name == "col") CHECK(o.axis == 3);
    if (o.name == "keep") CHECK(g.tensor(o.output).type == CUDNN_DATA_BOOLEAN);
    if (o.name == "max") CHECK(g.tensor(o.output).dims == std::array<std::int64_t, 4>{2, 8, 64, 1});
  }
  // The softmax statistics branch: stats = max + log(sum), one f32 per row, virtual.
  std::map<std::string, const sdpa_op*> by_name;
  for (const sdpa_op& o : g.ops) by_name[o.name] = &o;
  REQUIRE(by_name.count("stats") == 1);
  const sdpa_op& stats = *by_name.at("stats");
  CHECK(stats.pointwise == CUDNN_POINTWISE_ADD);
  CHECK(stats.inputs == std::vector<std::int64_t>{by_name.at("max")->output, by_name.at("log")->output});
  CHECK(by_name.at("log")->pointwise == CUDNN_POINTWISE_LOG);
  CHECK(by_name.at("log")->inputs == std::vector<std::int64_t>{by_name.at("sum")->output});
  CHECK(g.tensor(stats.output).dims == std::array<std::int64_t, 4>{2, 8, 64, 1});
  CHECK(g.tensor(stats.output).type == CUDNN_DATA_FLOAT);
  CHECK(g.tensor(stats.output).is_virtual);
  // Every intermediate is virtual with a uid of its own.
  std::map<std::int64_t, int> seen;
  for (const sdpa_tensor& t : g.tensors) ++seen[t.uid];
  for (const auto& [uid, count] : seen) CHECK(count == 1);

  // Square causal needs no shift; non-causal has no mask at all; f16 tensors are HALF.
  const sdpa_graph square = describe_sdpa(attn("attn:b=1,hq=2,hkv=2,sq=32,skv=32,d=64,causal=1,dt=f16"));
  CHECK(square.ops.size() == 14);
  CHECK(square.tensor(sdpa_uid::q).type == CUDNN_DATA_HALF);
  CHECK_THROWS_AS(square.tensor(sdpa_uid::skv), std::out_of_range);
  CHECK(describe_sdpa(attn("attn:b=1,hq=2,hkv=2,sq=32,skv=32,d=64,causal=0,dt=f16")).ops.size() == 10);
}

TEST_CASE("cuDNN SDPA is only attempted where it can compute our definition", "[cuda]") {
  CHECK(sdpa_unsupported(attn("attn:b=1,hq=2,hkv=2,sq=32,skv=64,d=64,causal=1,dt=bf16")).empty());
  CHECK_THAT(sdpa_unsupported(attn("attn:b=1,hq=2,hkv=2,sq=32,skv=32,d=64,causal=0,dt=f32")),
             Catch::Contains("bf16 or f16"));
  CHECK_THAT(sdpa_unsupported(attn("attn:b=1,hq=2,hkv=2,sq=32,skv=32,d=64,causal=0,dt=bf16:f32")),
             Catch::Contains("input type"));
  CHECK_THAT(sdpa_unsupported(attn("attn:b=1,hq=2,hkv=2,sq=64,skv=32,d=64,causal=1,dt=bf16")),
             Catch::Contains("fully masked"));
  CHECK(sdpa_unsupported(attn("attn:b=1,hq=2,hkv=2,sq=64,skv=32,d=64,causal=0,dt=bf16")).empty());
  CHECK_THAT(sdpa_unsupported(attn("attn:b=1,hq=2,hkv=2,sq=64,skv=64,d=64,causal=1,dt=bf16,window=8")),
             Catch::Contains("sliding-window"));
  CHECK_THAT(composed_attention_unsupported(attn("attn:b=1,hq=2,hkv=2,sq=64,skv=64,d=64,causal=1,dt=bf16,window=8")),
             Catch::Contains("sliding window"));
}

TEST_CASE("cuDNN loader: search order and a clean failure", "[cuda]") {
  CHECK(cudnn_candidates(nullptr) == std::vector<std::string>{"libcudnn.so.9"});
  CHECK(cudnn_candidates("") == std::vector<std::string>{"libcudnn.so.9"});
  CHECK(cudnn_candidates("/opt/wheel/nvidia/cudnn/lib") ==
        std::vector<std::string>{"/opt/wheel/nvidia/cudnn/lib/libcudnn.so.9", "libcudnn.so.9"});
  const cudnn_library missing("/nonexistent/libcudnn.so.9");
  CHECK_FALSE(missing.available());
  CHECK_THAT(missing.reason(), Catch::Contains("cuDNN not loaded") && Catch::Contains("ACCELBENCH_CUDNN_PATH"));
  // The real one, where installed (the CUDA toolkit here ships it): loads without a GPU, from
  // ACCELBENCH_CUDNN_PATH when that folder holds it, else by the normal search.
  const char* env_dir = std::getenv("ACCELBENCH_CUDNN_PATH");
  std::string expected;
  for (const std::string& candidate : cudnn_candidates(env_dir, python_wheel_lib_dirs("cudnn", python_prefixes()))) {
    if (void* real = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      dlclose(real);
      expected = candidate;
      break;
    }
  }
  const cudnn_library found;
  INFO("ACCELBENCH_CUDNN_PATH=" << (env_dir != nullptr ? env_dir : "(unset)") << ", expected '" << expected << "'");
  if (expected.empty()) {
    CHECK_FALSE(found.available());
  } else {
    REQUIRE(found.available());
    CHECK(found.version().rfind("9.", 0) == 0);
    CHECK(found.path() == expected);
    // Which file was loaded is said, and NVRTC's outcome with it.
    CHECK_THAT(found.summary(), Catch::Contains(expected));
    if (found.nvrtc_path().empty()) {
      WARN(found.nvrtc_problem());
    } else {
      CHECK_THAT(found.summary(), Catch::Contains("NVRTC " + found.nvrtc_path()));
    }
  }
}

TEST_CASE("cuDNN and NVRTC inside Python wheels are found", "[cuda]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / fmt::format("accelbench-wheels-{}", getpid());
  const fs::path venv = root / "venv", conda = root / "conda";
  for (const fs::path& dir : {venv / "lib/python3.12/site-packages/nvidia/cudnn/lib",
                              venv / "lib/python3.12/site-packages/nvidia/cuda_nvrtc/lib",
                              conda / "lib/python3.10/site-packages/nvidia/cudnn/lib",
                              conda / "lib/python3.11/dist-packages/nvidia/cudnn/lib",
                              conda / "lib/python2.7/site-packages/nvidia/cudnn/lib"}) {
    fs::create_directories(dir);
  }
  const std::vector<std::string> cudnn =
      python_wheel_lib_dirs("cudnn", {venv.string(), conda.string(), "/nonexistent"});
  CHECK(cudnn == std::vector<std::string>{(venv / "lib/python3.12/site-packages/nvidia/cudnn/lib").string(),
                                          (conda / "lib/python3.10/site-packages/nvidia/cudnn/lib").string(),
                                          (conda / "lib/python3.11/dist-packages/nvidia/cudnn/lib").string()});
  // The environment variable first, then the normal search, then the wheels.
  CHECK(cudnn_candidates("/opt/x", {"/w"}) ==
        std::vector<std::string>{"/opt/x/libcudnn.so.9", "libcudnn.so.9", "/w/libcudnn.so.9"});
  // NVRTC of cuDNN's CUDA major: the normal search, the wheel beside cuDNN's, other wheels, the toolkit.
  const std::string wheel_cudnn = (venv / "lib/python3.12/site-packages/nvidia/cudnn/lib/libcudnn.so.9").string();
  const std::vector<std::string> nvrtc = nvrtc_candidates(12, wheel_cudnn, {"/w"});
  REQUIRE(nvrtc.size() == 5);
  CHECK(nvrtc[0] == "libnvrtc.so.12");
  CHECK(fs::path(nvrtc[1]).lexically_normal() ==
        venv / "lib/python3.12/site-packages/nvidia/cuda_nvrtc/lib/libnvrtc.so.12");
  CHECK(nvrtc[2] == "/w/libnvrtc.so.12");
  CHECK(nvrtc[3] == "/usr/local/cuda-12/lib64/libnvrtc.so.12");
  fs::remove_all(root);
}

TEST_CASE("CUDA-graph batch size: only short sequences, about the target duration, bounded", "[cuda]") {
  // At or above ~20 us a launch sequence is timed one launch per sample.
  CHECK(graph_batch_calls(20e-6) == 1);
  CHECK(graph_batch_calls(5e-3) == 1);
  // Below it: one graph launch of about 500 us.
  CHECK(graph_batch_calls(19.9e-6) == 25);
  CHECK(graph_batch_calls(5e-6) == 100);
  CHECK(graph_batch_calls(2e-6) == 250);
  CHECK(graph_batch_calls(5e-6) * 5e-6 == Approx(500e-6));
  // Bounded: at most max_calls (a sub-resolution 0 estimate included), never fewer than 2.
  CHECK(graph_batch_calls(1e-7) == 1000);
  CHECK(graph_batch_calls(0.0) == 1000);
  graph_batch_policy p;
  p.threshold_s = 1e-3;
  p.target_s = 1e-3;
  CHECK(graph_batch_calls(0.9e-3, p) == 2);  // target / launch rounds to 1, raised to 2
  p.max_calls = 64;
  CHECK(graph_batch_calls(1e-6, p) == 64);
  // An unusable estimate (a failed timing) means no graph.
  CHECK(graph_batch_calls(-1.0) == 1);
  CHECK(graph_batch_calls(std::numeric_limits<double>::quiet_NaN()) == 1);
  CHECK(graph_batch_calls(std::numeric_limits<double>::infinity()) == 1);
}

TEST_CASE("the launch estimate is the median of up to 11 timed sequences; a long first one ends it", "[cuda]") {
  std::vector<double> times = {9e-6, 3e-6, 5e-6, 4e-6, 6e-6, 7e-6, 2e-6, 8e-6, 1e-6, 10e-6, 11e-6, 99.0};
  std::size_t calls = 0;
  CHECK(accelbench::estimate_launch_seconds([&] { return times[calls++]; }) == Approx(6e-6));  // median of 11
  CHECK(calls == 11);
  calls = 0;
  times = {250e-6, 1e-6};
  CHECK(accelbench::estimate_launch_seconds([&] { return times[calls++]; }) == Approx(250e-6));  // >= 10 x 20 us
  CHECK(calls == 1);
  calls = 0;
  times = {100e-6, 1e-6};  // below 200 us: the loop goes on (the 11th value repeats the last)
  CHECK(accelbench::estimate_launch_seconds([&] { return times[std::min<std::size_t>(calls++, 1)]; }) == Approx(1e-6));
  CHECK(calls == 11);
}

TEST_CASE("the graph-batch choice: capture N when short, keep single launches and say why otherwise", "[cuda]") {
  std::uint32_t captured = 0;
  const auto capture = [&](std::uint32_t calls) { captured = calls; };
  const graph_batch_choice batched = choose_graph_batch([] { return 2e-6; }, capture, "HIP");
  CHECK((batched.calls == 250 && captured == 250));
  CHECK(batched.note ==
        "; graph-batched: 250 launch sequences per HIP graph launch (one sequence 2.00 us at prepare), samples are "
        "per sequence");
  captured = 0;
  const graph_batch_choice long_one = choose_graph_batch([] { return 412.1e-6; }, capture, "CUDA");
  CHECK((long_one.calls == 1 && captured == 0));
  CHECK(long_one.note == "; not graph-batched: one launch sequence 412.10 us at prepare");
  const graph_batch_choice refused = choose_graph_batch(
      [] { return 2e-6; }, [](std::uint32_t) { throw std::runtime_error("hipStreamBeginCapture failed"); }, "HIP");
  CHECK(refused.calls == 1);
  CHECK(refused.note == "; not graph-batched (capture failed: hipStreamBeginCapture failed)");
}

TEST_CASE("ACCELBENCH_CUDA_ATTENTION: auto or composed, anything else names the variable", "[cuda]") {
  CHECK(parse_attention_path(nullptr) == attention_path::automatic);
  CHECK(parse_attention_path("") == attention_path::automatic);
  CHECK(parse_attention_path("auto") == attention_path::automatic);
  CHECK(parse_attention_path("composed") == attention_path::composed);
  for (const char* bad : {"Composed", "cudnn", "composed ", "off"}) {
    INFO(bad);
    CHECK_THROWS_WITH(parse_attention_path(bad),
                      std::string("ACCELBENCH_CUDA_ATTENTION='") + bad + "': accepted values are auto, composed");
  }
  // A bad value makes both tables unavailable with that message, before the driver is looked
  // for, so `run -b cuda` stops with it (exit 2) on any host.
  REQUIRE(setenv("ACCELBENCH_CUDA_ATTENTION", "cudnn", 1) == 0);
  std::vector<backend_entry> entries = load_backends();
  int seen = 0;
  for (const backend_entry& e : entries) {
    if (e.name != "cuda" && e.name != "cuda_tuned") continue;
    ++seen;
    CHECK_FALSE(e.available);
    CHECK(e.reason == "initialization failed: ACCELBENCH_CUDA_ATTENTION='cudnn': accepted values are auto, composed");
  }
  CHECK(seen == 2);
  shutdown_backends(entries);
  unsetenv("ACCELBENCH_CUDA_ATTENTION");
}
