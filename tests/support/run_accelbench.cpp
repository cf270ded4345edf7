#include "tests/support/run_accelbench.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "tests/support/file_io.hpp"

extern char** environ;

namespace accelbench::testing {
namespace {

std::string variable_name(const std::string& entry) { return entry.substr(0, entry.find('=')); }

// The inherited environment with `extra` in front; inherited entries that `extra` sets, and
// ACCELBENCH_TEST_FAULT, are left out.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> names{"ACCELBENCH_TEST_FAULT"};
  for (const std::string& e : extra) names.push_back(variable_name(e));
  std::vector<std::string> entries(extra);
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    bool replaced = false;
    for (const std::string& name : names) replaced = replaced || variable_name(entry) == name;
    if (!replaced) entries.push_back(entry);
  }
  return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t spawn(const temp_dir& dir, std::vector<std::string> argv_storage, const std::vector<std::string>& env) {
  std::vector<std::string> env_storage = child_environment(env);
  const std::vector<char*> argv = pointers(argv_storage);
  const std::vector<char*> envp = pointers(env_storage);
  const std::string out = dir / "stdout.txt", err = dir / "stderr.txt";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, dir.path.c_str());
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv_storage.front().c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  INFO("posix_spawn " << argv_storage.front());
  REQUIRE(rc == 0);
  return pid;
}

}  // namespace

const std::string& accelbench_exe() {
  static const std::string path = ACCELBENCH_EXE;
  return path;
}

pid_t spawn_accelbench(const temp_dir& dir, const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv{accelbench_exe()};
  argv.insert(argv.end(), args.begin(), args.end());
  return spawn(dir, std::move(argv), env);
}

cli_result wait_accelbench(const temp_dir& dir, pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  cli_result r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = read_file(dir / "stdout.txt");
  r.err = read_file(dir / "stderr.txt");
  std::filesystem::remove(dir / "stdout.txt");
  std::filesystem::remove(dir / "stderr.txt");
  return r;
}

cli_result run_accelbench(const temp_dir& dir, const std::vector<std::string>& args,
                          const std::vector<std::string>& env) {
  return wait_accelbench(dir, spawn_accelbench(dir, args, env));
}

cli_result run_shell(const temp_dir& dir, const std::string& command_line) {
  return wait_accelbench(dir, spawn(dir, {"/bin/sh", "-c", command_line}, {}));
}

}  // namespace accelbench::testing
