#pragma once
/// @file gate.hpp
/// The softmax gate: π_k(z) = exp(z·w_k) / Σ_j exp(z·w_j), with the last class
/// as reference (w_K = 0) so that the parameters are identifiable.

#include <armadillo>

#include "moe/kernels.hpp"

namespace moe {

/// True when Z has several rows, one column, and the same value in every row:
/// a gate without covariates, whose every row has the same softmax.
inline bool rows_alike(const arma::mat& Z) {
  return Z.n_cols == 1 && Z.n_rows > 1 && arma::all(Z.col(0) == Z(0, 0));
}

/// The gate's softmax at given coefficients, kept whole so that what follows
/// (the E-step, the gate's objective and derivatives) need not recompute it.
struct GateEvaluation {
  arma::mat coef;  ///< q×K, the coefficients evaluated
  arma::mat eta;   ///< n×K, the linear predictors Z·coef
  arma::mat probs; ///< n×K, π_ik
  arma::vec lse;   ///< n, log Σ_k exp(eta_ik)

  /// Z·coef and its row softmax.  Z: n×q.  When every row of Z is the same (a
  /// gate without covariates), one row's softmax serves them all.
  GateEvaluation(const arma::mat& Z, const arma::mat& coef, const Kernels& kernels) : coef(coef) {
    if (!rows_alike(Z)) {
      eta = Z * coef;
      kernels.row_softmax(probs, lse, eta);
      return;
    }
    const arma::mat first = Z.row(0) * coef;
    arma::mat first_probs;
    arma::vec first_lse;
    kernels.row_softmax(first_probs, first_lse, first);
    eta = arma::repmat(first, Z.n_rows, 1);
    probs = arma::repmat(first_probs, Z.n_rows, 1);
    lse = arma::vec(Z.n_rows, arma::fill::value(first_lse(0)));
  }

  /// log π_ik = eta_ik − lse_i.  n×K.
  arma::mat log_probs() const { return eta.each_col() - lse; }
};

struct Gate {
  arma::mat coef;  ///< q×K; column K−1 is the reference and stays zero

  /// A gate with all coefficients zero: equal weights 1/K everywhere.
  static Gate uniform(arma::uword q, arma::uword K) { return Gate{arma::zeros(q, K)}; }

  arma::uword n_classes() const { return coef.n_cols; }
  /// Free parameters: q·(K−1).
  arma::uword n_free() const { return coef.n_rows * (coef.n_cols - 1); }

  /// log π_ik for every row of Z.  Result: n×K;  Z: n×q.
  arma::mat log_probs(const arma::mat& Z, const Kernels& kernels = cpu_kernels()) const {
    return GateEvaluation(Z, coef, kernels).log_probs();
  }
};

}  // namespace moe
