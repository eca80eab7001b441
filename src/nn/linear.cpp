#include "moe/nn/linear.hpp"

#include <cmath>

namespace moe::nn {

Linear::Linear(arma::uword d_in, arma::uword d_out, Rng& rng)
    : W(d_in, d_out), dW(d_in, d_out, arma::fill::zeros), b(d_out, arma::fill::zeros),
      db(d_out, arma::fill::zeros) {
  const double sd = 1.0 / std::sqrt(static_cast<double>(d_in));
  W.imbue([&] { return sd * rng.normal(); });
}

arma::mat Linear::forward(const arma::mat& X, const Pass&) {
  X_ = X;
  arma::mat Y = X * W;
  Y.each_row() += b;
  return Y;
}

arma::mat Linear::backward(const arma::mat& dY) {
  dW = X_.t() * dY;
  db = arma::sum(dY, 0);
  return dY * W.t();
}

void Linear::parameters(std::vector<Parameter>& out, const std::string& prefix) {
  out.push_back(parameter(prefix + "weight", W, dW, true));
  out.push_back(parameter(prefix + "bias", b, db, false));
}

}  // namespace moe::nn
