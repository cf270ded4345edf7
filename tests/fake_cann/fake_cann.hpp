#pragma once
// The simulated CANN shared by the three fake libraries (libascendcl.so, libnnopbase.so,
// libopapi.so): host memory stands in for device memory, the host clock for event timestamps, and
// operators run on the CPU when they are enqueued. Nothing it produces is a measurement.
//
// Configured through the environment, read at each call:
//   FAKE_CANN_DEVICE_COUNT   devices (default 1)
//   FAKE_CANN_SOC            aclrtGetSocName (default "Ascend910B3")
//   FAKE_CANN_MEMORY_MIB     device memory per device (default 65536)
//   FAKE_CANN_INIT_ERROR     aclInit returns this code (default 0)
//   FAKE_CANN_FAIL_OP        this aclnn entry point returns status 561103 (e.g. aclnnMatmul)
//   FAKE_CANN_WRONG_RESULT   1: every operator perturbs one output element (a planted error)
//   FAKE_CANN_FORCE_HF32     1: f32 matmuls round their inputs to HF32 whatever cubeMathType says
//   FAKE_CANN_LOG            file that gets one line per operator prepared (name, shapes, strides,
//                            cubeMathType, sparseMode, workspace) and per aclnn run
// Misuse that real CANN punishes is refused here with an error status too: host pointers passed
// as device memory, a non-repeatable executor run twice, a missing workspace, events without
// the timeline flag, calls before aclrtSetDevice, a stream that does not exist.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

// The opaque types of the public API, defined by the fake.
struct aclTensor {
  std::vector<std::int64_t> dims, strides, storage_dims;
  int dtype = 0;
  std::int64_t offset = 0;
  void* data = nullptr;
};

struct aclOpExecutor {
  std::string name;
  std::uint64_t workspace = 0;
  bool repeatable = false;
  std::function<int()> run;  // computes on the CPU; returns an aclnn status
};

// Exported by the fake libascendcl.so for the other two fakes.
extern "C" {
__attribute__((visibility("default"))) bool fake_cann_is_device(const void* p, std::uint64_t bytes);
__attribute__((visibility("default"))) bool fake_cann_is_stream(void* stream);
__attribute__((visibility("default"))) void fake_cann_set_error(const char* message);
__attribute__((visibility("default"))) void fake_cann_log(const char* line);
// Exported by the fake libnnopbase.so: executors it can later make repeatable and destroy.
__attribute__((visibility("default"))) aclOpExecutor* fake_cann_new_executor(const char* name, std::uint64_t workspace,
                                                                             std::function<int()> run);
__attribute__((visibility("default"))) bool fake_cann_executor_live(aclOpExecutor* e);
__attribute__((visibility("default"))) void fake_cann_executor_retire(aclOpExecutor* e);
}
