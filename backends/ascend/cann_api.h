/* The few CANN types and entry points the ascend backend uses, declared by us from Huawei's public
 * API documentation (hicann/runtime docs/api_docs: aclDataType.md, aclFormat.md, aclrtMemcpyKind.md,
 * aclrtMemMallocPolicy.md, aclrtMemAttr.md, aclrtCreateEventExWithFlag.md; hicann/ops-nn and
 * hicann/ops-transformer docs: aclnnMatmul.md, aclnnBatchMatMul.md, aclnnFlashAttentionScore.md).
 * CANN's own headers are not used or copied: their licence limits them to systems with Huawei
 * processors, and the backend must build on every machine. Everything here is loaded with dlopen
 * at run time (cann_library.cpp), so nothing links against CANN.
 *
 * Every enum value we pass to CANN is pinned below with a static_assert naming the documented
 * value: a typo here would silently ask the device for another dtype, layout or copy direction. */
#ifndef ACCELBENCH_ASCEND_CANN_API_H
#define ACCELBENCH_ASCEND_CANN_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int aclError;          /* ACL_SUCCESS = 0 */
typedef int32_t aclnnStatus;   /* ACLNN_SUCCESS = 0 */
typedef void* aclrtStream;     /* opaque */
typedef void* aclrtEvent;      /* opaque */
typedef struct aclTensor aclTensor;         /* opaque, created by aclCreateTensor (libnnopbase) */
typedef struct aclOpExecutor aclOpExecutor; /* opaque, returned by aclnnXxxGetWorkspaceSize */

/* aclDataType (aclDataType.md) */
enum {
  ACCELBENCH_ACL_FLOAT = 0,   /* ACL_FLOAT = 0 (fp32) */
  ACCELBENCH_ACL_FLOAT16 = 1, /* ACL_FLOAT16 = 1 */
  ACCELBENCH_ACL_INT8 = 2,    /* ACL_INT8 = 2 */
  ACCELBENCH_ACL_INT32 = 3,   /* ACL_INT32 = 3 */
  ACCELBENCH_ACL_UINT8 = 4,   /* ACL_UINT8 = 4 (attention masks) */
  ACCELBENCH_ACL_BOOL = 12,   /* ACL_BOOL = 12 */
  ACCELBENCH_ACL_BF16 = 27,   /* ACL_BF16 = 27 */
};
/* aclFormat (aclFormat.md) */
enum { ACCELBENCH_ACL_FORMAT_ND = 2 /* ACL_FORMAT_ND = 2 */ };
/* aclrtMemcpyKind (aclrtMemcpyKind.md: HOST_TO_HOST, HOST_TO_DEVICE, DEVICE_TO_HOST, ...) */
enum {
  ACCELBENCH_ACL_MEMCPY_HOST_TO_DEVICE = 1, /* ACL_MEMCPY_HOST_TO_DEVICE, second enumerator */
  ACCELBENCH_ACL_MEMCPY_DEVICE_TO_HOST = 2, /* ACL_MEMCPY_DEVICE_TO_HOST, third enumerator */
};
/* aclrtMemMallocPolicy (aclrtMemMallocPolicy.md) */
enum { ACCELBENCH_ACL_MEM_MALLOC_HUGE_FIRST = 0 /* ACL_MEM_MALLOC_HUGE_FIRST, first enumerator */ };
/* aclrtMemAttr (aclrtMemAttr.md: ACL_DDR_MEM, ACL_HBM_MEM, ...) */
enum { ACCELBENCH_ACL_HBM_MEM = 1 /* ACL_HBM_MEM, second enumerator */ };
/* Event flags (aclrtCreateEventExWithFlag.md): #define ACL_EVENT_SYNC 0x00000001U,
 * #define ACL_EVENT_TIME_LINE 0x00000008U */
