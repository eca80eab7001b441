#pragma once
// Internal to the library: the CUDA backend behind moe::kernels_for("cuda")
// (backend.cpp). Declared only where the library is built with MOE_HAVE_CUDA.

#include <string>

#include "moe/kernels.hpp"

namespace moe::cuda {

/// Why no CUDA device can be used ("" when one can): the CUDA runtime's own
/// words. Never throws.
std::string device_problem() noexcept;

/// The CUDA kernels on the current device, created on first use (a cuBLAS and a
/// cuSOLVER handle). Throws std::runtime_error when they cannot be created.
const Kernels& cuda_kernels();

}  // namespace moe::cuda
