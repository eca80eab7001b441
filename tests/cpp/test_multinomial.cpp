// Multinomial experts (multinomial.hpp): two levels are the logistic experts,
// the gradient, EM's climb to the truth, sampling, the model file, the
// standard errors and the errors for a bad categorical response.
#include <gtest/gtest.h>

#include <string>

#include "helpers.hpp"
#include "moe/init.hpp"
#include "moe/io.hpp"
#include "moe/matching.hpp"
#include "moe/methods.hpp"
#include "moe/mirror.hpp"
#include "moe/multinomial.hpp"
#include "moe/predictive.hpp"
#include "moe/standard_errors.hpp"

namespace {

using moe::testing::multinomial_truth;
using moe::testing::thrown_by;

// With levels 0 and 1 a multinomial expert is a logistic one: the same search
// on the same data ends at the same fit, through other code (the gate's
// Newton solver against IRLS).
TEST(Multinomial, TwoLevelsGiveTheLogisticFit) {
  const moe::Dataset data = moe::testing::draw(moe::testing::logistic_truth(), 800, 41);
  const moe::Method em = moe::make_method("em", moe::testing::tight_settings());
  const moe::Fit logistic = em.fit(data, 2, moe::Family::binomial, false);
  const moe::Fit multinomial = em.fit(data, 2, moe::Family::multinomial, false);
  EXPECT_NEAR(multinomial.loglik, logistic.loglik, 1e-7 * std::abs(logistic.loglik));
  EXPECT_EQ(multinomial.model.experts.levels, 2u);
  const moe::Model matched = moe::relabelled(multinomial.model, moe::matched_experts(multinomial.model, logistic.model));
  EXPECT_LT(arma::abs(matched.experts.coef - logistic.model.experts.coef).max(), 1e-4);
  EXPECT_NEAR(moe::log_likelihood(multinomial.model, data), multinomial.loglik, 1e-9 * std::abs(multinomial.loglik));
}

TEST(Multinomial, DensityIsTheSoftmaxAgainstLevelZero) {
  const moe::Model truth = multinomial_truth();
  const arma::mat X = {{1.0, 0.3}, {1.0, -2.0}};
  const arma::vec y = {2.0, 0.0};
  const arma::mat log_f = truth.experts.log_density(X, y);
  for (arma::uword k = 0; k < 2; ++k)
    for (arma::uword i = 0; i < 2; ++i) {
      const arma::mat B = arma::reshape(truth.experts.coef.col(k), 2, 2);
      const arma::rowvec eta = arma::join_horiz(arma::rowvec{0.0}, X.row(i) * B);
      EXPECT_NEAR(log_f(i, k), eta(static_cast<arma::uword>(y(i))) - std::log(arma::accu(arma::exp(eta))), 1e-13);
    }
  EXPECT_TRUE(arma::all(arma::vectorise(truth.experts.log_density(X, arma::vec{3.0, -1.0})) == -arma::datum::inf));
  const arma::cube P = moe::level_probabilities(truth.experts, X);
  EXPECT_LT(arma::abs(arma::sum(P.slice(1), 1) - 1.0).max(), 1e-14);
  EXPECT_NEAR(std::log(P(0, 2, 0)), log_f(0, 0), 1e-13);
}

TEST(Multinomial, GradientMatchesFiniteDifferences) {
  moe::Model model = multinomial_truth();
  const moe::Dataset data = moe::testing::draw(model, 400, 42);
  EXPECT_LT(moe::testing::gradient_error(model, data), 1e-6);
  model.experts.coef += 0.3;  // away from the truth, where the score is not small
  model.gate.coef(1, 0) -= 1.0;
  EXPECT_LT(moe::testing::gradient_error(model, data), 1e-6);
}

// EM never lowers ℓ, ends where the gradient vanishes and recovers the truth
// from its own samples; the standard errors name every level's coefficients.
TEST(Multinomial, EMClimbsToTheTruth) {
  const moe::Model truth = multinomial_truth();
  const moe::Dataset data = moe::testing::draw(truth, 4000, 43);
  const moe::Fit fit = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::multinomial, false);
  EXPECT_TRUE(fit.trace.decreases().empty());
  EXPECT_LT(arma::abs(moe::gradient(fit.model, data)).max(), 1e-3 * data.n());
  const moe::ParameterError error = moe::parameter_error(fit.model, truth);
  EXPECT_LT(error.experts, 0.35);
  EXPECT_LT(error.gate, 0.5);
  const moe::StandardErrors se = moe::standard_errors(fit.model, data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_EQ(se.parameters.size(), 2u + 8u);
  EXPECT_EQ(se.parameters.back(), "expert2.2:x2");
  EXPECT_TRUE(se.experts.is_finite());
}

TEST(Multinomial, EveryGradientMethodClimbsAndMirrorDescentRefuses) {
  const moe::Dataset data = moe::testing::draw(multinomial_truth(), 500, 44);
  for (const std::string method : {"gem", "squarem", "gd"}) {
    const moe::Fit fit = moe::make_method(method, moe::testing::tight_settings()).fit(data, 2, moe::Family::multinomial, false);
    EXPECT_TRUE(std::isfinite(fit.loglik)) << method;
    EXPECT_GT(fit.loglik, moe::log_likelihood(moe::testing::multinomial_truth(), data) - 10.0) << method;
  }
  EXPECT_NE(thrown_by([&] { moe::make_method("mirror:0.5", moe::testing::tight_settings()).fit(data, 2, moe::Family::multinomial, false); })
                .find("level probabilities"),
            std::string::npos);
}

// k-means sees a categorical response as its levels' indicators: numbering
// the levels otherwise gives the same starts.
TEST(Multinomial, KMeansStartsDoNotDependOnHowTheLevelsAreNumbered) {
  const moe::Dataset data = moe::testing::draw(multinomial_truth(), 300, 47);
  moe::Dataset renumbered = data;
  const arma::vec number_of = {2.0, 0.0, 1.0};
  for (arma::uword i = 0; i < data.n(); ++i) renumbered.y(i) = number_of(static_cast<arma::uword>(data.y(i)));
  moe::Rng a(5), b(5);
  EXPECT_TRUE(arma::approx_equal(moe::kmeans_responsibilities(data, 2, a, moe::Family::multinomial),
                                 moe::kmeans_responsibilities(renumbered, 2, b, moe::Family::multinomial), "absdiff",
                                 1e-12));
}

TEST(Multinomial, ModelFileKeepsTheLevelNames) {
  moe::Specification spec;
  spec.x = {"x2"};
  spec.z = {"z2"};
  spec.levels = {"low", "mid", "high"};
  const moe::SavedModel saved = moe::parse_model(moe::model_json(multinomial_truth(), spec));
  EXPECT_EQ(saved.spec.levels, spec.levels);
  EXPECT_EQ(saved.model.experts.levels, 3u);
  EXPECT_TRUE(arma::approx_equal(saved.model.experts.coef, multinomial_truth().experts.coef, "absdiff", 0.0));
}

TEST(Multinomial, PredictionsAreTheLevelsProbabilitiesAndThereIsNoDistributionFunction) {
  const moe::Model truth = multinomial_truth();
  const moe::Dataset data = moe::testing::draw(truth, 50, 45);
  const moe::Prediction p = moe::predict(truth, data.X, data.Z);
  EXPECT_EQ(p.levels.n_cols, 3u);
  EXPECT_LT(arma::abs(arma::sum(p.levels, 1) - 1.0).max(), 1e-14);
  EXPECT_TRUE(p.mean.is_empty());
  EXPECT_NE(thrown_by([&] { moe::predictive_cdf(truth, data.X, data.Z, data.y); }).find("no distribution function"),
            std::string::npos);
}

TEST(Multinomial, BadResponsesAreRefusedClearly) {
  moe::Dataset data = moe::testing::draw(multinomial_truth(), 300, 46);
  const auto message = [](const moe::Dataset& d) { return thrown_by([&] { moe::validate(d, moe::Family::multinomial, 2); }); };
  moe::Dataset one = data;
  one.y.zeros();
  EXPECT_NE(message(one).find("one level"), std::string::npos);
  moe::Dataset gap = data;
  gap.y.replace(1.0, 0.0);
  EXPECT_NE(message(gap).find("level 1 of the response has no rows"), std::string::npos);
  moe::Dataset fraction = data;
  fraction.y(3) = 0.5;
  EXPECT_NE(message(fraction).find("a whole number"), std::string::npos);
  moe::Dataset offset = data;
  offset.offset = arma::zeros(data.n());
  EXPECT_NE(message(offset).find("offsets are not for multinomial"), std::string::npos);
  arma::uvec three_of_each;  // 9 rows for 2 · 4 expert and 2 gate parameters
  for (double c = 0.0; c < 3.0; c += 1.0) three_of_each = arma::join_vert(three_of_each, arma::find(data.y == c, 3));
  EXPECT_NE(message(moe::rows_of(data, three_of_each)).find("too few"), std::string::npos);
}

}  // namespace
