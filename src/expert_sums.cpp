#include "moe/expert_sums.hpp"

#include <cmath>

namespace moe {

HostExpertSums::HostExpertSums(const arma::mat& X, const arma::vec& offset, const ExpertStatistics& stats,
                               const Kernels& kernels)
    : X_(X), offset_(offset), stats_(stats), kernels_(kernels) {}

arma::rowvec HostExpertSums::mass() const { return arma::sum(stats_.weight, 0); }

void HostExpertSums::normal_equations(arma::cube& G, arma::mat& b, const Experts& experts) const {
  if (experts.family == Family::gaussian) {  // least squares for y − o
    kernels_.weighted_gram(G, X_, stats_.weight);
    kernels_.cross(b, X_, offset_.is_empty() ? stats_.first : stats_.first - stats_.weight.each_col() % offset_);
    return;
  }
  arma::mat mean, variance;
  canonical_moments(mean, variance, experts.family, linear_predictor(X_, experts.coef, offset_));
  kernels_.weighted_gram(G, X_, stats_.weight % variance);
  kernels_.cross(b, X_, stats_.first - stats_.weight % mean);
}

arma::rowvec HostExpertSums::weighted_rss(const arma::mat& coef) const {
  const arma::mat mean = linear_predictor(X_, coef, offset_);
  return arma::sum(stats_.second - 2.0 * stats_.first % mean + stats_.weight % arma::square(mean), 0);
}

arma::rowvec HostExpertSums::canonical_loglik(Family family, const arma::mat& coef) const {
  const arma::mat eta = linear_predictor(X_, coef, offset_);
  return arma::sum(stats_.first % eta - stats_.weight % log_partition(family, eta), 0);
}

arma::rowvec expert_objectives(const Experts& experts, const ExpertSums& sums) {
  if (experts.family != Family::gaussian) return sums.canonical_loglik(experts.family, experts.coef);
  const arma::rowvec var = arma::square(experts.sigma.t());
  return -sums.mass() % (arma::log(experts.sigma.t()) + 0.5 * std::log(2.0 * arma::datum::pi)) -
         sums.weighted_rss(experts.coef) / (2.0 * var);
}

}  // namespace moe
