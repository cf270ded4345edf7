/* accelbench backend ABI: the one contract between the harness and a backend.
 *
 * Plain C so a backend can be built by a vendor toolchain and loaded as a shared
 * library: no C++ type crosses this boundary. Three layers: backend (the library) -> device
 * -> plan (one prepared workload). The harness owns timing policy; a backend only provides
 * the primitives (run, timer slots, synchronize).
 *
 * Compatibility: the table starts with abi_version and struct_size. A harness accepts a table
 * whose abi_version major equals its own and whose struct_size is at least the size it needs;
 * new optional slots are only ever appended. A NULL optional slot means "not provided".
 * Concretely: abi_version is 1 and changes only when an existing slot, struct or enum value
 * changes meaning or layout (then old plugins are refused, with the two versions named).
 * Appending an optional slot keeps abi_version and grows sizeof(ab_backend); a harness reads
 * only the slots that the plugin's struct_size covers, so an older plugin keeps loading and a
 * newer plugin's extra slots are ignored. ab_workload and ab_device_info follow the same rule
 * through their own struct_size. Every slot before flush_cache is required (non-NULL).
 */
#ifndef ACCELBENCH_BACKEND_H
#define ACCELBENCH_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AB_ABI_VERSION 1u

typedef enum ab_status {
  AB_OK = 0,
  AB_UNSUPPORTED = 1, /* the backend cannot run this workload; reason says why */
  AB_ERROR = 2,       /* a call failed; reason or last_error says why */
} ab_status;

typedef enum ab_dtype {
  AB_DT_INVALID = 0,
  AB_DT_F64 = 1,
  AB_DT_F32 = 2,
  AB_DT_TF32 = 3, /* stored as f32, computed with 10-bit mantissa */
  AB_DT_BF16 = 4,
  AB_DT_F16 = 5,
  AB_DT_F8E4M3 = 6,
  AB_DT_F8E5M2 = 7,
  AB_DT_S8 = 8,
  AB_DT_S32 = 9,
  AB_DT_HF32 = 10, /* stored as f32, computed with an 11-bit mantissa (Ascend's HF32) */
} ab_dtype;

typedef enum ab_workload_kind {
  AB_WORKLOAD_GEMM = 1,
  AB_WORKLOAD_ATTENTION = 2,
} ab_workload_kind;

typedef enum ab_device_kind {
  AB_DEVICE_CPU = 1,
  AB_DEVICE_GPU = 2,
  AB_DEVICE_NPU = 3,
} ab_device_kind;

/* One workload, flattened. Layouts are fixed by the harness (docs/workloads.md):
 * GEMM: C[batch][m][n] = op(A)[batch][m][k] * op(B)[batch][k][n], all row-major and densely
 *   packed per batch; A is stored m x k (trans_a = 0) or k x m (trans_a = 1), B is k x n or n x k.
 * Attention: Q[b][hq][sq][d], K and V [b][hkv][skv][d], O[b][hq][sq][d]; query head h reads
 *   key/value head h / (hq / hkv); softmax scale = scale; causal masks j > i + (skv - sq);
 *   window > 0 (only with causal) also masks j <= i + (skv - sq) - window (sliding window).
 *   window was appended after text: a backend built before it never reads it, so it would
 *   compute full causal attention, which verification then fails. */
typedef struct ab_workload {
  uint32_t struct_size;
  int32_t kind;                  /* ab_workload_kind */
  int32_t dt_in, dt_out, dt_acc; /* ab_dtype */
  int64_t m, n, k, batch;
  int32_t trans_a, trans_b;
  int64_t b, hq, hkv, sq, skv, d;
  int32_t causal;
  double scale;
  const char* text; /* canonical text form, for messages */
  int64_t window;   /* sliding-window length in keys; 0 = none (attention, causal only) */
} ab_workload;

/* A host buffer in the workload's storage dtype. Inputs in order: GEMM A, B; attention Q, K, V. */
typedef struct ab_host_tensor {
  const void* data;
  uint64_t bytes;
} ab_host_tensor;

typedef struct ab_device_info {
  uint32_t struct_size;
  char name[128];
  int32_t kind;               /* ab_device_kind */
  uint64_t memory_bytes;      /* memory a workload may use on this device */
  char properties_json[2048]; /* a JSON object of extra facts (clocks, counts, driver, ...) */
} ab_device_info;

typedef struct ab_plan ab_plan; /* opaque, owned by the backend */

