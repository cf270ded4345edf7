#pragma once
// The explicit list of backends this build knows, with why an unavailable one is unavailable.
// registry.cpp is the only place that knows which backends were compiled in.
#include <memory>
#include <string>
#include <vector>

#include "accelbench_backend.h"
#include "backends/loader/plugin_loader.hpp"

namespace accelbench {

struct device_description {
  int index = 0;
  std::string name;
  std::string kind;  // cpu | gpu | npu
  std::uint64_t memory_bytes = 0;
  std::string properties_json;
};

struct backend_entry {
  std::string name;
  const ab_backend* table = nullptr;  // null when not built or not usable
  bool available = false;
  std::string reason;   // why not available
  std::string version;  // library version when available
  std::vector<device_description> devices;
  std::string file;  // the plugin it came from; empty when linked in
};

// What plugin discovery saw: the search directories and every candidate file with its reason.
struct plugin_report {
  std::vector<plugin_dir> dirs;
  std::vector<plugin_candidate> candidates;
};

// Initializes every linked-in backend, then every backend found as a plugin (plugin_loader.hpp):
// a known backend that is not linked in is taken from a plugin of the same name; a plugin with
// the name of a linked-in backend is not used. A failing one is listed with its reason, never
// fatal. `report`, when given, receives what discovery saw (list backends --verbose).
// On-demand backends (on_demand_backends(): torch, whose init starts Python and imports torch)
// are initialized only when named in `start_on_demand`; otherwise they are listed unavailable
// with a reason, so a command that does not use them never pays for them.
std::vector<backend_entry> load_backends(plugin_report* report = nullptr,
                                         const std::vector<std::string>& start_on_demand = {});
// The backends that load_backends starts only on request.
std::vector<std::string> on_demand_backends();
// Calls shutdown on every initialized backend.
void shutdown_backends(std::vector<backend_entry>& entries);

// Owning handle for a prepared plan.
struct plan_deleter {
  const ab_backend* table = nullptr;
  void operator()(ab_plan* plan) const {
    if (plan != nullptr && table != nullptr) table->release(plan);
  }
};
using plan_handle = std::unique_ptr<ab_plan, plan_deleter>;

}  // namespace accelbench
