#pragma once
// A 64-byte aligned, zero-initialized array of floats for packed panels and scratch tiles.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace accelbench::cpu_kernels {

class aligned_buffer {
 public:
  aligned_buffer() = default;
  explicit aligned_buffer(std::int64_t floats) : m_size(floats) {
    const std::size_t bytes = (static_cast<std::size_t>(floats) * sizeof(float) + 63) / 64 * 64;
    void* raw = std::aligned_alloc(64, bytes == 0 ? 64 : bytes);
    if (raw == nullptr) throw std::bad_alloc();
    std::memset(raw, 0, bytes == 0 ? 64 : bytes);
    m_data.reset(static_cast<float*>(raw));
  }
  float* data() { return m_data.get(); }
  const float* data() const { return m_data.get(); }
  std::int64_t size() const { return m_size; }
  std::int64_t bytes() const { return m_size * static_cast<std::int64_t>(sizeof(float)); }

 private:
  struct free_deleter {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float[], free_deleter> m_data;
  std::int64_t m_size = 0;
};

}  // namespace accelbench::cpu_kernels
