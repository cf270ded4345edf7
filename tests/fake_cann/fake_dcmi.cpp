// A simulated libdcmi.so: one card holding FAKE_CANN_DEVICE_COUNT devices, each reading the same
// invented values (AI core 1800 MHz, HBM 1600 MHz, 123.4 W, 45 C): only the plumbing is tested.
#include <cstdlib>

#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {
int device_count() {
  const char* v = std::getenv("FAKE_CANN_DEVICE_COUNT");
  return v != nullptr && v[0] != '\0' ? std::atoi(v) : 1;
}
}  // namespace

FAKE_EXPORT int dcmi_init() { return 0; }
FAKE_EXPORT int dcmi_get_card_num_list(int* count, int* ids, int length) {
  if (length < 1) return -8001;
  *count = 1;
  ids[0] = 0;
  return 0;
}
FAKE_EXPORT int dcmi_get_device_num_in_card(int card, int* count) {
  *count = card == 0 ? device_count() : 0;
  return 0;
}
FAKE_EXPORT int dcmi_get_device_power_info(int, int, int* deci_watts) {
  *deci_watts = 1234;
  return 0;
}
FAKE_EXPORT int dcmi_get_device_temperature(int, int, int* celsius) {
  *celsius = 45;
  return 0;
}
FAKE_EXPORT int dcmi_get_device_frequency(int, int, int type, unsigned int* mhz) {
  if (type == 7) *mhz = 1800;  // DCMI_FREQ_AICORE_CURRENT_
  if (type == 6) *mhz = 1600;  // DCMI_FREQ_HBM
  return type == 6 || type == 7 ? 0 : -8001;
}
