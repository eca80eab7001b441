#pragma once
/// @file dropout.hpp
/// Inverted dropout: while training, each entry is kept with probability
/// 1 − p and scaled by 1/(1 − p), so that its expectation is unchanged; at
/// inference (or p = 0) the layer is the identity. The mask of the last
/// training pass is what backward applies.

#include "moe/nn/layer.hpp"

namespace moe::nn {

template <class eT>
class Dropout : public Layer<eT> {
 public:
  /// p in [0, 1); throws std::invalid_argument otherwise.
  explicit Dropout(double p);

  /// Draws the mask from pass.rng when pass.training and p > 0.
  Mat<eT> forward(const Mat<eT>& X, const Pass& pass) override;
  Mat<eT> backward(const Mat<eT>& dY) override;
  void parameters(std::vector<Parameter<eT>>&, const std::string&) override {}

 private:
  double p_;
  Mat<eT> mask_;  ///< empty when the last pass dropped nothing
};

}  // namespace moe::nn
