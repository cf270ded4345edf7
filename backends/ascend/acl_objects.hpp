#pragma once
// Owners for the CANN objects a plan holds (device memory, tensors, operator executors), and the
// check that turns a failed call into an exception naming the call and CANN's error. Every
// object is released through the same loaded library that created it.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/ascend/cann_library.hpp"

namespace accelbench::ascend {

class cann_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws cann_error "<call> failed: error <code>: <CANN's last message>" unless status is 0.
void check_acl(const cann_library& lib, aclError status, const char* call);
// Throws cann_error "<call> returned aclnn status <code>: ..." unless status is 0.
void check_aclnn(const cann_library& lib, aclnnStatus status, const char* call);

// aclrtMalloc'd device memory (at least 32 bytes: CANN refuses a size of 0).
class device_buffer {
 public:
  device_buffer() = default;
  device_buffer(const cann_library& lib, std::uint64_t bytes);
  ~device_buffer();
  device_buffer(device_buffer&& other) noexcept;
  device_buffer& operator=(device_buffer&& other) noexcept;
  device_buffer(const device_buffer&) = delete;
  device_buffer& operator=(const device_buffer&) = delete;

  void* get() const { return m_ptr; }
  std::uint64_t bytes() const { return m_bytes; }
  void upload(const void* host, std::uint64_t bytes);
  void download(void* host, std::uint64_t bytes) const;

 private:
  const cann_library* m_lib = nullptr;
  void* m_ptr = nullptr;
  std::uint64_t m_bytes = 0;
};

// An ND aclTensor viewing device memory: dims and strides in elements, storage_dims the dense
// shape of the memory behind the view (a transposed operand is a strided view of its storage).
struct tensor_view {
  std::vector<std::int64_t> dims, strides, storage_dims;
  int acl_dtype = ACCELBENCH_ACL_FLOAT;
};
// Row-major dense strides for dims.
tensor_view dense_view(std::vector<std::int64_t> dims, int acl_dtype);

class acl_tensor {
 public:
  acl_tensor(const cann_library& lib, const tensor_view& view, void* data);
  ~acl_tensor();
  acl_tensor(const acl_tensor&) = delete;
  acl_tensor& operator=(const acl_tensor&) = delete;
  aclTensor* get() const { return m_tensor; }

 private:
  const cann_library& m_lib;
  aclTensor* m_tensor = nullptr;
};

// One prepared operator: the executor from its GetWorkspaceSize phase, made repeatable so every
// sample reuses it, its workspace, and the run phase.
class aclnn_call {
 public:
  // Takes ownership of `executor`; allocates `workspace_bytes`.
  aclnn_call(const cann_library& lib, aclOpExecutor* executor, std::uint64_t workspace_bytes, aclnnRun_fn run,
             std::string name);
  ~aclnn_call();
  aclnn_call(const aclnn_call&) = delete;
  aclnn_call& operator=(const aclnn_call&) = delete;

  void enqueue(aclrtStream stream) const;
  std::uint64_t workspace_bytes() const { return m_workspace_bytes; }

 private:
  const cann_library& m_lib;
  aclOpExecutor* m_executor = nullptr;
  std::uint64_t m_workspace_bytes = 0;
  device_buffer m_workspace;
  aclnnRun_fn m_run = nullptr;
  std::string m_name;
};

}  // namespace accelbench::ascend
