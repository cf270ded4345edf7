// The simulated libnnopbase.so: aclTensor objects and operator executors (fake_cann.hpp).
#include <cstdint>
#include <mutex>
#include <set>
#include <utility>

#include "tests/fake_cann/fake_cann.hpp"

#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

constexpr int aclnn_success = 0;
constexpr int aclnn_param_nullptr = 161001;  // ACLNN_ERR_PARAM_NULLPTR

std::mutex executors_mutex;
std::set<aclOpExecutor*> live_executors;

}  // namespace

FAKE_EXPORT aclTensor* aclCreateTensor(const int64_t* view_dims, uint64_t view_rank, int dtype, const int64_t* stride,
                                       int64_t offset, int format, const int64_t* storage_dims, uint64_t storage_rank,
                                       void* data) {
  if (format != 2 || (view_rank > 0 && (view_dims == nullptr || stride == nullptr))) {
    fake_cann_set_error("fake: aclCreateTensor wants ND format (2) with dims and strides");
    return nullptr;
  }
  auto* t = new aclTensor;
  t->dims.assign(view_dims, view_dims + view_rank);
  t->strides.assign(stride, stride + view_rank);
  if (storage_dims != nullptr) t->storage_dims.assign(storage_dims, storage_dims + storage_rank);
  t->dtype = dtype;
  t->offset = offset;
  t->data = data;
  return t;
}

FAKE_EXPORT int aclDestroyTensor(const aclTensor* t) {
  delete t;
  return aclnn_success;
}

FAKE_EXPORT aclOpExecutor* fake_cann_new_executor(const char* name, std::uint64_t workspace, std::function<int()> run) {
  auto* e = new aclOpExecutor{name, workspace, false, std::move(run)};
  std::lock_guard<std::mutex> lock(executors_mutex);
  live_executors.insert(e);
  return e;
}

FAKE_EXPORT bool fake_cann_executor_live(aclOpExecutor* e) {
  std::lock_guard<std::mutex> lock(executors_mutex);
  return live_executors.count(e) != 0;
}

// After a run: a non-repeatable executor is gone, as in CANN.
FAKE_EXPORT void fake_cann_executor_retire(aclOpExecutor* e) {
  if (e->repeatable) return;
  std::lock_guard<std::mutex> lock(executors_mutex);
  live_executors.erase(e);
  delete e;
}

FAKE_EXPORT int aclSetAclOpExecutorRepeatable(aclOpExecutor* e) {
  if (!fake_cann_executor_live(e)) return aclnn_param_nullptr;
  e->repeatable = true;
  return aclnn_success;
}

FAKE_EXPORT int aclDestroyAclOpExecutor(aclOpExecutor* e) {
  std::lock_guard<std::mutex> lock(executors_mutex);
  if (live_executors.erase(e) == 0) return aclnn_param_nullptr;
  delete e;
  return aclnn_success;
}
