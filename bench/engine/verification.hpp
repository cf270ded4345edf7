#pragma once
// Checks a backend's output against fp64 math on the same rounded inputs (methodology §5).
// GEMM: full reference for small problems; otherwise Freivalds' check (C x vs A (B x), several
// random x, O(n^2)) with a per-row test, plus exactly recomputed sampled entries.
// Attention: exact fp64 recomputation of sampled query rows.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/spec/host_tensor.hpp"
#include "kernels/spec/workload.hpp"
#include "reports/model/verification_result.hpp"

namespace accelbench {

// Relative-Frobenius tolerance for a dtype spec and reduction length (methodology §5.2).
double verification_tolerance(const dtype_spec& dt, std::int64_t reduction_length);

verification_result verify_gemm(const gemm_workload& w, const host_tensor& a, const host_tensor& b,
                                const host_tensor& c, std::uint64_t seed);
verification_result verify_attention(const attention_workload& w, const host_tensor& q, const host_tensor& k,
                                     const host_tensor& v, const host_tensor& o, std::uint64_t seed);

}  // namespace accelbench
