#pragma once
// Skips are skips. Catch2 v2 has no SKIP: a test case that cannot test anything on this machine
// (a backend or prerequisite is missing) calls skip_test(reason) and returns, e.g.
//   if (backend == nullptr) return skip_test("openblas unavailable");
// The reason goes to stderr, and the shared main (tests/test_main.cpp) exits 77 when no test
// case failed, which ctest reports as skipped (SKIP_RETURN_CODE), never as passed.
#include <string>

namespace accelbench::testing {

constexpr int skip_exit_code = 77;

void skip_test(const std::string& reason);
// How many times skip_test was called in this process.
int skipped_test_count();

}  // namespace accelbench::testing
