#pragma once
/// @file layer_norm.hpp
/// Layer normalization over the features of each row, with gain and bias.

#include "moe/nn/layer.hpp"

namespace moe::nn {

class LayerNorm : public Layer {
 public:
  explicit LayerNorm(arma::uword d, double eps = 1e-5);

  arma::mat forward(const arma::mat& X, const Pass& pass) override;
  arma::mat backward(const arma::mat& dY) override;
  void parameters(std::vector<Parameter>& out, const std::string& prefix) override;

  arma::rowvec gain, dgain, bias, dbias;  ///< d

 private:
  double eps_;
  arma::mat normalized_;   ///< n×d: (x − mean) / sd
  arma::vec inverse_sd_;   ///< n
};

}  // namespace moe::nn
