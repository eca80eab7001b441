#include <gtest/gtest.h>

#include "helpers.hpp"
#include "moe/expert_mstep.hpp"
#include "moe/model.hpp"

namespace {

TEST(ExpertMStep, GaussianIsWeightedLeastSquares) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(truth, 300, 3);
  const arma::mat R = moe::responsibilities(truth, data);
  moe::Experts experts = truth.experts;
  moe::update_experts(experts, data.X, moe::posterior_statistics(R, data.y));
  for (arma::uword k = 0; k < 3; ++k) {
    const arma::mat W = arma::diagmat(R.col(k));
    const arma::vec beta = arma::solve(data.X.t() * W * data.X, data.X.t() * W * data.y);
    EXPECT_LT(arma::abs(experts.coef.col(k) - beta).max(), 1e-8);
    const arma::vec r = data.y - data.X * beta;
    EXPECT_NEAR(experts.sigma(k), std::sqrt(arma::dot(R.col(k), r % r) / arma::accu(R.col(k))), 1e-8);
  }
}

TEST(ExpertMStep, EmptyExpertKeepsItsParameters) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(truth, 100, 4);
  arma::mat R = moe::responsibilities(truth, data);
  R.col(0) += R.col(2);
  R.col(2).zeros();
  moe::Experts experts = truth.experts;
  moe::update_experts(experts, data.X, moe::posterior_statistics(R, data.y));
  EXPECT_TRUE(experts.coef.is_finite());
  EXPECT_TRUE(arma::approx_equal(experts.coef.col(2), truth.experts.coef.col(2), "absdiff", 0.0));
  EXPECT_EQ(experts.sigma(2), truth.experts.sigma(2));
}

TEST(ExpertMStep, VarianceFloorHolds) {
  const moe::Model truth = moe::testing::gaussian_truth();
  moe::Dataset data = moe::testing::draw(truth, 50, 5);
  data.y = data.X * truth.experts.coef.col(0);  // a perfect fit: zero residual variance
  moe::Experts experts = truth.experts;
  moe::ExpertMStepOptions options;
  options.variance_floor = 0.01;
  moe::update_experts(experts, data.X, moe::posterior_statistics(arma::ones(50, 3) / 3.0, data.y), options);
  EXPECT_NEAR(experts.sigma.min(), 0.1, 1e-12);
}

TEST(ExpertMStep, LogisticIrlsZeroesTheWeightedScore) {
  const moe::Model truth = moe::testing::logistic_truth();
  const moe::Dataset data = moe::testing::draw(truth, 2000, 6);
  const arma::mat R = moe::responsibilities(truth, data);
  moe::Experts experts = truth.experts;
  experts.coef.zeros();
  moe::update_experts(experts, data.X, moe::posterior_statistics(R, data.y));
  const arma::mat P = experts.mean(data.X);
  const arma::mat score = data.X.t() * (R % moe::residuals(data.y, P));
  EXPECT_LT(arma::abs(score).max(), 1e-6);
  EXPECT_GT(arma::accu(moe::expert_objectives(experts, data.X, moe::posterior_statistics(R, data.y))),
            arma::accu(moe::expert_objectives(truth.experts, data.X, moe::posterior_statistics(R, data.y))) - 1e-9);
}

}  // namespace
