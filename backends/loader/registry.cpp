#include "backends/loader/registry.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "backends/common/in_tree_backends.hpp"

namespace accelbench {
namespace {

struct known_backend {
  const char* name;
  const ab_backend* (*entry)();  // null when not compiled in
  const char* not_built_reason;
  bool on_demand = false;  // initialized only when a command names it (see on_demand_backends)
};

std::vector<known_backend> known_backends() {
  return {
#ifdef ACCELBENCH_WITH_REFERENCE
      {"reference", accelbench_backend_reference, ""},
#else
      {"reference", nullptr, "not linked in"},
#endif
#ifdef ACCELBENCH_WITH_NATIVE
      {"native", accelbench_backend_native, ""},
#else
      {"native", nullptr, "not linked in"},
#endif
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
#ifdef ACCELBENCH_WITH_CUDA
      {"cuda", accelbench_backend_cuda, ""},
      {"cuda_tuned", accelbench_backend_cuda_tuned, ""},
#else
      {"cuda", nullptr, "not built: install the CUDA toolkit (nvcc, cuBLASLt) and reconfigure (ACCELBENCH_WITH_CUDA)"},
      {"cuda_tuned", nullptr,
       "not built: install the CUDA toolkit (nvcc, cuBLASLt) and reconfigure (ACCELBENCH_WITH_CUDA)"},
#endif
      // Always a plugin (it loads CANN at run time): found in the plugin folders like a vendor's.
      {"ascend", nullptr, "not built"},
      // Always plugins too (they load HIP and MUSA at run time).
      {"hip", nullptr, "not built"},
      {"hip_tuned", nullptr, "not built"},
      {"musa", nullptr, "not built"},
      {"musa_tuned", nullptr, "not built"},
#ifdef ACCELBENCH_WITH_TORCH
      {"torch", accelbench_backend_torch, "", true},
#else
      {"torch", nullptr, "not linked in", true},
#endif
  };
}

std::string device_kind_name(int32_t kind) {
  switch (kind) {
    case AB_DEVICE_CPU:
      return "cpu";
    case AB_DEVICE_GPU:
      return "gpu";
    case AB_DEVICE_NPU:
      return "npu";
    default:
      return "unknown";
  }
}

}  // namespace

// Backends built as plugins by this build (ACCELBENCH_BACKEND_DL=ON), as "a,b,c".
#ifndef ACCELBENCH_PLUGIN_BUILT
#define ACCELBENCH_PLUGIN_BUILT ""
#endif

namespace {

bool built_as_plugin(const std::string& name) {
  const std::string list = std::string(",") + ACCELBENCH_PLUGIN_BUILT + ",";
  return list.find("," + name + ",") != std::string::npos;
}

// init, then the devices. Returns why the backend cannot be used, or "" (entry filled in).
std::string initialize(const ab_backend* table, backend_entry& entry) {
  if (std::string problem = check_backend_table(table); !problem.empty()) return problem;
  std::array<char, 512> reason{};
  if (table->init(reason.data(), reason.size()) != AB_OK) {
    return fmt::format("initialization failed: {}", reason.data());
  }
  entry.version = table->library_version();
  entry.devices.clear();
  for (int32_t d = 0; d < table->device_count(); ++d) {
    ab_device_info info{};
    info.struct_size = sizeof(info);
    if (table->device_info(d, &info) != AB_OK) continue;
    entry.devices.push_back({d, info.name, device_kind_name(info.kind), info.memory_bytes, info.properties_json});
  }
  if (entry.devices.empty()) {
    table->shutdown();
    return "no usable device";
  }
  entry.table = table;
  entry.available = true;
  return "";
}

// The plugin for entry.name, if any candidate is usable; otherwise entry.reason says why not.
void take_from_plugin(std::vector<plugin_candidate>& candidates, backend_entry& entry, const std::string& not_found) {
  const plugin_candidate* chosen =
      select_plugin(candidates, entry.name, [&entry](const plugin_candidate& c) { return initialize(c.table, entry); });
  if (chosen != nullptr) {
    entry.file = chosen->file.string();
    entry.reason.clear();
    return;
  }
  for (const plugin_candidate& c : candidates) {
    if (c.name == entry.name) {  // the most preferred file's reason stands for the backend
      entry.reason = fmt::format("plugin {}: {}", c.file.string(), c.reason);
      return;
    }
  }
  entry.reason = not_found;
}

}  // namespace

std::vector<std::string> on_demand_backends() {
  std::vector<std::string> names;
  for (const known_backend& known : known_backends()) {
    if (known.on_demand) names.emplace_back(known.name);
  }
  return names;
}

std::vector<backend_entry> load_backends(plugin_report* report, const std::vector<std::string>& start_on_demand) {
  plugin_report local;
  plugin_report& seen = report != nullptr ? *report : local;
  seen.dirs = plugin_search_dirs();
  seen.candidates = discover_plugins(seen.dirs);

  std::vector<backend_entry> entries;
  for (const known_backend& known : known_backends()) {
    backend_entry entry;
    entry.name = known.name;
    if (known.on_demand &&
        std::find(start_on_demand.begin(), start_on_demand.end(), entry.name) == start_on_demand.end()) {
      entry.reason = fmt::format(
          "not started: starting it loads a foreign runtime, so only commands that name it do "
          "(-b {0}; 'accelbench list backends' shows it)",
          entry.name);
      for (plugin_candidate& c : seen.candidates) {
        if (c.name == entry.name && c.reason.empty()) c.reason = "not started: not named by this command";
      }
      entries.push_back(std::move(entry));
      continue;
    }
    if (known.entry == nullptr) {
      const std::string not_found =
          built_as_plugin(known.name)
              ? fmt::format(
                    "built as a plugin, but no libaccelbench-backend-{}[-variant].so was found in the search "
                    "path (see 'accelbench list backends --verbose')",
                    known.name)
              : known.not_built_reason;
      take_from_plugin(seen.candidates, entry, not_found);
      entries.push_back(std::move(entry));
      continue;
    }
    if (std::string problem = initialize(known.entry(), entry); !problem.empty()) entry.reason = problem;
    for (plugin_candidate& c : seen.candidates) {
      if (c.name == entry.name && c.reason.empty()) c.reason = "not used: this backend is linked into accelbench";
    }
    entries.push_back(std::move(entry));
  }
  // Backends this build has never heard of, in discovery order.
  for (const plugin_candidate& c : seen.candidates) {
    if (c.name.empty()) continue;
    const bool listed =
        std::any_of(entries.begin(), entries.end(), [&c](const backend_entry& e) { return e.name == c.name; });
    if (listed) continue;
    backend_entry entry;
    entry.name = c.name;
    take_from_plugin(seen.candidates, entry, "");
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
