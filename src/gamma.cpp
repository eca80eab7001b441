#include "moe/gamma.hpp"

#include <algorithm>
#include <cmath>

#include "moe/polygamma.hpp"

namespace moe {
namespace {

// Above this shape ν log ν − ν − log Γ(ν) is taken from Stirling's series, which does not cancel.
constexpr double kLargeShape = 1e4;

// ν log ν − ν − log Γ(ν).
double shape_constant(double nu) {
  if (nu < kLargeShape) return nu * std::log(nu) - nu - std::lgamma(nu);
  return 0.5 * std::log(nu / (2.0 * M_PI)) - 1.0 / (12.0 * nu) + 1.0 / (360.0 * nu * nu * nu);
}

// x − 1 − log x at x = y e^{−η}, from r = x − 1 = expm1(log y − η): ≥ 0, and
// exact to round-off near x = 1.
double gamma_deviance_term(double log_y, double eta) {
  const double r = std::expm1(log_y - eta);
  return r - std::log1p(r);
}

}  // namespace

arma::mat gamma_log_density(const arma::vec& y, const arma::mat& eta, const arma::vec& shape) {
  arma::mat out(arma::size(eta));
  for (arma::uword k = 0; k < eta.n_cols; ++k) {
    const double nu = shape(k), constant = shape_constant(nu);
    for (arma::uword i = 0; i < eta.n_rows; ++i) {
      const double log_y = std::log(y(i));
      out(i, k) = constant - log_y - nu * gamma_deviance_term(log_y, eta(i, k));
    }
  }
  return out;
}

void gamma_eta_terms(arma::mat& score, arma::mat& curvature, const arma::mat& weight, const arma::mat& first,
                     const arma::mat& eta, const arma::vec& shape) {
  curvature = first % arma::exp(-eta);  // s1 e^{−η}
  score = curvature - weight;
  score.each_row() %= shape.t();
  curvature.each_row() %= shape.t();
}

arma::mat gamma_cross_terms(const arma::mat& weight, const arma::mat& first, const arma::mat& eta,
                            const arma::vec& shape) {
  arma::mat score, curvature;
  gamma_eta_terms(score, curvature, weight, first, eta, shape);
  return score;  // ν (s1 e^{−η} − w) is linear in ν: ∂/∂u of it is itself
}

void gamma_log_shape_terms(arma::mat& score, arma::mat& curvature, const arma::vec& y, const arma::mat& eta,
                           const arma::vec& shape) {
  score.set_size(arma::size(eta));
  curvature.set_size(arma::size(eta));
  for (arma::uword k = 0; k < eta.n_cols; ++k) {
    const double nu = shape(k), common = std::log(nu) - digamma(nu), d2 = 1.0 / nu - trigamma(nu);
    for (arma::uword i = 0; i < eta.n_rows; ++i) {
      score(i, k) = nu * (common - gamma_deviance_term(std::log(y(i)), eta(i, k)));
      curvature(i, k) = score(i, k) + nu * nu * d2;
    }
  }
}

double gamma_moment_shape(const arma::vec& y) {
  const double m = arma::mean(y), v = arma::var(y);
  if (!(v > 0.0)) return 1000.0;
  return std::clamp(m * m / v, 0.05, 1000.0);
}

arma::mat gamma_variance(const arma::mat& mean, const arma::vec& shape) {
  arma::mat variance = arma::square(mean);
  variance.each_row() /= shape.t();
  return variance;
}

const ShapeFamily kGammaFamily{gamma_log_density, gamma_eta_terms,    gamma_cross_terms, gamma_log_shape_terms,
                               gamma_moment_shape, gamma_variance,     1e-6,              1e8};

}  // namespace moe
