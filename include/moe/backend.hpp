#pragma once
/// @file backend.hpp
/// Choosing the backend that runs the expert-batched kernels (kernels.hpp) by
/// name: "cpu" (Armadillo + OpenBLAS, always there, the reference) or "cuda"
/// (cuBLAS, cuSOLVER and moe's own kernels, when the library was built with the
/// CUDA backend and a CUDA device is present). An estimator runs on a backend
/// through IterationControl::kernels (estimator.hpp):
/// @code
///   moe::EMOptions options;
///   if (moe::cuda_available()) options.control.kernels = &moe::kernels_for("cuda");
/// @endcode

#include <string>

#include "moe/kernels.hpp"

namespace moe {

/// True when this build of moe has the CUDA backend (configured with a CUDA
/// toolkit), whether or not a device is present. Never throws.
bool built_with_cuda() noexcept;

/// True when the CUDA backend can run: built with it and a CUDA device is
/// present (checked once, then remembered). Never throws.
bool cuda_available() noexcept;

/// The kernels of `device`: "cpu" or "cuda". The reference lives as long as the
/// program.
/// @throws std::invalid_argument ("moe::kernels_for(): ...") for another name, or
///   for "cuda" when this build has no CUDA backend.
/// @throws std::runtime_error for "cuda" when no CUDA device can be used, or the
///   cuBLAS/cuSOLVER handles cannot be created.
const Kernels& kernels_for(const std::string& device);

}  // namespace moe
