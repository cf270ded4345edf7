#pragma once
// The init/shutdown reference count of a device backend's process-wide state, kept once for the
// cuda, ascend, hip and musa backends. The harness may init a backend more than once in a
// process (a table and its _tuned twin share one state; `list` then `run`): the first init
// starts the runtime, later ones answer as it did (with its reason when it failed), and only
// the last shutdown asks the backend to release what it holds.
#include <cstddef>
#include <functional>
#include <string>

#include "accelbench_backend.h"

namespace accelbench {

class backend_lifecycle {
 public:
  // On the first user, calls `start`, which returns "" or why the backend is unavailable. Writes
  // that reason into `reason` and returns AB_ERROR when unavailable, AB_OK otherwise.
  ab_status init(char* reason, std::size_t reason_len, const std::function<std::string()>& start);
  // Counts a user out; true when it was the last one, and the caller releases its resources.
  bool shutdown();
  bool ok() const { return m_ok; }

 private:
  int m_users = 0;
  bool m_ok = false;
  std::string m_reason;
};

}  // namespace accelbench
