#include "device_rates.hpp"

#include <algorithm>
#include <vector>

#include "blas.hpp"
#include "device_timing.hpp"

namespace moe::cuda {
namespace {

// The shortest of `repeats` timings of `work`, in seconds (events resolve about 0.5 µs).
double best_seconds(const std::function<void()>& work, int repeats) {
  const std::vector<double> seconds = device_seconds(work, repeats);
  return std::max(*std::min_element(seconds.begin(), seconds.end()), 1e-6);
}

}  // namespace

DeviceRates measure_rates(std::size_t copy_bytes, std::size_t gemm_order, int repeats) {
  DeviceRates rates;
  cudaDeviceProp properties{};
  int device = 0;
  MOE_CUDA_CHECK(cudaGetDevice(&device));
  MOE_CUDA_CHECK(cudaGetDeviceProperties(&properties, device));
  rates.name = properties.name;

  DeviceBuffer<unsigned char> from(copy_bytes), to(copy_bytes);
  from.zero();
  const double copy = best_seconds(
      [&] { MOE_CUDA_CHECK(cudaMemcpy(to.get(), from.get(), copy_bytes, cudaMemcpyDeviceToDevice)); }, repeats);
  rates.copy_bytes_per_second = 2.0 * static_cast<double>(copy_bytes) / copy;

  cublasHandle_t blas = nullptr;
  MOE_CUDA_CHECK(cublasCreate(&blas));
  const std::size_t n = gemm_order;
  DeviceBuffer<double> A(n * n), C(n * n);
  A.zero();
  const double gemm_seconds = best_seconds(
      [&] { gemm(blas, false, false, n, n, n, A.get(), n, A.get(), n, 0.0, C.get(), n, "moe::measure_cuda_rates"); },
      repeats);
  cublasDestroy(blas);
  rates.fp64_gemm_flops = 2.0 * static_cast<double>(n) * n * n / gemm_seconds;
  return rates;
}

}  // namespace moe::cuda
