#pragma once
// Attention through aclnnFlashAttentionScore: layout BNSD (exactly our Q[b][hq][sq][d] and
// K, V [b][hkv][skv][d]), GQA native (query head h reads key/value head h / (hq / hkv)), scale
// 1/sqrt(d). Causal is ours, bottom-right aligned (key j masked when j > i + skv - sq): sparseMode
// 3 (rightDownCausal) with the operator's compressed 2048 x 2048 mask (1 = masked, above the
// diagonal). Decode (sq = 1) is within the operator's documented shapes (S 1..1M) and runs here too.
// The operator also writes softmax max and sum ([b, hq, sq, 8] f32 each) for a backward pass;
// they are allocated and ignored.
#include <cstdint>
#include <memory>
#include <string>

#include "backends/ascend/acl_objects.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::ascend {

// Why the operator cannot run this attention (its documented limits), or "".
std::string attention_unsupported(const attention_workload& a);
// Device bytes beyond Q, K, V and O: softmax statistics and the causal mask.
std::uint64_t attention_extra_bytes(const attention_workload& a);

class ascend_attention {
 public:
  // q, k, v, o: device buffers in the ABI layout. Throws cann_error with the operator's status.
  ascend_attention(const cann_library& lib, const attention_workload& a, void* q, void* k, void* v, void* o);
  void enqueue(aclrtStream stream) const { m_call->enqueue(stream); }
  std::string description() const;

 private:
  attention_workload m_workload;
  device_buffer m_softmax_max, m_softmax_sum, m_mask;
  std::unique_ptr<acl_tensor> m_q, m_k, m_v, m_o, m_max, m_sum, m_mask_tensor;
  std::unique_ptr<aclnn_call> m_call;
};

}  // namespace accelbench::ascend
