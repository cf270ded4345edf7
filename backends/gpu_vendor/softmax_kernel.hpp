#pragma once
// The masked softmax of the composed attention (vendor_attention.hpp), compiled at run time by
// the vendor's runtime compiler (hiprtc) for the device's own architecture (--offload-arch= from
// gcnArchName), loaded as a module and launched on the plan's stream. The source is a string in
// softmax_kernel.cpp: one block per score row, reductions through shared memory, so it holds on
// 64-wide wavefronts (GFX9, Hygon) as on 32-wide ones.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/gpu_vendor/vendor_library.hpp"
#include "kernels/spec/dtype.hpp"

namespace accelbench::gpu_vendor {

// The kernel source and the entry point per probability type (f32, f16, bf16).
const char* softmax_kernel_source();
const char* softmax_entry_point(dtype probabilities);

// What one launch computes: rows of f32 scores (row r is query (row_offset + r % rows_per_group)
// % sq of its head), softmax(scale * s) over the keys the row sees ([window start, causal limit),
// bottom-right aligned as docs/workloads.md defines them), written as `probabilities`; masked keys
// and rows that see no key become 0. Probabilities may alias the scores when they are f32.
struct softmax_launch {
  const float* scores = nullptr;
  void* probabilities = nullptr;
  std::int64_t rows = 0, rows_per_group = 0, row_offset = 0, sq = 0, skv = 0;
  bool causal = false;
  std::int64_t window = 0;
  float scale = 1.0f;
};

// The source compiled by the runtime compiler for `architecture` ("gfx90a"): the code object.
// Throws std::runtime_error naming the call, with the compiler's log when compilation fails.
std::vector<char> compile_softmax_kernel(const vendor_library& lib, const std::string& architecture);

class softmax_kernel {
 public:
  // Compiles the source for `architecture` and loads it; throws std::runtime_error with the
  // compiler's log when compilation fails.
  softmax_kernel(const vendor_library& lib, const std::string& architecture);
  ~softmax_kernel();
  softmax_kernel(const softmax_kernel&) = delete;
  softmax_kernel& operator=(const softmax_kernel&) = delete;

  void launch(dtype probabilities, const softmax_launch& l, gpu_stream stream) const;
  const std::string& architecture() const { return m_architecture; }

 private:
  const vendor_library* m_lib;
  std::string m_architecture;
  gpu_module m_module = nullptr;
  gpu_function m_f32 = nullptr, m_f16 = nullptr, m_bf16 = nullptr;
};

}  // namespace accelbench::gpu_vendor
