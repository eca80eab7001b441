#pragma once
/// @file canonical.hpp
/// The binomial and Poisson expert families as exponential families in their
/// canonical link: with the linear predictor η = x·β,
///   log f(y) = y η − b(η) + c(y),
/// where the log-partition b is log(1 + e^η) (binomial, y ∈ {0, 1}) or e^η
/// (Poisson, y ∈ {0, 1, 2, ...}) and c(y) is 0 or −log y!. Then E[y] = b'(η)
/// and Var[y] = b''(η), so one density, one score (x (y − b'(η))) and one
/// Newton (IRLS) step serve both. Gaussian, negative binomial and gamma experts
/// have a dispersion and are handled on their own (shape_family.hpp); these
/// functions refuse them (std::invalid_argument), but for starting_link, which
/// serves the log links of negbin and gamma too.

#include <armadillo>

#include "moe/family.hpp"

namespace moe {

/// log sigmoid(t) = −log(1 + exp(−t)) entrywise, stable for any t.
arma::mat log_sigmoid(const arma::mat& t);

/// b(η) entrywise for a canonical family (binomial or Poisson), without
/// overflow where the result is finite.
arma::mat log_partition(Family family, const arma::mat& eta);

/// E[y] = b'(η) entrywise: sigmoid(η) or e^η.
arma::mat canonical_mean(Family family, const arma::mat& eta);

/// E[y] = b'(η) and Var[y] = b''(η) entrywise, at once: sigmoid(η) and
/// p(1 − p) (without cancellation in either tail), or e^η twice.
void canonical_moments(arma::mat& mean, arma::mat& variance, Family family, const arma::mat& eta);

/// b(η), b'(η) and b''(η) entrywise, at once: log_partition and
/// canonical_moments from one exponential per entry (and one log1p for the
/// binomial), for a Newton step and the objective it starts from.
void canonical_terms(arma::mat& partition, arma::mat& mean, arma::mat& variance, Family family,
                     const arma::mat& eta);

/// The link of a starting mean near y, as glm's: logit((y + 1/2)/(m + 1)) with
/// m the binomial trials (1 when `trials` is empty), log(y + 0.1) (Poisson,
/// negbin), log y (gamma) or y itself (Gaussian, t: the identity link),
/// finite for every y of the family.
arma::vec starting_link(Family family, const arma::vec& y, const arma::vec& trials = {});

/// log x! = log Γ(x + 1), the same number as std::lgamma(x + 1), from a table
/// for the whole numbers below 1024 (counts and trials mostly are) and by
/// lgamma otherwise (NaN for NaN).
double log_factorial(double x);

/// c(y) per observation: log C(m, y) (binomial with trials m: 0 without) or
/// −log y! (Poisson). With trials the log density is y η − m b(η) + c(y).
arma::vec base_measure(Family family, const arma::vec& y, const arma::vec& trials = {});

}  // namespace moe
