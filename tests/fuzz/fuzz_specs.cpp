// Spec database files: any bytes in a database file load or are an input_error naming the
// file and field. The loader reads a directory, so each input is written to a private one,
// beside the real sources.json (vendor files must cite known sources to get past the checks).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "kernels/spec/errors.hpp"
#include "reports/views/spec_database.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = [] {
    const auto p = std::filesystem::temp_directory_path() / ("accelbench-fuzz-specs-" + std::to_string(getpid()));
    std::filesystem::create_directories(p);
    std::filesystem::copy_file(std::filesystem::path(ACCELBENCH_SPECS_DIR) / "sources.json", p / "sources.json",
                               std::filesystem::copy_options::overwrite_existing);
    return p;
  }();
  {
    std::ofstream file(dir / "fuzz.json", std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const accelbench::spec_database db = accelbench::spec_database::load(dir.string());
    for (const accelbench::device_spec& d : db.devices()) (void)db.find(d.id);
  } catch (const accelbench::input_error&) {
  }
  return 0;
}
