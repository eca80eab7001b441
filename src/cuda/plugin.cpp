// The CUDA backend's one exported symbol (see cuda_plugin.hpp): the entry that
// the core's loader (cuda_plugin.cpp) asks for after dlopen. plugin.map keeps
// every other symbol of the plugin local.

#include "cuda_plugin.hpp"
#include "device_rates.hpp"
#include "kernels_cuda.hpp"

extern "C" const moe::cuda_plugin::Entry* moe_cuda_plugin_entry() {
  static const std::string abi = moe::cuda_plugin::abi_tag();
  static const moe::cuda_plugin::Entry entry{abi.c_str(), &moe::cuda::device_problem, &moe::cuda::cuda_kernels,
                                             &moe::cuda::measure_rates};
  return &entry;
}
