#pragma once
// fp64-accumulating reference implementations: slow and obviously correct. They read the
// same rounded inputs the kernels receive, so kernel error is separated from input rounding.
#include <cstdint>
#include <vector>

#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench {

// Inputs in the workload's storage layout (backends/sdk/accelbench_backend.h documents it).
double reference_gemm_element(const gemm_workload& w, const host_tensor& a, const host_tensor& b, std::int64_t batch,
                              std::int64_t row, std::int64_t col);
// Full product in fp64 (c.size() == batch*m*n), before rounding to the output type.
std::vector<double> reference_gemm(const gemm_workload& w, const host_tensor& a, const host_tensor& b);

// One output row O[batch][head][row][0..d) in fp64 over the keys the causal mask and the window
// leave visible. Fully masked rows (causal, sq > skv) are 0.
std::vector<double> reference_attention_row(const attention_workload& w, const host_tensor& q, const host_tensor& k,
                                            const host_tensor& v, std::int64_t batch, std::int64_t head,
                                            std::int64_t row);

// Index helpers for the fixed layouts.
std::int64_t gemm_a_index(const gemm_workload& w, std::int64_t batch, std::int64_t row, std::int64_t inner);
std::int64_t gemm_b_index(const gemm_workload& w, std::int64_t batch, std::int64_t inner, std::int64_t col);

}  // namespace accelbench
