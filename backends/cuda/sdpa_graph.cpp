#include "backends/cuda/sdpa_graph.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "kernels/spec/dtype.hpp"

namespace accelbench::cuda {
namespace {

using dims4 = std::array<std::int64_t, 4>;

// Densely packed row-major strides.
dims4 packed(const dims4& d) { return {d[1] * d[2] * d[3], d[2] * d[3], d[3], 1}; }

// Builds the graph with fresh uids for intermediate (virtual) tensors.
class builder {
 public:
  explicit builder(sdpa_graph& g) : m_g(g) {}

  std::int64_t tensor(std::int64_t uid, std::string name, dims4 dims, dims4 strides, cudnnDataType_t type,
                      bool is_virtual = false, bool by_value = false) {
    m_g.tensors.push_back({uid, std::move(name), dims, strides, type, is_virtual, by_value});
    return uid;
  }
  std::int64_t scalar(std::int64_t uid, std::string name, cudnnDataType_t type) {
    return tensor(uid, std::move(name), {1, 1, 1, 1}, {1, 1, 1, 1}, type, false, true);
  }
  std::int64_t virtual_tensor(std::string name, dims4 dims, cudnnDataType_t type) {
    return tensor(m_next_uid++, std::move(name), dims, packed(dims), type, true);
  }
  std::int64_t pointwise(std::string name, cudnnPointwiseMode_t mode, std::vector<std::int64_t> inputs, dims4 dims,
                         cudnnDataType_t out_type, cudnnDataType_t compute = CUDNN_DATA_FLOAT, std::int64_t axis = -1) {
    const std::int64_t out = virtual_tensor(name, dims, out_type);
    return op({sdpa_op_kind::pointwise, std::move(name), mode, CUDNN_REDUCE_TENSOR_ADD, compute, axis,
               std::move(inputs), out});
  }
  std::int64_t reduction(std::string name, cudnnReduceTensorOp_t mode, std::int64_t input, dims4 dims) {
    const std::int64_t out = virtual_tensor(name, dims, CUDNN_DATA_FLOAT);
    return op(
        {sdpa_op_kind::reduction, std::move(name), CUDNN_POINTWISE_ADD, mode, CUDNN_DATA_FLOAT, -1, {input}, out});
  }
  std::int64_t op(sdpa_op o) {
    m_g.ops.push_back(std::move(o));
    return m_g.ops.back().output;
  }

