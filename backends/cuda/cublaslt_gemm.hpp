#pragma once
// GEMM through cuBLASLt.
//
// Layout: our operands are row-major (docs/workloads.md). A row-major m x n matrix is a
// column-major n x m one, so C = op(A) op(B) is computed as the column-major product
// C^T = op(B)^T op(A)^T: cuBLASLt's A is our B, its B is our A, its m is our n, its n our m.
// map_gemm() does that bookkeeping and the dtype mapping as a pure function (unit-tested
// without a GPU); lt_matmul owns the descriptors, the heuristic candidates and the algorithm
// choice.
//
// Algorithm choice: `default_algorithm` is the heuristic's first candidate (what
// cublasLtMatmul picks with algo = NULL); tune() times the top-K candidates in prepare (never
// in timed samples) and keeps the fastest, so default and tuned can be reported side by side.
#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kernels/spec/workload.hpp"

namespace accelbench::cuda {

// Compute capability as major * 10 + minor (sm_90 -> 90).
using compute_capability = int;

// One cuBLASLt matrix as stored, column-major.
struct lt_matrix {
  cudaDataType_t type = CUDA_R_32F;
  std::uint64_t rows = 0, cols = 0;
  std::int64_t ld = 0;
  std::int64_t batch_stride = 0;  // elements
};

struct lt_gemm_mapping {
  std::string unsupported;  // empty when cuBLASLt can run the workload; otherwise why not
  cublasComputeType_t compute = CUBLAS_COMPUTE_32F;
  cudaDataType_t scale_type = CUDA_R_32F;  // type of alpha and beta
  cublasOperation_t op_a = CUBLAS_OP_N, op_b = CUBLAS_OP_N;
  lt_matrix a, b, c, d;  // cuBLASLt's operands: a = our B, b = our A, d = our C; c is beta's input
  std::int32_t batch = 1;
  bool fp8_scales = false;  // A/B scale pointers (and D's when D is fp8)
  bool separate_c = false;  // c's type differs from d's (fp8 output): C needs its own buffer
};

cudaDataType_t cuda_data_type(dtype t);  // storage type; tf32 is stored as CUDA_R_32F
std::string_view to_string(cublasComputeType_t compute);

// Pure mapping of a GEMM workload onto cuBLASLt for a device of capability `cc`.
lt_gemm_mapping map_gemm(const gemm_workload& w, compute_capability cc);

// The byte alignment of each operand's pointer in our terms (C is also D). cuBLASLt's heuristic
// assumes 256 unless told otherwise, and may pick a kernel that needs it; offset pointers into a
// buffer (the composed attention path's chunks) are often 2- or 4-byte aligned.
struct operand_alignment {
  std::uint32_t a = 256, b = 256, c = 256;
  bool operator==(const operand_alignment&) const = default;
  auto operator<=>(const operand_alignment&) const = default;
};

// The largest power of two up to 256 that divides `address` (256 for 0). cudaMalloc's pointers
// are 256-byte aligned, so a byte offset into one has the alignment of the pointer.
std::uint32_t pointer_alignment(std::uintptr_t address);
// cuBLASLt's MIN_ALIGNMENT_{A,B,C,D}_BYTES preferences for `alignment`, with the operands
// swapped (header comment: cuBLASLt's A is our B).
std::array<std::pair<cublasLtMatmulPreferenceAttributes_t, std::uint32_t>, 4> alignment_preferences(
    const operand_alignment& alignment);

// Why cuBLASLt's heuristic offers nothing, when `status` (and `returned` candidates) mean this
// GEMM is not offered: NOT_SUPPORTED, INVALID_VALUE (some f8 shapes), ARCH_MISMATCH, or success
// with no candidate. Empty for a status that is a real failure (allocation, internal error).
std::string heuristic_unsupported(cublasStatus_t status, int returned, cublasComputeType_t compute);

class lt_matmul {
 public:
  // Creates descriptors and queries up to `candidates` heuristic algorithms for operands of at
  // least `alignment`. Throws cuda_error on API failure; `available()` is false (with
  // `unsupported()`) when the heuristic found none.
  lt_matmul(cublasLtHandle_t handle, const gemm_workload& w, compute_capability cc, std::size_t workspace_bytes,
            const float* unit_scale, operand_alignment alignment = {}, int candidates = 8);
  ~lt_matmul();
  lt_matmul(const lt_matmul&) = delete;
  lt_matmul& operator=(const lt_matmul&) = delete;

  bool available() const { return !m_algorithms.empty(); }
  const std::string& unsupported() const { return m_unsupported; }
  const lt_gemm_mapping& mapping() const { return m_map; }

  // Enqueues C = op(A) op(B) with the chosen algorithm; `c_buffer` is beta's input (only
  // distinct from `c` when mapping().separate_c). Throws when a pointer is less aligned than
  // the algorithm was chosen for.
  void run(const void* a, const void* b, void* c, void* c_buffer, void* workspace, cudaStream_t stream) const;
  // Times every candidate on these buffers (warmed, hot L2) and selects the fastest.
  void tune(const void* a, const void* b, void* c, void* c_buffer, void* workspace, cudaStream_t stream);

  // "algo 6 tile 20 splitK 1 stages 12" for candidate i.
  std::string algorithm_text(int index) const;
  // Default (and, after tune(), the tuned choice with the candidates' measured medians).
  std::string description() const;

 private:
  void run_with(int index, const void* a, const void* b, void* c, void* c_buffer, void* workspace,
                cudaStream_t stream) const;

  cublasLtHandle_t m_handle = nullptr;
  lt_gemm_mapping m_map;
  std::string m_unsupported;
  cublasLtMatmulDesc_t m_desc = nullptr;
  cublasLtMatrixLayout_t m_a = nullptr, m_b = nullptr, m_c = nullptr, m_d = nullptr;
  std::vector<cublasLtMatmulHeuristicResult_t> m_algorithms;
  std::vector<double> m_candidate_seconds;  // filled by tune()
  int m_chosen = 0;
  bool m_tuned = false;
  std::size_t m_workspace_bytes = 0;
  operand_alignment m_alignment;
  // alpha = 1, beta = 0 in the scale type (f64, f32 or s32).
  double m_one_f64 = 1.0, m_zero_f64 = 0.0;
  float m_one_f32 = 1.0f, m_zero_f32 = 0.0f;
  std::int32_t m_one_s32 = 1, m_zero_s32 = 0;
};

}  // namespace accelbench::cuda
