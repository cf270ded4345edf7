#pragma once
// Our own declarations of the CUDA-shaped vendor APIs the hip and musa backends call: a GPU
// runtime (HIP's hip*, MUSA's musa*) and a BLAS-Lt library (hipBLASLt's hipblasLt*, muBLASLt's
// mublasLt*). Both vendors mirror CUDA's runtime and cuBLASLt call for call, so one table of
// entry points serves both; what differs per vendor is the symbol prefix, the enum values and
// the size of a heuristic result (vendor_table.hpp). No vendor header is needed to build: all
// handles are opaque pointers and every enum is passed as the int the C ABI passes.
#include <cstddef>
#include <cstdint>

namespace accelbench::gpu_vendor {

using gpu_status = int;       // hipError_t / musaError_t: 0 is success
using blas_status = int;      // hipblasStatus_t / mublasStatus_t: 0 is success
using gpu_stream = void*;     // hipStream_t / musaStream_t
using gpu_event = void*;      // hipEvent_t / musaEvent_t
using blaslt_handle = void*;  // hipblasLtHandle_t / mublasLtHandle_t
using blaslt_desc = void*;    // ...MatmulDesc_t
using blaslt_layout = void*;  // ...MatrixLayout_t
using blaslt_pref = void*;    // ...MatmulPreference_t

// The runtime's entry points, named by what follows the vendor prefix ("hip" + "Malloc").
struct runtime_api {
  gpu_status (*GetDeviceCount)(int* count) = nullptr;
  gpu_status (*SetDevice)(int device) = nullptr;
  // Writes the vendor's device-properties struct; we read only its leading name[256] and scan
  // it for the architecture string (vendor_device.cpp), so the struct's version never matters.
  gpu_status (*GetDeviceProperties)(void* properties, int device) = nullptr;
  gpu_status (*DeviceGetAttribute)(int* value, int attribute, int device) = nullptr;
  gpu_status (*MemGetInfo)(std::size_t* free, std::size_t* total) = nullptr;
  gpu_status (*Malloc)(void** pointer, std::size_t bytes) = nullptr;
  gpu_status (*Free)(void* pointer) = nullptr;
  gpu_status (*Memcpy)(void* destination, const void* source, std::size_t bytes, int kind) = nullptr;
  gpu_status (*MemsetAsync)(void* destination, int value, std::size_t bytes, gpu_stream stream) = nullptr;
  gpu_status (*StreamCreate)(gpu_stream* stream) = nullptr;
  gpu_status (*StreamDestroy)(gpu_stream stream) = nullptr;
  gpu_status (*StreamSynchronize)(gpu_stream stream) = nullptr;
  gpu_status (*EventCreate)(gpu_event* event) = nullptr;
  gpu_status (*EventDestroy)(gpu_event event) = nullptr;
  gpu_status (*EventRecord)(gpu_event event, gpu_stream stream) = nullptr;
  gpu_status (*EventElapsedTime)(float* milliseconds, gpu_event start, gpu_event stop) = nullptr;
  const char* (*GetErrorName)(gpu_status status) = nullptr;
  gpu_status (*RuntimeGetVersion)(int* version) = nullptr;  // optional
};

// The BLAS-Lt library's entry points, named by what follows its prefix ("hipblasLt" + "Create").
struct blaslt_api {
  blas_status (*Create)(blaslt_handle* handle) = nullptr;
  blas_status (*Destroy)(blaslt_handle handle) = nullptr;
  blas_status (*MatmulDescCreate)(blaslt_desc* desc, int compute_type, int scale_type) = nullptr;
  blas_status (*MatmulDescDestroy)(blaslt_desc desc) = nullptr;
  blas_status (*MatmulDescSetAttribute)(blaslt_desc desc, int attribute, const void* value,
                                        std::size_t bytes) = nullptr;
  blas_status (*MatrixLayoutCreate)(blaslt_layout* layout, int type, std::uint64_t rows, std::uint64_t cols,
                                    std::int64_t ld) = nullptr;
  blas_status (*MatrixLayoutDestroy)(blaslt_layout layout) = nullptr;
  blas_status (*MatrixLayoutSetAttribute)(blaslt_layout layout, int attribute, const void* value,
                                          std::size_t bytes) = nullptr;
  blas_status (*MatmulPreferenceCreate)(blaslt_pref* preference) = nullptr;
  blas_status (*MatmulPreferenceDestroy)(blaslt_pref preference) = nullptr;
  blas_status (*MatmulPreferenceSetAttribute)(blaslt_pref preference, int attribute, const void* value,
                                              std::size_t bytes) = nullptr;
  // `results` is an array of the vendor's heuristic-result structs (vendor_table::heuristic).
  blas_status (*MatmulAlgoGetHeuristic)(blaslt_handle handle, blaslt_desc desc, blaslt_layout a, blaslt_layout b,
                                        blaslt_layout c, blaslt_layout d, blaslt_pref preference, int requested,
                                        void* results, int* returned) = nullptr;
  blas_status (*Matmul)(blaslt_handle handle, blaslt_desc desc, const void* alpha, const void* a,
                        blaslt_layout a_layout, const void* b, blaslt_layout b_layout, const void* beta, const void* c,
                        blaslt_layout c_layout, void* d, blaslt_layout d_layout, const void* algo, void* workspace,
                        std::size_t workspace_bytes, gpu_stream stream) = nullptr;
};

}  // namespace accelbench::gpu_vendor
