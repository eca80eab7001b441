// Choosing the layer kernels by name (layer_kernels.hpp): the CPU reference
// here, CUDA's from the plugin that moe::kernels_for("cuda") opens
// (src/cuda_plugin.h), asked for by its exported name.
#include <stdexcept>

#include "moe/backend.hpp"
#include "moe/nn/layer_kernels.hpp"
#ifdef MOE_CUDA_PLUGIN_ABI
#include "../cuda_plugin.h"
#endif

namespace moe::nn {

const LayerKernels& layer_kernels_for(const std::string& device) {
  if (device == "cpu") return cpu_layer_kernels();
  kernels_for(device);  // the same checks and errors: an unknown name, no CUDA backend, plugin or device
#ifdef MOE_CUDA_PLUGIN_ABI
  using Get = const LayerKernels* (*)();
  return *reinterpret_cast<Get>(cuda_plugin::symbol(cuda_plugin::layer_kernels_symbol))();
#else
  throw std::logic_error("moe::nn::layer_kernels_for(): kernels_for(\"" + device + "\") did not throw");
#endif
}

}  // namespace moe::nn
