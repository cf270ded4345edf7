#include "backends/ascend/ascend_gemm.hpp"

#include <fmt/format.h>

namespace accelbench::ascend {
namespace {

// ND shape of one operand: [rows, cols], or [batch, rows, cols] for the batched operator.
std::vector<std::int64_t> shape(const gemm_workload& g, std::int64_t rows, std::int64_t cols) {
  if (g.batch > 1) return {g.batch, rows, cols};
  return {rows, cols};
}

// The view op(X) [rows x cols] of an operand stored as rows x cols, or as cols x rows when
// transposed (the view then swaps the last two strides).
tensor_view operand_view(const gemm_workload& g, std::int64_t rows, std::int64_t cols, bool transposed, int acl_dtype) {
  if (!transposed) return dense_view(shape(g, rows, cols), acl_dtype);
  tensor_view stored = dense_view(shape(g, cols, rows), acl_dtype);
  tensor_view v = stored;
  v.dims = shape(g, rows, cols);
  std::swap(v.strides[v.strides.size() - 1], v.strides[v.strides.size() - 2]);
  v.storage_dims = stored.dims;
  return v;
}

}  // namespace

const char* acl_dtype_name(int acl_dtype) {
  switch (acl_dtype) {
    case ACCELBENCH_ACL_FLOAT16:
      return "float16";
    case ACCELBENCH_ACL_BF16:
      return "bfloat16";
    case ACCELBENCH_ACL_FLOAT:
      return "float32";
    default:
      return "other";
  }
}

gemm_mapping map_gemm(const gemm_workload& g) {
  gemm_mapping m;
  m.batched = g.batch > 1;
  switch (g.dt.in) {
    case dtype::f32:
      m.acl_dtype = ACCELBENCH_ACL_FLOAT;
      m.cube_math_type = ACCELBENCH_CUBE_KEEP_DTYPE;  // fp32 as asked, never HF32 behind our back
      break;
    case dtype::f16:
      m.acl_dtype = ACCELBENCH_ACL_FLOAT16;
      break;
    case dtype::bf16:
      m.acl_dtype = ACCELBENCH_ACL_BF16;
      break;
    case dtype::hf32:
      m.acl_dtype = ACCELBENCH_ACL_FLOAT;  // f32 in memory; the cube rounds the inputs to HF32
      m.cube_math_type = ACCELBENCH_CUBE_USE_HF32;
      break;
    case dtype::tf32:
      m.unsupported = "the 910B has no TF32 mode: its reduced-precision f32 GEMM is HF32 (dt=hf32)";
      return m;
    default:
      m.unsupported = fmt::format(
          "aclnnMatmul takes float16, bfloat16 or float32 inputs, not {} (int8 GEMM needs "
          "aclnnQuantMatmul with scales, not wired)",
          to_string(g.dt.in));
      return m;
  }
  const bool f32_storage_out = g.dt.in == dtype::hf32 && g.dt.out == dtype::f32;
  if (g.dt.out != g.dt.in && !f32_storage_out) {
    m.unsupported =
        fmt::format("aclnnMatmul writes its input type ({}), not {}", to_string(g.dt.in), to_string(g.dt.out));
  } else if (g.dt.acc != dtype::f32) {
    m.unsupported = fmt::format("the cube accumulates in f32, not {}", to_string(g.dt.acc));
  }
  return m;
}

tensor_view gemm_a_view(const gemm_workload& g, int acl_dtype) {
  return operand_view(g, g.m, g.k, g.trans_a, acl_dtype);
}
tensor_view gemm_b_view(const gemm_workload& g, int acl_dtype) {
  return operand_view(g, g.k, g.n, g.trans_b, acl_dtype);
}
tensor_view gemm_c_view(const gemm_workload& g, int acl_dtype) { return dense_view(shape(g, g.m, g.n), acl_dtype); }

ascend_gemm::ascend_gemm(const cann_library& lib, const gemm_workload& g, void* a, void* b, void* c)
    : m_mapping(map_gemm(g)),
      m_a(lib, gemm_a_view(g, m_mapping.acl_dtype), a),
      m_b(lib, gemm_b_view(g, m_mapping.acl_dtype), b),
      m_c(lib, gemm_c_view(g, m_mapping.acl_dtype), c) {
  const cann_api& api = lib.api();
  std::uint64_t workspace = 0;
  aclOpExecutor* executor = nullptr;
  if (m_mapping.batched) {
    check_aclnn(
        lib,
        api.batch_matmul_workspace(m_a.get(), m_b.get(), m_c.get(), m_mapping.cube_math_type, &workspace, &executor),
        "aclnnBatchMatMulGetWorkspaceSize");
    m_call = std::make_unique<aclnn_call>(lib, executor, workspace, api.batch_matmul, "aclnnBatchMatMul");
  } else {
    check_aclnn(lib,
                api.matmul_workspace(m_a.get(), m_b.get(), m_c.get(), m_mapping.cube_math_type, &workspace, &executor),
                "aclnnMatmulGetWorkspaceSize");
    m_call = std::make_unique<aclnn_call>(lib, executor, workspace, api.matmul, "aclnnMatmul");
  }
}

std::string ascend_gemm::description() const {
  const bool hf32 = m_mapping.cube_math_type == ACCELBENCH_CUBE_USE_HF32;
  return fmt::format("{} ({}, ND, cubeMathType {}), workspace {} B",
                     m_mapping.batched ? "aclnnBatchMatMul" : "aclnnMatmul", acl_dtype_name(m_mapping.acl_dtype),
                     hf32 ? "USE_HF32" : "KEEP_DTYPE", m_call->workspace_bytes());
}

}  // namespace accelbench::ascend
