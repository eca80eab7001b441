#pragma once
/// @file sparse_moe_device.hpp
/// The sparse MoE layer's forward and backward run by a device backend (fp32):
/// what SparseMoE<float> delegates to when its pass's kernels offer one
/// (LayerKernels::sparse_moe_device; the CUDA backend does). The weights are copied
/// to the device at every forward (the host copy, which the optimizer updates,
/// stays the one that counts); input, output and gradients cross once per call.

#include <armadillo>

#include "moe/nn/routing.hpp"

namespace moe::nn {

class SparseMoEDevice {
 public:
  virtual ~SparseMoEDevice() = default;

  /// Y (n×d) of the layer with expert weights W1 (d×G×E), W2 (G×d×E) and router
  /// weights (d×E), k experts per token. dropped: n×E, nonzero where expert
  /// dropout removed the pair before the top-k, or empty. Sets the routing of
  /// the pass and, when `probabilities`, the batch mean of the softmax of the
  /// router logits (1×E; else empty).
  virtual void forward(const arma::fmat& X, const arma::fcube& W1, const arma::fcube& W2, const arma::fmat& router,
                       arma::uword k, const arma::uchar_mat& dropped, bool probabilities, arma::fmat& Y,
                       Routing& routing, arma::rowvec& mean_prob) = 0;

  /// dX (n×d) and the weight gradients of the last forward, from dY (n×d).
  /// aux_row: per expert, d(auxiliary loss)/d(each token's router
  /// probability) (Router::auxiliary_row), or empty.
  virtual void backward(const arma::fmat& dY, const arma::rowvec& aux_row, arma::fmat& dX, arma::fcube& dW1,
                        arma::fcube& dW2, arma::fmat& d_router) = 0;
};

}  // namespace moe::nn
