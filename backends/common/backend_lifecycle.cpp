#include "backends/common/backend_lifecycle.hpp"

#include "backends/common/abi_conversion.hpp"

namespace accelbench {

ab_status backend_lifecycle::init(char* reason, std::size_t reason_len, const std::function<std::string()>& start) {
  if (++m_users == 1) {
    m_reason = start();
    m_ok = m_reason.empty();
  }
  if (m_ok) return AB_OK;
  write_reason(reason, reason_len, m_reason);
  return AB_ERROR;
}

bool backend_lifecycle::shutdown() {
  if (m_users == 0 || --m_users > 0) return false;
  m_ok = false;
  return true;
}

}  // namespace accelbench
