#pragma once
// A typed, 64-byte aligned host buffer holding elements in their storage format.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "kernels/spec/dtype.hpp"

namespace accelbench {

class host_tensor {
 public:
  host_tensor() = default;
  host_tensor(dtype type, std::int64_t count);

  dtype type() const { return m_type; }
  std::int64_t count() const { return m_count; }
  std::int64_t bytes() const { return m_count * storage_bytes(m_type); }
  void* data() { return m_data.get(); }
  const void* data() const { return m_data.get(); }

  double get(std::int64_t index) const { return load_element(m_type, m_data.get(), index); }
  void set(std::int64_t index, double value) { store_element(m_type, m_data.get(), index, value); }
  // Decode [offset, offset + count) into doubles (the switch on dtype is hoisted out of the loop).
  void read(std::int64_t offset, std::int64_t count, double* out) const;

 private:
  struct free_deleter {
    void operator()(std::byte* p) const;
  };
  dtype m_type = dtype::invalid;
  std::int64_t m_count = 0;
  std::unique_ptr<std::byte[], free_deleter> m_data;
};

// Seeded inputs: normal(0, 1) rounded to the storage type for floats, uniform over the full
// range for s8. Never zeros (zeros draw less power and hide bugs).
void fill_random(host_tensor& tensor, std::uint64_t seed);

}  // namespace accelbench
