#include "backends/common/library_loader.hpp"

#include <dlfcn.h>

#include <utility>

namespace accelbench {

loaded_library::~loaded_library() { close(); }

loaded_library::loaded_library(loaded_library&& other) noexcept
    : m_handle(std::exchange(other.m_handle, nullptr)),
      m_path(std::move(other.m_path)),
      m_errors(std::move(other.m_errors)),
      m_first_error(std::move(other.m_first_error)) {}

loaded_library& loaded_library::operator=(loaded_library&& other) noexcept {
  if (this != &other) {
    close();
    m_handle = std::exchange(other.m_handle, nullptr);
    m_path = std::move(other.m_path);
    m_errors = std::move(other.m_errors);
    m_first_error = std::move(other.m_first_error);
  }
  return *this;
}

bool loaded_library::open_first(const std::vector<std::string>& candidates, bool global) {
  close();
  m_errors.clear();
  m_first_error.clear();
  for (const std::string& candidate : candidates) {
    m_handle = dlopen(candidate.c_str(), RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL));
    if (m_handle != nullptr) {
      m_path = candidate;
      return true;
    }
    const char* e = dlerror();
    const std::string error = e != nullptr ? e : candidate;
    if (m_first_error.empty()) m_first_error = error;
    m_errors += (m_errors.empty() ? "" : "; ") + error;
  }
  return false;
}

std::string loaded_library::bind_symbols(const std::vector<symbol_slot>& slots) const {
  std::string missing;
  for (const symbol_slot& s : slots) {
    void* address = find(s.name);
    s.store(s.target, address);
    if (address == nullptr && s.required) missing += (missing.empty() ? "" : ", ") + std::string(s.name);
  }
  if (!missing.empty()) {
    for (const symbol_slot& s : slots) {
      if (s.required) s.store(s.target, nullptr);
    }
  }
  return missing;
}

void* loaded_library::find(const char* name) const { return m_handle != nullptr ? dlsym(m_handle, name) : nullptr; }

void loaded_library::close() {
  if (m_handle != nullptr) dlclose(m_handle);
  m_handle = nullptr;
  m_path.clear();
}

}  // namespace accelbench
