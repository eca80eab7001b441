#include "moe/canonical.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "moe/error.hpp"
#include "moe/flushed_exp.hpp"

namespace moe {
namespace {

void require_canonical(Family family, const char* who) {
  require(family == Family::binomial || family == Family::poisson, who,
          "only the binomial and Poisson families are canonical here");
}

// e^{−|t|}, the one exponential the logistic functions below need: with it
// every one of them is finite and free of cancellation for any t.
double exp_minus_abs(double t) { return flushed_exp(-std::abs(t)); }

// Applies f(t, e^{−|t|}) entrywise.
template <class F>
arma::mat logistic_entrywise(const arma::mat& t, F f) {
  arma::mat out(arma::size(t));
  for (arma::uword i = 0; i < t.n_elem; ++i) out[i] = f(t[i], exp_minus_abs(t[i]));
  return out;
}

double sigmoid_of(double t, double e) { return t >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e); }

// log(1 + e^t) = max(t, 0) + log1p(e^{−|t|}), from e = e^{−|t|}.
double softplus_of(double t, double e) { return std::max(t, 0.0) + std::log1p(e); }

// b'(η) and b''(η) of the binomial at η, from e = e^{−|η|}.
void logistic_moments(double eta, double e, double& mean, double& variance) {
  mean = sigmoid_of(eta, e);
  variance = e / ((1.0 + e) * (1.0 + e));  // p(1 − p) = e^{−|η|} / (1 + e^{−|η|})², in either tail
}

}  // namespace

arma::mat log_sigmoid(const arma::mat& t) {
  // −softplus(−t) = min(t, 0) − log1p(e^{−|t|})
  return logistic_entrywise(t, [](double v, double e) { return std::min(v, 0.0) - std::log1p(e); });
}

arma::mat log_partition(Family family, const arma::mat& eta) {
  require_canonical(family, "log_partition");
  if (family == Family::poisson) return flushed_exp(eta);
  return logistic_entrywise(eta, softplus_of);
}

arma::mat canonical_mean(Family family, const arma::mat& eta) {
  require_canonical(family, "canonical_mean");
  if (family == Family::poisson) return flushed_exp(eta);
  return logistic_entrywise(eta, sigmoid_of);
}

void canonical_moments(arma::mat& mean, arma::mat& variance, Family family, const arma::mat& eta) {
  require_canonical(family, "canonical_moments");
  if (family == Family::poisson) {
    mean = flushed_exp(eta);
    variance = mean;
    return;
  }
  mean.set_size(arma::size(eta));
  variance.set_size(arma::size(eta));
  for (arma::uword i = 0; i < eta.n_elem; ++i) logistic_moments(eta[i], exp_minus_abs(eta[i]), mean[i], variance[i]);
}

void canonical_terms(arma::mat& partition, arma::mat& mean, arma::mat& variance, Family family,
                     const arma::mat& eta) {
  require_canonical(family, "canonical_terms");
  if (family == Family::poisson) {
    mean = flushed_exp(eta);
    variance = mean;
    partition = mean;
    return;
  }
  partition.set_size(arma::size(eta));
  mean.set_size(arma::size(eta));
  variance.set_size(arma::size(eta));
  for (arma::uword i = 0; i < eta.n_elem; ++i) {
    const double e = exp_minus_abs(eta[i]);
    partition[i] = softplus_of(eta[i], e);
    logistic_moments(eta[i], e, mean[i], variance[i]);
  }
}

arma::vec starting_link(Family family, const arma::vec& y, const arma::vec& trials) {
  if (has_scale(family)) return y;  // the identity link: y itself
  if (family == Family::poisson || family == Family::negbin) return arma::log(y + 0.1);
  if (family == Family::gamma) return arma::log(y);
  const arma::vec mean = (y + 0.5) / (trials.is_empty() ? arma::vec(y.n_elem, arma::fill::value(2.0)) : trials + 1.0);
  return arma::log(mean / (1.0 - mean));
}

double log_factorial(double x) {
  constexpr std::size_t tabled = 1024;
  static const std::array<double, tabled> table = [] {
    std::array<double, tabled> t{};
    for (std::size_t k = 0; k < tabled; ++k) t[k] = std::lgamma(static_cast<double>(k) + 1.0);
    return t;
  }();
  if (x >= 0.0 && x < static_cast<double>(tabled)) {
    const auto whole = static_cast<std::size_t>(x);  // a cast, not floor(): this runs for every row of every E-step
    if (static_cast<double>(whole) == x) return table[whole];
  }
  return std::lgamma(x + 1.0);
}

arma::vec base_measure(Family family, const arma::vec& y, const arma::vec& trials) {
  require_canonical(family, "base_measure");
  const auto log_factorials = [](const arma::vec& x) { return arma::vec(x).transform(log_factorial); };
  if (family == Family::poisson) return -log_factorials(y);
  if (trials.is_empty()) return arma::zeros(y.n_elem);
  return log_factorials(trials) - log_factorials(y) - log_factorials(trials - y);  // log C(m, y)
}

}  // namespace moe
