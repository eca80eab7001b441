#include "moe/nn/sparse_moe.hpp"

#include <cmath>

#include "moe/error.hpp"

namespace moe::nn {

SparseMoE::SparseMoE(arma::uword d, const SparseMoEOptions& options, Rng& rng)
    : router(d, options.experts, options.router, rng),
      W1(d, options.expert_size, options.experts),
      dW1(d, options.expert_size, options.experts, arma::fill::zeros),
      W2(options.expert_size, d, options.experts),
      dW2(options.expert_size, d, options.experts, arma::fill::zeros),
      options_(options) {
  require(options.expert_size >= 1, "SparseMoE", "experts need at least one hidden unit");
  const double sd1 = 1.0 / std::sqrt(static_cast<double>(d));
  const double sd2 = 1.0 / std::sqrt(static_cast<double>(options.experts * options.expert_size));
  W1.imbue([&] { return sd1 * rng.normal(); });
  W2.imbue([&] { return sd2 * rng.normal(); });
}

arma::mat SparseMoE::forward(const arma::mat& X, const Pass& pass) {
  kernels_ = pass.kernels;
  const Routing& routing = router.forward(X, pass).routing;
  kernels_->gather_rows(Xr_, X, routing);
  kernels_->grouped_matmul(H_, Xr_, W1, routing.offsets, false);
  A_ = activate(options_.activation, H_);
  kernels_->grouped_matmul(O_, A_, W2, routing.offsets, false);
  arma::mat Y;
  kernels_->scatter_add(Y, O_, routing, X.n_rows, true);
  return Y;
}

arma::mat SparseMoE::backward(const arma::mat& dY) {
  const Routing& routing = router.decision().routing;
  arma::mat dO;  // dL/d(expert output) before the gate: gathered dY
  kernels_->gather_rows(dO, dY, routing);

  arma::mat dgate(arma::size(router.decision().gate), arma::fill::zeros);
  const arma::vec dweight = arma::sum(O_ % dO, 1);
  for (arma::uword e = 0; e < routing.n_experts(); ++e)
    for (arma::uword a = routing.offsets(e); a < routing.offsets(e + 1); ++a)
      dgate(routing.token(a), e) = dweight(a);

  dO.each_col() %= routing.weight;
  kernels_->grouped_cross(dW2, A_, dO, routing.offsets);
  arma::mat dA;
  kernels_->grouped_matmul(dA, dO, W2, routing.offsets, true);
  const arma::mat dH = activation_backward(options_.activation, H_, dA);
  kernels_->grouped_cross(dW1, Xr_, dH, routing.offsets);
  arma::mat dXr, dX;
  kernels_->grouped_matmul(dXr, dH, W1, routing.offsets, true);
  kernels_->scatter_add(dX, dXr, routing, dY.n_rows, false);
  return dX + router.backward(dgate);
}

void SparseMoE::parameters(std::vector<Parameter>& out, const std::string& prefix) {
  router.parameters(out, prefix);
  out.push_back(parameter(prefix + "w1", W1, dW1, true));
  out.push_back(parameter(prefix + "w2", W2, dW2, true));
}

}  // namespace moe::nn
