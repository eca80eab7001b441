#include "moe/nn/layer_norm.hpp"

namespace moe::nn {

LayerNorm::LayerNorm(arma::uword d, double eps)
    : gain(d, arma::fill::ones), dgain(d, arma::fill::zeros), bias(d, arma::fill::zeros),
      dbias(d, arma::fill::zeros), eps_(eps) {}

arma::mat LayerNorm::forward(const arma::mat& X, const Pass&) {
  const arma::vec mean = arma::mean(X, 1);
  normalized_ = X.each_col() - mean;
  const arma::vec variance = arma::mean(arma::square(normalized_), 1);
  inverse_sd_ = 1.0 / arma::sqrt(variance + eps_);
  normalized_.each_col() %= inverse_sd_;
  arma::mat Y = normalized_.each_row() % gain;
  Y.each_row() += bias;
  return Y;
}

// With x̂ = (x − μ)/s and g = dY ∘ gain: dX = (g − mean(g) − x̂ · mean(g ∘ x̂)) / s per row.
arma::mat LayerNorm::backward(const arma::mat& dY) {
  dgain = arma::sum(dY % normalized_, 0);
  dbias = arma::sum(dY, 0);
  arma::mat g = dY.each_row() % gain;
  const arma::vec mean_g = arma::mean(g, 1);
  const arma::vec mean_gx = arma::mean(g % normalized_, 1);
  g.each_col() -= mean_g;
  g -= normalized_.each_col() % mean_gx;
  g.each_col() %= inverse_sd_;
  return g;
}

void LayerNorm::parameters(std::vector<Parameter>& out, const std::string& prefix) {
  out.push_back(parameter(prefix + "gain", gain, dgain, false));
  out.push_back(parameter(prefix + "bias", bias, dbias, false));
}

}  // namespace moe::nn
