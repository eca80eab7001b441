// Point-mass experts (point_mass.hpp): a zero-inflated Poisson is K = 2 with
// the last expert a point mass at 0. Checked against the ZIP likelihood written
// out here on its own (pscl's zeroinfl parametrization), by finite differences,
// by recovery of known parameters and by gradient ascent on ℓ, a direct
// maximization that reaches EM's maximum.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/io.hpp"
#include "moe/methods.hpp"
#include "moe/point_mass.hpp"
#include "moe/predictive.hpp"
#include "moe/standard_errors.hpp"

namespace {

// Poisson counts with log mean 1.2 + 0.5 x, and a zero state whose logit is
// −(0.3 + 1.5 z): the gate's expert 1 is the Poisson one, expert 2 the zeros.
moe::Model zip_truth() {
  moe::Model m = moe::testing::make_model(moe::Family::poisson, {{0.3, 0.0}, {1.5, 0.0}}, {{1.2, 0.0}, {0.5, 0.0}});
  m.experts.point_mass = 0.0;
  return m;
}

moe::Model zinb_truth() {
  moe::Model m = zip_truth();
  m.experts.family = moe::Family::negbin;
  m.experts.shape = {3.0, 1.0};
  return m;
}

moe::Dataset zero_inflated(const moe::Model& truth, arma::uword n, std::uint64_t seed) {
  moe::Dataset data = moe::testing::draw(truth, n, seed);
  data.point_mass = 0.0;
  return data;
}

// Σ_i log P(y_i) of the ZIP with count coefficients β and zero-state logit
// coefficients γ, as pscl::zeroinfl writes it.
double zip_loglik(const moe::Dataset& data, const arma::vec& beta, const arma::vec& gamma) {
  const arma::vec mu = arma::exp(data.X * beta), zero = 1.0 / (1.0 + arma::exp(-data.Z * gamma));
  double total = 0.0;
  for (arma::uword i = 0; i < data.n(); ++i) {
    const double count = std::exp(data.y(i) * std::log(mu(i)) - mu(i) - std::lgamma(data.y(i) + 1.0));
    total += std::log((1.0 - zero(i)) * count + (data.y(i) == 0.0 ? zero(i) : 0.0));
  }
  return total;
}

double zip_loglik(const moe::Dataset& data, const moe::Model& m) {
  return zip_loglik(data, m.experts.coef.col(0), -m.gate.coef.col(0));
}

TEST(PointMass, LogLikelihoodIsTheZeroInflatedPoissons) {
  const moe::Dataset data = zero_inflated(zip_truth(), 400, 1);
  moe::Model at = zip_truth();
  for (const double shift : {0.0, 0.4, -0.7}) {
    at.experts.coef.col(0) += shift;
    at.gate.coef.col(0) -= shift;
    EXPECT_NEAR(moe::log_likelihood(at, data), zip_loglik(data, at), 1e-9 * std::abs(zip_loglik(data, at)));
  }
}

TEST(PointMass, HasNoParametersOfItsOwn) {
  const moe::Model truth = zip_truth();
  EXPECT_EQ(truth.n_free(), 4u);  // the gate's 2 and the Poisson expert's 2
  const arma::vec theta = moe::pack(truth);
  EXPECT_EQ(theta.n_elem, 4u);
  const moe::Model back = moe::unpack(truth, theta + 0.25);
  EXPECT_TRUE(arma::approx_equal(back.experts.coef.col(0), truth.experts.coef.col(0) + 0.25, "absdiff", 1e-15));
  EXPECT_TRUE(arma::all(back.experts.coef.col(1) == 0.0));
  EXPECT_EQ(*back.experts.point_mass, 0.0);
  moe::Model zinb = zinb_truth();
  EXPECT_EQ(zinb.n_free(), 5u);  // and the negative binomial's size
  EXPECT_EQ(moe::unpack(zinb, moe::pack(zinb)).experts.shape(1), 1.0);
}

TEST(PointMass, GradientMatchesFiniteDifferences) {
  for (const moe::Model& truth : {zip_truth(), zinb_truth()}) {
    SCOPED_TRACE(moe::to_string(truth.experts.family));
    const moe::Dataset data = zero_inflated(truth, 300, 2);
    moe::Model at = truth;
    at.experts.coef.col(0) += 0.2;
    at.gate.coef(0, 0) -= 0.3;
    EXPECT_LT(moe::testing::gradient_error(at, data), 1e-6);
  }
}

// Zero-inflated binomial counts out of m trials.
TEST(PointMass, BinomialWithTrialsHasTheRightLikelihoodAndGradient) {
  moe::Model truth = moe::testing::make_model(moe::Family::binomial, {{0.5, 0.0}, {1.0, 0.0}}, {{-0.3, 0.0}, {0.8, 0.0}});
  truth.experts.point_mass = 0.0;
  moe::Rng rng(3);
  moe::Dataset data;
  data.X = moe::testing::random_design(300, 1, rng);
  data.Z = moe::testing::random_design(300, 1, rng);
  data.trials = arma::floor(1.0 + 8.0 * arma::randu(300, arma::distr_param(0.0, 1.0)));
  data.y = moe::sample(truth, data.X, data.Z, rng, nullptr, {}, data.trials);
  data.point_mass = 0.0;
  const arma::vec p = 1.0 / (1.0 + arma::exp(-data.X * truth.experts.coef.col(0)));
  const arma::vec count_state = 1.0 / (1.0 + arma::exp(-data.Z * truth.gate.coef.col(0)));
  double direct = 0.0;
  for (arma::uword i = 0; i < data.n(); ++i) {
    const double m = data.trials(i), y = data.y(i);
    const double log_binomial = std::lgamma(m + 1) - std::lgamma(y + 1) - std::lgamma(m - y + 1) + y * std::log(p(i)) +
                                (m - y) * std::log1p(-p(i));
    direct += std::log(count_state(i) * std::exp(log_binomial) + (y == 0.0 ? 1.0 - count_state(i) : 0.0));
  }
  EXPECT_NEAR(moe::log_likelihood(truth, data), direct, 1e-9 * std::abs(direct));
  moe::Model at = truth;
  at.experts.coef.col(0) -= 0.2;
  EXPECT_LT(moe::testing::gradient_error(at, data), 1e-6);
}

// A group belongs to the point mass only when all its responses are the value.
TEST(PointMass, GroupedLikelihoodMultipliesWithinAGroup) {
  moe::Dataset data = zero_inflated(zip_truth(), 120, 4);
  data.group = arma::regspace<arma::uvec>(0, 119) / 3;
  data.Z = arma::ones(120, 1);
  moe::Model at = zip_truth();
  at.gate.coef = {{0.4, 0.0}};
  const double count_state = 1.0 / (1.0 + std::exp(-0.4));
  const arma::vec mu_log = data.X * at.experts.coef.col(0);
  double direct = 0.0;
  for (arma::uword g = 0; g < 40; ++g) {
    double count = 0.0;
    bool zeros = true;
    for (arma::uword i = 3 * g; i < 3 * g + 3; ++i) {
      count += data.y(i) * mu_log(i) - std::exp(mu_log(i)) - std::lgamma(data.y(i) + 1.0);
      zeros = zeros && data.y(i) == 0.0;
    }
    direct += std::log(count_state * std::exp(count) + (zeros ? 1.0 - count_state : 0.0));
  }
  EXPECT_NEAR(moe::log_likelihood(at, data), direct, 1e-9 * std::abs(direct));
}

// EM climbs monotonely to the truth (each coefficient within 4 standard
// errors), its maximum is a stationary point of the ZIP likelihood written
// out above, and gradient ascent on ℓ (a direct maximization) and the other
// methods reach the same ℓ.
TEST(PointMass, EMFindsTheZeroInflatedPoissonsMaximum) {
  const moe::Model truth = zip_truth();
  const moe::Dataset data = zero_inflated(truth, 4000, 5);
  const moe::Fit em = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::poisson, false);
  ASSERT_TRUE(em.model.experts.point_mass.has_value());
  for (std::size_t t = 1; t < em.trace.rows.size(); ++t)
    EXPECT_GE(em.trace.rows[t].delta, -1e-10 * (1.0 + std::abs(em.trace.rows[t].loglik))) << "iteration " << t;
  const moe::StandardErrors se = moe::standard_errors(em.model, data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_EQ(se.parameters.size(), 4u);
  EXPECT_TRUE(se.experts.col(1).has_nan());
  for (arma::uword j = 0; j < 2; ++j) {
    EXPECT_LT(std::abs(em.model.experts.coef(j, 0) - truth.experts.coef(j, 0)), 4.0 * se.experts(j, 0)) << j;
    EXPECT_LT(std::abs(em.model.gate.coef(j, 0) - truth.gate.coef(j, 0)), 4.0 * se.gate(j, 0)) << j;
  }
  EXPECT_NEAR(em.loglik, zip_loglik(data, em.model), 1e-9 * std::abs(em.loglik));
  const arma::vec beta = em.model.experts.coef.col(0), gamma = -em.model.gate.coef.col(0);
  for (arma::uword j = 0; j < 2; ++j) {
    const double h = 1e-4;  // round-off of ℓ ≈ −7000 over 2h: about 1e-4
    arma::vec e(2, arma::fill::zeros);
    e(j) = h;
    EXPECT_NEAR((zip_loglik(data, beta + e, gamma) - zip_loglik(data, beta - e, gamma)) / (2 * h), 0.0, 1e-2) << j;
    EXPECT_NEAR((zip_loglik(data, beta, gamma + e) - zip_loglik(data, beta, gamma - e)) / (2 * h), 0.0, 1e-2) << j;
  }
  for (const std::string method : {"gd", "gem", "squarem", "mirror:0.5"}) {
    SCOPED_TRACE(method);
    moe::Model start = truth;
    start.experts.coef(0, 0) += 0.5;
    const moe::Fit other = moe::make_method(method, moe::testing::tight_settings()).fit_from(data, start);
    EXPECT_NEAR(other.loglik, em.loglik, 1e-7 * std::abs(em.loglik));
    EXPECT_TRUE(other.model.experts.point_mass.has_value());
  }
}

// Two Poisson experts that share a slope, beside a point mass at 0: the
// shared row is one parameter, the joint M-step leaves the point mass out.
TEST(PointMass, SharedCoefficientsLeaveThePointMassOut) {
  moe::Model truth = moe::testing::make_model(moe::Family::poisson, {{0.5, -0.3, 0.0}, {1.0, 0.5, 0.0}},
                                              {{2.0, 0.3, 0.0}, {0.4, 0.4, 0.0}});
  truth.experts.point_mass = 0.0;
  truth.experts.shared = {1};
  truth.experts.coef(1, 2) = 0.4;  // a shared row holds its value in every column
  moe::Dataset data = zero_inflated(truth, 3000, 10);
  data.shared_columns = {1};
  EXPECT_EQ(truth.n_free(), 4u + 3u);  // gate 2 × 2; intercepts 2 and one shared slope
  moe::Model at = truth;
  at.experts.coef(0, 0) += 0.2;
  EXPECT_LT(moe::testing::gradient_error(at, data), 1e-6);
  const moe::Fit em = moe::make_method("em", moe::testing::tight_settings()).fit(data, 3, moe::Family::poisson, false);
  EXPECT_NEAR(em.model.experts.coef(1, 0), em.model.experts.coef(1, 1), 1e-12);
  EXPECT_NEAR(em.model.experts.coef(1, 0), 0.4, 0.05);
  const moe::Fit gd = moe::make_method("gd", moe::testing::tight_settings()).fit_from(data, em.model);
  EXPECT_NEAR(gd.loglik, em.loglik, 1e-7 * std::abs(em.loglik));
}

TEST(PointMass, ZeroInflatedNegbinRecoversItsSize) {
  const moe::Model truth = zinb_truth();
  const moe::Dataset data = zero_inflated(truth, 4000, 6);
  const moe::Fit em = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::negbin, false);
  const moe::StandardErrors se = moe::standard_errors(em.model, data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_EQ(se.parameters.back(), "log_theta.expert1");
  EXPECT_LT(std::abs(std::log(em.model.experts.shape(0) / 3.0)), 4.0 * se.shape(0) / em.model.experts.shape(0));
  const moe::Fit gd = moe::make_method("gd", moe::testing::tight_settings()).fit_from(data, truth);
  EXPECT_NEAR(gd.loglik, em.loglik, 1e-7 * std::abs(em.loglik));
}

TEST(PointMass, DrawsAndPredictiveLawPutItsShareAtTheValue) {
  const moe::Model truth = zip_truth();
  const moe::Dataset data = zero_inflated(truth, 20000, 7);
  const moe::Prediction p = moe::predict(truth, data.X, data.Z);
  EXPECT_TRUE(arma::all(p.experts.col(1) == 0.0));
  const arma::vec zero = p.gate.col(1) + p.gate.col(0) % arma::exp(-p.experts.col(0));  // P(y = 0)
  EXPECT_NEAR(arma::mean(arma::conv_to<arma::vec>::from(data.y == 0.0)), arma::mean(zero), 0.01);
  const arma::vec F0 = moe::predictive_cdf(truth, data.X.head_rows(50), data.Z.head_rows(50), arma::zeros(50));
  EXPECT_LT(arma::abs(F0 - zero.head(50)).max(), 1e-12);
  const arma::vec below = moe::predictive_cdf(truth, data.X.head_rows(50), data.Z.head_rows(50), -arma::ones(50));
  EXPECT_TRUE(arma::all(below == 0.0));
}

TEST(PointMass, ModelFileKeepsThePointMass) {
  moe::Specification spec;
  spec.x = {"x"};
  spec.z = {"z"};
  spec.point_mass = 0.0;
  const moe::SavedModel back = moe::parse_model(moe::model_json(zip_truth(), spec));
  ASSERT_TRUE(back.model.experts.point_mass.has_value());
  EXPECT_EQ(*back.model.experts.point_mass, 0.0);
  EXPECT_EQ(*back.spec.point_mass, 0.0);
}

TEST(PointMass, StartsPutThePointMassOnItsValueOnly) {
  arma::mat R = {{0.2, 0.8}, {0.5, 0.5}, {0.0, 1.0}};
  moe::keep_point_mass_on_support(R, arma::vec{0.0, 3.0, 5.0}, 0.0);
  EXPECT_TRUE(arma::approx_equal(R, arma::mat{{0.2, 0.8}, {1.0, 0.0}, {1.0, 0.0}}, "absdiff", 1e-15));
}

void expect_refused(moe::Dataset data, moe::Family family, arma::uword K, const std::string& why) {
  try {
    moe::validate(data, family, K);
    FAIL() << "accepted: " << why;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
  }
}

TEST(PointMass, BadPointMassesAreRefusedWithAReason) {
  moe::Dataset data = zero_inflated(zip_truth(), 200, 8);
  expect_refused(data, moe::Family::poisson, 1, "K >= 2");
  data.point_mass = 0.5;
  expect_refused(data, moe::Family::poisson, 2, "a value the response never takes");
  moe::Dataset continuous = moe::testing::draw(moe::testing::gaussian_truth(), 200, 9);
  continuous.point_mass = continuous.y(0);
  expect_refused(continuous, moe::Family::gaussian, 2, "a family of counts");
  data.point_mass = 0.0;
  data.y.zeros();
  data.y(0) = 1.0;
  EXPECT_NO_THROW(moe::validate(data, moe::Family::poisson, 2));
  data.y(0) = 0.0;
  expect_refused(data, moe::Family::poisson, 2, "leave nothing to the other experts");
  moe::Model gaussian = moe::testing::gaussian_truth();  // a model (a model file's, say) is checked too
  gaussian.experts.point_mass = 0.0;
  EXPECT_THROW(moe::validate_model(gaussian, "test"), std::invalid_argument);
  moe::Model infinite = zip_truth();
  infinite.experts.point_mass = arma::datum::inf;
  EXPECT_THROW(moe::validate_model(infinite, "test"), std::invalid_argument);
  EXPECT_NO_THROW(moe::validate_model(zip_truth(), "test"));
}

}  // namespace
