#include "backends/cuda/attention_path.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

namespace accelbench::cuda {

attention_path parse_attention_path(const char* value) {
  const std::string_view text = value != nullptr ? value : "";
  if (text.empty() || text == "auto") return attention_path::automatic;
  if (text == "composed") return attention_path::composed;
  throw std::invalid_argument(
      fmt::format("{}='{}': accepted values are auto, composed", attention_path_variable, text));
}

attention_path attention_path_from_environment() { return parse_attention_path(std::getenv(attention_path_variable)); }

}  // namespace accelbench::cuda
