#pragma once
// Our own declarations of the CUDA-shaped vendor APIs the hip and musa backends call: a GPU
// runtime (HIP's hip*, MUSA's musa*), a BLAS-Lt library (hipBLASLt's hipblasLt*, muBLASLt's
// mublasLt*) and the GEMM library used without BLAS-Lt (rocBLAS, muBLAS). Both vendors mirror CUDA's runtime and
// cuBLASLt call for call, so one table of entry points serves both; what differs per vendor is the symbol prefix, the
// enum values and the size of a heuristic result (vendor_table.hpp). No vendor header is needed to build: all handles
// are opaque pointers and every enum is passed as the int the C ABI passes.
#include <cstddef>
#include <cstdint>

namespace accelbench::gpu_vendor {

using gpu_status = int;        // hipError_t / musaError_t: 0 is success
using blas_status = int;       // hipblasStatus_t / mublasStatus_t: 0 is success
using gpu_stream = void*;      // hipStream_t / musaStream_t
using gpu_event = void*;       // hipEvent_t / musaEvent_t
using blaslt_handle = void*;   // hipblasLtHandle_t / mublasLtHandle_t
using blaslt_desc = void*;     // ...MatmulDesc_t
using blaslt_layout = void*;   // ...MatrixLayout_t
using blaslt_pref = void*;     // ...MatmulPreference_t
using gpu_module = void*;      // hipModule_t
using gpu_function = void*;    // hipFunction_t
using rtc_status = int;        // hiprtcResult: 0 (HIPRTC_SUCCESS) is success
using rtc_program = void*;     // hiprtcProgram
using gpu_graph = void*;       // hipGraph_t / musaGraph_t
using gpu_graph_exec = void*;  // hipGraphExec_t / musaGraphExec_t
using blas_handle = void*;     // rocblas_handle / mublasHandle_t: the fallback GEMM library's

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
  // Module loading, for kernels compiled at run time (bound only for a vendor with a runtime
  // compiler: HIP's hipModule* live in the runtime library).
  gpu_status (*ModuleLoadData)(gpu_module* module, const void* image) = nullptr;
  gpu_status (*ModuleUnload)(gpu_module module) = nullptr;
  gpu_status (*ModuleGetFunction)(gpu_function* function, gpu_module module, const char* name) = nullptr;
  gpu_status (*ModuleLaunchKernel)(gpu_function function, unsigned grid_x, unsigned grid_y, unsigned grid_z,
                                   unsigned block_x, unsigned block_y, unsigned block_z, unsigned shared_bytes,
                                   gpu_stream stream, void** parameters, void** extra) = nullptr;
  // Stream capture into a graph, for graph batching (optional: without them plans launch one
  // sequence per sample). Signatures as HIP 5.2's hip_runtime_api.h gives them, which CUDA's
  // (and so MUSA's) share; GraphInstantiateWithFlags is the form HIP and CUDA 11.4+ have in
  // common (CUDA 12 changed plain GraphInstantiate's arguments).
  gpu_status (*StreamBeginCapture)(gpu_stream stream, int mode) = nullptr;
  gpu_status (*StreamEndCapture)(gpu_stream stream, gpu_graph* graph) = nullptr;
  gpu_status (*GraphInstantiateWithFlags)(gpu_graph_exec* exec, gpu_graph graph, unsigned long long flags) = nullptr;
  gpu_status (*GraphLaunch)(gpu_graph_exec exec, gpu_stream stream) = nullptr;
  gpu_status (*GraphExecDestroy)(gpu_graph_exec exec) = nullptr;
  gpu_status (*GraphDestroy)(gpu_graph graph) = nullptr;
};

