/* A mock backend plugin for tests/test_plugins.cpp and tests/test_compare_e2e.cpp, compiled once
 * per scenario with knobs (tests/CMakeLists.txt):
 *   MOCK_NAME "x"          the table's name (default "mock")
 *   MOCK_VERSION "x"       library_version(), so a test can tell which file was chosen
 *   MOCK_ABI_VERSION n     abi_version in the table (default AB_ABI_VERSION)
 *   MOCK_STRUCT_SIZE n     struct_size in the table (default sizeof(ab_backend))
 *   MOCK_SCORE n           export accelbench_backend_score returning n
 *   MOCK_INIT_FAILS        init fails with a reason
 *   MOCK_NO_ENTRY          do not export accelbench_backend_entry
 *   MOCK_NULL_PREPARE      leave the required prepare slot NULL
 *   MOCK_PLANTED_SLOWDOWN  the regression gate's planted slowdown: with the environment variable
 *                          MOCK_SLOWDOWN=N (1 to 16) every run() computes its GEMM N times, real
 *                          and deterministic CPU work, and the plan description says so; another
 *                          value makes init fail with the accepted range. MOCK_SLOWDOWN_M=M limits
 *                          it to GEMMs with m = M (one case of a suite)
 * The working mock computes f32 GEMM (naive loops, real result, verified by the harness) and
 * reports every other workload as unsupported. */
#include "accelbench_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef MOCK_NAME
#define MOCK_NAME "mock"
#endif
#ifndef MOCK_VERSION
#define MOCK_VERSION "mock 1.0"
#endif
#ifndef MOCK_ABI_VERSION
#define MOCK_ABI_VERSION AB_ABI_VERSION
#endif
#ifndef MOCK_STRUCT_SIZE
#define MOCK_STRUCT_SIZE sizeof(ab_backend)
#endif

enum { slots = 8 };

/* How many times run() computes the GEMM (MOCK_PLANTED_SLOWDOWN), read once at init, and the m
 * it is limited to (0: every GEMM). */
static int g_times = 1;
static long g_slowdown_m = 0;

typedef struct mock_plan {
  int64_t m, n, k, batch;
  int32_t ta, tb;
  int times; /* g_times for the slowed GEMMs, else 1 */
  float *a, *b, *c;
  struct timespec start[slots], stop[slots];
  char error[128];
  char description[128];
} mock_plan;

static void say(char* reason, size_t len, const char* text) {
  if (reason != NULL && len > 0) snprintf(reason, len, "%s", text);
}

static ab_status init(char* reason, size_t len) {
#ifdef MOCK_INIT_FAILS
  say(reason, len, "mock: no device driver loaded");
  return AB_ERROR;
#else
  g_times = 1;
#ifdef MOCK_PLANTED_SLOWDOWN
  /* Strict, so a typo in a test fails loudly instead of measuring without the slowdown. */
  const char* value = getenv("MOCK_SLOWDOWN");
  if (value != NULL) {
    char* end = NULL;
    const long times = strtol(value, &end, 10);
    if (value[0] < '0' || value[0] > '9' || *end != '\0' || times < 1 || times > 16) {
      char text[160];
      snprintf(text, sizeof text, "MOCK_SLOWDOWN='%s': accepted values are 1 to 16", value);
      say(reason, len, text);
      return AB_ERROR;
    }
    g_times = (int)times;
  }
  g_slowdown_m = 0;
  const char* only_m = getenv("MOCK_SLOWDOWN_M");
  if (only_m != NULL) {
    char* end = NULL;
    g_slowdown_m = strtol(only_m, &end, 10);
    if (only_m[0] < '0' || only_m[0] > '9' || *end != '\0' || g_slowdown_m < 1) {
      char text[160];
      snprintf(text, sizeof text, "MOCK_SLOWDOWN_M='%s': expected a GEMM's m, a whole number >= 1", only_m);
      say(reason, len, text);
      return AB_ERROR;
    }
  }
#endif
  (void)reason;
  (void)len;
  return AB_OK;
#endif
}

static const char* library_version(void) { return MOCK_VERSION; }
static int32_t device_count(void) { return 1; }

static ab_status device_info(int32_t device, ab_device_info* out) {
  if (device != 0) return AB_ERROR;
  snprintf(out->name, sizeof out->name, "mock device");
  out->kind = AB_DEVICE_CPU;
  out->memory_bytes = 1u << 30;
  snprintf(out->properties_json, sizeof out->properties_json, "{}");
  return AB_OK;
}

static ab_status supports(int32_t device, const ab_workload* w, char* reason, size_t len) {
  if (device != 0) return AB_ERROR;
  if (w->kind != AB_WORKLOAD_GEMM || w->dt_in != AB_DT_F32 || w->dt_out != AB_DT_F32) {
    say(reason, len, "mock: only f32 GEMM");
    return AB_UNSUPPORTED;
  }
  return AB_OK;
}

static void release(ab_plan* handle) {
  mock_plan* p = (mock_plan*)handle;
  free(p->a);
  free(p->b);
  free(p->c);
  free(p);
}

