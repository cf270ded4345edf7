#include "backends/ascend/ascend_attention.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "backends/ascend/ascend_gemm.hpp"

namespace accelbench::ascend {
namespace {

constexpr std::int64_t mask_side = ACCELBENCH_FA_COMPRESSED_MASK;
constexpr std::int64_t all_tokens = 2147483647;  // preTokens/nextTokens: no sliding window
constexpr std::int64_t softmax_stat_width = 8;   // softmaxMaxOut/SumOut are [b, n, sq, 8]

int acl_dtype_of(dtype t) {
  switch (t) {
    case dtype::f16:
      return ACCELBENCH_ACL_FLOAT16;
    case dtype::bf16:
      return ACCELBENCH_ACL_BF16;
    default:
      return ACCELBENCH_ACL_FLOAT;
  }
}

std::uint64_t stat_bytes(const attention_workload& a) {
  return static_cast<std::uint64_t>(a.b * a.hq * a.sq * softmax_stat_width) * sizeof(float);
}

}  // namespace

std::string attention_unsupported(const attention_workload& a) {
  if (a.dt.in != dtype::f16 && a.dt.in != dtype::bf16 && a.dt.in != dtype::f32) {
    return fmt::format("aclnnFlashAttentionScore takes float16, bfloat16 or float32, not {}", to_string(a.dt.in));
  }
  if (a.dt.out != a.dt.in) {
    return fmt::format("aclnnFlashAttentionScore writes its input type ({}), not {}", to_string(a.dt.in),
                       to_string(a.dt.out));
  }
  if (a.window > 0) {
    return "sliding window is not wired: it would be aclnnFlashAttentionScore's band mode (sparseMode 4 with "
           "preTokens = window - 1), which this backend does not build yet";
  }
  if (a.d > 768) return fmt::format("aclnnFlashAttentionScore supports head dim D 1..768, not {}", a.d);
  if (a.hq > 256) return fmt::format("aclnnFlashAttentionScore supports 1..256 query heads, not {}", a.hq);
  if (a.hkv == 0 || a.hq % a.hkv != 0) {
    return fmt::format("aclnnFlashAttentionScore needs query heads a multiple of key/value heads ({} / {})", a.hq,
                       a.hkv);
  }
  return {};
}

std::uint64_t attention_extra_bytes(const attention_workload& a) {
  return 2 * stat_bytes(a) + (a.causal ? static_cast<std::uint64_t>(mask_side * mask_side) : 0);
}

ascend_attention::ascend_attention(const cann_library& lib, const attention_workload& a, void* q, void* k, void* v,
                                   void* o)
    : m_workload(a), m_softmax_max(lib, stat_bytes(a)), m_softmax_sum(lib, stat_bytes(a)) {
  const int dt = acl_dtype_of(a.dt.in);
  m_q = std::make_unique<acl_tensor>(lib, dense_view({a.b, a.hq, a.sq, a.d}, dt), q);
  m_k = std::make_unique<acl_tensor>(lib, dense_view({a.b, a.hkv, a.skv, a.d}, dt), k);
  m_v = std::make_unique<acl_tensor>(lib, dense_view({a.b, a.hkv, a.skv, a.d}, dt), v);
  m_o = std::make_unique<acl_tensor>(lib, dense_view({a.b, a.hq, a.sq, a.d}, dt), o);
  const tensor_view stats = dense_view({a.b, a.hq, a.sq, softmax_stat_width}, ACCELBENCH_ACL_FLOAT);
  m_max = std::make_unique<acl_tensor>(lib, stats, m_softmax_max.get());
  m_sum = std::make_unique<acl_tensor>(lib, stats, m_softmax_sum.get());
  if (a.causal) {
    // The compressed mask of sparseMode 3: 1 above the diagonal (masked), 0 on and below it; the
    // operator shifts it to the bottom-right corner itself.
    std::vector<std::uint8_t> mask(static_cast<std::size_t>(mask_side * mask_side), 0);
    for (std::int64_t i = 0; i < mask_side; ++i) {
      for (std::int64_t j = i + 1; j < mask_side; ++j) mask[static_cast<std::size_t>(i * mask_side + j)] = 1;
    }
    m_mask = device_buffer(lib, mask.size());
    m_mask.upload(mask.data(), mask.size());
    m_mask_tensor =
        std::make_unique<acl_tensor>(lib, dense_view({mask_side, mask_side}, ACCELBENCH_ACL_UINT8), m_mask.get());
  }
  char layout[] = "BNSD";  // the operator takes a mutable char*
  std::uint64_t workspace = 0;
  aclOpExecutor* executor = nullptr;
  const double scale = 1.0 / std::sqrt(static_cast<double>(a.d));
  check_aclnn(
      lib,
      lib.api().flash_attention_workspace(m_q->get(), m_k->get(), m_v->get(), nullptr, nullptr, nullptr,
                                          m_mask_tensor ? m_mask_tensor->get() : nullptr, nullptr, scale, 1.0,
                                          all_tokens, a.causal ? 0 : all_tokens, a.hq, layout, 0,
                                          a.causal ? ACCELBENCH_FA_SPARSE_RIGHT_DOWN_CAUSAL : ACCELBENCH_FA_SPARSE_NONE,
                                          m_max->get(), m_sum->get(), nullptr, m_o->get(), &workspace, &executor),
      "aclnnFlashAttentionScoreGetWorkspaceSize");
  m_call =
      std::make_unique<aclnn_call>(lib, executor, workspace, lib.api().flash_attention, "aclnnFlashAttentionScore");
}

std::string ascend_attention::description() const {
  const attention_workload& a = m_workload;
  return fmt::format(
      "aclnnFlashAttentionScore (BNSD, {}, {}{}{}), workspace {} B", acl_dtype_name(acl_dtype_of(a.dt.in)),
      a.causal ? "sparseMode 3 rightDownCausal with the 2048x2048 compressed mask" : "sparseMode 0, no mask",
      a.hq != a.hkv ? fmt::format(", GQA {}:{}", a.hq, a.hkv) : std::string(), a.sq == 1 ? ", decode (sq=1)" : "",
      m_call->workspace_bytes());
}

}  // namespace accelbench::ascend
