#pragma once
// Internal to the library: the ridge that the M-steps add to a weighted Gram
// matrix or a Hessian before factorizing it, scaled per coordinate by the
// matrix's own diagonal (Marquardt's scaling), so that it does not depend on the
// covariates' units or offsets: a ridge proportional to the identity, sized by
// the mean diagonal, swamps the intercept's curvature once another covariate is
// large (a year, a time in ms), and biases or stalls the fit.

#include <algorithm>

#include <armadillo>

namespace moe {

/// A + lambda·diag(d) with d_j = max(A_jj, 1e-12·mean_j A_jj, 1e-300): a
/// coordinate without curvature still gets a tiny ridge.
inline arma::mat with_relative_ridge(const arma::mat& A, double lambda) {
  const arma::vec diagonal = A.diag();
  const double floor = std::max(1e-12 * arma::mean(diagonal), 1e-300);
  arma::mat out = A;
  out.diag() += lambda * arma::clamp(diagonal, floor, arma::datum::inf);
  return out;
}

}  // namespace moe
