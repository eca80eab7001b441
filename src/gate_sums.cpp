#include "moe/gate_sums.hpp"

#include <algorithm>

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
    : one_row_(rows_alike(Z)),
      first_z_(one_row_ ? arma::mat(Z.row(0)) : arma::mat()),
      totals_(one_row_ ? arma::mat(arma::sum(T, 0)) : arma::mat()),
      Z_(one_row_ ? first_z_ : Z),
      T_(one_row_ ? totals_ : T),
      kernels_(kernels),
      s_(arma::sum(T_, 1)) {}

HostGateSums::HostGateSums(const arma::mat& Z, const arma::mat& T, const Kernels& kernels, GateEvaluation known)
    : HostGateSums(Z, T, kernels) {
  if (!one_row_) at_.emplace(std::move(known));  // one row's softmax costs O(K) anyway
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

// The weights of the blocks (k, l), k ≤ l < K − 1, make K(K − 1)/2 columns:
// for all n rows at once that is n·K²/2 numbers (1 GB at n = 10⁶, K = 16), so
// they are formed for a slice of rows at a time and the slices' Grams summed
// in order (a fixed slice size: the sum does not depend on the threads).
arma::cube HostGateSums::hessian_blocks() const {
  require(at_.has_value(), "HostGateSums::hessian_blocks", "call objective() first");
  constexpr arma::uword slice_rows = 32768;
  const arma::mat& Pi = at_->probs;
  const arma::uword free = Pi.n_cols - 1, n = Z_.n_rows;
  arma::cube blocks(Z_.n_cols, Z_.n_cols, free * (free + 1) / 2, arma::fill::zeros), part;
  arma::mat weights;
  for (arma::uword first = 0; first < n; first += slice_rows) {
    const arma::uword last = std::min(n, first + slice_rows) - 1;
    weights.set_size(last - first + 1, blocks.n_slices);
    const arma::vec s = s_.subvec(first, last);
    arma::uword j = 0;
    for (arma::uword k = 0; k < free; ++k)
      for (arma::uword l = k; l < free; ++l, ++j)
        weights.col(j) = s % Pi.col(k).subvec(first, last) % ((k == l ? 1.0 : 0.0) - Pi.col(l).subvec(first, last));
    kernels_.weighted_gram(part, Z_.rows(first, last), weights);
    blocks += part;
  }
  return blocks;
}

}  // namespace moe
