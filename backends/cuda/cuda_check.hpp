#pragma once
// Error checks for CUDA runtime and cuBLASLt calls: a failure throws cuda_error carrying the
// expression, the vendor's error name and message, and file:line. Exceptions are caught at
// the C ABI boundary (cuda_backend.cpp) and become status codes with the message kept.
#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <stdexcept>
#include <string>

#include "backends/cuda/cublaslt_library.hpp"

namespace accelbench::cuda {

class cuda_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_cuda_error(const char* expression, const std::string& vendor_message, const char* file,
                                   int line);

inline void check_cuda(cudaError_t status, const char* expression, const char* file, int line) {
  if (status != cudaSuccess) {
    throw_cuda_error(expression, std::string(cudaGetErrorName(status)) + ": " + cudaGetErrorString(status), file, line);
  }
}

inline void check_cublas(cublasStatus_t status, const char* expression, const char* file, int line) {
  if (status != CUBLAS_STATUS_SUCCESS) {
    throw_cuda_error(expression, describe_cublas_status(status), file, line);
  }
}

}  // namespace accelbench::cuda

#define ACCELBENCH_CHECK_CUDA(expr) ::accelbench::cuda::check_cuda((expr), #expr, __FILE__, __LINE__)
#define ACCELBENCH_CHECK_CUBLAS(expr) ::accelbench::cuda::check_cublas((expr), #expr, __FILE__, __LINE__)
