#include "tests/support/backend_available.hpp"

#include <filesystem>
#include <regex>

#include "tests/support/run_accelbench.hpp"
#include "tests/support/temp_dir.hpp"

namespace accelbench::testing {

bool backend_available(const std::string& name) {
  const temp_dir dir("accelbench-list");
  const cli_result r = run_accelbench(dir, {"list", "backends"});
  return std::regex_search(r.out, std::regex("(^|\\n)" + name + " +available"));
}

bool nvidia_device_present() {
  std::error_code ignored;
  for (const char* path : {"/proc/driver/nvidia/version", "/dev/nvidia0", "/dev/nvidiactl"}) {
    if (std::filesystem::exists(path, ignored)) return true;
  }
  return false;
}

}  // namespace accelbench::testing
