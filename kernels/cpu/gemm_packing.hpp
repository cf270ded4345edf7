#pragma once
// The two data movements every GEMM packing layout here reduces to, vectorised with SSE2 (the
// x86-64 baseline, so the drivers need no ISA flags):
//  - a transpose of 32-bit words: f32 A panels (A(i, k) at panel[k * mr + i]) and transposed-B
//    panels, and, with bf16 pairs read as one 32-bit word, the vdpbf16ps A panels of an
//    untransposed A and B panels of a transposed B;
//  - an interleave of two rows of 16-bit values: the vdpbf16ps pairs (k, k + 1) of an
//    untransposed B or a transposed A, whose two elements lie in different rows.
#include <cstdint>

namespace accelbench::cpu_kernels {

// dst[c * dst_stride + r] = word c of source row r, for r < rows, c < cols; source row r starts
// at src + r * src_stride_bytes (any alignment), words are 4 bytes (f32, or a bf16 pair).
void transpose_words(const void* src, std::int64_t src_stride_bytes, std::int64_t rows, std::int64_t cols,
                     std::uint32_t* dst, std::int64_t dst_stride);

// dst[2 * j] = first[j], dst[2 * j + 1] = second[j] for j < count (second == nullptr: zeros).
void interleave_pairs(const std::uint16_t* first, const std::uint16_t* second, std::int64_t count, std::uint16_t* dst);

}  // namespace accelbench::cpu_kernels
