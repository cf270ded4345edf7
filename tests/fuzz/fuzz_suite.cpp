// Suite files: any text is a suite or an input_error naming the line; nothing else escapes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bench/runner/suite.hpp"
#include "kernels/spec/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const accelbench::suite s = accelbench::parse_suite("fuzz", text, "fuzz.txt");
    accelbench::stopping_criterion stop;
    s.options.apply_to(stop);
  } catch (const accelbench::input_error&) {
  }
  return 0;
}
