#include "moe/experts.hpp"

#include <cmath>

#include "moe/error.hpp"
#include "moe/multinomial.hpp"
#include "moe/point_mass.hpp"
#include "moe/shape_family.hpp"
#include "moe/student_t.hpp"
#include "parallel.h"
#include "small_products.h"

namespace moe {

arma::uword Experts::n_coefficients() const { return coef.n_rows * n_regression() - shared.n_elem * (n_regression() - 1); }

arma::uword Experts::n_free() const {
  arma::uword n = n_coefficients();
  if (has_dispersion()) n += common_sigma ? 1 : n_regression();
  if (has_free_nu()) n += n_regression();
  return n;
}

arma::vec Experts::positive_parameters() const {
  if (!has_dispersion()) return {};
  return has_free_nu() ? arma::join_vert(dispersion(), shape) : dispersion();
}

void Experts::set_positive_parameters(const arma::vec& values) {
  const arma::uword K = n_experts();
  dispersion() = values.head(K);
  if (has_free_nu()) shape = values.subvec(K, 2 * K - 1);
}

arma::urowvec Experts::is_regression() const {
  arma::urowvec out(coef.n_cols, arma::fill::ones);
  if (point_mass) out.tail(1).zeros();
  return out;
}

const arma::vec& Experts::dispersion() const { return has_scale(family) ? sigma : shape; }

arma::vec& Experts::dispersion() { return has_scale(family) ? sigma : shape; }

arma::uvec Experts::row_is_shared() const {
  arma::uvec is_shared(coef.n_rows, arma::fill::zeros);
  is_shared.elem(shared).ones();
  return is_shared;
}

arma::uvec Experts::coefficient_slots() const {
  const arma::uword p = coef.n_rows, K = coef.n_cols, own = p - shared.n_elem, not_free = n_coefficients();
  const arma::uvec is_shared = row_is_shared();
  arma::uvec slots(p * K);
  for (arma::uword k = 0; k < K; ++k) {
    arma::uword next_own = k * own, next_shared = n_regression() * own;
    for (arma::uword j = 0; j < p; ++j)
      slots(k * p + j) = is_shared(j) ? next_shared++ : k < n_regression() ? next_own++ : not_free;
  }
  return slots;
}

bool is_valid_shared_set(const arma::uvec& shared, arma::uword p) {
  return shared.n_elem < p && (shared.is_empty() || (shared.is_sorted("strictascend") && shared.max() < p));
}

arma::mat residuals(const arma::vec& y, const arma::mat& M) {
  arma::mat out = -M;
  out.each_col() += y;
  return out;
}

arma::mat linear_predictor(const arma::mat& X, const arma::mat& coef, const arma::vec& offset) {
  arma::mat eta = product(X, coef);
  if (!offset.is_empty()) eta.each_col() += offset;
  return eta;
}

Experts Experts::regression_experts() const {
  if (!point_mass) return *this;
  Experts out = *this;
  const arma::uword k = n_regression();
  out.coef = coef.head_cols(k);
  if (!sigma.is_empty()) out.sigma = sigma.head(k);
  if (!shape.is_empty()) out.shape = shape.head(k);
  out.point_mass.reset();
  return out;
}

arma::mat Experts::log_density(const arma::mat& X, const arma::vec& y, const arma::vec& offset,
                                const arma::vec& trials) const {
  if (X.n_rows <= row_block) return log_density_of_rows(X, y, offset, trials);
  arma::mat out(X.n_rows, n_experts());
  const auto rows_of = [](const arma::vec& v, arma::uword first, arma::uword last) {
    return v.is_empty() ? arma::vec() : arma::vec(v.subvec(first, last));
  };
  for_row_blocks(X.n_rows, row_block, [&](arma::uword first, arma::uword last) {
    out.rows(first, last) = log_density_of_rows(X.rows(first, last), y.subvec(first, last),
                                                rows_of(offset, first, last), rows_of(trials, first, last));
  });
  return out;
}

arma::mat Experts::log_density_of_rows(const arma::mat& X, const arma::vec& y, const arma::vec& offset,
                                        const arma::vec& trials) const {
  if (point_mass)
    return arma::join_horiz(regression_experts().log_density_of_rows(X, y, offset, trials),
                            point_mass_log_density(y, *point_mass));
  if (family == Family::multinomial) return multinomial_log_density(*this, X, y);
  const arma::mat eta = linear_predictor(X, coef, offset);
  if (const ShapeFamily* shaped = shape_family(family)) return shaped->log_density(y, eta, shape);
  if (family == Family::t) return t_log_density(y, eta, sigma, shape);
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
  require(family != Family::multinomial, "Experts::mean",
          "multinomial experts have no mean: their levels' probabilities are level_probabilities()");
  const arma::mat eta = linear_predictor(X, coef, offset);
  if (has_scale(family)) return eta;
  arma::mat mu = canonical_mean(family == Family::binomial ? family : Family::poisson, eta);  // e^η but for the logit
  if (!trials.is_empty()) mu.each_col() %= trials;
  if (point_mass) mu.tail_cols(1).fill(*point_mass);
  return mu;
}

}  // namespace moe
