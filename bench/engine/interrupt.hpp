#pragma once
// SIGINT/SIGTERM during a run: the handler only records the signal (async-signal-safe); the
// measurement loop polls interrupt_requested() between samples and between cases, records the
// current case as `interrupted`, writes the partial report and exits 128 + signal. A case stuck
// inside one backend call notices only when that call returns; --isolate bounds such cases.
// A second signal exits at once (128 + signal) without a report; the journal is durable.
namespace accelbench {

// Installs the handlers (idempotent). Without this call nothing changes.
void install_interrupt_handlers();
// Restores the default dispositions (in an isolated child, so Ctrl-C ends it).
void reset_interrupt_handlers();
bool interrupt_requested();
// The signal received (SIGINT or SIGTERM), 0 when none.
int interrupt_signal();
// "SIGINT", "SIGSEGV", ... or "signal N".
const char* signal_name(int signal_number);

// Thrown by the measurement loop when an interrupt was requested; caught per case.
struct interrupted_error {
  int signal_number = 0;
};

}  // namespace accelbench
