#include "bench/engine/system_info.hpp"

#include <hwloc.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "accelbench/version.hpp"

namespace accelbench {
namespace {

std::string read_first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::vector<std::string> interesting_cpu_flags() {
  static const std::set<std::string> wanted{"sse4_2",      "avx",      "avx2",     "fma",         "f16c",
                                            "avx512f",     "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
                                            "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8",    "avx_vnni"};
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  std::vector<std::string> found;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::string flag;
    while (words >> flag) {
      if (wanted.count(flag) != 0) found.push_back(flag);
    }
    break;
  }
  return found;
}

void read_topology(system_info& s) {
  hwloc_topology_t topology = nullptr;
  if (hwloc_topology_init(&topology) != 0) return;
  if (hwloc_topology_load(topology) != 0) {
    hwloc_topology_destroy(topology);
    return;
  }
  s.sockets = std::max(1, hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PACKAGE));
  s.cores = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE);
  s.hardware_threads = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PU);
  s.numa_nodes = std::max(1, hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_NUMANODE));
  if (hwloc_obj_t package = hwloc_get_obj_by_type(topology, HWLOC_OBJ_PACKAGE, 0)) {
    if (const char* model = hwloc_obj_get_info_by_name(package, "CPUModel")) s.cpu_model = model;
  }
  const std::array<std::pair<hwloc_obj_type_t, const char*>, 4> levels{
      {{HWLOC_OBJ_L1CACHE, "L1d"}, {HWLOC_OBJ_L2CACHE, "L2"}, {HWLOC_OBJ_L3CACHE, "L3"}, {HWLOC_OBJ_L4CACHE, "L4"}}};
  for (const auto& [type, name] : levels) {
    const int count = hwloc_get_nbobjs_by_type(topology, type);
    if (count <= 0) continue;
    hwloc_obj_t first = hwloc_get_obj_by_type(topology, type, 0);
    const auto size = static_cast<std::int64_t>(first->attr->cache.size);
    s.caches.push_back({name, size, count});
    s.last_level_cache_bytes = size * count;  // levels ascend, so the last one wins
  }
  hwloc_topology_destroy(topology);
}

}  // namespace

std::string system_info::system_desc_id() const {
  std::string key =
      fmt::format("{}|{}|{}|{}|{}|{}", cpu_model, sockets, cores, hardware_threads, memory_bytes >> 30, kernel);
  for (const auto& [name, version] : libraries) key += "|" + name + "=" + version;
  // FNV-1a: stable across runs and platforms (std::hash is not).
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ull;
  return fmt::format("{:016x}", hash);
}

system_info detect_system() {
  system_info s;
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) == 0) s.hostname = host.data();
  read_topology(s);
  // hwloc's root total_memory can undercount inside VMs; the kernel's page count is authoritative.
  s.memory_bytes = static_cast<std::int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE);
  if (s.cpu_model.empty()) s.cpu_model = "unknown CPU";
  s.cpu_flags = interesting_cpu_flags();
  s.scaling_governor = read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  utsname names{};
  if (uname(&names) == 0) {
    s.operating_system = fmt::format("{} {}", names.sysname, names.machine);
    s.kernel = names.release;
  }
  std::ifstream os_release("/etc/os-release");
  std::string line;
  while (std::getline(os_release, line)) {
    if (line.rfind("PRETTY_NAME=", 0) == 0) {
      std::string value = line.substr(12);
      if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
      s.operating_system = value;
    }
  }
  s.compiler = compiler_id;
  const unsigned hwloc = hwloc_get_api_version();  // the library loaded, not the header
  s.hwloc_version = fmt::format("{}.{}.{}", hwloc >> 16, (hwloc >> 8) & 0xff, hwloc & 0xff);
  return s;
}

nlohmann::ordered_json to_json(const system_info& s) {
  nlohmann::ordered_json caches = nlohmann::ordered_json::array();
  std::string cache_summary;
  for (const cache_level& c : s.caches) {
    caches.push_back({{"level", c.name}, {"size_bytes", c.size_bytes}, {"instances", c.instances}});
    if (!cache_summary.empty()) cache_summary += ", ";
    cache_summary += fmt::format("{} {} KiB x{}", c.name, c.size_bytes / 1024, c.instances);
  }
  nlohmann::ordered_json libraries = nlohmann::ordered_json::object();
  for (const auto& [name, version] : s.libraries) libraries[name] = version;
  return {
      {"system_desc_id", s.system_desc_id()},
      {"system_name", s.hostname},
      {"number_of_nodes", 1},
      {"host_processor_model_name", s.cpu_model},
      {"host_processors_per_node", s.sockets},
      {"host_processor_core_count", s.cores},
      {"host_processor_vcpu_count", s.hardware_threads},
      {"host_processor_caches", cache_summary},
      {"host_processor_isa_flags", s.cpu_flags},
      {"host_processor_scaling_governor", s.scaling_governor},
      {"host_memory_capacity_bytes", s.memory_bytes},
      {"host_numa_nodes", s.numa_nodes},
      {"operating_system", s.operating_system},
      {"kernel", s.kernel},
      {"compiler", s.compiler},
      {"hwloc_version", s.hwloc_version},
      {"caches", caches},
      {"last_level_cache_bytes", s.last_level_cache_bytes},
      {"libraries", libraries},
  };
}

}  // namespace accelbench
