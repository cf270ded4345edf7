#pragma once
// Whole files as strings, byte for byte.
#include <filesystem>
#include <string>

namespace accelbench::testing {

// The file's bytes; empty when it cannot be read (the caller's checks then fail on the content).
std::string read_file(const std::filesystem::path& path);
// Creates or truncates the file.
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace accelbench::testing
