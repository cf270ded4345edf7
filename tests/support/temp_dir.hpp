#pragma once
// A fresh folder under the system's temporary directory, removed with its contents at the end
// of its scope.
#include <filesystem>
#include <set>
#include <string>

namespace accelbench::testing {

class temp_dir {
 public:
  // <temp>/<prefix>-XXXXXX; the prefix tells which test left a folder behind after a crash.
  explicit temp_dir(const std::string& prefix = "accelbench-test");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  // The path of `name` inside the folder.
  std::string operator/(const std::string& name) const;
  // The names of the files in the folder, except stdout.txt and stderr.txt (where
  // run_accelbench captures a run's output).
  std::set<std::string> files() const;

  std::filesystem::path path;
};

}  // namespace accelbench::testing
