// g++ -O2 -std=c++20 -I<repo> loop_orders.cpp <build>/kernels/cpu/libaccelbench_cpu_kernels.a -lpthread; usage: ./a.out KC NC MC
// Loop orders of the f32 GEMM's inner block, one thread, alternated per repetition:
//  0: owned_block's (each A micro-panel from the L1 across the B panels of a kc x nc block in the L2)
//  1: Goto's (each B micro-panel from the L1 across the A micro-panels of an mc x kc block in the L2)
// A and B blocks are replaced from a large pool each block so they come from memory/L3 like in a GEMM.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include "kernels/cpu/isa_dispatch.hpp"
using namespace accelbench::cpu_kernels;
int main(int argc, char** argv) {
  const isa_kernels& K = avx2_kernels();
  const long kc = atol(argv[1]), nc = atol(argv[2]), mc = atol(argv[3]), n = 4096;
  const long mr = K.mr, nr = K.nr;
  std::vector<float> a(mc * kc, 0.5f), b(kc * nc, 0.25f), c(mc * n, 0.f);
  double best[2] = {1e9, 1e9};
  for (int rep = 0; rep < 40; ++rep) {
    for (int order = 0; order < 2; ++order) {
      auto t0 = std::chrono::steady_clock::now();
      if (order == 0) {
        for (long i = 0; i < mc; i += mr)
          for (long p = 0; p < nc / nr; ++p)
            K.tile_packed(kc, a.data() + i * kc, b.data() + p * kc * nr, c.data() + i * n + p * nr, n, nullptr, true);
      } else {
        for (long p = 0; p < nc / nr; ++p)
          for (long i = 0; i < mc; i += mr)
            K.tile_packed(kc, a.data() + i * kc, b.data() + p * kc * nr, c.data() + i * n + p * nr, n, nullptr, true);
      }
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (s < best[order]) best[order] = s;
    }
  }
  for (int order = 0; order < 2; ++order)
    printf("kc %ld nc %ld mc %ld order %d: %.1f GFLOPS\n", kc, nc, mc, order, 2.0 * mc * nc * kc / best[order] / 1e9);
}
