// Grouped rows (Dataset::group): all rows of a group belong to one expert, the
// posterior is per group, r_gk ∝ π_k(z_g) ∏_{i∈g} f_k(y_i | x_i).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/grouping.hpp"
#include "moe/matching.hpp"
#include "moe/methods.hpp"
#include "moe/selection.hpp"

namespace {

using moe::testing::gradient_error;

// G groups of `size` rows: the gate's covariates drawn once per group, the
// experts' per row, y drawn with one expert per group.
moe::Dataset grouped_draw(const moe::Model& truth, arma::uword G, arma::uword size, std::uint64_t seed) {
  moe::Rng rng(seed);
  const arma::uword n = G * size;
  moe::Dataset data;
  data.group.set_size(n);
  for (arma::uword i = 0; i < n; ++i) data.group(i) = i / size;
  data.X = moe::testing::random_design(n, truth.experts.coef.n_rows - 1, rng);
  const arma::mat group_Z = moe::testing::random_design(G, truth.gate.coef.n_rows - 1, rng);
  data.Z = group_Z.rows(data.group);
  data.y = moe::sample(truth, data.X, data.Z, rng, nullptr, {}, {}, data.group);
  return data;
}

// ℓ = Σ_g log Σ_k π_k(z_g) ∏_{i∈g} f_k(y_i), written out.
double grouped_loglik_by_hand(const moe::Model& model, const moe::Dataset& data) {
  const arma::mat log_gate = model.gate.log_probs(data.Z);
  const arma::mat log_f = model.experts.log_density(data.X, data.y);
  double total = 0.0;
  for (arma::uword g = 0; g < data.n_groups(); ++g) {
    const arma::uvec rows = arma::find(data.group == g);
    arma::rowvec joint = log_gate.row(rows(0)) + arma::sum(log_f.rows(rows), 0);
    const double top = joint.max();
    total += top + std::log(arma::accu(arma::exp(joint - top)));
  }
  return total;
}

class Grouping : public ::testing::TestWithParam<moe::Model> {};

TEST_P(Grouping, TheLikelihoodPoolsEachGroupsRows) {
  const moe::Model truth = GetParam();
  const moe::Dataset data = grouped_draw(truth, 60, 4, 11);
  EXPECT_NEAR(moe::log_likelihood(truth, data), grouped_loglik_by_hand(truth, data),
              1e-10 * std::abs(grouped_loglik_by_hand(truth, data)));
  const arma::mat R = moe::responsibilities(truth, data);
  for (arma::uword i = 1; i < data.n(); ++i)
    if (data.group(i) == data.group(i - 1)) EXPECT_TRUE(arma::approx_equal(R.row(i), R.row(i - 1), "absdiff", 0.0));
}

TEST_P(Grouping, TheGradientMatchesFiniteDifferences) {
  const moe::Model truth = GetParam();
  moe::Model at = truth;
  at.experts.coef += 0.2;
  at.gate.coef.head_cols(truth.K() - 1) -= 0.3;
  EXPECT_LT(gradient_error(at, grouped_draw(truth, 40, 3, 12)), 1e-6);
}

TEST_P(Grouping, EMNeverGoesDownAndRecoversTheTruth) {
  const moe::Model truth = GetParam();
  const moe::Dataset data = grouped_draw(truth, 600, 5, 13);
  moe::MethodSettings settings = moe::testing::tight_settings();
  settings.control.starts = 5;
  const moe::Fit fit = moe::make_method("em", settings).fit(data, truth.K(), truth.experts.family, false);
  EXPECT_TRUE(fit.trace.decreases().empty());
  EXPECT_GE(fit.loglik, moe::log_likelihood(truth, data) - 1e-6);
  const moe::ParameterError err = moe::parameter_error(fit.model, truth);
  EXPECT_LT(err.experts, 0.3);
  EXPECT_LT(err.gate, 1.0);
  for (const std::string method : {"gd", "mirror:0.5", "squarem"}) {
    moe::MethodSettings from = settings;
    from.control.max_iter = 20000;
    const moe::Fit other = moe::make_method(method, from).fit_from(data, fit.model);
    EXPECT_NEAR(other.loglik, fit.loglik, 1e-6 * std::abs(fit.loglik)) << method;
  }
}

INSTANTIATE_TEST_SUITE_P(Families, Grouping,
                         ::testing::Values(moe::testing::gaussian_truth(), moe::testing::logistic_truth(),
                                           moe::testing::poisson_truth()),
                         [](const auto& info) { return moe::to_string(info.param.experts.family); });

TEST(GroupingEdges, GroupsOfOneRowAreTheUngroupedModel) {
  const moe::Model truth = moe::testing::poisson_truth();
  moe::Dataset grouped = grouped_draw(truth, 300, 1, 14);
  moe::Dataset plain = grouped;
  plain.group.reset();
  EXPECT_NEAR(moe::log_likelihood(truth, grouped), moe::log_likelihood(truth, plain), 1e-9);
  EXPECT_TRUE(arma::approx_equal(moe::gradient(truth, grouped), moe::gradient(truth, plain), "absdiff", 1e-9));
  const moe::Fit a = moe::EM().fit(grouped, 2, moe::Family::poisson, false);
  const moe::Fit b = moe::EM().fit(plain, 2, moe::Family::poisson, false);
  EXPECT_NEAR(a.loglik, b.loglik, 1e-6 * std::abs(b.loglik));
}

TEST(GroupingEdges, ICLCountsEachGroupsEntropyOnce) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = grouped_draw(truth, 100, 4, 15);
  const moe::Fit fit = moe::EM().fit_from(data, truth);
  const arma::mat R = moe::responsibilities(fit.model, data);
  double entropy = 0.0;
  for (arma::uword i = 0; i < data.n(); i += 4) entropy += std::log(R.row(i).max());
  EXPECT_NEAR(moe::icl(fit, data), fit.bic - 2.0 * entropy, 1e-9 * std::abs(fit.bic));
}

