#include "backends/common/abi_conversion.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace accelbench {

ab_workload to_abi(const workload& w, const std::string& text) {
  ab_workload out{};
  out.struct_size = sizeof(ab_workload);
  out.text = text.c_str();
  const dtype_spec dt = dtypes_of(w);
  out.dt_in = static_cast<int32_t>(dt.in);
  out.dt_out = static_cast<int32_t>(dt.out);
  out.dt_acc = static_cast<int32_t>(dt.acc);
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    out.kind = AB_WORKLOAD_GEMM;
    out.m = g->m;
    out.n = g->n;
    out.k = g->k;
    out.batch = g->batch;
    out.trans_a = g->trans_a ? 1 : 0;
    out.trans_b = g->trans_b ? 1 : 0;
  } else {
    const auto& a = std::get<attention_workload>(w);
    out.kind = AB_WORKLOAD_ATTENTION;
    out.b = a.b;
    out.hq = a.hq;
    out.hkv = a.hkv;
    out.sq = a.sq;
    out.skv = a.skv;
    out.d = a.d;
    out.causal = a.causal ? 1 : 0;
    out.scale = default_softmax_scale(a);
    out.window = a.window;
  }
  return out;
}

workload from_abi(const ab_workload& w) {
  const dtype_spec dt{static_cast<dtype>(w.dt_in), static_cast<dtype>(w.dt_out), static_cast<dtype>(w.dt_acc)};
  if (w.kind == AB_WORKLOAD_GEMM) {
    return gemm_workload{w.m, w.n, w.k, w.batch, w.trans_a != 0, w.trans_b != 0, dt};
  }
  attention_workload a{w.b, w.hq, w.hkv, w.sq, w.skv, w.d, w.causal != 0, dt};
  // A harness older than the window field sends a shorter struct: no window.
  if (w.struct_size >= offsetof(ab_workload, window) + sizeof(w.window)) a.window = w.window;
  return a;
}

void write_reason(char* buffer, std::size_t length, const std::string& text) {
  if (buffer == nullptr || length == 0) return;
  const std::size_t n = std::min(length - 1, text.size());
  std::memcpy(buffer, text.data(), n);
  buffer[n] = '\0';
}

}  // namespace accelbench
