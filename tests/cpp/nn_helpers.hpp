#pragma once
// Finite-difference checks shared by the moe::nn tests.

#include <gtest/gtest.h>

#include <armadillo>
#include <functional>

#include "moe/nn/loss.hpp"
#include "moe/nn/network.hpp"

namespace moe::testing {

/// Checks the analytic gradient in `grad` (of size n) against central
/// differences of `loss` in the coordinates `value[j]`, for up to `samples`
/// coordinates spread over the tensor.
inline void expect_gradient(const std::function<double()>& loss, double* value, const double* grad, arma::uword n,
                            const std::string& what, arma::uword samples = 40, double tol = 1e-6) {
  const arma::uword stride = std::max<arma::uword>(1, n / samples);
  for (arma::uword j = 0; j < n; j += stride) {
    const double saved = value[j];
    const double h = 1e-6 * std::max(1.0, std::abs(saved));
    value[j] = saved + h;
    const double up = loss();
    value[j] = saved - h;
    const double down = loss();
    value[j] = saved;
    const double numeric = (up - down) / (2 * h);
    EXPECT_NEAR(grad[j], numeric, tol * std::max(1.0, std::abs(numeric))) << what << "[" << j << "]";
  }
}

/// For a layer: loss(X) = Σ forward(X) ∘ R + auxiliary loss; checks dL/dX and
/// every parameter gradient that backward(R) sets (dL/dX only when
/// `check_input`: a loss term on detached inputs does not reach it).
template <class eT>
inline void expect_layer_gradients(nn::Layer<eT>& layer, arma::mat X, const arma::mat& R, const nn::Pass& pass,
                                   bool check_input = true) {
  const auto loss = [&] { return arma::accu(layer.forward(X, pass) % R) + layer.auxiliary_loss(); };
  loss();
  const arma::mat dX = layer.backward(R);
  std::vector<nn::Parameter<double>> params;
  layer.parameters(params, "");
  std::vector<arma::vec> grads;  // copies: the finite differences rerun forward only
  for (const auto& p : params) grads.emplace_back(p.grad, p.size);
  if (check_input) expect_gradient(loss, X.memptr(), dX.memptr(), X.n_elem, "dX");
  for (std::size_t i = 0; i < params.size(); ++i)
    expect_gradient(loss, params[i].value, grads[i].memptr(), params[i].size, params[i].name);
}

/// An n×d matrix of standard normal draws.
inline arma::mat random_matrix(arma::uword n, arma::uword d, Rng& rng) {
  arma::mat M(n, d);
  M.imbue([&] { return rng.normal(); });
  return M;
}

/// Checks every parameter gradient of a network for the loss mean
/// cross-entropy (labels tiled over the E³ members) + auxiliary losses.
inline void expect_network_gradients(nn::Network<double>& net, const arma::mat& X, const arma::uvec& labels) {
  const arma::uvec tiled = arma::repmat(labels, net.options().members, 1);
  const auto loss = [&] { return nn::cross_entropy(net.forward(X, nn::Pass{}), tiled) + net.auxiliary_loss(); };
  arma::mat dlogits;
  nn::cross_entropy(net.forward(X, nn::Pass{}), tiled, &dlogits);
  net.backward(dlogits);
  for (const nn::Parameter<double>& p : net.parameters()) {
    const arma::vec grad(p.grad, p.size);
    expect_gradient(loss, p.value, grad.memptr(), p.size, p.name, 12);
  }
}

}  // namespace moe::testing
