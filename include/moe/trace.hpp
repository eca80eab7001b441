#pragma once
/// @file trace.hpp
/// The per-iteration record of a fit: one row per iteration (row 0 is the
/// starting point) and why the fit stopped.

#include <armadillo>
#include <string>
#include <vector>

namespace moe {

enum class StopReason {
  converged,        ///< relative ℓ change ≤ tol
  max_iter,         ///< the iteration limit was reached
  numerical_error,  ///< a step failed; the last good parameters were kept
  diverged          ///< ℓ stopped changing, or reached the iteration limit, below where it started (steps too long)
};

/// "converged", "max_iter", "numerical_error", "diverged".
std::string to_string(StopReason reason);

struct TraceRow {
  arma::uword iteration = 0;
  double loglik = 0.0;        ///< ℓ after this iteration
  double delta = arma::datum::nan;         ///< ℓ change from the previous row (NaN in row 0)
  double param_change = arma::datum::nan;  ///< ‖Δθ‖₂ / (1 + ‖θ_prev‖₂) on pack() (NaN in row 0)
  double seconds = 0.0;       ///< wall time since the start of this run
  double grad_norm = arma::datum::nan;  ///< ‖∇ℓ‖₂ with respect to pack(model), when recorded
  double param_error = arma::datum::nan;  ///< max |β̂ − β| after label matching, when the truth is known
};

struct Trace {
  std::vector<TraceRow> rows;
  StopReason stop_reason = StopReason::max_iter;
  std::string message;  ///< what failed, for StopReason::numerical_error

  /// Iterations at which ℓ fell by more than rel_tol·(1 + |ℓ|): for EM, a bug.
  std::vector<arma::uword> decreases(double rel_tol = 1e-10) const;
};

}  // namespace moe
