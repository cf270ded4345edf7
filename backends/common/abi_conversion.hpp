#pragma once
// Conversions between the C ABI's flat structs and the host's value types.
#include <cstddef>
#include <string>

#include "accelbench_backend.h"
#include "kernels/spec/workload.hpp"

namespace accelbench {

// `text` must outlive the returned struct (it is borrowed, not copied).
ab_workload to_abi(const workload& w, const std::string& text);
workload from_abi(const ab_workload& w);

// Writes `text` into a caller's buffer (a reason, a device name), truncating safely.
void write_reason(char* buffer, std::size_t length, const std::string& text);

}  // namespace accelbench
