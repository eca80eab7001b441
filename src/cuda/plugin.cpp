// The CUDA backend's two exported symbols (see cuda_plugin.h): the entry that
// the core's loader (cuda_plugin.cpp) asks for after dlopen, and the layer
// kernels that moe_nn asks for (src/nn/layer_backend.cpp). plugin.map keeps
// every other symbol of the plugin local.

#include "cuda_plugin.h"
#include "device_rates.hpp"
#include "kernels_cuda.hpp"

extern "C" const moe::cuda_plugin::Entry* moe_cuda_plugin_entry() {
  static const std::string abi = moe::cuda_plugin::abi_tag();
  static const moe::cuda_plugin::Entry entry{abi.c_str(), &moe::cuda::device_problem, &moe::cuda::cuda_kernels,
                                             &moe::cuda::measure_rates};
  return &entry;
}

extern "C" const moe::nn::LayerKernels* moe_cuda_plugin_layer_kernels() { return &moe::cuda::cuda_layer_kernels(); }
