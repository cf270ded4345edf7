/* A complete accelbench backend in plain C, built out of tree against the installed SDK.
 *
 * It computes f32 GEMM with naive loops on one CPU thread and times itself with the monotonic
 * clock; accelbench verifies every result against fp64 math before timing it, so even this
 * backend's numbers are honest. Everything else (attention, other dtypes, huge shapes) is
 * reported as unsupported with a reason. docs/adding-a-backend.md walks through it. */
#include <accelbench_backend.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { timer_slots = 64 };
/* Naive loops do ~1 GFLOP/s; bigger problems would take minutes per sample. */
static const double max_flops = 2e9;

typedef struct minimal_plan {
  int64_t m, n, k, batch;
  int32_t trans_a, trans_b;
  float *a, *b, *c;
  struct timespec start[timer_slots], stop[timer_slots];
  char error[256];
} minimal_plan;

/* The ABI's ab_plan is opaque: each backend defines what it points to. */
static minimal_plan* from_handle(ab_plan* plan) { return (minimal_plan*)plan; }

static void write_reason(char* reason, size_t reason_len, const char* text) {
  if (reason != NULL && reason_len > 0) snprintf(reason, reason_len, "%s", text);
}

static ab_status init(char* reason, size_t reason_len) {
  (void)reason; /* a real backend opens its driver here and says why when that fails */
  (void)reason_len;
  return AB_OK;
}

static const char* library_version(void) { return "minimal example backend 1.0 (naive f32 loops, 1 thread)"; }

static int32_t device_count(void) { return 1; }

static ab_status device_info(int32_t device, ab_device_info* out) {
  if (device != 0 || out == NULL) return AB_ERROR;
  snprintf(out->name, sizeof out->name, "host CPU, one thread");
  out->kind = AB_DEVICE_CPU;
  out->memory_bytes = (uint64_t)sysconf(_SC_AVPHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);
  snprintf(out->properties_json, sizeof out->properties_json, "{\"threads\":1}");
  return AB_OK;
}

static ab_status supports(int32_t device, const ab_workload* w, char* reason, size_t reason_len) {
  if (device != 0) return AB_ERROR;
  if (w->kind != AB_WORKLOAD_GEMM) {
    write_reason(reason, reason_len, "the minimal backend implements GEMM only");
    return AB_UNSUPPORTED;
  }
  if (w->dt_in != AB_DT_F32 || w->dt_out != AB_DT_F32 || w->dt_acc != AB_DT_F32) {
    write_reason(reason, reason_len, "the minimal backend computes f32 in, f32 out, f32 accumulation only");
    return AB_UNSUPPORTED;
  }
  if (2.0 * (double)w->m * (double)w->n * (double)w->k * (double)w->batch > max_flops) {
    write_reason(reason, reason_len, "above the minimal backend's 2e9 FLOP limit (naive loops)");
    return AB_UNSUPPORTED;
  }
  return AB_OK;
}

static void release(ab_plan* handle) {
  minimal_plan* plan = from_handle(handle);
  if (plan == NULL) return;
  free(plan->a);
  free(plan->b);
  free(plan->c);
  free(plan);
}

/* Inputs arrive as host buffers in the harness's fixed layouts (accelbench_backend.h);
 * a GPU backend would copy them to device memory here. prepare is never timed. */
static ab_status prepare(int32_t device, const ab_workload* w, const ab_host_tensor* inputs, uint32_t input_count,
                         ab_plan** out, char* reason, size_t reason_len) {
  ab_status status = supports(device, w, reason, reason_len);
  if (status != AB_OK) return status;
  const uint64_t a_bytes = (uint64_t)(w->batch * w->m * w->k) * sizeof(float);
  const uint64_t b_bytes = (uint64_t)(w->batch * w->k * w->n) * sizeof(float);
  const uint64_t c_bytes = (uint64_t)(w->batch * w->m * w->n) * sizeof(float);
  if (input_count != 2 || inputs[0].bytes != a_bytes || inputs[1].bytes != b_bytes) {
    write_reason(reason, reason_len, "prepare: expected two inputs, A and B, of the workload's sizes");
    return AB_ERROR;
  }
  minimal_plan* plan = calloc(1, sizeof *plan);
  if (plan == NULL) {
    write_reason(reason, reason_len, "prepare: out of host memory");
    return AB_ERROR;
  }
  plan->m = w->m;
  plan->n = w->n;
  plan->k = w->k;
  plan->batch = w->batch;
  plan->trans_a = w->trans_a;
  plan->trans_b = w->trans_b;
  plan->a = malloc(a_bytes);
  plan->b = malloc(b_bytes);
  plan->c = malloc(c_bytes);
  if (plan->a == NULL || plan->b == NULL || plan->c == NULL) {
    release((ab_plan*)plan);
    write_reason(reason, reason_len, "prepare: out of host memory");
    return AB_ERROR;
  }
  memcpy(plan->a, inputs[0].data, a_bytes);
  memcpy(plan->b, inputs[1].data, b_bytes);
  *out = (ab_plan*)plan;
  return AB_OK;
}

