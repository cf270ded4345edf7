#pragma once
// cuDNN fused attention (SDPA forward) described as plain data: tensors (uid, dims, strides,
// type) and the operations between them, before any cuDNN call. cudnn_sdpa.cpp turns this into
// backend descriptors; keeping the mapping here makes it testable on a host without a GPU.
//
// The graph is the one cuDNN's fused flash-attention engines match (the pattern the cuDNN
// frontend's sdpa node lowers to; the unified SDPA_FWD operation of cuDNN 9.19 has no causal
// attribute, so it is not used):
//   S = Q . K^T  (matmul, f32)        S *= scale (by-value 1/sqrt(d))
//   causal: keep (row + skv - sq >= col), else the lowest float (GEN_INDEX, ADD, SUB, CMP_GE,
//           BINARY_SELECT; not -inf, which older cuDNN 9 engines turn into NaN)
//   softmax: max, sub, exp, sum, div   -> P in the input type     O = P . V  (matmul)
//   softmax statistics: log(sum), max + log -> [b, h, sq, 1] f32, virtual (inference)
// Our layouts (accelbench_backend.h): Q[b][hq][sq][d], K and V [b][hkv][skv][d], O like Q.
// K^T is K read with its last two dims and strides swapped (no copy); GQA/MQA is cuDNN's own
// head broadcast (K and V keep hkv heads; query head h reads KV head h / (hq/hkv), as ours).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <cudnn_graph.h>

#include "kernels/spec/workload.hpp"

namespace accelbench::cuda {

struct sdpa_tensor {
  std::int64_t uid = 0;
  std::string name;
  std::array<std::int64_t, 4> dims{}, strides{};
  cudnnDataType_t type = CUDNN_DATA_FLOAT;
  bool is_virtual = false;  // lives only inside the fused kernel
  bool by_value = false;    // a host scalar passed in the variant pack
};

enum class sdpa_op_kind { matmul, pointwise, reduction };

struct sdpa_op {
  sdpa_op_kind kind = sdpa_op_kind::pointwise;
  std::string name;
  cudnnPointwiseMode_t pointwise = CUDNN_POINTWISE_ADD;
  cudnnReduceTensorOp_t reduction = CUDNN_REDUCE_TENSOR_ADD;
  cudnnDataType_t compute = CUDNN_DATA_FLOAT;
  std::int64_t axis = -1;            // GEN_INDEX only
  std::vector<std::int64_t> inputs;  // uids: matmul A, B; pointwise x[, b[, t]]; reduction x
  std::int64_t output = 0;           // uid
};

// The uids of the tensors the caller binds in the variant pack.
namespace sdpa_uid {
inline constexpr std::int64_t q = 1, k = 2, v = 3, o = 4;
inline constexpr std::int64_t scale = 10, skv = 11, sq = 12, negative_infinity = 13;
}  // namespace sdpa_uid

struct sdpa_graph {
  std::vector<sdpa_tensor> tensors;
  std::vector<sdpa_op> ops;
  // Values of the by-value scalars (their host addresses go into the variant pack).
  float scale = 1.0f;
  std::int32_t skv = 0, sq = 0;
  float negative_infinity = 0.0f;  // the causal mask's value: the lowest finite float

  const sdpa_tensor& tensor(std::int64_t uid) const;  // throws std::out_of_range
};

// Why cuDNN SDPA is not attempted for `w` (empty when it is): dtype, output type, head size.
std::string sdpa_unsupported(const attention_workload& w);
// The graph for `w` (which sdpa_unsupported accepts).
sdpa_graph describe_sdpa(const attention_workload& w);

}  // namespace accelbench::cuda
