#pragma once
// --isolate: one repetition of one case runs in a forked child process, so a backend that
// segfaults, aborts or hangs costs that case only. The child sends its case_result back over a
// pipe as the same JSON a result file holds (to_json / case_from_json); the parent waits at
// most `timeout_s` and then kills it. Crashes become `failed` with the signal named, hangs
// `failed` with a timeout reason; SIGINT/SIGTERM to the parent kills the child and the case
// becomes `interrupted`.
#include <functional>

#include "reports/model/result.hpp"

namespace accelbench {

// `measure` runs in the child on a copy of `record`; on success `record` is replaced by the
// child's version. Never throws for anything the child does.
void run_isolated(case_result& record, double timeout_s, const std::function<void(case_result&)>& measure);

}  // namespace accelbench
