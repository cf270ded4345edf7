/* A stand-in for the NVIDIA driver library, libcuda.so.1, built by the tests: every entry point
 * the CUDA runtime looks up first appends "<pid> <name>" to $ACCELBENCH_FAKE_CUDA_LOG and fails,
 * so the runtime reports an insufficient driver. Which process touched the driver, and when, is
 * then in the log (tests/test_cuda_host.cpp). Declarations are our own, from NVIDIA's public
 * driver API reference: only the symbol names matter. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int touched(const char* name) {
  const char* path = getenv("ACCELBENCH_FAKE_CUDA_LOG");
  if (path != NULL && path[0] != '\0') {
    FILE* log = fopen(path, "a");
    if (log != NULL) {
      fprintf(log, "%d %s\n", (int)getpid(), name);
      fclose(log);
    }
  }
  return 100; /* CUDA_ERROR_NO_DEVICE */
}

int cuInit(unsigned flags) {
  (void)flags;
  return touched("cuInit");
}
int cuDriverGetVersion(int* version) {
  (void)version;
  return touched("cuDriverGetVersion");
}
int cuGetProcAddress(const char* symbol, void** function, int version, unsigned long long flags) {
  (void)symbol, (void)version, (void)flags;
  *function = NULL;
  return touched("cuGetProcAddress");
}
int cuGetProcAddress_v2(const char* symbol, void** function, int version, unsigned long long flags, void* status) {
  (void)symbol, (void)version, (void)flags, (void)status;
  *function = NULL;
  return touched("cuGetProcAddress_v2");
}
int cuGetExportTable(const void** table, const void* id) {
  (void)id;
  *table = NULL;
  return touched("cuGetExportTable");
}
