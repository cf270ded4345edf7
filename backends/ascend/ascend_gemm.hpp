#pragma once
// GEMM on the 910B's cube unit through aclnnMatmul (2-D) or aclnnBatchMatMul (3-D, batch > 1),
// two-phase (GetWorkspaceSize, then run), ND tensors. Our transposes are strided views of the
// stored operand, so CANN sees op(A) and op(B) and no copy is made.
//
// What an f32 GEMM computes depends on cubeMathType: KEEP_DTYPE keeps fp32 (dt=f32 asks for
// that); USE_HF32 lets the cube round the inputs to HF32 (11-bit mantissa), which dt=hf32 asks
// for explicitly, so a reduced-precision result is never reported as f32.
#include <cstdint>
#include <memory>
#include <string>

#include "backends/ascend/acl_objects.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::ascend {

struct gemm_mapping {
  std::string unsupported;  // non-empty: why the operator cannot run this GEMM
  int acl_dtype = ACCELBENCH_ACL_FLOAT;
  std::int8_t cube_math_type = ACCELBENCH_CUBE_KEEP_DTYPE;
  bool batched = false;  // aclnnBatchMatMul
};

gemm_mapping map_gemm(const gemm_workload& g);
// "float16", "bfloat16", "float32" for messages.
const char* acl_dtype_name(int acl_dtype);

// The ND views of op(A), op(B) and C that the operator receives.
tensor_view gemm_a_view(const gemm_workload& g, int acl_dtype);
tensor_view gemm_b_view(const gemm_workload& g, int acl_dtype);
tensor_view gemm_c_view(const gemm_workload& g, int acl_dtype);

// The prepared operator on device buffers a, b, c; throws cann_error with the operator's status.
class ascend_gemm {
 public:
  ascend_gemm(const cann_library& lib, const gemm_workload& g, void* a, void* b, void* c);
  void enqueue(aclrtStream stream) const { m_call->enqueue(stream); }
  std::string description() const;
  std::uint64_t workspace_bytes() const { return m_call->workspace_bytes(); }

 private:
  gemm_mapping m_mapping;
  acl_tensor m_a, m_b, m_c;
  std::unique_ptr<aclnn_call> m_call;
};

}  // namespace accelbench::ascend
