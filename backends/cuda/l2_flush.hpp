#pragma once
// The L2 flush between cold samples: a kernel READS a buffer of 2x the L2 size and reduces it
// into one word. Reading evicts the timed kernel's lines just as well as writing, but a written
// flush leaves 2x L2 of dirty lines that the next timed kernel pays to write back (about 15 us
// at 3.35 TB/s: up to 2x the time of a cold memory-bound decode attention).
#include <cuda_runtime_api.h>

#include <cstddef>

#ifdef __CUDACC__
#define ACCELBENCH_HOST_DEVICE __host__ __device__
#else
#define ACCELBENCH_HOST_DEVICE
#endif

namespace accelbench::cuda {

// One thread's share of the flush: the xor of words first, first + stride, ... below `words`.
// Shared by the kernel and the host test, which runs it over read-only memory.
ACCELBENCH_HOST_DEVICE inline unsigned flush_read_share(const unsigned* buffer, std::size_t words, std::size_t first,
                                                        std::size_t stride) {
  unsigned value = 0;
  for (std::size_t i = first; i < words; i += stride) value ^= buffer[i];
  return value;
}

// Reads `bytes` of `buffer` on `stream`, xor-reducing them into `*sink` (one device word that
// keeps the reads from being optimized away; its value means nothing).
void launch_flush_read(const void* buffer, std::size_t bytes, unsigned* sink, cudaStream_t stream);

}  // namespace accelbench::cuda
