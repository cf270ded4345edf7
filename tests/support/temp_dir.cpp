#include "tests/support/temp_dir.hpp"

#include <stdlib.h>

#include <catch2/catch.hpp>

namespace fs = std::filesystem;

namespace accelbench::testing {

temp_dir::temp_dir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  path = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

std::string temp_dir::operator/(const std::string& name) const { return (path / name).string(); }

std::set<std::string> temp_dir::files() const {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(path)) {
    const std::string name = entry.path().filename().string();
    if (name != "stdout.txt" && name != "stderr.txt") names.insert(name);
  }
  return names;
}

}  // namespace accelbench::testing
