#include "backends/gpu_vendor/vendor_table.hpp"

#include <cstdlib>

namespace accelbench::gpu_vendor {

std::vector<std::string> library_candidates(const std::vector<const char*>& env_roots,
                                            const std::vector<std::string>& fixed_roots,
                                            const std::vector<std::string>& files) {
  std::vector<std::string> roots;
  for (const char* variable : env_roots) {
    if (const char* value = std::getenv(variable); value != nullptr && value[0] != '\0') roots.emplace_back(value);
  }
  std::vector<std::string> out;
  const auto add_roots = [&](const std::vector<std::string>& from) {
    for (const std::string& root : from) {
      for (const char* lib : {"/lib/", "/lib64/"}) {
        for (const std::string& file : files) out.push_back(root + lib + file);
      }
    }
  };
  add_roots(roots);  // an install root the user named wins over anything the loader would find
  for (const std::string& file : files) out.push_back(file);
  add_roots(fixed_roots);
  return out;
}

}  // namespace accelbench::gpu_vendor
