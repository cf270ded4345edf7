#include "tests/support/skip.hpp"

#include <cstdio>

#include <catch2/catch.hpp>

namespace accelbench::testing {
namespace {

int g_skipped = 0;

}  // namespace

void skip_test(const std::string& reason) {
  ++g_skipped;
  const std::string test = Catch::getResultCapture().getCurrentTestName();
  std::fprintf(stderr, "SKIPPED: %s: %s\n", test.c_str(), reason.c_str());
  std::fflush(stderr);
}

int skipped_test_count() { return g_skipped; }

}  // namespace accelbench::testing
