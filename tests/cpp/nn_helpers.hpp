#pragma once
// Finite-difference checks shared by the moe::nn tests.

#include <gtest/gtest.h>

#include <armadillo>
#include <functional>

#include "moe/nn/layer.hpp"

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
/// every parameter gradient that backward(R) sets.
inline void expect_layer_gradients(nn::Layer& layer, arma::mat X, const arma::mat& R, const nn::Pass& pass) {
  const auto loss = [&] { return arma::accu(layer.forward(X, pass) % R) + layer.auxiliary_loss(); };
  loss();
  const arma::mat dX = layer.backward(R);
  std::vector<nn::Parameter> params;
  layer.parameters(params, "");
  std::vector<arma::vec> grads;  // copies: the finite differences rerun forward only
  for (const auto& p : params) grads.emplace_back(p.grad, p.size);
  expect_gradient(loss, X.memptr(), dX.memptr(), X.n_elem, "dX");
  for (std::size_t i = 0; i < params.size(); ++i)
    expect_gradient(loss, params[i].value, grads[i].memptr(), params[i].size, params[i].name);
}

}  // namespace moe::testing
