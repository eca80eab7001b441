#include "moe/expert_sums.hpp"

#include <cmath>

#include "moe/error.hpp"
#include "moe/multinomial.hpp"
#include "moe/shape_family.hpp"
#include "moe/student_t.hpp"

namespace moe {
namespace {

// The gate's host sums over targets that they own.
class OwnedTargetSums final : public GateSums {
 public:
  OwnedTargetSums(const arma::mat& Z, arma::mat T, const Kernels& kernels)
      : T_(std::move(T)), sums_(Z, T_, kernels) {}
  double objective(const arma::mat& coef) override { return sums_.objective(coef); }
  arma::mat gradient() const override { return sums_.gradient(); }
  arma::cube hessian_blocks() const override { return sums_.hessian_blocks(); }

 private:
  const arma::mat T_;  // before sums_, which keeps a reference to it
  HostGateSums sums_;
};

}  // namespace

void ExpertSums::canonical_newton_terms(arma::cube& G, arma::mat& b, arma::rowvec& objective,
                                        const Experts& experts) const {
  normal_equations(G, b, experts);
  objective = canonical_loglik(experts.family, experts.coef);
}

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
  const arma::mat eta = linear_predictor(X_, experts.coef, offset_);
  arma::mat score, curvature;
  if (const ShapeFamily* shaped = shape_family(experts.family)) {
    shaped->eta_terms(score, curvature, stats_.weight, stats_.first, eta, experts.shape);
  } else {
    canonical_moments(score, curvature, experts.family, eta);  // μ and v, then the weighted score and curvature
    score = stats_.first - stats_.weight % score;
    curvature %= stats_.weight;
  }
  kernels_.weighted_gram(G, X_, curvature);
  kernels_.cross(b, X_, score);
}

void HostExpertSums::canonical_newton_terms(arma::cube& G, arma::mat& b, arma::rowvec& objective,
                                            const Experts& experts) const {
  const arma::mat eta = linear_predictor(X_, experts.coef, offset_);
  arma::mat partition, mean, variance;
  canonical_terms(partition, mean, variance, experts.family, eta);
  objective = arma::sum(stats_.first % eta - stats_.weight % partition, 0);
  kernels_.weighted_gram(G, X_, variance % stats_.weight);
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

const arma::vec& HostExpertSums::response(const char* who) const {
  require(!stats_.response.is_empty(), who, "negbin, gamma, t and multinomial experts need EM's statistics (the observed y)");
  return stats_.response;
}

arma::rowvec HostExpertSums::shape_loglik(const Experts& experts) const {
  const arma::vec& y = response("shape_loglik");
  if (experts.point_mass)  // which has no parameters: 0
    return arma::join_horiz(shape_loglik(experts.regression_experts()), arma::rowvec(1, arma::fill::zeros));
  return arma::sum(stats_.weight.head_cols(experts.n_experts()) % experts.log_density(X_, y, offset_), 0);
}

void HostExpertSums::shape_terms(arma::rowvec& score, arma::rowvec& curvature, const Experts& experts) const {
  const arma::vec& y = response("shape_terms");
  if (experts.point_mass) {  // which has no parameters: 0
    shape_terms(score, curvature, experts.regression_experts());
    score.resize(score.n_elem + 1);
    curvature.resize(curvature.n_elem + 1);
    score.tail(1).zeros();
    curvature.tail(1).zeros();
    return;
  }
  arma::mat row_score, row_curvature;
  const arma::mat eta = linear_predictor(X_, experts.coef, offset_);
  if (experts.family == Family::t)
    t_log_nu_terms(row_score, row_curvature, y, eta, experts.sigma, experts.shape);
  else
    shape_family(experts.family)->log_shape_terms(row_score, row_curvature, y, eta, experts.shape);
  score = arma::sum(stats_.weight.head_cols(experts.n_experts()) % row_score, 0);
  curvature = arma::sum(stats_.weight.head_cols(experts.n_experts()) % row_curvature, 0);
}

arma::mat HostExpertSums::t_weights(const Experts& experts) const {
  const arma::vec& y = response("t_weights");
  return stats_.weight % t_scale_weights(y, linear_predictor(X_, experts.coef, offset_), experts.sigma, experts.shape);
}

void HostExpertSums::t_normal_equations(arma::cube& G, arma::mat& b, const Experts& experts) const {
  const arma::mat wu = t_weights(experts);
  const arma::vec& y = stats_.response;
  kernels_.weighted_gram(G, X_, wu);
  kernels_.cross(b, X_, wu.each_col() % (offset_.is_empty() ? y : arma::vec(y - offset_)));
}

arma::rowvec HostExpertSums::t_weighted_rss(const Experts& experts, const arma::mat& coef) const {
  const arma::mat resid = residuals(stats_.response, linear_predictor(X_, coef, offset_));
  return arma::sum(t_weights(experts) % arma::square(resid), 0);
}

std::unique_ptr<GateSums> HostExpertSums::level_sums(arma::uword k, arma::uword levels) const {
  return std::make_unique<OwnedTargetSums>(X_, level_targets(response("level_sums"), stats_.weight.col(k), levels),
                                           kernels_);
}

arma::rowvec expert_objectives(const Experts& experts, const ExpertSums& sums) {
  if (experts.family == Family::multinomial) {
    arma::rowvec objective(experts.n_experts());
    for (arma::uword k = 0; k < objective.n_elem; ++k)
      objective(k) = sums.level_sums(k, experts.levels)->objective(level_gate(experts, k).coef);
    return objective;
  }
  if (has_shape(experts.family)) return sums.shape_loglik(experts);
  if (experts.family != Family::gaussian) return sums.canonical_loglik(experts.family, experts.coef);
  const arma::rowvec var = arma::square(experts.sigma.t());
  return -sums.mass() % (arma::log(experts.sigma.t()) + 0.5 * std::log(2.0 * arma::datum::pi)) -
         sums.weighted_rss(experts.coef) / (2.0 * var);
}

}  // namespace moe
