#include "moe/point_mass.hpp"

#include <cstdio>

#include "moe/error.hpp"

namespace moe {

bool takes_point_mass(Family family) {
  return family == Family::binomial || family == Family::poisson || family == Family::negbin;
}

arma::vec point_mass_log_density(const arma::vec& y, double c) {
  arma::vec out(y.n_elem, arma::fill::zeros);
  out.elem(arma::find(y != c)).fill(-arma::datum::inf);
  return out;
}

void keep_point_mass_on_support(arma::mat& R, const arma::vec& y, double c) {
  const arma::uword last = R.n_cols - 1;
  const arma::uvec off_support = arma::find(y != c);
  for (const arma::uword i : off_support) {
    R(i, last) = 0.0;
    const double others = arma::accu(R.row(i));
    if (others > 0.0)
      R.row(i) /= others;
    else
      R.row(i).head(last).fill(1.0 / static_cast<double>(last));
  }
}

void validate_point_mass(const arma::vec& y, Family family, arma::uword K, double c) {
  char value[32];
  std::snprintf(value, sizeof value, "%.6g", c);
  require(takes_point_mass(family), "validate",
          "a point-mass expert needs a family of counts (binomial, poisson, negbin), not " + to_string(family));
  require(K >= 2, "validate", "a point-mass expert needs K >= 2 (the point mass is one of the K experts)");
  const arma::uword at = arma::accu(y == c);
  require(at > 0, "validate", std::string("the point mass is at ") + value + ", a value the response never takes");
  require(at < y.n_elem, "validate",
          std::string("every response is ") + value + ": the point mass would leave nothing to the other experts");
}

}  // namespace moe
