#include "device_timing.hpp"

#include "cuda_util.hpp"

namespace moe::cuda {

std::vector<double> device_seconds(const std::function<void()>& work, int repeats) {
  cudaEvent_t start = nullptr, stop = nullptr;
  MOE_CUDA_CHECK(cudaEventCreate(&start));
  MOE_CUDA_CHECK(cudaEventCreate(&stop));
  std::vector<double> seconds;
  work();
  for (int r = 0; r < repeats; ++r) {
    MOE_CUDA_CHECK(cudaEventRecord(start));
    work();
    MOE_CUDA_CHECK(cudaEventRecord(stop));
    MOE_CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0.0f;
    MOE_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    seconds.push_back(ms * 1e-3);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return seconds;
}

}  // namespace moe::cuda
