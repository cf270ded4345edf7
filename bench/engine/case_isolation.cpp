#include "bench/engine/case_isolation.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "bench/engine/interrupt.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"

namespace accelbench {
namespace {

bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void child_main(int fd, case_result record, const std::function<void(case_result&)>& measure) {
  reset_interrupt_handlers();  // Ctrl-C reaches the whole process group: the child just ends
  // A crash must end the child with its real signal for the parent to name it, whatever crash
  // handler the parent process installed (a test framework, a sanitizer).
  for (int crash_signal : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) std::signal(crash_signal, SIG_DFL);
  int status = 0;
  try {
    measure(record);
    const std::string text = to_json(record).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    status = write_all(fd, text) ? 0 : 3;
  } catch (...) {
    status = 4;
  }
  ::close(fd);
  std::_Exit(status);  // no atexit handlers, no flushing of the parent's stdio buffers
}

std::string describe_signal(int signal_number) {
  const std::string name = signal_name(signal_number);
  return name == "signal" ? fmt::format("signal {}", signal_number) : name;
}

}  // namespace

void run_isolated(case_result& record, double timeout_s, const std::function<void(case_result&)>& measure) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    record.result = outcome::failed;
    record.reason = fmt::format("--isolate: cannot create a pipe: {}", std::strerror(errno));
    return;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    record.result = outcome::failed;
    record.reason = fmt::format("--isolate: cannot fork: {}", std::strerror(errno));
    return;
  }
  if (child == 0) {
    ::close(fds[0]);
    child_main(fds[1], record, measure);
  }
  ::close(fds[1]);

  using clock_type = std::chrono::steady_clock;
  const auto deadline =
      clock_type::now() + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(timeout_s));
  std::string received;
  bool timed_out = false, interrupted = false;
  char buffer[65536];
  while (true) {
    if (interrupt_requested()) {
      interrupted = true;
      break;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock_type::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    // Wake at least every 200 ms: a signal that lands just before poll() is still seen soon.
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 200)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child wrote everything or died
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out || interrupted) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }

  if (interrupted) {
    record.result = outcome::interrupted;
    record.reason = fmt::format("{} during the case (isolated child stopped); accelbench run --resume finishes the run",
                                describe_signal(interrupt_signal()));
    return;
  }
  if (timed_out) {
    record.result = outcome::failed;
    record.reason =
        fmt::format("timeout: no result within --case-timeout {:g} s; the isolated child was killed", timeout_s);
    return;
  }
  if (WIFSIGNALED(status)) {
    record.result = outcome::failed;
    record.reason = fmt::format("crashed: the isolated child was killed by {} ({})", describe_signal(WTERMSIG(status)),
                                strsignal(WTERMSIG(status)));
    return;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || received.empty()) {
    record.result = outcome::failed;
    record.reason = fmt::format("the isolated child exited with status {} without a result",
                                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return;
  }
  try {
    record = case_from_json(nlohmann::ordered_json::parse(received), "isolated child", "case");
  } catch (const std::exception& e) {
    record.result = outcome::failed;
    record.reason = fmt::format("the isolated child sent an unreadable result: {}", e.what());
  }
}

}  // namespace accelbench
