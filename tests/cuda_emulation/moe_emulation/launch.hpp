#pragma once
// Host emulation of the CUDA API — a test double that runs the CUDA backend's
// host code and its own kernels on the CPU, so that index, leading-dimension,
// transpose and API-usage errors show against the CPU reference without a GPU.
// It is built only for tests (CMake option MOE_CUDA_EMULATION), never installed,
// and says so on standard error when first used; its speed and rounding say
// nothing about a GPU.
//
// Kernel launches: MOE_LAUNCH(kernel, blocks, threads)(arguments...) (src/cuda/
// launch.hpp) becomes launcher(kernel, blocks, threads)(arguments...): every
// thread of every block in turn, one after the other, with threadIdx, blockIdx,
// blockDim and gridDim set. That is faithful only for kernels whose threads are
// independent, so kernels keep to:
//   - each thread writes its own outputs (grid-stride loops are fine);
//   - no shared memory, __syncthreads, warp shuffles or votes, atomics
//     (the emulated cuda_runtime.h does not declare them: such code does not compile);
//   - no dynamic shared memory or stream argument in the launch.
// A template kernel goes in parentheses, MOE_LAUNCH((kernel<A, B>), ...), as
// the macro would split its commas. A pointer argument must be device memory
// (or null): a host pointer passed to a kernel aborts with a message.

#include <string>
#include <type_traits>

#include "cuda_runtime.h"
#include "moe_emulation/device_memory.hpp"
#include "moe_emulation/runtime_state.hpp"

namespace moe::emulation {

/// True when CUDA would accept the launch geometry (limits of current GPUs).
inline bool valid_launch(dim3 grid, dim3 block) {
  const unsigned long long threads = 1ull * block.x * block.y * block.z;
  return grid.x >= 1 && grid.y >= 1 && grid.z >= 1 && grid.x <= 2147483647u && grid.y <= 65535 &&
         grid.z <= 65535 && threads >= 1 && threads <= 1024 && block.z <= 64;
}

/// Aborts when a pointer argument of a kernel is neither null nor device memory.
template <class Argument>
void check_kernel_argument(const Argument& argument, int position) {
  if constexpr (std::is_pointer_v<Argument>) {
    if (argument != nullptr && !is_device_pointer(argument))
      abort_misuse("kernel launch", "argument " + std::to_string(position) + " is a pointer to host memory");
  }
}

/// Calls kernel(arguments...) once for each thread of the grid, sequentially.
template <class... Parameters>
class Launch {
 public:
  Launch(void (*kernel)(Parameters...), dim3 grid, dim3 block) : kernel_(kernel), grid_(grid), block_(block) {}

  /// The arguments convert to the kernel's parameter types once, as in CUDA;
  /// every thread gets its own copy.
  void operator()(Parameters... arguments) const {
    if (!valid_launch(grid_, block_)) {
      record_error(cudaErrorInvalidConfiguration);
      return;
    }
    int position = 0;
    (check_kernel_argument(arguments, position++), ...);
    gridDim = grid_;
    blockDim = block_;
    for (unsigned bz = 0; bz < grid_.z; ++bz)
      for (unsigned by = 0; by < grid_.y; ++by)
        for (unsigned bx = 0; bx < grid_.x; ++bx) {
          blockIdx = uint3{bx, by, bz};
          run_block(arguments...);
        }
  }

 private:
  void run_block(const Parameters&... arguments) const {
    for (unsigned tz = 0; tz < block_.z; ++tz)
      for (unsigned ty = 0; ty < block_.y; ++ty)
        for (unsigned tx = 0; tx < block_.x; ++tx) {
          threadIdx = uint3{tx, ty, tz};
          kernel_(arguments...);
        }
  }

  void (*kernel_)(Parameters...);
  dim3 grid_, block_;
};

/// MOE_LAUNCH's emulation: grid and block as dim3 or unsigned.
template <class... Parameters>
Launch<Parameters...> launcher(void (*kernel)(Parameters...), dim3 grid, dim3 block) {
  return Launch<Parameters...>(kernel, grid, block);
}

}  // namespace moe::emulation