/* unused: MOCK_NULL_PREPARE leaves the slot NULL */
__attribute__((unused)) static ab_status prepare(int32_t device, const ab_workload* w, const ab_host_tensor* in,
                                                 uint32_t count, ab_plan** out, char* reason, size_t len) {
  const ab_status s = supports(device, w, reason, len);
  if (s != AB_OK) return s;
  if (count != 2) return AB_ERROR;
  mock_plan* p = calloc(1, sizeof *p);
  p->m = w->m;
  p->n = w->n;
  p->k = w->k;
  p->batch = w->batch;
  p->ta = w->trans_a;
  p->tb = w->trans_b;
  p->a = malloc(in[0].bytes);
  p->b = malloc(in[1].bytes);
  p->c = malloc((size_t)(p->batch * p->m * p->n) * sizeof(float));
  memcpy(p->a, in[0].data, in[0].bytes);
  memcpy(p->b, in[1].data, in[1].bytes);
  p->times = g_slowdown_m == 0 || g_slowdown_m == p->m ? g_times : 1;
  if (p->times == 1) {
    snprintf(p->description, sizeof p->description, "mock naive loops");
  } else {
    snprintf(p->description, sizeof p->description,
             "mock naive loops [TEST-ONLY SLOWDOWN MOCK_SLOWDOWN=%d: work done %d times]", p->times, p->times);
  }
  *out = (ab_plan*)p;
  return AB_OK;
}

/* The whole GEMM, C overwritten: computing it again gives the same bits. */
static void gemm(const mock_plan* p) {
  for (int64_t t = 0; t < p->batch; ++t)
    for (int64_t i = 0; i < p->m; ++i)
      for (int64_t j = 0; j < p->n; ++j) {
        const float* a = p->a + t * p->m * p->k;
        const float* b = p->b + t * p->k * p->n;
        float sum = 0.0f;
        for (int64_t x = 0; x < p->k; ++x)
          sum += (p->ta ? a[x * p->m + i] : a[i * p->k + x]) * (p->tb ? b[j * p->k + x] : b[x * p->n + j]);
        p->c[(t * p->m + i) * p->n + j] = sum;
      }
}

static ab_status run(ab_plan* handle) {
  const mock_plan* p = (const mock_plan*)handle;
  for (int i = 0; i < p->times; ++i) gemm(p);
  return AB_OK;
}

static uint32_t slot_count(ab_plan* plan) {
  (void)plan;
  return slots;
}
static ab_status record_start(ab_plan* plan, uint32_t slot) {
  if (slot >= slots) return AB_ERROR;
  clock_gettime(CLOCK_MONOTONIC, &((mock_plan*)plan)->start[slot]);
  return AB_OK;
}
static ab_status record_stop(ab_plan* plan, uint32_t slot) {
  if (slot >= slots) return AB_ERROR;
  clock_gettime(CLOCK_MONOTONIC, &((mock_plan*)plan)->stop[slot]);
  return AB_OK;
}
static ab_status synchronize(ab_plan* plan) {
  (void)plan;
  return AB_OK;
}
static ab_status elapsed(ab_plan* plan, uint32_t slot, double* seconds) {
  const mock_plan* p = (const mock_plan*)plan;
  if (slot >= slots) return AB_ERROR;
  *seconds = (double)(p->stop[slot].tv_sec - p->start[slot].tv_sec) +
             1e-9 * (double)(p->stop[slot].tv_nsec - p->start[slot].tv_nsec);
  return AB_OK;
}
static ab_status read_output(ab_plan* plan, void* host, uint64_t bytes) {
  mock_plan* p = (mock_plan*)plan;
  const uint64_t c_bytes = (uint64_t)(p->batch * p->m * p->n) * sizeof(float);
  if (bytes != c_bytes) {
    snprintf(p->error, sizeof p->error, "mock: read_output size mismatch");
    return AB_ERROR;
  }
  memcpy(host, p->c, c_bytes);
  return AB_OK;
}
static const char* last_error(ab_plan* plan) { return ((mock_plan*)plan)->error; }
static const char* plan_description(ab_plan* plan) { return ((mock_plan*)plan)->description; }
static void shutdown(void) {}

static const ab_backend table = {
    .abi_version = MOCK_ABI_VERSION,
    .struct_size = MOCK_STRUCT_SIZE,
    .name = MOCK_NAME,
    .init = init,
    .library_version = library_version,
    .device_count = device_count,
    .device_info = device_info,
    .supports = supports,
#ifndef MOCK_NULL_PREPARE
    .prepare = prepare,
#endif
    .run = run,
    .timer_slot_count = slot_count,
    .record_start = record_start,
    .record_stop = record_stop,
    .synchronize = synchronize,
    .elapsed_seconds = elapsed,
    .read_output = read_output,
    .last_error = last_error,
    .plan_description = plan_description,
    .release = release,
    .shutdown = shutdown,
};

#ifdef MOCK_NO_ENTRY
/* Exported under another name: the loader must report the missing entry symbol. */
ACCELBENCH_BACKEND_EXPORT const ab_backend* accelbench_backend_entry_misspelled(void) { return &table; }
#else
ACCELBENCH_BACKEND_EXPORT const ab_backend* accelbench_backend_entry(void) { return &table; }
#endif

#ifdef MOCK_SCORE
ACCELBENCH_BACKEND_EXPORT int32_t accelbench_backend_score(void) { return MOCK_SCORE; }
#endif
