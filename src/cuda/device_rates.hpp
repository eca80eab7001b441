#pragma once
// Internal to the CUDA backend: moe::measure_cuda_rates() (backend.hpp).

#include <cstddef>

#include "moe/backend.hpp"

namespace moe::cuda {

/// The current device's name, copy bandwidth and DGEMM rate (see backend.hpp).
DeviceRates measure_rates(std::size_t copy_bytes, std::size_t gemm_order, int repeats);

}  // namespace moe::cuda
