#include "moe/nn/dense_ffn.hpp"

#include <cmath>

namespace moe::nn {

DenseFFN::DenseFFN(arma::uword d, arma::uword d_ff, Activation act, Rng& rng)
    : W1(d, d_ff), dW1(d, d_ff, arma::fill::zeros), W2(d_ff, d), dW2(d_ff, d, arma::fill::zeros),
      act_(act) {
  const double sd1 = 1.0 / std::sqrt(static_cast<double>(d));
  const double sd2 = 1.0 / std::sqrt(static_cast<double>(d_ff));
  W1.imbue([&] { return sd1 * rng.normal(); });
  W2.imbue([&] { return sd2 * rng.normal(); });
}

arma::mat DenseFFN::forward(const arma::mat& X, const Pass&) {
  X_ = X;
  H_ = X * W1;
  A_ = activate(act_, H_);
  return A_ * W2;
}

arma::mat DenseFFN::backward(const arma::mat& dY) {
  dW2 = A_.t() * dY;
  const arma::mat dH = activation_backward(act_, H_, dY * W2.t());
  dW1 = X_.t() * dH;
  return dH * W1.t();
}

void DenseFFN::parameters(std::vector<Parameter>& out, const std::string& prefix) {
  out.push_back(parameter(prefix + "w1", W1, dW1, true));
  out.push_back(parameter(prefix + "w2", W2, dW2, true));
}

}  // namespace moe::nn
