#pragma once
/// @file layer_norm.hpp
/// Layer normalization over the features of each row, with gain and bias.

#include "moe/nn/layer.hpp"

namespace moe::nn {

template <class eT>
class LayerNorm : public Layer<eT> {
 public:
  explicit LayerNorm(arma::uword d, eT eps = eT(1e-5));

  Mat<eT> forward(const Mat<eT>& X, const Pass& pass) override;
  Mat<eT> backward(const Mat<eT>& dY) override;
  void parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) override;

  Row<eT> gain, dgain, bias, dbias;  ///< d

 private:
  eT eps_;
  Mat<eT> normalized_;         ///< n×d: (x − mean) / sd
  arma::Col<eT> inverse_sd_;   ///< n
};

}  // namespace moe::nn
