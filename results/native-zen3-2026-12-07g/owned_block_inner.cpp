// owned_block's inner loops alone (the f32 GEMM): one thread, a packed B block (kc x nc) in the L2,
// A micro-panels (mc rows of A in all) walking across its panels, C rows ldc apart.
// g++ -O2 -std=c++20 -I<repo> owned_block_inner.cpp <build>/kernels/cpu/libaccelbench_cpu_kernels.a -lpthread
// usage: taskset -c CPU ./a.out KC NC [LDC [MC]]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include "kernels/cpu/isa_dispatch.hpp"
using namespace accelbench::cpu_kernels;
int main(int argc, char** argv) {
  const isa_kernels& K = avx2_kernels();
  const long kc = atol(argv[1]), nc = atol(argv[2]), n = argc > 3 ? atol(argv[3]) : 2048, mc = argc > 4 ? atol(argv[4]) : 600;
  const long mr = K.mr, nr = K.nr, panels = nc / nr;
  std::vector<float> a(mc * kc, 0.5f), b(kc * nc, 0.25f), c(mc * n, 0.f);
  double best = 1e9;
  for (int rep = 0; rep < 30; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < mc; i += mr)
      for (long p = 0; p < panels; ++p)
        K.tile_packed(kc, a.data() + i * kc, b.data() + p * kc * nr, c.data() + i * n + p * nr, n, nullptr, true);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s < best) best = s;
  }
  printf("kc %ld nc %ld ldc %ld: %.1f GFLOPS\n", kc, nc, n, 2.0 * mc * nc * kc / best / 1e9);
}
