#pragma once
// Running the built accelbench executable (or a shell command line) as a user would, in a
// temporary folder, with stdout and stderr captured separately.
#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace accelbench::testing {

struct cli_result {
  int exit_code = -1;  // -1 when the process did not exit normally
  int signal = 0;      // the signal that ended it, else 0
  std::string out, err;
};

// The accelbench executable of this build.
const std::string& accelbench_exe();

// Starts accelbench with `args` (no shell: arguments are passed as they are) in `dir`, stdout
// and stderr to dir/stdout.txt and dir/stderr.txt. `env` entries (NAME=value) are added to the
// environment, replacing inherited ones of the same name; ACCELBENCH_TEST_FAULT is never
// inherited, so only a test that sets it gets a fault.
pid_t spawn_accelbench(const temp_dir& dir, const std::vector<std::string>& args,
                       const std::vector<std::string>& env = {});
// Waits for a process started by spawn_accelbench and collects its output (the two files are
// removed, so temp_dir::files() sees only what the run wrote).
cli_result wait_accelbench(const temp_dir& dir, pid_t pid);
// spawn_accelbench, then wait_accelbench.
cli_result run_accelbench(const temp_dir& dir, const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {});
// A /bin/sh command line in `dir`, output captured as by run_accelbench.
cli_result run_shell(const temp_dir& dir, const std::string& command_line);

}  // namespace accelbench::testing
