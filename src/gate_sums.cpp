#include "moe/gate_sums.hpp"

#include "moe/error.hpp"

namespace moe {

arma::mat GateSums::negative_hessian() const {
  const arma::cube blocks = hessian_blocks();
  const arma::uword q = blocks.n_rows;
  arma::uword free = 0;
  while (free * (free + 1) / 2 < blocks.n_slices) ++free;
  arma::mat H(q * free, q * free);
  arma::uword j = 0;
  for (arma::uword k = 0; k < free; ++k)
    for (arma::uword l = k; l < free; ++l, ++j) {
      H.submat(k * q, l * q, (k + 1) * q - 1, (l + 1) * q - 1) = blocks.slice(j);
      H.submat(l * q, k * q, (l + 1) * q - 1, (k + 1) * q - 1) = blocks.slice(j);
    }
  return H;
}

HostGateSums::HostGateSums(const arma::mat& Z, const arma::mat& T, const Kernels& kernels)
    : Z_(Z), T_(T), kernels_(kernels), s_(arma::sum(T, 1)) {}

HostGateSums::HostGateSums(const arma::mat& Z, const arma::mat& T, const Kernels& kernels, GateEvaluation known)
    : HostGateSums(Z, T, kernels) {
  at_.emplace(std::move(known));
}

// Q(W) = Σ_ik t_ik (z_i·w_k) − Σ_i s_i lse_i, from the softmax pass that also
// gives Π for the gradient and the Hessian.
double HostGateSums::objective(const arma::mat& coef) {
  const bool known = at_ && arma::size(at_->coef) == arma::size(coef) && arma::all(arma::vectorise(at_->coef == coef));
  if (!known) at_.emplace(Z_, coef, kernels_);
  return arma::accu(T_ % at_->eta) - arma::dot(s_, at_->lse);
}

arma::mat HostGateSums::gradient() const {
  require(at_.has_value(), "HostGateSums::gradient", "call objective() first");
  arma::mat G;
  kernels_.cross(G, Z_, T_ - at_->probs.each_col() % s_);
  return G;
}

arma::cube HostGateSums::hessian_blocks() const {
  require(at_.has_value(), "HostGateSums::hessian_blocks", "call objective() first");
  const arma::mat& Pi = at_->probs;
  const arma::uword free = Pi.n_cols - 1;
  arma::mat weights(Z_.n_rows, free * (free + 1) / 2);
  arma::uword j = 0;
  for (arma::uword k = 0; k < free; ++k)
    for (arma::uword l = k; l < free; ++l, ++j)
      weights.col(j) = s_ % Pi.col(k) % ((k == l ? 1.0 : 0.0) - Pi.col(l));
  arma::cube blocks;
  kernels_.weighted_gram(blocks, Z_, weights);
  return blocks;
}

}  // namespace moe
