#include "moe/experts.hpp"

#include <cmath>

namespace moe {

arma::uword Experts::n_free() const {
  arma::uword n = coef.n_elem;
  if (family == Family::gaussian) n += common_sigma ? 1 : coef.n_cols;
  return n;
}

arma::mat residuals(const arma::vec& y, const arma::mat& M) {
  arma::mat out = -M;
  out.each_col() += y;
  return out;
}

arma::mat linear_predictor(const arma::mat& X, const arma::mat& coef, const arma::vec& offset) {
  arma::mat eta = X * coef;
  if (!offset.is_empty()) eta.each_col() += offset;
  return eta;
}

arma::mat Experts::log_density(const arma::mat& X, const arma::vec& y, const arma::vec& offset,
                                const arma::vec& trials) const {
  const arma::mat eta = linear_predictor(X, coef, offset);
  if (family != Family::gaussian) {  // y η − m b(η) + c(y); a missing y gives NaN
    arma::mat b = log_partition(family, eta);
    if (!trials.is_empty()) b.each_col() %= trials;
    arma::mat out = eta.each_col() % y - b;
    out.each_col() += base_measure(family, y, trials);
    return out;
  }
  arma::mat z = residuals(y, eta);
  z.each_row() /= sigma.t();
  arma::mat out = -0.5 * arma::square(z);
  out.each_row() -= arma::log(sigma.t()) + 0.5 * std::log(2.0 * arma::datum::pi);
  return out;
}

arma::mat Experts::mean(const arma::mat& X, const arma::vec& offset, const arma::vec& trials) const {
  const arma::mat eta = linear_predictor(X, coef, offset);
  if (family == Family::gaussian) return eta;
  arma::mat mu = canonical_mean(family, eta);
  if (!trials.is_empty()) mu.each_col() %= trials;
  return mu;
}

}  // namespace moe
