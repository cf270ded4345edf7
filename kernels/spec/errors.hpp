#pragma once
// Error types used inside the host. Exceptions never cross the backend C ABI.
#include <stdexcept>
#include <string>

namespace accelbench {

// Bad user input (workload string, CLI argument, suite file, JSON file). Reported as one line,
// naming the field and the accepted form; the program exits with code 2.
class input_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure while measuring one case; caught per case and turned into an outcome.
class case_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace accelbench
