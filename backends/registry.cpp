#include "registry.hpp"

#include <array>

#include <fmt/format.h>

namespace accelbench {
namespace {

struct known_backend {
  const char* name;
  const ab_backend* (*entry)();  // null when not compiled in
  const char* not_built_reason;
};

std::vector<known_backend> known_backends() {
  return {
      {"reference", accelbench_backend_reference, ""},
#ifdef ACCELBENCH_WITH_OPENBLAS
      {"openblas", accelbench_backend_openblas, ""},
#else
      {"openblas", nullptr, "not built: install libopenblas-dev and reconfigure (ACCELBENCH_WITH_OPENBLAS)"},
#endif
#ifdef ACCELBENCH_WITH_ONEDNN
      {"onednn", accelbench_backend_onednn, ""},
#else
      {"onednn", nullptr, "not built: install libdnnl-dev and reconfigure (ACCELBENCH_WITH_ONEDNN)"},
#endif
      {"cuda", nullptr, "not built: the CUDA backend (cuBLASLt, cuDNN) is not implemented in this version"},
  };
}

std::string device_kind_name(int32_t kind) {
  switch (kind) {
    case AB_DEVICE_CPU: return "cpu";
    case AB_DEVICE_GPU: return "gpu";
    case AB_DEVICE_NPU: return "npu";
    default: return "unknown";
  }
}

}  // namespace

std::vector<backend_entry> load_backends() {
  std::vector<backend_entry> entries;
  for (const known_backend& known : known_backends()) {
    backend_entry entry;
    entry.name = known.name;
    if (known.entry == nullptr) {
      entry.reason = known.not_built_reason;
      entries.push_back(std::move(entry));
      continue;
    }
    const ab_backend* table = known.entry();
    if (table == nullptr || table->abi_version != AB_ABI_VERSION || table->struct_size < sizeof(ab_backend)) {
      entry.reason = fmt::format("ABI mismatch: backend built for ABI {}, harness expects {}",
                                 table ? table->abi_version : 0, AB_ABI_VERSION);
      entries.push_back(std::move(entry));
      continue;
    }
    std::array<char, 512> reason{};
    if (table->init(reason.data(), reason.size()) != AB_OK) {
      entry.reason = fmt::format("initialization failed: {}", reason.data());
      entries.push_back(std::move(entry));
      continue;
    }
    entry.table = table;
    entry.available = true;
    entry.version = table->library_version();
    for (int32_t d = 0; d < table->device_count(); ++d) {
      ab_device_info info{};
      info.struct_size = sizeof(info);
      if (table->device_info(d, &info) != AB_OK) continue;
      entry.devices.push_back({d, info.name, device_kind_name(info.kind), info.memory_bytes, info.properties_json});
    }
    if (entry.devices.empty()) {
      entry.available = false;
      entry.reason = "no usable device";
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

void shutdown_backends(std::vector<backend_entry>& entries) {
  for (backend_entry& entry : entries) {
    if (entry.table != nullptr && entry.table->shutdown != nullptr) entry.table->shutdown();
    entry.table = nullptr;
  }
}

}  // namespace accelbench
