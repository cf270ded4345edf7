#pragma once
// Device telemetry in results: one reading per batch of samples, taken through the backend's
// optional "ab_read_telemetry_v1" extra while the batch runs (accelbench_backend.h says why not
// per sample). Backends without it (every CPU backend) leave the repetition's telemetry empty.
#include <cstdint>
#include <functional>

#include "accelbench_backend.h"
#include "reports/model/result.hpp"

namespace accelbench {

// A backend's reading as a result entry covering samples [first_sample, first_sample + samples).
telemetry_reading to_reading(const ab_telemetry& t, std::int64_t first_sample, std::int64_t samples);

class telemetry_sampler {
 public:
  // Fills the struct; anything but AB_OK means "no telemetry here" and ends the sampling.
  using read_fn = std::function<ab_status(ab_telemetry&)>;

  explicit telemetry_sampler(read_fn read = {}) : m_read(std::move(read)) {}
  // The backend's reader for `device`, or a sampler that reads nothing.
  static telemetry_sampler for_backend(const ab_backend* table, int32_t device);

  // Called while a batch runs: appends one reading for its samples to rep.telemetry.
  void sample_batch(repetition_record& rep, std::int64_t first_sample, std::int64_t samples);

 private:
  read_fn m_read;
};

}  // namespace accelbench
