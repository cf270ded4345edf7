#include "bench/engine/telemetry_sampler.hpp"

#include <cstring>
#include <string>

namespace accelbench {

telemetry_reading to_reading(const ab_telemetry& t, std::int64_t first_sample, std::int64_t samples) {
  telemetry_reading r;
  r.first_sample = first_sample;
  r.samples = samples;
  const auto field = [&t](std::uint32_t bit, double value) {
    return (t.reported & bit) != 0 ? std::optional<double>(value) : std::nullopt;
  };
  r.sm_clock_mhz = field(AB_TELEMETRY_SM_CLOCK, t.sm_clock_mhz);
  r.memory_clock_mhz = field(AB_TELEMETRY_MEMORY_CLOCK, t.memory_clock_mhz);
  r.power_w = field(AB_TELEMETRY_POWER, t.power_w);
  r.temperature_c = field(AB_TELEMETRY_TEMPERATURE, t.temperature_c);
  if ((t.reported & AB_TELEMETRY_CLOCK_EVENTS) != 0) {
    // Bounded read: a backend that forgot the terminator must not run us off the array.
    r.clock_event_reasons.assign(t.clock_event_reasons, strnlen(t.clock_event_reasons, sizeof(t.clock_event_reasons)));
    r.throttled = t.throttled != 0;
  }
  return r;
}

telemetry_sampler telemetry_sampler::for_backend(const ab_backend* table, int32_t device) {
  if (table == nullptr || table->get_proc == nullptr) return telemetry_sampler();  // optional slot
  auto* read = reinterpret_cast<ab_read_telemetry_fn>(table->get_proc(AB_PROC_READ_TELEMETRY));
  if (read == nullptr) return telemetry_sampler();
  return telemetry_sampler([read, device](ab_telemetry& out) { return read(device, &out); });
}

void telemetry_sampler::sample_batch(repetition_record& rep, std::int64_t first_sample, std::int64_t samples) {
  if (!m_read || samples < 1) return;
  ab_telemetry t{};
  t.struct_size = sizeof(t);
  if (m_read(t) != AB_OK) {
    m_read = nullptr;  // no telemetry on this device: do not pay for asking again
    return;
  }
  rep.telemetry.push_back(to_reading(t, first_sample, samples));
}

}  // namespace accelbench
