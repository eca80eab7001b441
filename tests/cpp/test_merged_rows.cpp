// Repeated rows merged into one with their summed weight (merged_rows.hpp):
// which rows merge, and that EM on the merged rows is EM on the rows as given.
#include <gtest/gtest.h>

#include <cmath>

#include "moe/em.hpp"
#include "moe/merged_rows.hpp"
#include "moe/rng.hpp"
#include "moe/search.hpp"

namespace {

// Successes out of trials at a few covariate values, two latent experts: a
// table with many repeated rows (as MASS's OME).
moe::Dataset tabulated_trials(std::uint64_t seed) {
  moe::Rng rng(seed);
  const arma::uword n = 400;
  moe::Dataset data;
  data.X.set_size(n, 2);
  data.y.set_size(n);
  data.trials.set_size(n);
  for (arma::uword i = 0; i < n; ++i) {
    const double x = static_cast<double>(i % 5), m = 2.0 + static_cast<double>(i % 3);
    const double p = 1.0 / (1.0 + std::exp(-((rng.uniform() < 0.3 ? 1.5 : -0.5) + 0.3 * x)));
    double successes = 0.0;
    for (int t = 0; t < static_cast<int>(m); ++t) successes += rng.uniform() < p ? 1.0 : 0.0;
    data.X.row(i) = arma::rowvec{1.0, x};
    data.y(i) = successes;
    data.trials(i) = m;
  }
  data.Z = data.X;
  return data;
}

TEST(MergedRows, MergesRowsThatAgreeInEveryValueAFitReads) {
  moe::Dataset data;
  data.y = {1, 2, 1, 1, 2};
  data.X = arma::mat{{1, 0}, {1, 1}, {1, 0}, {1, 0}, {1, 1}};
  data.Z = arma::mat(5, 1, arma::fill::ones);
  data.offset = {0.5, 0.0, 0.5, 0.7, 0.0};  // row 3 differs from rows 0 and 2 in its offset only
  data.weights = {1.0, 2.0, 3.0, 1.0, 0.5};
  const std::optional<moe::MergedRows> merged = moe::merged_rows(data);
  ASSERT_TRUE(merged.has_value());
  EXPECT_TRUE(arma::all(merged->row_of == arma::uvec({0, 1, 0, 2, 1})));  // in the order of the first copies
  EXPECT_TRUE(arma::approx_equal(merged->data.weights, arma::vec({4.0, 2.5, 1.0}), "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(merged->data.offset, arma::vec({0.5, 0.0, 0.7}), "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(merged->data.y, arma::vec({1, 2, 1}), "absdiff", 0.0));
  EXPECT_EQ(merged->data.X.n_rows, 3u);
  EXPECT_EQ(merged->data.Z.n_rows, 3u);
  EXPECT_DOUBLE_EQ(merged->data.total_weight(), data.total_weight());

  data.trials = {3, 3, 4, 3, 3};  // now rows 0 and 2 differ in their trials
  EXPECT_EQ(moe::merged_rows(data)->data.n(), 4u);
  data.X(4, 1) = 2.0;  // and rows 1 and 4 in x: every row distinct
  EXPECT_FALSE(moe::merged_rows(data).has_value());
  data.X(4, 1) = 1.0;
  data.group = {0, 1, 2, 3, 4};  // grouped rows stay as given
  EXPECT_FALSE(moe::merged_rows(data).has_value());
}

// EM from one start on the merged rows follows EM on the rows as given: the
// same log-likelihood at every iteration, the same stop and parameters.
TEST(MergedRows, EMOnTheMergedRowsIsEMOnTheRows) {
  const moe::Dataset data = tabulated_trials(3);
  const std::optional<moe::MergedRows> merged = moe::merged_rows(data);
  ASSERT_TRUE(merged.has_value());
  EXPECT_LE(merged->data.n(), 5u * 3u * 5u);  // x, trials and successes take at most 75 values together
  moe::EMOptions o;
  o.control.tol = 1e-12;
  o.control.max_iter = 300;
  const moe::EM em(o);
  moe::Rng rng(4);
  const moe::Model start = moe::starting_model(em, data, 2, moe::Family::binomial, false, moe::InitMethod::random, rng);
  const moe::Fit given = em.fit_from(data, start), on_merged = em.fit_from(merged->data, start);
  ASSERT_EQ(given.iterations, on_merged.iterations);
  for (std::size_t t = 0; t < given.trace.rows.size(); ++t)
    EXPECT_NEAR(on_merged.trace.rows[t].loglik, given.trace.rows[t].loglik, 1e-10 * std::abs(given.loglik)) << t;
  EXPECT_LT(arma::abs(on_merged.model.experts.coef - given.model.experts.coef).max(), 1e-8);
  EXPECT_LT(arma::abs(on_merged.model.gate.coef - given.model.gate.coef).max(), 1e-8);
  EXPECT_NEAR(on_merged.bic, given.bic, 1e-8 * std::abs(given.bic));  // n in BIC: the weights' sum
}

// The search runs EM on the merged rows and reports the log-likelihood of the
// rows as given.
TEST(MergedRows, TheSearchReportsTheLikelihoodOfTheRowsAsGiven) {
  const moe::Dataset data = tabulated_trials(5);
  moe::EMOptions o;
  o.control.starts = 6;
  const moe::Fit fit = moe::EM(o).fit(data, 2, moe::Family::binomial, false);
  EXPECT_NEAR(fit.loglik, moe::EM(o).fit_from(data, fit.model).trace.rows.front().loglik, 1e-9 * std::abs(fit.loglik));
}

}  // namespace