/* C[m][n] = op(A)[m][k] * op(B)[k][n] per batch; A is stored m x k, or k x m when trans_a. */
static ab_status run(ab_plan* handle) {
  const minimal_plan* p = from_handle(handle);
  for (int64_t t = 0; t < p->batch; ++t) {
    const float* a = p->a + t * p->m * p->k;
    const float* b = p->b + t * p->k * p->n;
    float* c = p->c + t * p->m * p->n;
    for (int64_t i = 0; i < p->m; ++i) {
      for (int64_t j = 0; j < p->n; ++j) {
        float sum = 0.0f;
        for (int64_t x = 0; x < p->k; ++x) {
          const float av = p->trans_a ? a[x * p->m + i] : a[i * p->k + x];
          const float bv = p->trans_b ? b[j * p->k + x] : b[x * p->n + j];
          sum += av * bv;
        }
        c[i * p->n + j] = sum;
      }
    }
  }
  return AB_OK;
}

/* Timer slots: a GPU backend records device events here; a CPU backend reads a clock,
 * because run() has finished by the time it returns. */
static uint32_t timer_slot_count(ab_plan* plan) {
  (void)plan;
  return timer_slots;
}

static ab_status record_start(ab_plan* plan, uint32_t slot) {
  if (slot >= timer_slots) return AB_ERROR;
  clock_gettime(CLOCK_MONOTONIC, &from_handle(plan)->start[slot]);
  return AB_OK;
}

static ab_status record_stop(ab_plan* plan, uint32_t slot) {
  if (slot >= timer_slots) return AB_ERROR;
  clock_gettime(CLOCK_MONOTONIC, &from_handle(plan)->stop[slot]);
  return AB_OK;
}

static ab_status synchronize(ab_plan* plan) {
  (void)plan; /* nothing is in flight on a synchronous device */
  return AB_OK;
}

static ab_status elapsed_seconds(ab_plan* plan, uint32_t slot, double* seconds) {
  if (slot >= timer_slots) return AB_ERROR;
  const minimal_plan* p = from_handle(plan);
  *seconds = (double)(p->stop[slot].tv_sec - p->start[slot].tv_sec) +
             1e-9 * (double)(p->stop[slot].tv_nsec - p->start[slot].tv_nsec);
  return AB_OK;
}

static ab_status read_output(ab_plan* handle, void* host, uint64_t bytes) {
  minimal_plan* p = from_handle(handle);
  const uint64_t c_bytes = (uint64_t)(p->batch * p->m * p->n) * sizeof(float);
  if (bytes != c_bytes) {
    snprintf(p->error, sizeof p->error, "read_output: asked for %llu bytes, the output has %llu",
             (unsigned long long)bytes, (unsigned long long)c_bytes);
    return AB_ERROR;
  }
  memcpy(host, p->c, c_bytes);
  return AB_OK;
}

static const char* last_error(ab_plan* plan) { return from_handle(plan)->error; }

static const char* plan_description(ab_plan* plan) {
  (void)plan;
  return "naive triple loop, f32 accumulation, 1 thread";
}

static void shutdown(void) {}

/* Slots left out (flush_cache, get_proc) are NULL: "not provided". */
static const ab_backend table = {
    .abi_version = AB_ABI_VERSION,
    .struct_size = sizeof(ab_backend),
    .name = "minimal", /* must match the file name: libaccelbench-backend-minimal.so */
    .init = init,
    .library_version = library_version,
    .device_count = device_count,
    .device_info = device_info,
    .supports = supports,
    .prepare = prepare,
    .run = run,
    .timer_slot_count = timer_slot_count,
    .record_start = record_start,
    .record_stop = record_stop,
    .synchronize = synchronize,
    .elapsed_seconds = elapsed_seconds,
    .read_output = read_output,
    .last_error = last_error,
    .plan_description = plan_description,
    .release = release,
    .shutdown = shutdown,
};

ACCELBENCH_BACKEND_EXPORT const ab_backend* accelbench_backend_entry(void) { return &table; }

/* Optional. 0 would mean "cannot run on this host" (a real backend checks its CPU features or
 * driver here, cheaply); among variants of one backend the highest score is used. */
ACCELBENCH_BACKEND_EXPORT int32_t accelbench_backend_score(void) { return 1; }
