#pragma once
// Kernels of the composed attention path (attention_kernels.cu), callable from host C++.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace accelbench::cuda {

enum class prob_type : int { f32 = 0, bf16 = 1, f16 = 2 };

// Row-wise softmax(scale * S) with the causal mask, f32 in, `type` out (may alias `scores`
// when type is f32). Rows are grouped: row r is query (row_offset + r % rows_per_group) % sq
// of its head; masked keys (j > i + skv - sq) and rows with no visible key become 0.
void launch_masked_softmax(const float* scores, void* probs, prob_type type, std::int64_t rows,
                           std::int64_t rows_per_group, std::int64_t row_offset, std::int64_t sq, std::int64_t skv,
                           bool causal, float scale, cudaStream_t stream);

}  // namespace accelbench::cuda