TEST(GroupingEdges, SamplingDrawsOneExpertPerGroup) {
  const moe::Model truth = moe::testing::gaussian_truth();
  moe::Dataset data = grouped_draw(truth, 200, 5, 16);
  moe::Rng rng(17);
  arma::uvec labels;
  moe::sample(truth, data.X, data.Z, rng, &labels, {}, {}, data.group);
  for (arma::uword i = 1; i < data.n(); ++i)
    if (data.group(i) == data.group(i - 1)) EXPECT_EQ(labels(i), labels(i - 1));
  EXPECT_GT(arma::uvec(arma::unique(labels)).n_elem, 1u);
}

TEST(GroupingEdges, BadGroupsAreRefusedWithTheirNames) {
  const moe::Model truth = moe::testing::logistic_truth();
  moe::Dataset data = grouped_draw(truth, 50, 2, 18);
  data.group_names.assign(50, "");
  for (arma::uword g = 0; g < 50; ++g) data.group_names[g] = "centre" + std::to_string(g + 1);
  EXPECT_NO_THROW(moe::validate(data, moe::Family::binomial, 2));
  moe::Dataset varying = data;
  varying.Z(7, 1) += 1.0;  // row 8, in group 4
  try {
    moe::validate(varying, moe::Family::binomial, 2);
    ADD_FAILURE() << "a varying gate within a group was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("vary within group 'centre4' (rows 7 and 8)"), std::string::npos) << e.what();
  }
  moe::Dataset weighted = data;
  weighted.weights = arma::ones(data.n());
  EXPECT_THROW(moe::validate(weighted, moe::Family::binomial, 2), std::invalid_argument);
  moe::Dataset gap = data;
  gap.group.elem(arma::find(gap.group == 3)).fill(60);
  EXPECT_THROW(moe::validate(gap, moe::Family::binomial, 2), std::invalid_argument);
  EXPECT_THROW(moe::validate(data, moe::Family::binomial, 51), std::invalid_argument);
  moe::MethodSettings batches;
  batches.batch_size = 10;
  EXPECT_THROW(moe::make_method("gd", batches).fit_from(data, truth), std::invalid_argument);
}

}  // namespace
