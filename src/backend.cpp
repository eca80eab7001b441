#include "moe/backend.hpp"

#include <stdexcept>

#include "moe/error.hpp"
#ifdef MOE_HAVE_CUDA
#include "cuda/device_rates.hpp"
#include "cuda/kernels_cuda.hpp"
#endif

namespace moe {
namespace {

#ifdef MOE_HAVE_CUDA
const Kernels& cuda_backend() {
  const std::string problem = cuda::device_problem();
  if (!problem.empty()) throw std::runtime_error("moe::kernels_for(): no usable CUDA device (" + problem + ")");
  return cuda::cuda_kernels();
}
#else
const Kernels& cuda_backend() {
  throw std::invalid_argument(
      "moe::kernels_for(): this build of moe has no CUDA backend (configure CMake with a CUDA toolkit "
      "and MOE_WITH_CUDA=AUTO or ON)");
}
#endif

}  // namespace

bool built_with_cuda() noexcept {
#ifdef MOE_HAVE_CUDA
  return true;
#else
  return false;
#endif
}

bool cuda_available() noexcept {
#ifdef MOE_HAVE_CUDA
  static const bool available = cuda::device_problem().empty();
  return available;
#else
  return false;
#endif
}

DeviceRates measure_cuda_rates(std::size_t copy_bytes, std::size_t gemm_order, int repeats) {
  require(repeats >= 1, "measure_cuda_rates", "repeats must be at least 1");
#ifdef MOE_HAVE_CUDA
  cuda_backend();  // throws when no device can be used
  return cuda::measure_rates(copy_bytes, gemm_order, repeats);
#else
  (void)copy_bytes, (void)gemm_order;
  cuda_backend();
  return {};
#endif
}

const Kernels& kernels_for(const std::string& device) {
  if (device == "cpu") return cpu_kernels();
  require(device == "cuda", "kernels_for", "unknown device '" + device + "' (use \"cpu\" or \"cuda\")");
  return cuda_backend();
}

}  // namespace moe
