#pragma once
/// @file linear.hpp
/// Affine layer Y = X W + 1 bᵀ.

#include "moe/nn/layer.hpp"

namespace moe::nn {

template <class eT>
class Linear : public Layer<eT> {
 public:
  /// W ~ N(0, 1/d_in), b = 0.
  Linear(arma::uword d_in, arma::uword d_out, Rng& rng);

  Mat<eT> forward(const Mat<eT>& X, const Pass& pass) override;
  Mat<eT> backward(const Mat<eT>& dY) override;
  void parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) override;

  Mat<eT> W, dW;     ///< d_in×d_out
  Row<eT> b, db;     ///< d_out

 private:
  Mat<eT> X_;
};

}  // namespace moe::nn
