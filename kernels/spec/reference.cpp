#include "kernels/spec/reference.hpp"

#include <algorithm>
#include <cmath>

namespace accelbench {

std::int64_t gemm_a_index(const gemm_workload& w, std::int64_t batch, std::int64_t row, std::int64_t inner) {
  const std::int64_t base = batch * w.m * w.k;
  return base + (w.trans_a ? inner * w.m + row : row * w.k + inner);
}

std::int64_t gemm_b_index(const gemm_workload& w, std::int64_t batch, std::int64_t inner, std::int64_t col) {
  const std::int64_t base = batch * w.k * w.n;
  return base + (w.trans_b ? col * w.k + inner : inner * w.n + col);
}

double reference_gemm_element(const gemm_workload& w, const host_tensor& a, const host_tensor& b, std::int64_t batch,
                              std::int64_t row, std::int64_t col) {
  double sum = 0.0;
  for (std::int64_t p = 0; p < w.k; ++p) {
    sum += a.get(gemm_a_index(w, batch, row, p)) * b.get(gemm_b_index(w, batch, p, col));
  }
  return sum;
}

std::vector<double> reference_gemm(const gemm_workload& w, const host_tensor& a, const host_tensor& b) {
  std::vector<double> c(static_cast<std::size_t>(w.batch * w.m * w.n), 0.0);
  std::vector<double> a_rows(static_cast<std::size_t>(w.m * w.k));  // op(A) as m x k
  std::vector<double> b_rows(static_cast<std::size_t>(w.k * w.n));  // op(B) as k x n
  for (std::int64_t bt = 0; bt < w.batch; ++bt) {
    for (std::int64_t i = 0; i < w.m; ++i)
      for (std::int64_t p = 0; p < w.k; ++p) a_rows[i * w.k + p] = a.get(gemm_a_index(w, bt, i, p));
    for (std::int64_t p = 0; p < w.k; ++p)
      for (std::int64_t j = 0; j < w.n; ++j) b_rows[p * w.n + j] = b.get(gemm_b_index(w, bt, p, j));
    double* out = c.data() + bt * w.m * w.n;
    for (std::int64_t i = 0; i < w.m; ++i) {
      for (std::int64_t p = 0; p < w.k; ++p) {
        const double a_ip = a_rows[i * w.k + p];
        const double* b_row = b_rows.data() + p * w.n;
        double* c_row = out + i * w.n;
        for (std::int64_t j = 0; j < w.n; ++j) c_row[j] += a_ip * b_row[j];
      }
    }
  }
  return c;
}

std::vector<double> reference_attention_row(const attention_workload& w, const host_tensor& q, const host_tensor& k,
                                            const host_tensor& v, std::int64_t batch, std::int64_t head,
                                            std::int64_t row) {
  const std::int64_t kv_head = head / (w.hq / w.hkv);
  const std::int64_t q_offset = ((batch * w.hq + head) * w.sq + row) * w.d;
  const std::int64_t kv_base = (batch * w.hkv + kv_head) * w.skv * w.d;
  // Keys [first, first + keys) are visible: the causal limit and, with a window, its start.
  const std::int64_t first = window_key_start(w, row);
  const std::int64_t keys = causal_key_limit(w, row) - first;
  std::vector<double> out(static_cast<std::size_t>(w.d), 0.0);
  if (keys <= 0) return out;

  std::vector<double> query(static_cast<std::size_t>(w.d));
  q.read(q_offset, w.d, query.data());
  std::vector<double> scores(static_cast<std::size_t>(keys));
  std::vector<double> key_row(static_cast<std::size_t>(w.d));
  const double scale = default_softmax_scale(w);
  double max_score = -INFINITY;
  for (std::int64_t j = 0; j < keys; ++j) {
    k.read(kv_base + (first + j) * w.d, w.d, key_row.data());
    double dot = 0.0;
    for (std::int64_t x = 0; x < w.d; ++x) dot += query[x] * key_row[x];
    scores[j] = dot * scale;
    max_score = std::max(max_score, scores[j]);
  }
  double denominator = 0.0;
  for (double& s : scores) {
    s = std::exp(s - max_score);
    denominator += s;
  }
  std::vector<double> value_row(static_cast<std::size_t>(w.d));
  for (std::int64_t j = 0; j < keys; ++j) {
    v.read(kv_base + (first + j) * w.d, w.d, value_row.data());
    const double p = scores[j] / denominator;
    for (std::int64_t x = 0; x < w.d; ++x) out[x] += p * value_row[x];
  }
  return out;
}

}  // namespace accelbench
