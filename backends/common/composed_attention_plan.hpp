#pragma once
// The plan of a CPU backend whose attention is composed from its library's GEMMs
// (composed_attention.hpp): its own copies of Q, K and V, the output, the query rows per block,
// and run / read_output over the steps the backend supplies. The oneDNN and OpenBLAS backends
// differ only in their steps (and what their description says).
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "accelbench_backend.h"
#include "backends/common/composed_attention.hpp"
#include "backends/common/cpu_plan.hpp"
#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::cpu {

class composed_attention_plan : public cpu_plan {
 public:
  void run() final {
    run_composed_attention(m_w, m_q.data(), m_k.data(), m_v.data(), m_o.data(), steps(), m_block_rows);
  }

  void read_output(void* host, std::uint64_t bytes) final {
    if (bytes != static_cast<std::uint64_t>(m_o.bytes())) throw std::runtime_error("read_output: size mismatch");
    std::memcpy(host, m_o.data(), bytes);
  }

 protected:
  // The score block of `block_rows()` query rows stays within `score_budget_bytes`.
  composed_attention_plan(const attention_workload& w, const ab_host_tensor* inputs, std::int64_t score_budget_bytes)
      : m_w(w),
        m_q(copy_input(inputs[0], w.dt.in)),
        m_k(copy_input(inputs[1], w.dt.in)),
        m_v(copy_input(inputs[2], w.dt.in)),
        m_o(w.dt.out, w.o_elements()),
        m_block_rows(composed_block_rows(w, score_budget_bytes)) {
    fill_random(m_o, 7);  // a written-to output, never zeros
  }

  std::int64_t block_rows() const { return m_block_rows; }

 private:
  // The backend's GEMM and softmax steps, owned by the derived plan.
  virtual attention_steps& steps() = 0;

  attention_workload m_w;
  host_tensor m_q, m_k, m_v, m_o;
  std::int64_t m_block_rows;
};

}  // namespace accelbench::cpu
