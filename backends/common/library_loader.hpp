#pragma once
// A vendor library loaded with dlopen at run time: the first file of a list of candidates that
// opens, and a table of named entry points bound from it with dlsym. Every backend whose vendor
// library is not linked (CUDA's cuBLASLt and cuDNN, HIP, MUSA) loads it this way, so a missing
// library or symbol is always reported the same way: which files were tried, which names lack.
#include <string>
#include <type_traits>
#include <vector>

namespace accelbench {

// One entry point to bind: its exported name and the function pointer it goes to (`store`
// converts dlsym's void* to the pointer's own type and writes it; nullptr clears it).
struct symbol_slot {
  const char* name;
  void* target;
  void (*store)(void* target, void* address);
  bool required = true;  // an optional one stays null when absent
};

// Makes a symbol_slot for a function-pointer member: symbol("hipMalloc", api.malloc).
template <typename F>
symbol_slot symbol(const char* name, F& out, bool required = true) {
  static_assert(std::is_pointer_v<F> && std::is_function_v<std::remove_pointer_t<F>>, "a function pointer");
  return symbol_slot{name, &out,
                     [](void* target, void* address) { *static_cast<F*>(target) = reinterpret_cast<F>(address); },
                     required};
}

class loaded_library {
 public:
  loaded_library() = default;
  ~loaded_library();
  loaded_library(const loaded_library&) = delete;
  loaded_library& operator=(const loaded_library&) = delete;
  loaded_library(loaded_library&& other) noexcept;
  loaded_library& operator=(loaded_library&& other) noexcept;

  // Opens the first candidate that dlopen accepts (RTLD_NOW, and RTLD_GLOBAL when `global`).
  // False when none opens; errors() then lists each candidate's dlerror, "; "-separated.
  bool open_first(const std::vector<std::string>& candidates, bool global = false);

  // Binds each slot; the required names that lack, ", "-separated ("" when all were found).
  // Required slots of a library that lacks any are left null, so nothing half-bound is used.
  std::string bind_symbols(const std::vector<symbol_slot>& slots) const;

  // One entry point by name, or nullptr.
  void* find(const char* name) const;

  void close();
  bool is_open() const { return m_handle != nullptr; }
  const std::string& path() const { return m_path; }
  const std::string& errors() const { return m_errors; }
  const std::string& first_error() const { return m_first_error; }

 private:
  void* m_handle = nullptr;
  std::string m_path, m_errors, m_first_error;
};

}  // namespace accelbench
