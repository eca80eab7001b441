#include "moe/nn/layer_norm.hpp"

namespace moe::nn {

template <class eT>
LayerNorm<eT>::LayerNorm(arma::uword d, eT eps)
    : gain(d, arma::fill::ones), dgain(d, arma::fill::zeros), bias(d, arma::fill::zeros),
      dbias(d, arma::fill::zeros), eps_(eps) {}

template <class eT>
Mat<eT> LayerNorm<eT>::forward(const Mat<eT>& X, const Pass&) {
  const arma::Col<eT> mean = arma::mean(X, 1);
  normalized_ = X.each_col() - mean;
  const arma::Col<eT> variance = arma::mean(arma::square(normalized_), 1);
  inverse_sd_ = eT(1) / arma::sqrt(variance + eps_);
  normalized_.each_col() %= inverse_sd_;
  Mat<eT> Y = normalized_.each_row() % gain;
  Y.each_row() += bias;
  return Y;
}

// With x̂ = (x − μ)/s and g = dY ∘ gain: dX = (g − mean(g) − x̂ · mean(g ∘ x̂)) / s per row.
template <class eT>
Mat<eT> LayerNorm<eT>::backward(const Mat<eT>& dY) {
  dgain = arma::sum(dY % normalized_, 0);
  dbias = arma::sum(dY, 0);
  Mat<eT> g = dY.each_row() % gain;
  const arma::Col<eT> mean_g = arma::mean(g, 1);
  const arma::Col<eT> mean_gx = arma::mean(g % normalized_, 1);
  g.each_col() -= mean_g;
  g -= normalized_.each_col() % mean_gx;
  g.each_col() %= inverse_sd_;
  return g;
}

template <class eT>
void LayerNorm<eT>::parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) {
  out.push_back(parameter(prefix + "gain", gain, dgain, false));
  out.push_back(parameter(prefix + "bias", bias, dbias, false));
}

template class LayerNorm<double>;
template class LayerNorm<float>;

}  // namespace moe::nn
