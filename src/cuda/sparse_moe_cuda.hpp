#pragma once
// Internal to the library: the CUDA backend's nn::SparseMoEDevice (what
// CudaKernels::sparse_moe_device returns), DeviceSparseMoE<float> behind
// Armadillo's host matrices.

#include <memory>

#include "moe/nn/sparse_moe.hpp"

namespace moe::cuda {

std::unique_ptr<nn::SparseMoEDevice> make_sparse_moe_device(arma::uword d, const nn::SparseMoEOptions& options);

}  // namespace moe::cuda
