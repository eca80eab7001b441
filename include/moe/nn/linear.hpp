#pragma once
/// @file linear.hpp
/// Affine layer Y = X W + 1 bᵀ.

#include "moe/nn/layer.hpp"

namespace moe::nn {

class Linear : public Layer {
 public:
  /// W ~ N(0, 1/d_in), b = 0.
  Linear(arma::uword d_in, arma::uword d_out, Rng& rng);

  arma::mat forward(const arma::mat& X, const Pass& pass) override;
  arma::mat backward(const arma::mat& dY) override;
  void parameters(std::vector<Parameter>& out, const std::string& prefix) override;

  arma::mat W, dW;  ///< d_in×d_out
  arma::rowvec b, db;  ///< d_out

 private:
  arma::mat X_;
};

}  // namespace moe::nn
