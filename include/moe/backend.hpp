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

#include <cstddef>
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

/// What a benchmark's floor is computed from: the CUDA device's name and its
/// measured rates.
struct DeviceRates {
  std::string name;
  double copy_bytes_per_second = 0.0;  ///< bytes read plus written per second by a device-to-device copy
  double fp64_gemm_flops = 0.0;        ///< FLOP/s of a square cublasDgemm
};

/// Measures the rates of the current CUDA device: a device-to-device copy of
/// `copy_bytes` and a DGEMM of order `gemm_order`, the best of `repeats` timings.
/// @throws std::invalid_argument without a CUDA backend or for repeats < 1;
///   std::runtime_error when no CUDA device can be used.
DeviceRates measure_cuda_rates(std::size_t copy_bytes, std::size_t gemm_order, int repeats);

}  // namespace moe
