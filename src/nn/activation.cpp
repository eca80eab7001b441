#include "moe/nn/activation.hpp"

#include <cmath>

#include "moe/error.hpp"

namespace moe::nn {
namespace {

// GELU, tanh approximation: 0.5 h (1 + tanh(c (h + 0.044715 h³))), c = √(2/π).
constexpr double kGeluC = 0.7978845608028654;
constexpr double kGeluA = 0.044715;

double gelu(double h) { return 0.5 * h * (1.0 + std::tanh(kGeluC * (h + kGeluA * h * h * h))); }

double gelu_derivative(double h) {
  const double t = std::tanh(kGeluC * (h + kGeluA * h * h * h));
  return 0.5 * (1.0 + t) + 0.5 * h * (1.0 - t * t) * kGeluC * (1.0 + 3.0 * kGeluA * h * h);
}

}  // namespace

template <class eT>
arma::Mat<eT> activate(Activation act, const arma::Mat<eT>& H) {
  if (act == Activation::relu) return arma::clamp(H, eT(0), arma::Datum<eT>::inf);
  arma::Mat<eT> A = H;
  A.transform([](eT h) { return static_cast<eT>(gelu(h)); });
  return A;
}

template <class eT>
arma::Mat<eT> activation_backward(Activation act, const arma::Mat<eT>& H, const arma::Mat<eT>& dA) {
  if (act == Activation::relu) return dA % arma::conv_to<arma::Mat<eT>>::from(H > eT(0));
  arma::Mat<eT> D = H;
  D.transform([](eT h) { return static_cast<eT>(gelu_derivative(h)); });
  return dA % D;
}

template arma::mat activate(Activation, const arma::mat&);
template arma::fmat activate(Activation, const arma::fmat&);
template arma::mat activation_backward(Activation, const arma::mat&, const arma::mat&);
template arma::fmat activation_backward(Activation, const arma::fmat&, const arma::fmat&);

Activation activation_from_name(const std::string& name) {
  if (name == "relu") return Activation::relu;
  if (name == "gelu") return Activation::gelu;
  require(false, "activation_from_name", "unknown activation '" + name + "' (use relu or gelu)");
  return Activation::relu;
}

const char* activation_name(Activation act) { return act == Activation::relu ? "relu" : "gelu"; }

}  // namespace moe::nn
