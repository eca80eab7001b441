#include <gtest/gtest.h>

#include <cmath>

#include "helpers.hpp"
#include "moe/predictive.hpp"

namespace {

using moe::testing::make_model;

// P(Y ≤ k) by summing the probabilities in log space.
double poisson_cdf_by_sum(int k, double mean) {
  double total = 0.0;
  for (int j = 0; j <= k; ++j) total += std::exp(j * std::log(mean) - mean - std::lgamma(j + 1.0));
  return total;
}

TEST(Predictive, PoissonCdfIsTheSumOfItsProbabilities) {
  for (double mean : {0.01, 0.7, 3.0, 25.0, 140.0})
    for (int k : {0, 1, 2, 5, 20, 60, 150, 300})
      EXPECT_NEAR(moe::poisson_cdf(k, mean), poisson_cdf_by_sum(k, mean), 1e-12) << "k " << k << " mean " << mean;
  EXPECT_EQ(moe::poisson_cdf(-1.0, 3.0), 0.0);
  EXPECT_NEAR(moe::poisson_cdf(1e6, 1e6), poisson_cdf_by_sum(1000000, 1e6), 1e-9);  // the continued fraction
  EXPECT_NEAR(moe::poisson_cdf(1e6 - 1, 1e6), poisson_cdf_by_sum(999999, 1e6), 1e-9);  // the series, near x = a
  // beyond a fixed limit of 1e5 terms; at this size both sides lose about 1e-7 to the
  // cancellation in the exponent −x + a log x − log Γ(a) (terms near 5e8)
  EXPECT_NEAR(moe::poisson_cdf(3e7, 3e7), poisson_cdf_by_sum(30000000, 3e7), 2e-7);
}

TEST(Predictive, GaussianQuantilesSolveTheMixtureCdf) {
  const moe::Model model = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(model, 50, 3);
  const arma::vec probs = {0.025, 0.3, 0.5, 0.975};
  const arma::mat Q = moe::predictive_quantiles(model, data.X, data.Z, probs);
  for (arma::uword j = 0; j < probs.n_elem; ++j) {
    const arma::vec F = moe::predictive_cdf(model, data.X, data.Z, Q.col(j));
    EXPECT_LT(arma::abs(F - probs(j)).max(), 1e-12) << probs(j);
  }
  EXPECT_TRUE(arma::all(arma::vectorise(arma::diff(Q, 1, 1)) > 0.0));  // increasing in p
}

TEST(Predictive, OneGaussianExpertGivesItsNormalQuantiles) {
  const moe::Model one = make_model(moe::Family::gaussian, arma::mat(1, 1, arma::fill::zeros),
                                    arma::mat(arma::vec{1.0, 2.0}), arma::vec{0.5});
  const arma::mat X = {{1.0, 0.0}, {1.0, 1.5}}, Z(2, 1, arma::fill::ones);
  const arma::mat Q = moe::predictive_quantiles(one, X, Z, {0.975, 0.5});
  EXPECT_NEAR(Q(0, 0), 1.0 + 0.5 * 1.959963984540054, 1e-9);  // Φ⁻¹(0.975)
  EXPECT_NEAR(Q(1, 1), 4.0, 1e-12);
}

// Discrete experts: the smallest y with F(y) ≥ p, checked against its definition,
// and the quantiles of a draw from the model.
TEST(Predictive, DiscreteQuantilesAreTheSmallestValuesReachingP) {
  for (const moe::Model& model : {moe::testing::logistic_truth(), moe::testing::poisson_truth()}) {
    const moe::Dataset data = moe::testing::draw(model, 40, 4);
    const arma::vec probs = {0.05, 0.5, 0.9};
    const arma::mat Q = moe::predictive_quantiles(model, data.X, data.Z, probs);
    for (arma::uword j = 0; j < probs.n_elem; ++j) {
      EXPECT_TRUE(arma::all(Q.col(j) == arma::floor(Q.col(j))));
      EXPECT_TRUE(arma::all(moe::predictive_cdf(model, data.X, data.Z, Q.col(j)) >= probs(j)));
      EXPECT_TRUE(arma::all(moe::predictive_cdf(model, data.X, data.Z, Q.col(j) - 1.0) < probs(j)));
    }
  }
}

TEST(Predictive, QuantilesMatchDrawsFromTheModel) {
  const moe::Model model = moe::testing::gaussian_truth();
  const arma::mat X = {{1.0, 0.3}}, Z = {{1.0, -0.2}};
  const arma::vec probs = {0.1, 0.5, 0.9};
  const arma::rowvec q = moe::predictive_quantiles(model, X, Z, probs).row(0);
  moe::Rng rng(17);
  arma::vec draws(200000);
  for (double& y : draws) y = moe::sample(model, X, Z, rng)(0);
  const arma::vec empirical = arma::quantile(draws, probs);
  for (arma::uword j = 0; j < probs.n_elem; ++j) EXPECT_NEAR(empirical(j), q(j), 0.03) << probs(j);
}

// Responses drawn from the model: the randomized PIT is uniform (a discrete
// law's plain F(y) would not be), and it lies between F(y − 1) and F(y).
TEST(Predictive, ThePitOfDrawsFromTheModelIsUniform) {
  for (const moe::Model& model : moe::testing::truth_of_every_family()) {
    const moe::Dataset data = moe::testing::draw(model, 20000, 21);
    moe::Rng rng(22);
    const arma::vec pit = moe::randomized_pit(model, data.X, data.Z, data.y, rng);
    const arma::vec deciles = arma::quantile(pit, arma::regspace(0.1, 0.1, 0.9));
    EXPECT_LT(arma::abs(deciles - arma::regspace(0.1, 0.1, 0.9)).max(), 0.02) << to_string(model.experts.family);
    EXPECT_TRUE(arma::all(pit >= moe::predictive_cdf(model, data.X, data.Z, data.y - 1.0) &&
                          pit <= moe::predictive_cdf(model, data.X, data.Z, data.y)));
  }
}

TEST(Predictive, BadProbabilitiesAreRefused) {
  const moe::Model model = moe::testing::gaussian_truth();
  const arma::mat X = {{1.0, 0.3}}, Z = {{1.0, -0.2}};
  for (double p : {0.0, 1.0, -0.1, arma::datum::nan})
    EXPECT_THROW(moe::predictive_quantiles(model, X, Z, arma::vec{p}), std::invalid_argument) << p;
  EXPECT_THROW(moe::predictive_cdf(model, X, Z, arma::vec{1.0, 2.0}), std::invalid_argument);
}

}  // namespace
