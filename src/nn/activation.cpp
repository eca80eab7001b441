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

arma::mat activate(Activation act, const arma::mat& H) {
  if (act == Activation::relu) return arma::clamp(H, 0.0, arma::datum::inf);
  arma::mat A = H;
  A.transform([](double h) { return gelu(h); });
  return A;
}

arma::mat activation_backward(Activation act, const arma::mat& H, const arma::mat& dA) {
  if (act == Activation::relu) return dA % arma::conv_to<arma::mat>::from(H > 0.0);
  arma::mat D = H;
  D.transform([](double h) { return gelu_derivative(h); });
  return dA % D;
}

Activation activation_from_name(const std::string& name) {
  if (name == "relu") return Activation::relu;
  if (name == "gelu") return Activation::gelu;
  require(false, "activation_from_name", "unknown activation '" + name + "' (use relu or gelu)");
  return Activation::relu;
}

const char* activation_name(Activation act) { return act == Activation::relu ? "relu" : "gelu"; }

}  // namespace moe::nn
