// Result files: any bytes are a run record or an input_error naming the field; a record that
// was read writes back to JSON that reads again (what report, compare and merge rely on).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "kernels/spec/errors.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {
    return 0;  // read_result_file turns every parser exception into an input_error
  }
  accelbench::run_record run;
  try {
    run = accelbench::result_from_json(document, "fuzz.json");
  } catch (const accelbench::input_error&) {
    return 0;
  }
  std::string text;
  try {
    text = accelbench::to_json_text(run);
  } catch (const nlohmann::json::type_error&) {
    return 0;  // invalid UTF-8 in a string read from the file is refused when writing
  }
  try {
    (void)accelbench::result_from_json(nlohmann::ordered_json::parse(text), "rewritten.json");
  } catch (const accelbench::input_error&) {
    std::abort();  // what we wrote must read back
  }
  return 0;
}
