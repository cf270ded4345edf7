#include "backends/common/composed_attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace accelbench::cpu {

void attention_steps::softmax(float* s, std::int64_t rows, std::int64_t keys, std::int64_t ld,
                              const std::int64_t* starts, const std::int64_t* limits) {
  for (std::int64_t r = 0; r < rows; ++r) {
    float* row = s + r * ld;
    const std::int64_t start = std::min(starts[r], limits[r]), limit = limits[r];
    float max_value = -std::numeric_limits<float>::infinity();
    for (std::int64_t j = start; j < limit; ++j) max_value = std::max(max_value, row[j]);
    float sum = 0.0f;
    for (std::int64_t j = start; j < limit; ++j) {
      row[j] = std::exp(row[j] - max_value);
      sum += row[j];
    }
    const float inverse = limit > start ? 1.0f / sum : 0.0f;
    for (std::int64_t j = start; j < limit; ++j) row[j] *= inverse;
    std::fill(row, row + start, 0.0f);
    std::fill(row + limit, row + keys, 0.0f);
  }
}

std::int64_t composed_block_rows(const attention_workload& w, std::int64_t budget_bytes) {
  const std::int64_t per_row = w.skv * static_cast<std::int64_t>(sizeof(float));
  return std::clamp<std::int64_t>(budget_bytes / std::max<std::int64_t>(per_row, 1), 1, w.sq);
}

void run_composed_attention(const attention_workload& w, const void* q, const void* k, const void* v, void* out,
                            attention_steps& steps, std::int64_t block_rows) {
  const std::int64_t in_bytes = storage_bytes(w.dt.in);
  const std::int64_t group = w.hq / w.hkv;
  const auto scale = static_cast<float>(default_softmax_scale(w));
  std::vector<float> scores(static_cast<std::size_t>(block_rows * w.skv));
  std::vector<float> block_out(static_cast<std::size_t>(block_rows * w.d));
  std::vector<std::int64_t> starts(static_cast<std::size_t>(block_rows)), limits(starts.size());
  const auto* q_bytes = static_cast<const char*>(q);
  const auto* k_bytes = static_cast<const char*>(k);
  const auto* v_bytes = static_cast<const char*>(v);

  for (std::int64_t b = 0; b < w.b; ++b) {
    for (std::int64_t h = 0; h < w.hq; ++h) {
      const std::int64_t kv_head = h / group;
      const char* k_head = k_bytes + (b * w.hkv + kv_head) * w.skv * w.d * in_bytes;
      const char* v_head = v_bytes + (b * w.hkv + kv_head) * w.skv * w.d * in_bytes;
      for (std::int64_t row0 = 0; row0 < w.sq; row0 += block_rows) {
        const std::int64_t rows = std::min(block_rows, w.sq - row0);
        // Keys [first, first + keys): from the first row's window start to the last row's limit.
        const std::int64_t first = window_key_start(w, row0);
        const std::int64_t keys = causal_key_limit(w, row0 + rows - 1) - first;
        const std::int64_t out_offset = ((b * w.hq + h) * w.sq + row0) * w.d;
        if (keys <= 0) {
          for (std::int64_t i = 0; i < rows * w.d; ++i) store_element(w.dt.out, out, out_offset + i, 0.0);
          continue;
        }
        for (std::int64_t r = 0; r < rows; ++r) {
          starts[r] = window_key_start(w, row0 + r) - first;
          limits[r] = causal_key_limit(w, row0 + r) - first;
        }
        const char* q_block = q_bytes + out_offset * in_bytes;
        const std::int64_t key_offset = first * w.d * in_bytes;
        steps.scores(q_block, k_head + key_offset, scores.data(), rows, keys, keys, w.d, scale);
        steps.softmax(scores.data(), rows, keys, keys, starts.data(), limits.data());
        steps.output(scores.data(), v_head + key_offset, block_out.data(), rows, keys, keys, w.d);
        if (w.dt.out == dtype::f32) {
          std::copy(block_out.begin(), block_out.begin() + rows * w.d, static_cast<float*>(out) + out_offset);
        } else if (w.dt.out == dtype::bf16) {
          auto* dst = static_cast<std::uint16_t*>(out) + out_offset;
          for (std::int64_t i = 0; i < rows * w.d; ++i) dst[i] = float_to_bf16_bits(block_out[i]);
        } else {
          for (std::int64_t i = 0; i < rows * w.d; ++i) store_element(w.dt.out, out, out_offset + i, block_out[i]);
        }
      }
    }
  }
}

}  // namespace accelbench::cpu