// The runtime compiler's entry points, named by what follows its prefix ("hiprtc" + "CreateProgram").
// Signatures from ROCm's hiprtc.h as documented in the HIP runtime API reference ("Runtime
// Compilation"): the source is compiled by CompileProgram with clang options and GetCode returns
// the code object that ModuleLoadData loads.
struct rtc_api {
  rtc_status (*CreateProgram)(rtc_program* program, const char* source, const char* name, int header_count,
                              const char** headers, const char** include_names) = nullptr;
  rtc_status (*CompileProgram)(rtc_program program, int option_count, const char** options) = nullptr;
  rtc_status (*GetProgramLogSize)(rtc_program program, std::size_t* bytes) = nullptr;
  rtc_status (*GetProgramLog)(rtc_program program, char* log) = nullptr;
  rtc_status (*GetCodeSize)(rtc_program program, std::size_t* bytes) = nullptr;
  rtc_status (*GetCode)(rtc_program program, char* code) = nullptr;
  rtc_status (*DestroyProgram)(rtc_program* program) = nullptr;
  const char* (*GetErrorString)(rtc_status status) = nullptr;
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

// rocBLAS, the HIP GEMM when hipBLASLt is absent (older DTK releases ship rocBLAS and hipBLAS
// only), named by what follows "rocblas_". Signatures from ROCm/rocBLAS's public
// rocblas-functions.h, unchanged from rocBLAS 2.4 (before it two workspace arguments followed)
// through rocBLAS 5 (ROCm 7): enums are ints,
// rocblas_int is int32_t (the LP64 build every distribution ships), rocblas_stride int64_t.
// Why rocBLAS rather than hipBLAS: hipblasGemmStridedBatchedEx changed its type arguments
// between ROCm 5, 6 (_v2) and 7 under one name; rocBLAS's did not (docs/hip-musa.md).
struct rocblas_api {
  blas_status (*create_handle)(blas_handle* handle) = nullptr;
  blas_status (*destroy_handle)(blas_handle handle) = nullptr;
  blas_status (*set_stream)(blas_handle handle, gpu_stream stream) = nullptr;
  blas_status (*gemm_ex)(blas_handle handle, int trans_a, int trans_b, std::int32_t m, std::int32_t n, std::int32_t k,
                         const void* alpha, const void* a, int a_type, std::int32_t lda, const void* b, int b_type,
                         std::int32_t ldb, const void* beta, const void* c, int c_type, std::int32_t ldc, void* d,
                         int d_type, std::int32_t ldd, int compute_type, int algo, std::int32_t solution_index,
                         std::uint32_t flags) = nullptr;
  blas_status (*gemm_strided_batched_ex)(blas_handle handle, int trans_a, int trans_b, std::int32_t m, std::int32_t n,
                                         std::int32_t k, const void* alpha, const void* a, int a_type, std::int32_t lda,
                                         std::int64_t stride_a, const void* b, int b_type, std::int32_t ldb,
                                         std::int64_t stride_b, const void* beta, const void* c, int c_type,
                                         std::int32_t ldc, std::int64_t stride_c, void* d, int d_type, std::int32_t ldd,
                                         std::int64_t stride_d, std::int32_t batch_count, int compute_type, int algo,
                                         std::int32_t solution_index, std::uint32_t flags) = nullptr;
  blas_status (*get_version_string)(char* buffer, std::size_t bytes) = nullptr;  // optional
};

// muBLAS, the MUSA GEMM when muBLASLt is absent (it ships with MUSA 4.3 and newer), named by
// what follows "mublas". muBLAS mirrors cuBLAS name for name (Moore Threads' torchada maps
// cublasGemmStridedBatchedEx to mublasGemmStridedBatchedEx; InfiniCore's Moore Threads GEMM calls
// it with musaDataType_t and mublasComputeType_t), so the signatures are cuBLAS's
// cublasGemmEx and cublasGemmStridedBatchedEx: int sizes, long long strides, enums as ints. No
// public muBLAS header pins them: an assumption until checked on an S4000 (docs/hip-musa.md).
struct mublas_api {
  blas_status (*Create)(blas_handle* handle) = nullptr;
  blas_status (*Destroy)(blas_handle handle) = nullptr;
  blas_status (*SetStream)(blas_handle handle, gpu_stream stream) = nullptr;
  blas_status (*GemmStridedBatchedEx)(blas_handle handle, int trans_a, int trans_b, int m, int n, int k,
                                      const void* alpha, const void* a, int a_type, int lda, long long stride_a,
                                      const void* b, int b_type, int ldb, long long stride_b, const void* beta, void* c,
                                      int c_type, int ldc, long long stride_c, int batch_count, int compute_type,
                                      int algo) = nullptr;
};

}  // namespace accelbench::gpu_vendor