#define ACCELBENCH_ACL_EVENT_SYNC 0x00000001u
#define ACCELBENCH_ACL_EVENT_TIME_LINE 0x00000008u
/* cubeMathType of aclnnMatmul / aclnnBatchMatMul (aclnnMatmul.md): 0 KEEP_DTYPE,
 * 1 ALLOW_FP32_DOWN_PRECISION, 2 USE_FP16, 3 USE_HF32. */
enum {
  ACCELBENCH_CUBE_KEEP_DTYPE = 0,
  ACCELBENCH_CUBE_ALLOW_FP32_DOWN_PRECISION = 1,
  ACCELBENCH_CUBE_USE_FP16 = 2,
  ACCELBENCH_CUBE_USE_HF32 = 3,
};
/* sparseMode of aclnnFlashAttentionScore (sparse_mode_introduction.md): 0 defaultMask, 2 leftUpCausal,
 * 3 rightDownCausal (the mask aligned to the bottom-right corner: ours), with the compressed
 * 2048 x 2048 lower-triangular attenMask. */
enum { ACCELBENCH_FA_SPARSE_NONE = 0, ACCELBENCH_FA_SPARSE_RIGHT_DOWN_CAUSAL = 3 };
#define ACCELBENCH_FA_COMPRESSED_MASK 2048

/* libascendcl.so: runtime */
typedef aclError (*aclInit_fn)(const char* configPath);
typedef aclError (*aclrtSetDevice_fn)(int32_t deviceId);
typedef aclError (*aclrtResetDevice_fn)(int32_t deviceId);
typedef aclError (*aclrtGetDeviceCount_fn)(uint32_t* count);
typedef const char* (*aclrtGetSocName_fn)(void);
typedef aclError (*aclrtGetMemInfo_fn)(int attribute, size_t* free, size_t* total);
typedef aclError (*aclrtGetVersion_fn)(int32_t* major, int32_t* minor, int32_t* patch);
typedef aclError (*aclrtCreateStream_fn)(aclrtStream* stream);
typedef aclError (*aclrtDestroyStream_fn)(aclrtStream stream);
typedef aclError (*aclrtSynchronizeStream_fn)(aclrtStream stream);
typedef aclError (*aclrtMalloc_fn)(void** devPtr, size_t size, int policy);
typedef aclError (*aclrtFree_fn)(void* devPtr);
typedef aclError (*aclrtMemcpy_fn)(void* dst, size_t destMax, const void* src, size_t count, int kind);
typedef aclError (*aclrtMemset_fn)(void* devPtr, size_t maxCount, int32_t value, size_t count);
typedef aclError (*aclrtCreateEventWithFlag_fn)(aclrtEvent* event, uint32_t flag);
typedef aclError (*aclrtDestroyEvent_fn)(aclrtEvent event);
typedef aclError (*aclrtRecordEvent_fn)(aclrtEvent event, aclrtStream stream);
typedef aclError (*aclrtEventElapsedTime_fn)(float* ms, aclrtEvent start, aclrtEvent end);
typedef const char* (*aclGetRecentErrMsg_fn)(void);

/* libnnopbase.so: tensors and executors */
typedef aclTensor* (*aclCreateTensor_fn)(const int64_t* viewDims, uint64_t viewDimsNum, int dataType,
                                         const int64_t* stride, int64_t offset, int format,
                                         const int64_t* storageDims, uint64_t storageDimsNum, void* tensorData);
typedef aclnnStatus (*aclDestroyTensor_fn)(const aclTensor* tensor);
typedef aclnnStatus (*aclSetAclOpExecutorRepeatable_fn)(aclOpExecutor* executor);
typedef aclnnStatus (*aclDestroyAclOpExecutor_fn)(aclOpExecutor* executor);

/* libopapi.so (or libopapi_nn.so / libopapi_transformer.so): operators, two phases each */
typedef aclnnStatus (*aclnnRun_fn)(void* workspace, uint64_t workspaceSize, aclOpExecutor* executor,
                                   aclrtStream stream);
