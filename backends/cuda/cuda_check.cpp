#include "backends/cuda/cuda_check.hpp"

#include <fmt/format.h>

namespace accelbench::cuda {

void throw_cuda_error(const char* expression, const std::string& vendor_message, const char* file, int line) {
  // Only the file's base name: the message ends up in result files.
  std::string_view path(file);
  const auto slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  throw cuda_error(fmt::format("{} failed: {} ({}:{})", expression, vendor_message, path, line));
}

}  // namespace accelbench::cuda
