#include "moe/backend.hpp"

#include <stdexcept>

#include "moe/error.hpp"
#ifdef MOE_CUDA_PLUGIN_ABI
#include "cuda_plugin.h"
#endif

namespace moe {
namespace {

#ifdef MOE_CUDA_PLUGIN_ABI
// The plugin's entry, or a runtime_error that says why there is none.
const cuda_plugin::Entry& cuda_plugin_entry() {
  try {
    return cuda_plugin::entry();
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("moe::kernels_for(): ") + e.what());
  }
}

const Kernels& cuda_backend() {
  const cuda_plugin::Entry& cuda = cuda_plugin_entry();
  const std::string problem = cuda.device_problem();
  if (!problem.empty()) throw std::runtime_error("moe::kernels_for(): no usable CUDA device (" + problem + ")");
  return cuda.kernels();
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
#ifdef MOE_CUDA_PLUGIN_ABI
  return true;
#else
  return false;
#endif
}

bool cuda_available() noexcept {
#ifdef MOE_CUDA_PLUGIN_ABI
  static const bool available = [] {
    try {
      return cuda_plugin::entry().device_problem().empty();
    } catch (const std::runtime_error&) {
      return false;
    }
  }();
  return available;
#else
  return false;
#endif
}

DeviceRates measure_cuda_rates(std::size_t copy_bytes, std::size_t gemm_order, int repeats) {
  require(repeats >= 1, "measure_cuda_rates", "repeats must be at least 1");
  cuda_backend();  // throws when no device can be used
#ifdef MOE_CUDA_PLUGIN_ABI
  return cuda_plugin_entry().measure_rates(copy_bytes, gemm_order, repeats);
#else
  (void)copy_bytes, (void)gemm_order;
  return {};
#endif
}

const Kernels& kernels_for(const std::string& device) {
  if (device == "cpu") return cpu_kernels();
  require(device == "cuda", "kernels_for", "unknown device '" + device + "' (use \"cpu\" or \"cuda\")");
  return cuda_backend();
}

}  // namespace moe
