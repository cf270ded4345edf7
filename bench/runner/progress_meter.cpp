#include "bench/runner/progress_meter.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace accelbench {

progress_meter::progress_meter(std::vector<double> costs, std::size_t repetitions) : m_costs(std::move(costs)) {
  const std::size_t reps = repetitions == 0 ? 1 : repetitions;
  for (double c : m_costs) {
    if (c <= 0) continue;
    m_steps += reps;
    m_total += c * static_cast<double>(reps);
  }
}

std::string progress_meter::starting(std::size_t index, double elapsed_s, const std::string& label) {
  m_done += m_running;  // the step before this one has finished
  m_running = index < m_costs.size() ? m_costs[index] : 0.0;
  ++m_started;
  const double fraction = m_total > 0 ? m_done / m_total : 0.0;
  // No ETA until something has finished and a second has passed: an estimate from nothing.
  std::string eta = "ETA --";
  if (m_done > 0 && elapsed_s >= 1.0) eta = "ETA " + clock_text(elapsed_s * (m_total - m_done) / m_done);
  return fmt::format("[{}/{} {:.0f}%] {} elapsed, {}  {}", m_started, m_steps, 100.0 * fraction, clock_text(elapsed_s),
                     eta, label);
}

std::string clock_text(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  const long long hours = total / 3600, minutes = total / 60 % 60, secs = total % 60;
  if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, secs);
  return fmt::format("{}:{:02}", minutes, secs);
}

}  // namespace accelbench
