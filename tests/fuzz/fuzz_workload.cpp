// Workload strings and sweeps: any text either expands and parses, or is an input_error; a
// parsed workload prints to a canonical string that parses back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kernels/spec/errors.hpp"
#include "kernels/spec/sweep.hpp"
#include "kernels/spec/workload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> expanded;
  try {
    expanded = accelbench::expand_sweep(text);
  } catch (const accelbench::input_error&) {
    return 0;
  }
  std::size_t parsed = 0;
  for (const std::string& one : expanded) {
    if (++parsed > 64) break;  // a 100000-case sweep is legal; parsing 64 of them is enough
    try {
      const accelbench::workload w = accelbench::parse_workload(one);
      for (bool all_keys : {false, true}) {
        const std::string canonical = accelbench::to_string(w, all_keys);
        if (!(accelbench::parse_workload(canonical) == w)) std::abort();  // parse(print(x)) == x
      }
      (void)accelbench::flops(w);
      (void)accelbench::min_bytes(w);
    } catch (const accelbench::input_error&) {
    }
  }
  return 0;
}
