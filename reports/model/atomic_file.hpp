#pragma once
// Writes a whole file or nothing: temporary file in the same folder, fsync, rename.
#include <string>

namespace accelbench {

// Throws std::runtime_error naming the path on failure; the target is then untouched.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace accelbench
