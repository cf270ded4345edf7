#include "kernels/spec/host_tensor.hpp"

#include <cstdlib>
#include <cstring>
#include <new>
#include <random>

namespace accelbench {

void host_tensor::free_deleter::operator()(std::byte* p) const { std::free(p); }

host_tensor::host_tensor(dtype type, std::int64_t count) : m_type(type), m_count(count) {
  const std::size_t bytes = static_cast<std::size_t>(count * storage_bytes(type));
  const std::size_t rounded = (bytes + 63) / 64 * 64;
  auto* raw = static_cast<std::byte*>(std::aligned_alloc(64, rounded == 0 ? 64 : rounded));
  if (raw == nullptr) throw std::bad_alloc();
  m_data.reset(raw);
}

void host_tensor::read(std::int64_t offset, std::int64_t count, double* out) const {
  const void* base = m_data.get();
  switch (m_type) {
    case dtype::f32:
    case dtype::tf32:
    case dtype::hf32: {
      const float* p = static_cast<const float*>(base) + offset;
      for (std::int64_t i = 0; i < count; ++i) out[i] = p[i];
      return;
    }
    case dtype::f64:
      std::memcpy(out, static_cast<const double*>(base) + offset, count * sizeof(double));
      return;
    case dtype::bf16: {
      const auto* p = static_cast<const std::uint16_t*>(base) + offset;
      for (std::int64_t i = 0; i < count; ++i) out[i] = bf16_bits_to_float(p[i]);
      return;
    }
    case dtype::s8: {
      const auto* p = static_cast<const std::int8_t*>(base) + offset;
      for (std::int64_t i = 0; i < count; ++i) out[i] = p[i];
      return;
    }
    case dtype::s32: {
      const auto* p = static_cast<const std::int32_t*>(base) + offset;
      for (std::int64_t i = 0; i < count; ++i) out[i] = p[i];
      return;
    }
    default:
      for (std::int64_t i = 0; i < count; ++i) out[i] = load_element(m_type, base, offset + i);
      return;
  }
}

void fill_random(host_tensor& tensor, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  if (tensor.type() == dtype::s8) {
    std::uniform_int_distribution<int> dist(-128, 127);
    auto* p = static_cast<std::int8_t*>(tensor.data());
    for (std::int64_t i = 0; i < tensor.count(); ++i) p[i] = static_cast<std::int8_t>(dist(engine));
    return;
  }
  std::normal_distribution<float> dist(0.0f, 1.0f);
  switch (tensor.type()) {
    case dtype::f32: {
      auto* p = static_cast<float*>(tensor.data());
      for (std::int64_t i = 0; i < tensor.count(); ++i) p[i] = dist(engine);
      return;
    }
    case dtype::bf16: {
      auto* p = static_cast<std::uint16_t*>(tensor.data());
      for (std::int64_t i = 0; i < tensor.count(); ++i) p[i] = float_to_bf16_bits(dist(engine));
      return;
    }
    default:
      for (std::int64_t i = 0; i < tensor.count(); ++i) tensor.set(i, dist(engine));
      return;
  }
}

}  // namespace accelbench
