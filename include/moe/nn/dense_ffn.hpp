#pragma once
/// @file dense_ffn.hpp
/// The dense feed-forward block Y = act(X W1) W2 (no biases, like the experts),
/// the baseline a sparse layer is compared with at equal parameter count
/// (d_ff = E·G).

#include "moe/nn/activation.hpp"
#include "moe/nn/layer.hpp"

namespace moe::nn {

template <class eT>
class DenseFFN : public Layer<eT> {
 public:
  /// W1 ~ N(0, 1/d), W2 ~ N(0, 1/d_ff).
  DenseFFN(arma::uword d, arma::uword d_ff, Activation act, Rng& rng);

  Mat<eT> forward(const Mat<eT>& X, const Pass& pass) override;
  Mat<eT> backward(const Mat<eT>& dY) override;
  void parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) override;

  Mat<eT> W1, dW1;  ///< d×d_ff
  Mat<eT> W2, dW2;  ///< d_ff×d

 private:
  Activation act_;
  Mat<eT> X_, H_, A_;
};

}  // namespace moe::nn
