#pragma once
// What the fake CUDA runtime (fake_cudart.cpp, built as libcudart.so.13) recorded: every call in
// order, with the stream it was enqueued on. Each call is also appended as "<pid> <name>" to
// $ACCELBENCH_FAKE_CUDA_LOG when set, so calls from forked children are seen too.
#include <cuda_runtime_api.h>

#include <string>
#include <vector>

namespace accelbench::fake_cuda {

struct runtime_call {
  std::string name;
  cudaStream_t stream = nullptr;  // null: the legacy default stream (or no stream)
};

// This process's calls so far; clear_calls() forgets them.
const std::vector<runtime_call>& calls();
void clear_calls();

}  // namespace accelbench::fake_cuda
