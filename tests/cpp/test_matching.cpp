#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "helpers.hpp"
#include "moe/matching.hpp"

namespace {

double assignment_cost(const arma::mat& cost, const arma::uvec& match) {
  double total = 0.0;
  for (arma::uword i = 0; i < match.n_elem; ++i) total += cost(i, match(i));
  return total;
}

TEST(Matching, HungarianEqualsBruteForce) {
  arma::arma_rng::set_seed(4);
  for (int trial = 0; trial < 50; ++trial) {
    const arma::uword K = 1 + trial % 6;
    const arma::mat cost = arma::randu(K, K);
    std::vector<arma::uword> perm(K);
    std::iota(perm.begin(), perm.end(), 0);
    double best = arma::datum::inf;
    do best = std::min(best, assignment_cost(cost, arma::uvec(perm)));
    while (std::next_permutation(perm.begin(), perm.end()));
    const arma::uvec match = moe::min_cost_assignment(cost);
    EXPECT_NEAR(assignment_cost(cost, match), best, 1e-12);
    EXPECT_EQ(arma::sort(match).eval()(K - 1), K - 1);  // a permutation
  }
}

TEST(Matching, RelabelledModelIsTheSameDistributionAndMatchesBack) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(truth, 300, 3);
  const arma::uvec order = {2, 0, 1};
  const moe::Model relabelled = moe::relabelled(truth, order);
  EXPECT_DOUBLE_EQ(relabelled.gate.coef(0, 2), 0.0);  // the new reference
  EXPECT_NEAR(moe::log_likelihood(relabelled, data), moe::log_likelihood(truth, data), 1e-9);
  EXPECT_TRUE(arma::approx_equal(relabelled.experts.coef.col(0), truth.experts.coef.col(2), "absdiff", 0.0));
  EXPECT_DOUBLE_EQ(relabelled.experts.sigma(1), truth.experts.sigma(0));
  const arma::uvec back = moe::matched_experts(relabelled, truth);  // relabelled's expert back(k) is truth's k
  EXPECT_TRUE(arma::all(back == arma::uvec({1, 2, 0})));
  const moe::Model restored = moe::relabelled(relabelled, back);
  EXPECT_LT(arma::abs(restored.gate.coef - truth.gate.coef).max(), 1e-14);
  EXPECT_LT(arma::abs(restored.experts.coef - truth.experts.coef).max(), 1e-15);
}

TEST(Matching, PointMassStaysLast) {
  moe::Model m = moe::testing::make_model(moe::Family::poisson, {{0.5, -1.0, 0.0}},
                                          {{0.1, 2.0, 0.0}, {0.0, 0.5, 0.0}});
  m.experts.point_mass = 0.0;
  moe::Model swapped = moe::relabelled(m, {1, 0, 2});
  const arma::uvec match = moe::matched_experts(swapped, m);
  EXPECT_TRUE(arma::all(match == arma::uvec({1, 0, 2})));  // never the point mass to a near-zero expert
}

TEST(Matching, ParameterErrorIsZeroForRelabelledModel) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::ParameterError err = moe::parameter_error(moe::relabelled(truth, {2, 0, 1}), truth);
  EXPECT_LT(err.experts, 1e-15);
  EXPECT_LT(err.sigma, 1e-15);
  EXPECT_LT(err.gate, 1e-14);
}

}  // namespace