 private:
  sdpa_graph& m_g;
  std::int64_t m_next_uid = 100;
};

}  // namespace

const sdpa_tensor& sdpa_graph::tensor(std::int64_t uid) const {
  for (const sdpa_tensor& t : tensors) {
    if (t.uid == uid) return t;
  }
  throw std::out_of_range(fmt::format("sdpa graph: no tensor with uid {}", uid));
}

std::string sdpa_unsupported(const attention_workload& w) {
  if (w.dt.in != dtype::bf16 && w.dt.in != dtype::f16) {
    return fmt::format("cuDNN fused attention takes bf16 or f16 inputs, not {}", to_string(w.dt.in));
  }
  if (w.dt.out != w.dt.in) {
    return fmt::format("cuDNN fused attention writes O in the input type ({}), not {}", to_string(w.dt.in),
                       to_string(w.dt.out));
  }
  if (w.window > 0) return "the cuDNN SDPA graph built here has no sliding-window mask";
  if (w.causal && w.sq > w.skv) {
    // Rows i < sq - skv mask every key: our definition gives 0 there, the graph's softmax over a
    // wholly masked row does not (a uniform average with the lowest-float mask, NaN with -inf).
    // The composed path implements our definition.
    return "causal with sq > skv has fully masked rows (0 by our definition, not in the fused softmax graph)";
  }
  return {};  // head sizes, sequence lengths and architectures: cuDNN's heuristics decide (and say why not)
}

sdpa_graph describe_sdpa(const attention_workload& w) {
  sdpa_graph g;
  builder b(g);
  const cudnnDataType_t io = w.dt.in == dtype::bf16 ? CUDNN_DATA_BFLOAT16 : CUDNN_DATA_HALF;
  const dims4 q_dims{w.b, w.hq, w.sq, w.d};
  const dims4 kv_dims{w.b, w.hkv, w.skv, w.d};
  const dims4 kv_strides = packed(kv_dims);
  b.tensor(sdpa_uid::q, "Q", q_dims, packed(q_dims), io);
  // K^T: dims [b, hkv, d, skv] over K's memory (the last two strides swapped).
  b.tensor(sdpa_uid::k, "K^T", {w.b, w.hkv, w.d, w.skv}, {kv_strides[0], kv_strides[1], 1, w.d}, io);
  b.tensor(sdpa_uid::v, "V", kv_dims, kv_strides, io);
  b.tensor(sdpa_uid::o, "O", q_dims, packed(q_dims), io);

  const dims4 scores{w.b, w.hq, w.sq, w.skv};
  const dims4 rows{w.b, w.hq, w.sq, 1};
  const std::int64_t s = b.virtual_tensor("S", scores, CUDNN_DATA_FLOAT);
  b.op({sdpa_op_kind::matmul,
        "bmm1",
        CUDNN_POINTWISE_ADD,
        CUDNN_REDUCE_TENSOR_ADD,
        CUDNN_DATA_FLOAT,
        -1,
        {sdpa_uid::q, sdpa_uid::k},
        s});

  g.scale = static_cast<float>(default_softmax_scale(w));
  b.scalar(sdpa_uid::scale, "scale", CUDNN_DATA_FLOAT);
  std::int64_t last = b.pointwise("attn_scale", CUDNN_POINTWISE_MUL, {s, sdpa_uid::scale}, scores, CUDNN_DATA_FLOAT);

  if (w.causal) {
    // Bottom-right aligned: query row i keeps key column j <= i + (skv - sq) (docs/workloads.md).
    // The lowest finite float, not -inf: older cuDNN 9 engines produce NaN for -inf in tiles
    // that are wholly masked (cudnn-frontend switches on the version), and for rows with at
    // least one visible key (all we send: sdpa_unsupported) both give exp(mask - max) = 0, so
    // this value is right for every cuDNN 9 release without knowing which one switched.
    g.negative_infinity = std::numeric_limits<float>::lowest();
    b.scalar(sdpa_uid::negative_infinity, "-inf", CUDNN_DATA_FLOAT);
    std::int64_t row =
        b.pointwise("row", CUDNN_POINTWISE_GEN_INDEX, {last}, scores, CUDNN_DATA_INT32, CUDNN_DATA_INT32, 2);
    const std::int64_t col =
        b.pointwise("col", CUDNN_POINTWISE_GEN_INDEX, {last}, scores, CUDNN_DATA_INT32, CUDNN_DATA_INT32, 3);
    if (w.sq != w.skv) {
      g.skv = static_cast<std::int32_t>(w.skv);
      g.sq = static_cast<std::int32_t>(w.sq);
      b.scalar(sdpa_uid::skv, "skv", CUDNN_DATA_INT32);
      b.scalar(sdpa_uid::sq, "sq", CUDNN_DATA_INT32);
      row =
          b.pointwise("row+skv", CUDNN_POINTWISE_ADD, {row, sdpa_uid::skv}, scores, CUDNN_DATA_INT32, CUDNN_DATA_INT32);
      row = b.pointwise("row+skv-sq", CUDNN_POINTWISE_SUB, {row, sdpa_uid::sq}, scores, CUDNN_DATA_INT32,
                        CUDNN_DATA_INT32);
    }
    const std::int64_t keep =
        b.pointwise("keep", CUDNN_POINTWISE_CMP_GE, {row, col}, scores, CUDNN_DATA_BOOLEAN, CUDNN_DATA_BOOLEAN);
    // BINARY_SELECT: y = t ? x : b.
    last = b.pointwise("causal_mask", CUDNN_POINTWISE_BINARY_SELECT, {last, sdpa_uid::negative_infinity, keep}, scores,
                       CUDNN_DATA_FLOAT);
  }

  const std::int64_t max = b.reduction("max", CUDNN_REDUCE_TENSOR_MAX, last, rows);
  const std::int64_t shifted = b.pointwise("sub", CUDNN_POINTWISE_SUB, {last, max}, scores, CUDNN_DATA_FLOAT);
  const std::int64_t exp = b.pointwise("exp", CUDNN_POINTWISE_EXP, {shifted}, scores, CUDNN_DATA_FLOAT);
  const std::int64_t sum = b.reduction("sum", CUDNN_REDUCE_TENSOR_ADD, exp, rows);
  // The softmax statistics (log-sum-exp per row) as every cudnn-frontend version and NVIDIA's
  // flash-attention sample build them; the fused engines' pattern includes this branch. Virtual:
  // inference does not keep it.
  const std::int64_t log = b.pointwise("log", CUDNN_POINTWISE_LOG, {sum}, rows, CUDNN_DATA_FLOAT);
  b.pointwise("stats", CUDNN_POINTWISE_ADD, {max, log}, rows, CUDNN_DATA_FLOAT);
  // P in the input type: cuDNN requires the second matmul's A operand in the I/O type.
  const std::int64_t p = b.pointwise("P", CUDNN_POINTWISE_DIV, {exp, sum}, scores, io);
  b.op({sdpa_op_kind::matmul,
        "bmm2",
        CUDNN_POINTWISE_ADD,
        CUDNN_REDUCE_TENSOR_ADD,
        CUDNN_DATA_FLOAT,
        -1,
        {p, sdpa_uid::v},
        sdpa_uid::o});
  return g;
}

}  // namespace accelbench::cuda
