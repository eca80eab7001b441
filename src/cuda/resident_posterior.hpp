#pragma once
// Internal to the CUDA backend: EM's E-step and sums with the data resident on
// the device (CudaKernels::posterior()). X, Z and y are copied to the device
// once; the responsibilities and every n-sized intermediate stay there; an
// iteration moves only parameters, parameter-sized sums and scalars.

#include <memory>
#include <mutex>

#include "cuda_util.hpp"
#include "moe/posterior.hpp"

namespace moe::cuda {

/// A Posterior on the device for `data` (kept by reference for its sizes;
/// copied to the device now). Its operations use `blas` under `mutex`.
std::unique_ptr<Posterior> resident_posterior(const Dataset& data, cublasHandle_t blas, std::mutex& mutex);

}  // namespace moe::cuda
