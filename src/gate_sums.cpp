#include "moe/gate_sums.hpp"

namespace moe {

HostGateSums::HostGateSums(const arma::mat& Z, const arma::mat& T, const Kernels& kernels)
    : Z_(Z), T_(T), kernels_(kernels), s_(arma::sum(T, 1)) {}

// Q(W) = Σ_ik t_ik (z_i·w_k) − Σ_i s_i lse_i, from the softmax pass that also
// gives Π for the gradient and the Hessian.
double HostGateSums::objective(const arma::mat& coef) {
  const arma::mat eta = Z_ * coef;
  kernels_.row_softmax(Pi_, lse_, eta);
  return arma::accu(T_ % eta) - arma::dot(s_, lse_);
}

arma::mat HostGateSums::gradient() const {
  arma::mat G;
  kernels_.cross(G, Z_, T_ - Pi_.each_col() % s_);
  return G;
}

arma::cube HostGateSums::hessian_blocks() const {
  const arma::uword free = Pi_.n_cols - 1;
  arma::mat weights(Z_.n_rows, free * (free + 1) / 2);
  arma::uword j = 0;
  for (arma::uword k = 0; k < free; ++k)
    for (arma::uword l = k; l < free; ++l, ++j)
      weights.col(j) = s_ % Pi_.col(k) % ((k == l ? 1.0 : 0.0) - Pi_.col(l));
  arma::cube blocks;
  kernels_.weighted_gram(blocks, Z_, weights);
  return blocks;
}

}  // namespace moe
