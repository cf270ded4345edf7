#pragma once
// A vendor's runtime and BLAS-Lt library, loaded at run time (backends/common/library_loader)
// and bound by the names of its table: "hip" + "Malloc", "hipblasLt" + "Matmul". Without the
// runtime the backend is unavailable with the reason; without BLAS-Lt the vendor's fallback
// GEMM library is loaded (HIP: rocBLAS, MUSA: muBLAS), and without either every GEMM is unsupported with the
// reason; without the runtime compiler (hiprtc) every attention is unsupported with the reason.
#include <string>

#include "backends/common/library_loader.hpp"
#include "backends/gpu_vendor/vendor_api.hpp"
#include "backends/gpu_vendor/vendor_table.hpp"

namespace accelbench::gpu_vendor {

class vendor_library {
 public:
  explicit vendor_library(const vendor_table& vendor);

  const vendor_table& vendor() const { return *m_vendor; }
  bool runtime_available() const { return m_runtime.is_open(); }
  const std::string& runtime_reason() const { return m_runtime_reason; }
  bool blaslt_available() const { return m_blaslt.is_open(); }
  const std::string& blaslt_reason() const { return m_blaslt_reason; }
  const runtime_api& rt() const { return m_rt; }
  const blaslt_api& lt() const { return m_lt; }
  // The fallback GEMM library (vendor().fallback_kind: rocBLAS or muBLAS), loaded only when
  // BLAS-Lt is absent; rb() or mb() is bound, by its kind.
  bool fallback_available() const { return m_fallback.is_open(); }
  const std::string& fallback_reason() const { return m_fallback_reason; }
  std::string fallback_path() const { return m_fallback.path(); }
  // The fallback library's own version ("4.1.0.abc"), where it reports one (rocBLAS); else "".
  std::string fallback_version() const;
  const rocblas_api& rb() const { return m_rb; }
  const mublas_api& mb() const { return m_mb; }
  // A handle of the fallback library, or its failure as "rocblas_create_handle returned status 6".
  std::string create_fallback_handle(blas_handle* handle) const;
  void destroy_fallback_handle(blas_handle handle) const;
  // Some GEMM library is there (BLAS-Lt or the fallback); otherwise why not, naming both.
  bool gemm_available() const { return blaslt_available() || fallback_available(); }
  std::string gemm_reason() const;
  // The GEMM library in use, for messages: "hipBLASLt", or "rocBLAS" without it.
  const char* gemm_name() const;
  bool rtc_available() const { return m_rtc.is_open(); }
  const std::string& rtc_reason() const { return m_rtc_reason; }
  const rtc_api& rtc() const { return m_rtc_api; }
  std::string rtc_path() const { return m_rtc.path(); }
  std::string runtime_path() const { return m_runtime.path(); }
  // The runtime can capture a stream into a graph and launch it (graph batching).
  bool graphs_available() const {
    return m_rt.StreamBeginCapture != nullptr && m_rt.StreamEndCapture != nullptr &&
           m_rt.GraphInstantiateWithFlags != nullptr && m_rt.GraphLaunch != nullptr &&
           m_rt.GraphExecDestroy != nullptr && m_rt.GraphDestroy != nullptr;
  }
  std::string blaslt_path() const { return m_blaslt.path(); }

  // "hipErrorNoDevice (100)", or "error 100" when the runtime has no name for it.
  std::string describe(gpu_status status) const;

 private:
  void load_runtime();
  void load_blaslt();
  void load_rtc();
  void load_fallback();

  const vendor_table* m_vendor;
  loaded_library m_runtime, m_blaslt, m_rtc, m_fallback;
  runtime_api m_rt;
  blaslt_api m_lt;
  rtc_api m_rtc_api;
  rocblas_api m_rb;
  mublas_api m_mb;
  std::string m_runtime_reason, m_blaslt_reason, m_rtc_reason, m_fallback_reason;
};

}  // namespace accelbench::gpu_vendor
