// Run journals (--resume): any bytes are a journal or an input_error naming the line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bench/runner/run_journal.hpp"
#include "kernels/spec/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const accelbench::journal_contents j = accelbench::parse_journal(text, "fuzz.journal");
    if (j.valid_bytes > text.size()) std::abort();
    for (const accelbench::journal_entry& e : j.entries) {
      if (e.index >= j.cases.size()) std::abort();
    }
  } catch (const accelbench::input_error&) {
  }
  return 0;
}
