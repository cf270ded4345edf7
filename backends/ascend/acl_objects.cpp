#include "backends/ascend/acl_objects.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace accelbench::ascend {

void check_acl(const cann_library& lib, aclError status, const char* call) {
  if (status != 0) throw cann_error(fmt::format("{} failed: {}", call, lib.describe(status)));
}

void check_aclnn(const cann_library& lib, aclnnStatus status, const char* call) {
  if (status != 0) throw cann_error(fmt::format("{} returned aclnn status {}", call, lib.describe(status)));
}

device_buffer::device_buffer(const cann_library& lib, std::uint64_t bytes) : m_lib(&lib), m_bytes(bytes) {
  check_acl(lib, lib.api().malloc(&m_ptr, std::max<std::uint64_t>(bytes, 32), ACCELBENCH_ACL_MEM_MALLOC_HUGE_FIRST),
            "aclrtMalloc");
}

device_buffer::~device_buffer() {
  if (m_ptr != nullptr) m_lib->api().free(m_ptr);
}

device_buffer::device_buffer(device_buffer&& other) noexcept
    : m_lib(other.m_lib), m_ptr(std::exchange(other.m_ptr, nullptr)), m_bytes(std::exchange(other.m_bytes, 0)) {}

device_buffer& device_buffer::operator=(device_buffer&& other) noexcept {
  if (this != &other) {
    if (m_ptr != nullptr) m_lib->api().free(m_ptr);
    m_lib = other.m_lib;
    m_ptr = std::exchange(other.m_ptr, nullptr);
    m_bytes = std::exchange(other.m_bytes, 0);
  }
  return *this;
}

void device_buffer::upload(const void* host, std::uint64_t bytes) {
  if (bytes == 0) return;
  check_acl(*m_lib, m_lib->api().memcpy(m_ptr, m_bytes, host, bytes, ACCELBENCH_ACL_MEMCPY_HOST_TO_DEVICE),
            "aclrtMemcpy (host to device)");
}

void device_buffer::download(void* host, std::uint64_t bytes) const {
  if (bytes == 0) return;
  check_acl(*m_lib, m_lib->api().memcpy(host, bytes, m_ptr, bytes, ACCELBENCH_ACL_MEMCPY_DEVICE_TO_HOST),
            "aclrtMemcpy (device to host)");
}

tensor_view dense_view(std::vector<std::int64_t> dims, int acl_dtype) {
  tensor_view v;
  v.strides.assign(dims.size(), 1);
  for (std::size_t i = dims.size(); i-- > 1;) v.strides[i - 1] = v.strides[i] * dims[i];
  v.storage_dims = dims;
  v.dims = std::move(dims);
  v.acl_dtype = acl_dtype;
  return v;
}

acl_tensor::acl_tensor(const cann_library& lib, const tensor_view& view, void* data) : m_lib(lib) {
  m_tensor =
      lib.api().create_tensor(view.dims.data(), view.dims.size(), view.acl_dtype, view.strides.data(), 0,
                              ACCELBENCH_ACL_FORMAT_ND, view.storage_dims.data(), view.storage_dims.size(), data);
  if (m_tensor == nullptr) throw cann_error(fmt::format("aclCreateTensor failed: {}", lib.describe(-1)));
}

acl_tensor::~acl_tensor() { m_lib.api().destroy_tensor(m_tensor); }

aclnn_call::aclnn_call(const cann_library& lib, aclOpExecutor* executor, std::uint64_t workspace_bytes, aclnnRun_fn run,
                       std::string name)
    : m_lib(lib), m_executor(executor), m_workspace_bytes(workspace_bytes), m_run(run), m_name(std::move(name)) {
  // Without this the executor is freed by its first run; the harness runs a plan many times.
  const aclnnStatus repeatable = lib.api().set_repeatable(m_executor);
  if (repeatable != 0) {
    lib.api().destroy_executor(m_executor);
    m_executor = nullptr;
    check_aclnn(lib, repeatable, "aclSetAclOpExecutorRepeatable");
  }
  try {
    if (workspace_bytes > 0) m_workspace = device_buffer(lib, workspace_bytes);
  } catch (...) {
    lib.api().destroy_executor(m_executor);
    throw;
  }
}

aclnn_call::~aclnn_call() {
  if (m_executor != nullptr) m_lib.api().destroy_executor(m_executor);
}

void aclnn_call::enqueue(aclrtStream stream) const {
  check_aclnn(m_lib, m_run(m_workspace.get(), m_workspace_bytes, m_executor, stream), m_name.c_str());
}

}  // namespace accelbench::ascend
