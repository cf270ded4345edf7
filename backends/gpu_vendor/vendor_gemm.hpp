#pragma once
// GEMM through a vendor's BLAS-Lt matmul (hipBLASLt, muBLASLt), the same bookkeeping as the
// CUDA backend's cuBLASLt path (backends/cuda/cublaslt_gemm.hpp): our operands are row-major,
// so C = op(A) op(B) is computed as the column-major C^T = op(B)^T op(A)^T (BLAS-Lt's A is our
// B, its m is our n). map_gemm is pure (unit-tested without a device); blaslt_matmul owns the
// descriptors and the heuristic's candidates: the first is the library's default choice; the
// _tuned tables time the top candidates in prepare and keep the fastest (vendor_backend.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "backends/gpu_vendor/vendor_library.hpp"
#include "backends/gpu_vendor/vendor_matmul.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::gpu_vendor {

// One BLAS-Lt matrix as stored, column-major.
struct lt_matrix {
  int type = 0;
  std::uint64_t rows = 0, cols = 0;
  std::int64_t ld = 0;
  std::int64_t batch_stride = 0;  // elements
};

// The column-major view of our row-major GEMM that BLAS libraries take: the library's A is our
// B, its B our A, its D our C (n x m column-major). Shared by BLAS-Lt, rocBLAS and muBLAS.
struct column_major_gemm {
  std::string unsupported;                // dimensions outside the 32-bit range, or empty
  bool trans_a = false, trans_b = false;  // the library's op(A) (our trans_b) and op(B) (our trans_a)
  lt_matrix a, b, d;                      // type left 0
  std::int64_t k = 0;
  std::int32_t batch = 1;
};

column_major_gemm column_major(const gemm_workload& w, const char* library_name);

struct lt_mapping {
  std::string unsupported;          // empty when the library can run the workload; otherwise why not
  int compute = 0, scale_type = 0;  // scale_type: BLAS-Lt only
  int op_a = 0, op_b = 0;
  lt_matrix a, b, d;  // the library's operands: a = our B, b = our A, d = our C (also beta's C)
  std::int64_t k = 0;
  std::int32_t batch = 1;
  std::string compute_text;  // "32F", "32F_FAST_TF32", "32I": for the plan's description
};

// Pure mapping of a GEMM workload onto the vendor's BLAS-Lt (its enum values) on a device of
// `architecture` (which decides f8: vendor_table::ocp_f8_architectures).
lt_mapping map_gemm(const gemm_workload& w, const vendor_table& vendor, const std::string& architecture);
// The same onto muBLAS (MUSA without muBLASLt): cuBLAS's GemmEx offers these types as cuBLASLt
// does, with the same enum values; the layouts' types, strides and ops are what
// mublasGemmStridedBatchedEx takes (mublas_gemm.hpp).
lt_mapping map_mublas_gemm(const gemm_workload& w, const vendor_table& vendor);

class blaslt_matmul final : public vendor_matmul {
 public:
  // Creates descriptors and asks the heuristic for up to `candidates` algorithms within
  // `workspace_bytes`; the first is selected. Throws std::runtime_error naming the call and
  // status on failure; unsupported() is set when the heuristic offers nothing.
  blaslt_matmul(const vendor_library& lib, blaslt_handle handle, const gemm_workload& w,
                const std::string& architecture, std::size_t workspace_bytes, int candidates = 1);
  ~blaslt_matmul();
  blaslt_matmul(const blaslt_matmul&) = delete;
  blaslt_matmul& operator=(const blaslt_matmul&) = delete;

  const std::string& unsupported() const override { return m_unsupported; }
  int candidate_count() const override { return m_returned; }
  void select(int candidate) override;
  int selected() const override { return m_selected; }
  std::size_t workspace_needed() const override;
  void enqueue(const void* a, const void* b, void* c, void* workspace, gpu_stream stream) const override;
  std::string description() const override;

 private:
  void create_descriptors(std::size_t workspace_bytes);
  const unsigned char* result(int candidate) const;
  void destroy();

  const vendor_library* m_lib;
  blaslt_handle m_handle;
  lt_mapping m_map;
  std::size_t m_workspace_bytes;
  blaslt_desc m_desc = nullptr;
  blaslt_layout m_a = nullptr, m_b = nullptr, m_d = nullptr;
  std::vector<unsigned char> m_heuristic;  // the results, each with its algorithm at its start
  int m_candidates = 1, m_returned = 0, m_selected = 0;
  std::string m_unsupported;
};

}  // namespace accelbench::gpu_vendor
