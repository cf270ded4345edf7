#include "kernels/cpu/cache_info.hpp"

#include <hwloc.h>

namespace accelbench::cpu_kernels {
namespace {

std::string kib(std::int64_t bytes) {
  return bytes >= (1 << 20) && bytes % (1 << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
                                                      : std::to_string(bytes >> 10) + " KiB";
}

cache_sizes read_cache_sizes() {
  cache_sizes sizes;
  hwloc_topology_t topology = nullptr;
  if (hwloc_topology_init(&topology) != 0) return sizes;
  if (hwloc_topology_load(topology) == 0) {
    const auto size_of = [&](hwloc_obj_type_t type) -> std::int64_t {
      hwloc_obj_t obj = hwloc_get_obj_by_type(topology, type, 0);
      return obj != nullptr && obj->attr != nullptr ? static_cast<std::int64_t>(obj->attr->cache.size) : 0;
    };
    const std::int64_t l1 = size_of(HWLOC_OBJ_L1CACHE), l2 = size_of(HWLOC_OBJ_L2CACHE),
                       l3 = size_of(HWLOC_OBJ_L3CACHE);
    if (l1 > 0) sizes.l1d = l1;
    if (l2 > 0) sizes.l2 = l2;
    if (l3 > 0) sizes.l3 = l3;
    sizes.from_hwloc = l1 > 0 || l2 > 0;
  }
  hwloc_topology_destroy(topology);
  return sizes;
}

}  // namespace

std::string cache_sizes::to_string() const {
  return "L1d " + kib(l1d) + ", L2 " + kib(l2) + ", L3 " + kib(l3) + (from_hwloc ? " (hwloc)" : " (defaults)");
}

const cache_sizes& host_cache_sizes() {
  static const cache_sizes sizes = read_cache_sizes();
  return sizes;
}

}  // namespace accelbench::cpu_kernels