typedef struct ab_backend {
  uint32_t abi_version; /* AB_ABI_VERSION the backend was built against */
  uint32_t struct_size; /* sizeof(ab_backend) the backend was built against */
  const char* name;     /* short lowercase name: "openblas" */

  /* Prepare the library; on failure write why into reason. Called once before anything else. */
  ab_status (*init)(char* reason, size_t reason_len);
  /* Underlying library and version, e.g. "OpenBLAS 0.3.21 (Haswell, pthreads, 2 threads)". */
  const char* (*library_version)(void);
  int32_t (*device_count)(void);
  ab_status (*device_info)(int32_t device, ab_device_info* out);
  /* AB_OK if the device can run w; AB_UNSUPPORTED with a reason otherwise. Cheap, no allocation. */
  ab_status (*supports)(int32_t device, const ab_workload* w, char* reason, size_t reason_len);
  /* Allocate, copy inputs, choose algorithms. Never timed. */
  ab_status (*prepare)(int32_t device, const ab_workload* w, const ab_host_tensor* inputs, uint32_t input_count,
                       ab_plan** out, char* reason, size_t reason_len);
  /* Enqueue one execution; synchronous devices finish before returning. */
  ab_status (*run)(ab_plan* plan);
  /* Timer slots let a GPU enqueue many samples and synchronize once. */
  uint32_t (*timer_slot_count)(ab_plan* plan);
  ab_status (*record_start)(ab_plan* plan, uint32_t slot);
  ab_status (*record_stop)(ab_plan* plan, uint32_t slot);
  ab_status (*synchronize)(ab_plan* plan);
  ab_status (*elapsed_seconds)(ab_plan* plan, uint32_t slot, double* seconds);
  /* Copy the output (storage dtype dt_out) to host memory of exactly `bytes` bytes. */
  ab_status (*read_output)(ab_plan* plan, void* host, uint64_t bytes);
  /* Message of the last failed call on this plan. */
  const char* (*last_error)(ab_plan* plan);
  /* A short description of what the plan chose (algorithm, ISA), shown in results. */
  const char* (*plan_description)(ab_plan* plan);
  void (*release)(ab_plan* plan);
  void (*shutdown)(void);

  /* Optional: evict the device's caches (GPU L2). NULL: the harness flushes host caches. */
  ab_status (*flush_cache)(int32_t device);
  /* Optional: vendor-specific extras by name; NULL or returning NULL means not provided. */
  void* (*get_proc)(const char* name);
} ab_backend;

/* ---- Extras through get_proc: named, versioned, each optional ----
 * AB_PROC_READ_TELEMETRY ("ab_read_telemetry_v1") -> ab_read_telemetry_fn: the device's clocks,
 * power, temperature and clock-event (throttle) reasons at this moment. The harness calls it once
 * per batch of samples, after enqueueing the batch and before synchronize, so the reading is
 * taken while the batch runs and no host call sits between timed launches. AB_UNSUPPORTED when
 * the device cannot say (e.g. no NVML); the harness then stops asking for that case. */
#define AB_PROC_READ_TELEMETRY "ab_read_telemetry_v1"

enum {
  AB_TELEMETRY_SM_CLOCK = 1u << 0,
  AB_TELEMETRY_MEMORY_CLOCK = 1u << 1,
  AB_TELEMETRY_POWER = 1u << 2,
  AB_TELEMETRY_TEMPERATURE = 1u << 3,
  AB_TELEMETRY_CLOCK_EVENTS = 1u << 4, /* throttled and clock_event_reasons hold a reading */
};

typedef struct ab_telemetry {
  uint32_t struct_size;
  uint32_t reported; /* AB_TELEMETRY_* bits: which fields below hold a reading */
  double sm_clock_mhz, memory_clock_mhz, power_w, temperature_c;
  int32_t throttled;             /* 1: clocks lowered by power or thermal limits */
  char clock_event_reasons[128]; /* vendor names, comma-separated: "sw_power_cap"; empty for none */
} ab_telemetry;

typedef ab_status (*ab_read_telemetry_fn)(int32_t device, ab_telemetry* out);

/* AB_PROC_BATCH_CALLS ("ab_batch_calls_v1") -> ab_batch_calls_fn: lets a plan perform several
 * back-to-back calls per run(), so that a kernel shorter than its launch overhead is timed
 * without it (a GPU replaying N launch sequences from one CUDA graph). The harness asks once per
 * plan, after prepare and before the first run, and only with hot caches (with cold caches a
 * flush separates every call anyway). The backend writes the calls each later run() performs
 * (1: unchanged) and should say so in plan_description, which the harness reads afterwards. The
 * harness divides each timed sample by that count and records it (calls_per_sample in results);
 * a backend never divides on its own. Verification and warm-up use the same batched run(). */
#define AB_PROC_BATCH_CALLS "ab_batch_calls_v1"

typedef ab_status (*ab_batch_calls_fn)(ab_plan* plan, uint32_t* calls_per_run);

/* ---- Plugins: backends loaded at run time (docs/adding-a-backend.md) ----
 * A plugin is a shared library named libaccelbench-backend-<name>[-variant].so (name: lowercase
 * letters, digits, '_'; it must equal the table's name). It exports, with C linkage:
 *   accelbench_backend_entry  required: returns the backend's table (static storage, never
 *                             freed); called once after loading, before any other call, so it
 *                             must not initialize the device (init does that).
 *   accelbench_backend_score  optional: how well this build fits this host. 0 (or less) means
 *                             "cannot run here" (wrong ISA, driver too old) and the file is
 *                             skipped; higher is a better fit; absent counts as 1. Among the
 *                             variants of one backend in one directory the highest score is
 *                             tried first. Must be cheap and must not initialize the device.
 * A plugin exports nothing else that the harness looks at; build it with hidden visibility
 * and mark these two with ACCELBENCH_BACKEND_EXPORT. */
#if defined(_WIN32)
#define ACCELBENCH_BACKEND_EXPORT __declspec(dllexport)
#else
#define ACCELBENCH_BACKEND_EXPORT __attribute__((visibility("default")))
#endif

#define ACCELBENCH_BACKEND_ENTRY_SYMBOL "accelbench_backend_entry"
#define ACCELBENCH_BACKEND_SCORE_SYMBOL "accelbench_backend_score"

typedef const ab_backend* (*accelbench_backend_entry_fn)(void);
typedef int32_t (*accelbench_backend_score_fn)(void);

ACCELBENCH_BACKEND_EXPORT const ab_backend* accelbench_backend_entry(void);
ACCELBENCH_BACKEND_EXPORT int32_t accelbench_backend_score(void);

#ifdef __cplusplus
}
#endif

#endif /* ACCELBENCH_BACKEND_H */
