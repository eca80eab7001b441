#pragma once
// Shared by the EM benchmarks: the time of one iteration from a fit's trace.

#include "moe/estimator.hpp"

namespace moe::bench {

/// The times between consecutive rows of the fit's trace: one per iteration.
inline arma::vec iteration_seconds(const Fit& fit) {
  arma::vec steps(fit.trace.rows.size() - 1);
  for (arma::uword i = 1; i < fit.trace.rows.size(); ++i)
    steps(i - 1) = fit.trace.rows[i].seconds - fit.trace.rows[i - 1].seconds;
  return steps;
}

/// Their median.
inline double median_iteration_seconds(const Fit& fit) { return arma::median(iteration_seconds(fit)); }

}  // namespace moe::bench
