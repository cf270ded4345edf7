#pragma once
// Whether the accelbench executable lists a backend as available (`accelbench list backends`).
#include <string>

namespace accelbench::testing {

bool backend_available(const std::string& name);

}  // namespace accelbench::testing