typedef aclnnStatus (*aclnnMatmulGetWorkspaceSize_fn)(const aclTensor* self, const aclTensor* mat2, aclTensor* out,
                                                      int8_t cubeMathType, uint64_t* workspaceSize,
                                                      aclOpExecutor** executor);
/* aclnnBatchMatMulGetWorkspaceSize has the same parameters. */
typedef aclnnStatus (*aclnnInplaceZeroGetWorkspaceSize_fn)(aclTensor* selfRef, uint64_t* workspaceSize,
                                                           aclOpExecutor** executor);
typedef aclnnStatus (*aclnnFlashAttentionScoreGetWorkspaceSize_fn)(
    const aclTensor* query, const aclTensor* key, const aclTensor* value, const aclTensor* realShiftOptional,
    const aclTensor* dropMaskOptional, const aclTensor* paddingMaskOptional, const aclTensor* attenMaskOptional,
    const void* prefixOptional /* aclIntArray* */, double scaleValue, double keepProb, int64_t preTokens,
    int64_t nextTokens, int64_t headNum, char* inputLayout, int64_t innerPrecise, int64_t sparseMode,
    const aclTensor* softmaxMaxOut, const aclTensor* softmaxSumOut, const aclTensor* softmaxOutOut,
    const aclTensor* attentionOutOut, uint64_t* workspaceSize, aclOpExecutor** executor);

#ifdef __cplusplus
}

/* The documented values, pinned. */
static_assert(ACCELBENCH_ACL_FLOAT == 0 && ACCELBENCH_ACL_FLOAT16 == 1 && ACCELBENCH_ACL_INT8 == 2 &&
                  ACCELBENCH_ACL_INT32 == 3 && ACCELBENCH_ACL_UINT8 == 4 && ACCELBENCH_ACL_BOOL == 12 &&
                  ACCELBENCH_ACL_BF16 == 27,
              "aclDataType: ACL_FLOAT 0, ACL_FLOAT16 1, ACL_INT8 2, ACL_INT32 3, ACL_UINT8 4, ACL_BOOL 12, "
              "ACL_BF16 27");
static_assert(ACCELBENCH_ACL_FORMAT_ND == 2, "aclFormat: ACL_FORMAT_ND 2");
static_assert(ACCELBENCH_ACL_MEMCPY_HOST_TO_DEVICE == 1 && ACCELBENCH_ACL_MEMCPY_DEVICE_TO_HOST == 2,
              "aclrtMemcpyKind: ACL_MEMCPY_HOST_TO_DEVICE 1, ACL_MEMCPY_DEVICE_TO_HOST 2");
static_assert(ACCELBENCH_ACL_MEM_MALLOC_HUGE_FIRST == 0, "aclrtMemMallocPolicy: ACL_MEM_MALLOC_HUGE_FIRST 0");
static_assert(ACCELBENCH_ACL_HBM_MEM == 1, "aclrtMemAttr: ACL_HBM_MEM 1");
static_assert(ACCELBENCH_ACL_EVENT_SYNC == 0x1u && ACCELBENCH_ACL_EVENT_TIME_LINE == 0x8u,
              "event flags: ACL_EVENT_SYNC 0x1, ACL_EVENT_TIME_LINE 0x8");
static_assert(ACCELBENCH_CUBE_KEEP_DTYPE == 0 && ACCELBENCH_CUBE_ALLOW_FP32_DOWN_PRECISION == 1 &&
                  ACCELBENCH_CUBE_USE_FP16 == 2 && ACCELBENCH_CUBE_USE_HF32 == 3,
              "cubeMathType: KEEP_DTYPE 0, ALLOW_FP32_DOWN_PRECISION 1, USE_FP16 2, USE_HF32 3");
static_assert(ACCELBENCH_FA_SPARSE_NONE == 0 && ACCELBENCH_FA_SPARSE_RIGHT_DOWN_CAUSAL == 3,
              "sparseMode: defaultMask 0, rightDownCausal 3");
#endif

#endif /* ACCELBENCH_ASCEND_CANN_API_H */
