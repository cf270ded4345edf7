#pragma once
// One GEMM workload bound to a vendor's GEMM library: BLAS-Lt (blaslt_matmul, vendor_gemm.hpp)
// or, without it, rocBLAS on HIP (rocblas_gemm.hpp) and muBLAS on MUSA (mublas_gemm.hpp). The plans and the composed
// attention use this interface and never ask which library is behind it.
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "backends/gpu_vendor/vendor_api.hpp"
#include "kernels/spec/workload.hpp"

namespace accelbench::gpu_vendor {

class vendor_library;

// The library answered "not implemented" or "not supported" when called (rocBLAS and muBLAS have
// no query that says so beforehand): prepare turns it into unsupported rather than a failure.
struct gemm_not_implemented : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class vendor_matmul {
 public:
  virtual ~vendor_matmul() = default;
  // Why the library cannot run the workload, or empty.
  virtual const std::string& unsupported() const = 0;
  // Algorithms to choose from (the _tuned tables time each); select one of 0 .. count-1.
  virtual int candidate_count() const = 0;
  virtual void select(int candidate) = 0;
  virtual int selected() const = 0;
  // Workspace bytes the selected algorithm needs.
  virtual std::size_t workspace_needed() const = 0;
  // Enqueues C = A B on `stream` (alpha 1, beta 0) with device pointers in our row-major terms.
  virtual void enqueue(const void* a, const void* b, void* c, void* workspace, gpu_stream stream) const = 0;
  virtual std::string description() const = 0;
};

// A GEMM library with one algorithm and its own workspace (rocBLAS, muBLAS): nothing to choose.
class single_algorithm_matmul : public vendor_matmul {
 public:
  explicit single_algorithm_matmul(std::string unsupported) : m_unsupported(std::move(unsupported)) {}
  const std::string& unsupported() const override { return m_unsupported; }
  int candidate_count() const override { return m_unsupported.empty() ? 1 : 0; }
  void select(int candidate) override {
    if (candidate != 0) throw std::out_of_range("candidate " + std::to_string(candidate) + " of 1");
  }
  int selected() const override { return 0; }
  std::size_t workspace_needed() const override { return 0; }

 private:
  std::string m_unsupported;
};

// A device's GEMM context: the handle of the library in use (the other stays null) and the
// device's architecture ("gfx950"), which decides whether BLAS-Lt runs f8.
struct gemm_context {
  blaslt_handle blaslt = nullptr;
  blas_handle fallback = nullptr;  // rocBLAS or muBLAS
  std::string architecture;
};

// Why the vendor's GEMM library in use cannot run `w` on a device of `architecture` (empty when
// it can), without touching the device.
std::string gemm_unsupported(const vendor_library& lib, const gemm_workload& w, const std::string& architecture);

// A GEMM through BLAS-Lt when it is loaded (asking its heuristic for up to `candidates`
// algorithms), else through the fallback library (one algorithm).
std::unique_ptr<vendor_matmul> make_matmul(const vendor_library& lib, const gemm_context& blas, const gemm_workload& w,
                                           std::size_t workspace_bytes, int candidates = 1);

}  // namespace accelbench::gpu_vendor
