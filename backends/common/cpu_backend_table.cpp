#include "backends/common/cpu_backend_table.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace accelbench::cpu {
namespace {

ab_status no_init(char*, size_t) { return AB_OK; }
void no_shutdown() {}
int32_t one_device() { return 1; }
ab_status host_device_info(int32_t device, ab_device_info* out) {
  return device == 0 ? describe_host_cpu(out) : AB_ERROR;
}

}  // namespace

ab_backend make_cpu_backend_table(const cpu_backend_definition& definition) {
  ab_backend table{};
  table.abi_version = AB_ABI_VERSION;
  table.struct_size = sizeof(ab_backend);
  table.name = definition.name;
  table.init = definition.init != nullptr ? definition.init : no_init;
  table.library_version = definition.library_version;
  table.device_count = one_device;
  table.device_info = host_device_info;
  table.supports = definition.supports;
  table.prepare = definition.prepare;
  table.shutdown = definition.shutdown != nullptr ? definition.shutdown : no_shutdown;
  install_cpu_plan_slots(table);
  return table;
}

void check_input_count(const workload& w, uint32_t count) {
  const std::size_t expected = input_element_counts(w).size();
  if (count != expected) {
    throw std::invalid_argument(fmt::format("{} expects {} inputs, got {}", kind_name(w), expected, count));
  }
}

}  // namespace accelbench::cpu
