#include "moe/canonical.hpp"

#include <cmath>

#include "moe/error.hpp"
#include "moe/flushed_exp.hpp"

namespace moe {
namespace {

void require_canonical(Family family, const char* who) {
  require(family != Family::gaussian, who, "the Gaussian family has no canonical log-partition here");
}

}  // namespace

arma::mat log_sigmoid(const arma::mat& t) {
  // −softplus(−t) = min(t, 0) − log1p(exp(−|t|))
  return arma::min(t, arma::zeros(arma::size(t))) - arma::log1p(flushed_exp(-arma::abs(t)));
}

arma::mat log_partition(Family family, const arma::mat& eta) {
  require_canonical(family, "log_partition");
  if (family == Family::poisson) return flushed_exp(eta);
  return eta - log_sigmoid(eta);  // log(1 + e^η) = η − log sigmoid(η)
}

arma::mat canonical_mean(Family family, const arma::mat& eta) {
  require_canonical(family, "canonical_mean");
  if (family == Family::poisson) return flushed_exp(eta);
  return flushed_exp(log_sigmoid(eta));
}

void canonical_moments(arma::mat& mean, arma::mat& variance, Family family, const arma::mat& eta) {
  require_canonical(family, "canonical_moments");
  if (family == Family::poisson) {
    mean = flushed_exp(eta);
    variance = mean;
    return;
  }
  mean = flushed_exp(log_sigmoid(eta));
  variance = mean % flushed_exp(log_sigmoid(-eta));  // p · sigmoid(−η): 1 − p without cancellation
}

arma::vec starting_link(Family family, const arma::vec& y) {
  require_canonical(family, "starting_link");
  if (family == Family::poisson) return arma::log(y + 0.1);
  const arma::vec mean = 0.5 * (y + 0.5);
  return arma::log(mean / (1.0 - mean));
}

arma::vec base_measure(Family family, const arma::vec& y) {
  require_canonical(family, "base_measure");
  if (family == Family::poisson) return -arma::lgamma(y + 1.0);
  return arma::zeros(y.n_elem);
}

}  // namespace moe
