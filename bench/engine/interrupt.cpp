#include "bench/engine/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <csignal>

namespace accelbench {
namespace {

// The only state a handler touches: one lock-free atomic store.
volatile std::sig_atomic_t g_signal = 0;

// The second signal ends the process at once (_exit is async-signal-safe): a user whose run
// is stuck inside a backend call is not left without a way out, and the journal already holds
// every finished case.
extern "C" void on_interrupt(int signal_number) {
  if (g_signal != 0) _exit(128 + signal_number);
  g_signal = signal_number;
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking poll/read returns EINTR and sees the flag
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void reset_interrupt_handlers() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

bool interrupt_requested() { return g_signal != 0; }

int interrupt_signal() { return g_signal; }

const char* signal_name(int signal_number) {
  switch (signal_number) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGILL:
      return "SIGILL";
    case SIGKILL:
      return "SIGKILL";
    case SIGTRAP:
      return "SIGTRAP";
    case SIGSYS:
      return "SIGSYS";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGXCPU:
      return "SIGXCPU";
    default:
      return "signal";
  }
}

}  // namespace accelbench
