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

TEST(Matching, ParameterErrorIsZeroForRelabelledModel) {
  const moe::Model truth = moe::testing::gaussian_truth();
  moe::Model relabelled = truth;
  const arma::uvec order = {2, 0, 1};
  relabelled.experts.coef = truth.experts.coef.cols(order);
  relabelled.experts.sigma = truth.experts.sigma.elem(order);
  relabelled.gate.coef = truth.gate.coef.cols(order);
  relabelled.gate.coef.each_col() -= arma::vec(relabelled.gate.coef.col(2));  // new reference
  const moe::ParameterError err = moe::parameter_error(relabelled, truth);
  EXPECT_LT(err.experts, 1e-15);
  EXPECT_LT(err.sigma, 1e-15);
  EXPECT_LT(err.gate, 1e-14);
}

}  // namespace
