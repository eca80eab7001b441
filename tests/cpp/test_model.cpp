#include <gtest/gtest.h>

#include <cmath>

#include "helpers.hpp"
#include "moe/model.hpp"

namespace {

using moe::testing::draw;


// A point away from the truth, so that no gradient component is trivially 0.
moe::Model perturbed(moe::Model m) {
  m.experts.coef += 0.3;
  m.gate.coef.head_cols(m.K() - 1) -= 0.2;
  if (m.experts.family == moe::Family::gaussian) m.experts.sigma *= 1.3;
  return m;
}

void expect_gradient_matches(const moe::Model& truth, arma::uword n) {
  const moe::Dataset data = draw(truth, n, 11);
  const moe::Model at = perturbed(truth);
  const arma::vec analytic = moe::gradient(at, data);
  const arma::vec numeric =
      moe::testing::numeric_gradient(at, [&](const moe::Model& m) { return moe::log_likelihood(m, data); });
  ASSERT_EQ(analytic.n_elem, at.n_free());
  EXPECT_LT(arma::abs(analytic - numeric).max(), 1e-5 * (1.0 + arma::abs(numeric).max()))
      << "analytic\n" << analytic.t() << "numeric\n" << numeric.t();
}

TEST(Model, GradientMatchesFiniteDifferencesGaussian) {
  expect_gradient_matches(moe::testing::gaussian_truth(), 300);
}

TEST(Model, GradientMatchesFiniteDifferencesCommonSigma) {
  moe::Model truth = moe::testing::gaussian_truth();
  truth.experts.common_sigma = true;
  truth.experts.sigma.fill(0.8);
  expect_gradient_matches(truth, 300);
}

TEST(Model, GradientMatchesFiniteDifferencesLogistic) {
  expect_gradient_matches(moe::testing::logistic_truth(), 300);
}

TEST(Model, GradientMatchesFiniteDifferencesPoisson) {
  expect_gradient_matches(moe::testing::poisson_truth(), 300);
}

TEST(Model, GradientMatchesFiniteDifferencesSingleExpert) {
  moe::Model truth = moe::testing::make_model(moe::Family::gaussian, arma::zeros(1, 1),
                                              arma::mat(arma::vec{1.0, 2.0}), arma::vec{0.5});
  expect_gradient_matches(truth, 100);
}

TEST(Model, LogLikelihoodEqualsDirectSum) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = draw(truth, 50, 5);
  double direct = 0.0;
  for (arma::uword i = 0; i < data.n(); ++i) {
    const arma::rowvec eta = data.Z.row(i) * truth.gate.coef;
    const arma::rowvec pi = arma::exp(eta) / arma::accu(arma::exp(eta));
    double density = 0.0;
    for (arma::uword k = 0; k < truth.K(); ++k) {
      const double s = truth.experts.sigma(k);
      const double r = data.y(i) - arma::dot(data.X.row(i), truth.experts.coef.col(k));
      density += pi(k) * std::exp(-0.5 * r * r / (s * s)) / (s * std::sqrt(2.0 * M_PI));
    }
    direct += std::log(density);
  }
  EXPECT_NEAR(moe::log_likelihood(truth, data), direct, 1e-9 * std::abs(direct));
}

TEST(Model, LogisticLogLikelihoodIsFiniteForExtremeLinearPredictors) {
  const moe::Model m = moe::testing::make_model(moe::Family::binomial, arma::zeros(1, 1),
                                                arma::mat(1, 1, arma::fill::value(800.0)));
  moe::Dataset data{arma::vec{1.0, 0.0}, arma::ones(2, 1), arma::ones(2, 1), {}, {}};
  EXPECT_NEAR(moe::log_likelihood(m, data), -800.0, 1e-9);  // log(1) + log(1 − sigmoid(800))
}

TEST(Model, PackUnpackRoundTrip) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Model back = moe::unpack(truth, moe::pack(truth));
  EXPECT_LT(arma::abs(back.experts.coef - truth.experts.coef).max(), 1e-15);
  EXPECT_LT(arma::abs(back.gate.coef - truth.gate.coef).max(), 1e-15);
  EXPECT_LT(arma::abs(back.experts.sigma - truth.experts.sigma).max(), 1e-15);
}

