#pragma once
/// @file point_mass.hpp
/// A point-mass expert: f(y) = 1 when y equals a value c, else 0. With a count
/// family's experts beside it, it makes zero inflation (c = 0) a gated mixture:
/// a zero-inflated Poisson or negative binomial whose inflation probability
/// follows the gate's covariates is K = 2 with one point mass at 0 (pscl's
/// zeroinfl(y ~ x | z), whose logit of the zero state is the gate's log-odds).
/// The point mass is always the last expert (Experts::point_mass); it has no
/// parameters, and everything the estimators do to experts leaves it out.

#include <armadillo>

#include "moe/family.hpp"

namespace moe {

/// True for the families a point mass can join: those of counts (binomial,
/// poisson, negbin).
bool takes_point_mass(Family family);

/// log 1{y_i = c}: 0 where y_i = c, −∞ elsewhere.  Result: n.
arma::vec point_mass_log_density(const arma::vec& y, double c);

/// Starting responsibilities (n×K, K ≥ 2) made possible for a point mass at c
/// in the last column: its share is moved to the other experts, in proportion
/// to theirs (evenly where they have none), on the rows whose y is not c.
void keep_point_mass_on_support(arma::mat& R, const arma::vec& y, double c);

/// Checks that K experts of `family` can have one of them a point mass at c on
/// the response y: a family of counts (binomial, poisson, negbin), K ≥ 2, and
/// a value that y takes but not on every row. Throws std::invalid_argument.
void validate_point_mass(const arma::vec& y, Family family, arma::uword K, double c);

}  // namespace moe
