#pragma once
// Internal to the library: the CUDA backend behind moe::kernels_for("cuda")
// (backend.cpp). Part of the plugin libmoe_cuda.so (src/cuda_plugin.h).

#include <string>

#include "moe/kernels.hpp"
#include "moe/nn/layer_kernels.hpp"

namespace moe::cuda {

/// Why no CUDA device can be used ("" when one can): the CUDA runtime's own
/// words. Never throws.
std::string device_problem() noexcept;

/// The CUDA kernels on the current device, created on first use (a cuBLAS and a
/// cuSOLVER handle). Throws std::runtime_error when they cannot be created.
const Kernels& cuda_kernels();

/// The layer kernels of the same backend (one object serves both seams).
const nn::LayerKernels& cuda_layer_kernels();

}  // namespace moe::cuda