TEST(Model, ResponsibilitiesAreNormalizedPosteriors) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = draw(truth, 200, 6);
  double loglik = 0.0;
  const arma::mat R = moe::responsibilities(truth, data, &loglik);
  EXPECT_LT(arma::abs(arma::sum(R, 1) - 1.0).max(), 1e-12);
  EXPECT_NEAR(loglik, moe::log_likelihood(truth, data), 1e-9);
}

TEST(Model, PredictionIsGateWeightedExpertMean) {
  const moe::Model truth = moe::testing::logistic_truth();
  const moe::Dataset data = draw(truth, 40, 7);
  const moe::Prediction p = moe::predict(truth, data.X, data.Z);
  EXPECT_LT(arma::abs(arma::sum(p.gate, 1) - 1.0).max(), 1e-12);
  EXPECT_LT(arma::abs(p.mean - arma::sum(p.gate % p.experts, 1)).max(), 1e-15);
  EXPECT_TRUE(arma::all(p.mean > 0.0 && p.mean < 1.0));
  EXPECT_THROW(moe::predict(truth, data.X.cols(0, 0), data.Z), std::invalid_argument);
}

TEST(Model, SampleFollowsGateAndExperts) {
  const moe::Model truth = moe::testing::gaussian_truth();
  moe::Rng rng(8);
  const arma::uword n = 40000;
  const arma::mat X = moe::testing::random_design(n, 1, rng), Z = moe::testing::random_design(n, 1, rng);
  arma::uvec labels;
  const arma::vec y = moe::sample(truth, X, Z, rng, &labels);
  const moe::Prediction p = moe::predict(truth, X, Z);
  for (arma::uword k = 0; k < truth.K(); ++k) {
    const arma::uvec members = arma::find(labels == k);
    // class frequencies match the mean gate probability (4 standard errors)
    EXPECT_NEAR(members.n_elem / double(n), arma::mean(p.gate.col(k)), 4 * std::sqrt(0.25 / n));
    const arma::vec resid = y.elem(members) - X.rows(members) * truth.experts.coef.col(k);
    EXPECT_NEAR(arma::stddev(resid), truth.experts.sigma(k), 0.03);
  }
}

}  // namespace

namespace {

TEST(Model, MissingResponseGivesMissingPosteriorForEveryFamily) {
  for (const moe::Model& truth : moe::testing::truth_of_every_family()) {
    moe::Dataset data = moe::testing::draw(truth, 20, 3);
    data.y(4) = arma::datum::nan;
    const arma::mat R = moe::responsibilities(truth, data);
    EXPECT_TRUE(R.row(4).has_nan());
    EXPECT_TRUE(R.row(3).is_finite());
  }
}

}  // namespace

namespace {

// The message validate_model() throws for `model`, or "" when it accepts it.
std::string model_error(const moe::Model& model) {
  try {
    moe::validate_model(model, "test");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Model, ValidateModelRefusesMalformedModelsAndSaysWhy) {
  const moe::Model good = moe::testing::gaussian_truth();
  EXPECT_EQ(model_error(good), "");
  EXPECT_EQ(model_error(moe::testing::logistic_truth()), "");
  auto broken = [&](auto change) {
    moe::Model m = good;
    change(m);
    return model_error(m);
  };
  EXPECT_NE(broken([](moe::Model& m) { m.experts.coef.shed_col(0); }).find("one column per expert (2 and 3)"),
            std::string::npos);
  EXPECT_NE(broken([](moe::Model& m) { m.gate.coef(0, 2) = 0.5; }).find("last gate column is the reference"),
            std::string::npos);
  EXPECT_NE(broken([](moe::Model& m) { m.experts.coef(1, 1) = NAN; }).find("must be finite"), std::string::npos);
  EXPECT_NE(broken([](moe::Model& m) { m.experts.sigma(2) = 0.0; }).find("K = 3 positive finite"),
            std::string::npos);
  EXPECT_NE(broken([](moe::Model& m) { m.experts.sigma.resize(2); }).find("K = 3 positive finite"),
            std::string::npos);
  EXPECT_NE(broken([](moe::Model& m) { m.experts.common_sigma = true; }).find("all K values of sigma must be equal"),
            std::string::npos);
  moe::Model common = good;
  common.experts.common_sigma = true;
  common.experts.sigma.fill(0.7);
  EXPECT_EQ(model_error(common), "");
}
