// Coefficients shared across experts (flexmix's FLXMRglmfix `fixed`): a row of
// the experts' coefficients that holds one value for every expert.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/io.hpp"
#include "moe/methods.hpp"
#include "moe/standard_errors.hpp"

namespace {

// Two experts on an intercept and x1 of their own and a shared slope on x2.
moe::Model shared_truth(moe::Family family) {
  const arma::mat experts = family == moe::Family::gaussian ? arma::mat{{-3.0, 3.0}, {1.0, -1.0}, {0.8, 0.8}}
                                                            : arma::mat{{-1.5, 1.5}, {1.0, -1.0}, {0.6, 0.6}};
  moe::Model m = moe::testing::make_model(family, {{0.5, 0.0}, {2.0, 0.0}}, experts,
                                          family == moe::Family::gaussian ? arma::vec{0.5, 0.8} : arma::vec());
  m.experts.shared = {2};
  return m;
}

moe::Dataset shared_data(const moe::Model& truth, arma::uword n, std::uint64_t seed) {
  moe::Dataset data = moe::testing::draw(truth, n, seed);
  data.shared_columns = truth.experts.shared;
  return data;
}

class Shared : public ::testing::TestWithParam<moe::Family> {};

TEST_P(Shared, ASharedRowCountsOnceInTheParameters) {
  const moe::Model truth = shared_truth(GetParam());
  EXPECT_EQ(truth.experts.n_coefficients(), 5u);
  EXPECT_EQ(moe::pack(truth).n_elem, truth.n_free());
  const moe::Model back = moe::unpack(truth, moe::pack(truth));
  EXPECT_TRUE(arma::approx_equal(back.experts.coef, truth.experts.coef, "absdiff", 1e-15));
}

TEST_P(Shared, GradientMatchesFiniteDifferences) {
  const moe::Model truth = shared_truth(GetParam());
  const moe::Dataset data = shared_data(truth, 300, 91);
  moe::Model at = truth;
  at.experts.coef += 0.2;  // the shared row stays one value
  at.gate.coef(0, 0) -= 0.3;
  EXPECT_LT(moe::testing::gradient_error(at, data), 1e-5);
}

TEST_P(Shared, EMKeepsTheRowSharedNeverLowersTheLikelihoodAndRecoversTheTruth) {
  const moe::Model truth = shared_truth(GetParam());
  const moe::Dataset data = shared_data(truth, 4000, 92);
  const moe::Fit fit = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, GetParam(), false);
  const arma::rowvec row = fit.model.experts.coef.row(2);
  EXPECT_EQ(row(0), row(1));
  EXPECT_NEAR(row(0), truth.experts.coef(2, 0), 0.08);
  for (std::size_t t = 1; t < fit.trace.rows.size(); ++t)
    EXPECT_GE(fit.trace.rows[t].loglik, fit.trace.rows[t - 1].loglik - 1e-8 * std::abs(fit.trace.rows[t - 1].loglik));
  const moe::StandardErrors se = moe::standard_errors(fit.model, data);
  ASSERT_TRUE(se.valid);
  EXPECT_EQ(se.experts(2, 0), se.experts(2, 1));
  EXPECT_EQ(se.parameters.size(), fit.model.n_free());
  for (const std::string method : {"gd", "mirror:0.5"}) {
    SCOPED_TRACE(method);
    const moe::Fit other = moe::make_method(method, moe::testing::tight_settings()).fit_from(data, fit.model);
    EXPECT_NEAR(other.loglik, fit.loglik, 1e-6 * std::abs(fit.loglik));
    EXPECT_EQ(other.model.experts.coef(2, 0), other.model.experts.coef(2, 1));
  }
}

INSTANTIATE_TEST_SUITE_P(Families, Shared,
                         ::testing::Values(moe::Family::gaussian, moe::Family::binomial, moe::Family::poisson),
                         [](const auto& info) { return moe::to_string(info.param); });

TEST(SharedColumns, EveryColumnSharedIsRefused) {
  moe::Dataset data = shared_data(shared_truth(moe::Family::poisson), 200, 93);
  data.shared_columns = {0, 1, 2};
  EXPECT_THROW(moe::validate(data, moe::Family::poisson, 2), std::invalid_argument);
  data.shared_columns = {3};
  EXPECT_THROW(moe::validate(data, moe::Family::poisson, 2), std::invalid_argument);
}

TEST(SharedColumns, AStartWhoseSharedRowsAreNotTheDatasIsRefused) {
  moe::Model start = shared_truth(moe::Family::poisson);
  moe::Dataset data = shared_data(start, 200, 94);
  EXPECT_NO_THROW(moe::EM().fit_from(data, start));
  data.shared_columns.reset();
  EXPECT_THROW(moe::EM().fit_from(data, start), std::invalid_argument);
}

TEST(SharedColumns, TheModelFileKeepsTheFixedCovariatesAfterTheOthers) {
  const moe::Model truth = shared_truth(moe::Family::poisson);
  const moe::Specification spec{"y", {"x1"}, {"z1"}, true, "", "", {"x2"}};
  EXPECT_EQ(moe::expert_covariates(spec), (std::vector<std::string>{"x1", "x2"}));
  const moe::SavedModel back = moe::parse_model(moe::model_json(truth, spec));
  EXPECT_EQ(back.spec.x_fixed, spec.x_fixed);
  EXPECT_TRUE(arma::all(back.model.experts.shared == truth.experts.shared));
  EXPECT_EQ(back.model.n_free(), truth.n_free());
  moe::Specification both = spec;
  both.x = {"x1", "x2"};
  EXPECT_THROW(moe::dataset_from(moe::Table{}, both, true), std::invalid_argument);
}

}  // namespace
