#include "backends/gpu_vendor/vendor_device.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace accelbench::gpu_vendor {
namespace {

// More than any vendor's device-properties struct (HIP 6's is 1472 bytes).
constexpr std::size_t properties_bytes = 16384;
constexpr std::size_t name_bytes = 256;  // char name[256] leads the struct in every version

}  // namespace

std::string find_architecture(const unsigned char* properties, std::size_t bytes, const std::string& prefix) {
  if (prefix.empty() || bytes <= name_bytes) return {};
  const auto* begin = properties + name_bytes;  // past the name, which could contain the prefix
  const auto* end = properties + bytes;
  for (const auto* at = begin; at + prefix.size() < end; ++at) {
    if (std::memcmp(at, prefix.data(), prefix.size()) != 0 || (at != begin && at[-1] != '\0')) continue;
    const auto* stop = std::find(at, end, '\0');
    std::string text(reinterpret_cast<const char*>(at), static_cast<std::size_t>(stop - at));
    // "gfx90a:sramecc+:xnack-": the target features after ':' are not the architecture.
    text = text.substr(0, text.find(':'));
    if (text.size() > prefix.size() &&
        std::all_of(text.begin(), text.end(), [](unsigned char ch) { return std::isalnum(ch) != 0 || ch == '_'; })) {
      return text;
    }
  }
  return {};
}

device_identity read_device_identity(const vendor_library& lib, int index, std::string& error) {
  const runtime_api& rt = lib.rt();
  const runtime_constants& c = lib.vendor().runtime;
  device_identity d;
  if (const gpu_status s = rt.SetDevice(index); s != 0) {
    error = fmt::format("{}SetDevice({}) failed: {}", lib.vendor().runtime_prefix, index, lib.describe(s));
    return d;
  }
  std::vector<unsigned char> properties(properties_bytes, 0);
  if (const gpu_status s = rt.GetDeviceProperties(properties.data(), index); s != 0) {
    error = fmt::format("{}GetDeviceProperties({}) failed: {}", lib.vendor().runtime_prefix, index, lib.describe(s));
    return d;
  }
  const auto* name = reinterpret_cast<const char*>(properties.data());
  d.name = std::string(name, strnlen(name, name_bytes));
  if (d.name.empty()) d.name = fmt::format("{} device {}", lib.vendor().runtime_name, index);
  d.architecture = find_architecture(properties.data(), properties.size(), lib.vendor().architecture_prefix);
  int major = 0, minor = 0;
  if (d.architecture.empty() && c.attribute_arch_major >= 0 &&
      rt.DeviceGetAttribute(&major, c.attribute_arch_major, index) == 0 &&
      rt.DeviceGetAttribute(&minor, c.attribute_arch_minor, index) == 0) {
    d.architecture = fmt::format("{}.{}", major, minor);
  }
  if (const gpu_status s = rt.DeviceGetAttribute(&d.compute_units, c.attribute_compute_units, index); s != 0) {
    d.compute_units = 0;
  }
  int clock_khz = 0;
  if (c.attribute_clock_khz >= 0 && rt.DeviceGetAttribute(&clock_khz, c.attribute_clock_khz, index) == 0) {
    d.clock_mhz = clock_khz / 1000;
  }
  std::size_t free = 0, total = 0;
  if (const gpu_status s = rt.MemGetInfo(&free, &total); s != 0) {
    error = fmt::format("{}MemGetInfo on device {} failed: {}", lib.vendor().runtime_prefix, index, lib.describe(s));
    return d;
  }
  d.free_bytes = free;
  d.total_bytes = total;
  return d;
}

}  // namespace accelbench::gpu_vendor
