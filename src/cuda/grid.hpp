#pragma once
// Internal to the CUDA backend's .cu files: the launch geometry every kernel of
// src/cuda uses. One thread per output element (or row), grid-stride loops, so
// that any grid covers any problem and the host emulation (launch.hpp) can run
// each thread in turn.

#include <algorithm>
#include <cstddef>

#include "cuda_util.hpp"
#include "launch.hpp"

namespace moe::cuda::grid {

constexpr unsigned kThreads = 256;

/// Enough blocks of kThreads to cover `total` threads, at most 4096 (the loops stride).
inline unsigned blocks_for(std::size_t total) {
  const std::size_t wanted = (total + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::clamp<std::size_t>(wanted, 1, 4096));
}

__device__ inline std::size_t first_index() { return blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; }
__device__ inline std::size_t stride() { return gridDim.x * static_cast<std::size_t>(blockDim.x); }

/// Throws (see MOE_CUDA_CHECK) when the last launch failed.
inline void check_launch(const char* kernel, const char* file, int line) {
  check(cudaGetLastError(), kernel, file, line);
}

}  // namespace moe::cuda::grid

/// Launches `kernel` over `total` threads on the default stream and checks the launch.
#define MOE_LAUNCH_OVER(total, kernel, ...)                                                              \
  do {                                                                                                    \
    MOE_LAUNCH(kernel, ::moe::cuda::grid::blocks_for(total), ::moe::cuda::grid::kThreads)(__VA_ARGS__); \
    ::moe::cuda::grid::check_launch(#kernel, __FILE__, __LINE__);                                         \
  } while (0)
