#pragma once
/// @file gate_sums.hpp
/// The sums over observations that the gate's M-step needs (gate_mstep.hpp),
/// behind one interface so that they are computed where the data are: on the
/// host (HostGateSums) or on a device that holds Z and the responsibilities (a
/// backend's Posterior, posterior.hpp). For targets T (n×K, rows t_i ≥ 0 with
/// s_i = Σ_k t_ik) the gate maximizes Q(W) = Σ_ik t_ik log π_k(z_i; W).

#include <armadillo>
#include <optional>

#include "moe/gate.hpp"
#include "moe/kernels.hpp"

namespace moe {

class GateSums {
 public:
  virtual ~GateSums() = default;

  /// Q at gate coefficients `coef` (q×K, last column zero); remembers the gate
  /// probabilities Π at `coef` for gradient() and hessian_blocks().
  virtual double objective(const arma::mat& coef) = 0;

  /// ∂Q/∂W = Zᵀ (T − diag(s) Π) at the coefficients of the last objective().  q×K.
  virtual arma::mat gradient() const = 0;

  /// The blocks of −∂²Q/∂w_k∂w_l at the coefficients of the last objective():
  /// Zᵀ diag(s_i π_ik (δ_kl − π_il)) Z for 0 ≤ k ≤ l < K−1, in that order.
  /// Result: q×q×(K−1)K/2.
  virtual arma::cube hessian_blocks() const = 0;

  /// −∂²Q/∂W² over the free columns 0..K−2 (column by column), assembled from
  /// hessian_blocks().  Result: q(K−1) square.
  arma::mat negative_hessian() const;
};

/// The sums computed on the host from Z (n×q) and T (n×K), with `kernels`.
/// Keeps references to all three. A gate without covariates (rows_alike(Z))
/// is summed as one row, z_1 with T's column totals: the same Q, gradient and
/// Hessian (every row has the softmax of z_1), at O(K) a call instead of O(nK).
class HostGateSums final : public GateSums {
 public:
  HostGateSums(const arma::mat& Z, const arma::mat& T, const Kernels& kernels);
  /// The same, given the gate's softmax at some coefficients (as the E-step
  /// computed it): objective() at those coefficients then costs O(nK).
  HostGateSums(const arma::mat& Z, const arma::mat& T, const Kernels& kernels, GateEvaluation known);
  HostGateSums(const HostGateSums&) = delete;
  HostGateSums& operator=(const HostGateSums&) = delete;

  double objective(const arma::mat& coef) override;
  arma::mat gradient() const override;
  arma::cube hessian_blocks() const override;

 private:
  const bool one_row_;                // rows_alike(Z): Z_ and T_ are the one row below
  const arma::mat first_z_, totals_;  // with one_row_: Z's first row, T's column totals
  const arma::mat& Z_;
  const arma::mat& T_;
  const Kernels& kernels_;
  arma::vec s_;                       // row sums of T
  std::optional<GateEvaluation> at_;  // the softmax at the last objective()
};

}  // namespace moe
