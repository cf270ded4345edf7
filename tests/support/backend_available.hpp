#pragma once
// What this machine offers the backends: whether accelbench lists a backend as available, and
// whether an NVIDIA GPU is there at all (without one, cuda can never be available).
#include <string>

namespace accelbench::testing {

// `accelbench list backends` shows `name` as available.
bool backend_available(const std::string& name);
// An NVIDIA driver or device node is present (/proc/driver/nvidia, /dev/nvidia0, /dev/nvidiactl).
bool nvidia_device_present();

}  // namespace accelbench::testing
