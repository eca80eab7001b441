#include "moe/negbin.hpp"

#include <algorithm>
#include <cmath>

#include "moe/canonical.hpp"
#include "moe/polygamma.hpp"

namespace moe {
namespace {

// Above this size log Γ(y + θ) − log Γ(θ) and its derivatives are taken from
// Stirling's series of the difference, which does not cancel.
constexpr double kLargeSize = 1e4;

// log Γ(θ + y) − log Γ(θ).
double log_rising(double theta, double y) {
  if (theta < kLargeSize) return std::lgamma(theta + y) - std::lgamma(theta);
  const double x = theta + y;  // (θ − ½) log(1 + y/θ) + y log x − y + [1/(12x) − 1/(12θ)] − [1/(360x³) − 1/(360θ³)]
  return (theta - 0.5) * std::log1p(y / theta) + y * std::log(x) - y + (1.0 / x - 1.0 / theta) / 12.0 -
         (1.0 / (x * x * x) - 1.0 / (theta * theta * theta)) / 360.0;
}

// log(1 + a) − a, for a > −1: its series near 0, where the two cancel.
double log1p_less_identity(double a) {
  if (std::abs(a) >= 1e-2) return std::log1p(a) - a;
  double term = a, sum = 0.0;  // −a²/2 + a³/3 − ...: to a⁹ (a¹⁰/10 < 1e-21)
  for (int j = 2; j <= 9; ++j) {
    term *= -a;
    sum += term / j;
  }
  return sum;
}

// The first and second derivatives in θ of the row log-density for θ ≥
// kLargeSize, where the digamma and trigamma differences of negbin_log_size_terms
// lose all their digits (the derivatives are O(1/θ²) and O(1/θ³) there):
// ψ(θ + y) − ψ(θ) and ψ'(θ + y) − ψ'(θ) from the differences of their
// asymptotic series, each difference written without cancellation, so that
//   d1 = log(1 + a) − a + y/(2θx) + y(θ + x)/(12θ²x²) − y(θ + x)(θ² + x²)/(120θ⁴x⁴),
//   d2 = (μ − y)²/(x(θ + μ)²) − y(θ + x)/(2θ²x²) − y(θ² + θx + x²)/(6θ³x³),
// with x = θ + y and a = (y − μ)/(θ + μ).
void large_size_derivatives(double theta, double y, double mean, double& d1, double& d2) {
  const double x = theta + y, t2 = theta * theta, x2 = x * x, sum = theta + mean;
  d1 = log1p_less_identity((y - mean) / sum) + y / (2.0 * theta * x) + y * (theta + x) / (12.0 * t2 * x2) -
       y * (theta + x) * (t2 + x2) / (120.0 * t2 * t2 * x2 * x2);
  d2 = (mean - y) * (mean - y) / (x * sum * sum) - y * (theta + x) / (2.0 * t2 * x2) -
       y * (t2 + theta * x + x2) / (6.0 * t2 * theta * x2 * x);
}

// log(1 + e^a) without overflow.
double softplus(double a) { return a > 0.0 ? a + std::log1p(std::exp(-a)) : std::log1p(std::exp(a)); }

// log(θ + e^η) without overflow.
double log_size_plus_mean(double log_theta, double eta) { return log_theta + softplus(eta - log_theta); }

}  // namespace

arma::mat negbin_log_density(const arma::vec& y, const arma::mat& eta, const arma::vec& theta) {
  arma::mat out(arma::size(eta));
  const arma::vec log_y_factorial = arma::vec(y).transform(log_factorial);
  for (arma::uword k = 0; k < eta.n_cols; ++k) {
    const double t = theta(k), log_t = std::log(t);
    for (arma::uword i = 0; i < eta.n_rows; ++i)
      // θ log(θ/(θ + μ)) = −θ log(1 + μ/θ), written so that a large θ does not cancel
      out(i, k) = log_rising(t, y(i)) - log_y_factorial(i) + y(i) * (eta(i, k) - log_size_plus_mean(log_t, eta(i, k))) -
                  t * softplus(eta(i, k) - log_t);
  }
  return out;
}

void negbin_eta_terms(arma::mat& score, arma::mat& curvature, const arma::mat& weight, const arma::mat& first,
                      const arma::mat& eta, const arma::vec& theta) {
  score.set_size(arma::size(eta));
  curvature.set_size(arma::size(eta));
  for (arma::uword k = 0; k < eta.n_cols; ++k) {
    const double t = theta(k);
    for (arma::uword i = 0; i < eta.n_rows; ++i) {
      const double share = 1.0 / (1.0 + t * std::exp(-eta(i, k)));  // μ/(θ + μ), finite for any η
      score(i, k) = first(i, k) * (1.0 - share) - weight(i, k) * t * share;
      curvature(i, k) = (first(i, k) + weight(i, k) * t) * share * (1.0 - share);
    }
  }
}

arma::mat negbin_cross_terms(const arma::mat& weight, const arma::mat& first, const arma::mat& eta,
                             const arma::vec& theta) {
  arma::mat cross(arma::size(eta));
  for (arma::uword k = 0; k < eta.n_cols; ++k) {
    const double t = theta(k);
    for (arma::uword i = 0; i < eta.n_rows; ++i) {
      const double share = 1.0 / (1.0 + t * std::exp(-eta(i, k)));  // μ/(θ + μ)
      const double mean = std::exp(eta(i, k));
      cross(i, k) = (first(i, k) - weight(i, k) * mean) * share * (1.0 - share);  // θμ/(θ+μ)² = share (1 − share)
    }
  }
  return cross;
}

void negbin_log_size_terms(arma::mat& score, arma::mat& curvature, const arma::vec& y, const arma::mat& eta,
                           const arma::vec& theta) {
  score.set_size(arma::size(eta));
  curvature.set_size(arma::size(eta));
  for (arma::uword k = 0; k < eta.n_cols; ++k) {
    const double t = theta(k), log_t = std::log(t);
    const double psi = digamma(t), psi1 = trigamma(t);
    for (arma::uword i = 0; i < eta.n_rows; ++i) {
      double d1, d2;  // ∂/∂θ and ∂²/∂θ² of the row's log-density
      if (t >= kLargeSize) {
        large_size_derivatives(t, y(i), std::exp(eta(i, k)), d1, d2);
      } else {
        const double log_ratio = softplus(eta(i, k) - log_t);  // log(1 + μ/θ)
        const double inverse_sum = std::exp(-log_t - log_ratio);  // 1/(θ + μ)
        const double excess = (std::exp(eta(i, k)) - y(i)) * inverse_sum;  // (μ − y)/(θ + μ)
        d1 = digamma(t + y(i)) - psi - log_ratio + excess;
        d2 = trigamma(t + y(i)) - psi1 + 1.0 / t - inverse_sum - excess * inverse_sum;
      }
      score(i, k) = t * d1;
      curvature(i, k) = t * d1 + t * t * d2;
    }
  }
}

double negbin_moment_size(const arma::vec& y) {
  const double m = arma::mean(y), v = arma::var(y);
  if (!(v > m) || m <= 0.0) return 100.0;
  return std::clamp(m * m / (v - m), 0.1, 100.0);
}

arma::mat negbin_variance(const arma::mat& mean, const arma::vec& theta) {
  arma::mat variance = arma::square(mean);
  variance.each_row() /= theta.t();
  return mean + variance;
}

const ShapeFamily kNegbinFamily{negbin_log_density, negbin_eta_terms,  negbin_cross_terms, negbin_log_size_terms,
                                negbin_moment_size, negbin_variance,    1e-6,               kNegbinMaxSize};

}  // namespace moe
