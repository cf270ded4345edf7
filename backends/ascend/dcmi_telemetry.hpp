#pragma once
// Device telemetry through DCMI (libdcmi.so, Huawei's device management library, as nvtop's
// Ascend support and npu-exporter use it), loaded with dlopen like NVML for the CUDA backend:
// AI-core clock, HBM clock, power and temperature once per batch of samples. Searched in
// $ACCELBENCH_DCMI_PATH, /usr/local/Ascend/driver/lib64/driver, /usr/local/Ascend/driver/lib64,
// /usr/local/dcmi, then the loader path. Without it the fields stay null and reason() says why.
//
// DCMI numbers devices as (card, device in card); ACL numbers them 0..n-1. We take the ACL index
// as the position in DCMI's enumeration (cards in dcmi_get_card_num_list order, devices in card
// order), which is how npu-smi lists them; never checked on a multi-card host.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "accelbench_backend.h"

namespace accelbench::ascend {

// The directories to try, in order, for the given $ACCELBENCH_DCMI_PATH; the last is "" (loader).
std::vector<std::string> dcmi_library_dirs(const char* env_dir);

class dcmi_telemetry {
 public:
  dcmi_telemetry();
  dcmi_telemetry(const dcmi_telemetry&) = delete;
  dcmi_telemetry& operator=(const dcmi_telemetry&) = delete;

  bool available() const { return m_reason.empty(); }
  const std::string& reason() const { return m_reason; }
  // One reading of ACL device `index`; nullopt when DCMI has no such device or reports nothing.
  std::optional<ab_telemetry> read(int index) const;

 private:
  struct api {
    int (*power)(int card, int device, int* deci_watts) = nullptr;
    int (*temperature)(int card, int device, int* celsius) = nullptr;
    int (*frequency)(int card, int device, int type, unsigned int* mhz) = nullptr;
  };
  api m_api;
  std::vector<std::pair<int, int>> m_devices;  // (card, device) by ACL index
  std::string m_reason;
};

}  // namespace accelbench::ascend
