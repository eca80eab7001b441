#include "moe/student_t.hpp"

#include <cmath>

#include "moe/polygamma.hpp"

namespace moe {
namespace {

// Above this ν the differences of log Γ, ψ and ψ' at ν/2 + ½ and ν/2 are taken
// from their asymptotic series in x = ν/2 (to x⁻⁵, x⁻⁶, x⁻⁷: exact to round-off
// there), which do not cancel as the differences of large values do.
constexpr double kLargeNu = 100.0;

// log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ): the log-density's constant at σ = 1.
double t_constant(double nu) {
  if (nu < kLargeNu) return std::lgamma(0.5 * (nu + 1.0)) - std::lgamma(0.5 * nu) - 0.5 * std::log(nu * M_PI);
  const double x = 0.5 * nu, x3 = x * x * x;  // log Γ(x + ½) − log Γ(x) = ½ log x − 1/8x + 1/192x³ − 1/640x⁵
  return -0.5 * std::log(2.0 * M_PI) - 1.0 / (8.0 * x) + 1.0 / (192.0 * x3) - 1.0 / (640.0 * x3 * x * x);
}

// ψ((ν+1)/2) − ψ(ν/2) − 1/ν and its derivative in ν, ½ (ψ'((ν+1)/2) − ψ'(ν/2)) + 1/ν²:
// the terms of the ν-score that do not involve the data.
void nu_terms(double nu, double& psi, double& psi_prime) {
  if (nu < kLargeNu) {
    psi = digamma(0.5 * (nu + 1.0)) - digamma(0.5 * nu) - 1.0 / nu;
    psi_prime = 0.5 * (trigamma(0.5 * (nu + 1.0)) - trigamma(0.5 * nu)) + 1.0 / (nu * nu);
    return;
  }
  const double x = 0.5 * nu, x2 = x * x;  // the series above, differentiated once and twice
  psi = 1.0 / (8.0 * x2) - 1.0 / (64.0 * x2 * x2) + 1.0 / (128.0 * x2 * x2 * x2);
  psi_prime = -1.0 / (8.0 * x2 * x) + 1.0 / (32.0 * x2 * x2 * x) - 3.0 / (128.0 * x2 * x2 * x2 * x);
}

}  // namespace

arma::mat t_log_density(const arma::vec& y, const arma::mat& eta, const arma::vec& sigma, const arma::vec& nu) {
  arma::mat out(arma::size(eta));
  for (arma::uword k = 0; k < eta.n_cols; ++k) {
    const double constant = t_constant(nu(k)) - std::log(sigma(k));
    for (arma::uword i = 0; i < eta.n_rows; ++i) {
      const double z = (y(i) - eta(i, k)) / sigma(k);
      out(i, k) = constant - 0.5 * (nu(k) + 1.0) * std::log1p(z * z / nu(k));
    }
  }
  return out;
}

arma::mat t_scale_weights(const arma::vec& y, const arma::mat& eta, const arma::vec& sigma, const arma::vec& nu) {
  arma::mat u(arma::size(eta));
  for (arma::uword k = 0; k < eta.n_cols; ++k)
    for (arma::uword i = 0; i < eta.n_rows; ++i) {
      const double z = (y(i) - eta(i, k)) / sigma(k);
      u(i, k) = (nu(k) + 1.0) / (nu(k) + z * z);
    }
  return u;
}

// With d(ν) = ∂ log f/∂ν = ½ [ψ((ν+1)/2) − ψ(ν/2) − 1/ν − log(1 + z²/ν) + h],
// h = (ν+1) z² / (ν (ν + z²)), h' = −z² (ν² + 2ν + z²) / (ν (ν + z²))²:
// ∂/∂v = ν d and ∂²/∂v² = ν d + ν² d', where
// d' = ½ [½ ψ'((ν+1)/2) − ½ ψ'(ν/2) + 1/ν² + z² / (ν (ν + z²)) + h'].
void t_log_nu_terms(arma::mat& score, arma::mat& curvature, const arma::vec& y, const arma::mat& eta,
                    const arma::vec& sigma, const arma::vec& nu) {
  score.set_size(arma::size(eta));
  curvature.set_size(arma::size(eta));
  for (arma::uword k = 0; k < eta.n_cols; ++k) {
    const double v = nu(k);
    double psi, psi_prime;
    nu_terms(v, psi, psi_prime);
    for (arma::uword i = 0; i < eta.n_rows; ++i) {
      const double z = (y(i) - eta(i, k)) / sigma(k), z2 = z * z, vz = v * (v + z2);
      const double d = 0.5 * (psi - std::log1p(z2 / v) + (v + 1.0) * z2 / vz);
      const double d_prime = 0.5 * (psi_prime + z2 / vz - z2 * (v * v + 2.0 * v + z2) / (vz * vz));
      score(i, k) = v * d;
      curvature(i, k) = v * d + v * v * d_prime;
    }
  }
}

}  // namespace moe
