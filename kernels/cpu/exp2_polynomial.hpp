#pragma once
// 2^f for |f| <= 1/2 by its Taylor polynomial, the core of every ISA's vector exp2 (the caller
// splits x = n + f and applies 2^n its own way). One coefficient table, evaluated by Horner's
// rule with the ISA's fused multiply-add, so the ISAs cannot drift apart.
namespace accelbench::cpu_kernels {

// (ln 2)^k / k!, k = 0..7.
inline constexpr float exp2_taylor_coefficients[] = {
    1.0f,
    6.9314718055994531e-1f,
    2.4022650695910071e-1f,
    5.5504108664821580e-2f,
    9.6181291076284772e-3f,
    1.3333558146428443e-3f,
    1.5403530393381606e-4f,
    1.5252733804059840e-5f,
};

// Degree 7: relative error < 1e-8 before f32 rounding; degree 5: < 4e-6 (enough for bf16).
template <int Degree, class Reg, class Fmadd, class Broadcast>
inline Reg exp2_fraction(Reg f, Fmadd fmadd, Broadcast broadcast) {
  static_assert(Degree >= 1 && Degree < static_cast<int>(sizeof(exp2_taylor_coefficients) / sizeof(float)));
  Reg p = broadcast(exp2_taylor_coefficients[Degree]);
  for (int k = Degree - 1; k >= 0; --k) p = fmadd(p, f, broadcast(exp2_taylor_coefficients[k]));
  return p;
}

}  // namespace accelbench::cpu_kernels
