#pragma once
// The machine a result was measured on: hwloc topology plus OS, compiler and libraries.
// Field names follow MLPerf's system description where one exists.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace accelbench {

struct cache_level {
  std::string name;  // "L1d", "L2", "L3"
  std::int64_t size_bytes = 0;
  std::int64_t instances = 0;
};

struct system_info {
  std::string hostname;
  std::string cpu_model;
  std::int64_t sockets = 0, cores = 0, hardware_threads = 0, numa_nodes = 0;
  std::int64_t memory_bytes = 0;
  std::vector<cache_level> caches;
  std::int64_t last_level_cache_bytes = 0;  // total over instances: what a flush must exceed
  std::vector<std::string> cpu_flags;       // the ISA features kernels care about
  std::string scaling_governor;
  std::string operating_system, kernel, compiler, hwloc_version;
  std::map<std::string, std::string> libraries;  // backend -> library version

  // Stable id of the hardware and software fields: results with the same id are comparable.
  std::string system_desc_id() const;
};

system_info detect_system();
nlohmann::ordered_json to_json(const system_info& s);

}  // namespace accelbench
