// Student-t experts (student_t.hpp): the density and its ν-derivatives, the
// distribution function, the gradient, EM's monotone climb, the Gaussian as
// the limit ν → ∞, robustness to gross outliers, the model file and the
// errors for a bad ν.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/io.hpp"
#include "moe/matching.hpp"
#include "moe/methods.hpp"
#include "moe/mirror.hpp"
#include "moe/predictive.hpp"
#include "moe/standard_errors.hpp"
#include "moe/student_t.hpp"

namespace {

using moe::testing::t_truth;

using moe::testing::thrown_by;

TEST(StudentT, DensityIsTheTextbookFormulaAndOneDegreeIsTheCauchy) {
  const arma::vec y = {-30.0, -1.0, 0.2, 4.0};
  const arma::mat eta(4, 1, arma::fill::value(0.5));
  for (const double nu : {0.3, 1.0, 4.5, 99.9, 100.1, 200.0})
    for (const double sigma : {0.1, 2.0}) {
      const arma::vec f = moe::t_log_density(y, eta, arma::vec{sigma}, arma::vec{nu});
      const arma::vec z = (y - 0.5) / sigma;
      const arma::vec direct = std::lgamma((nu + 1.0) / 2.0) - std::lgamma(nu / 2.0) - 0.5 * std::log(nu * M_PI) -
                               std::log(sigma) - (nu + 1.0) / 2.0 * arma::log(1.0 + z % z / nu);
      EXPECT_LT(arma::abs(f - direct).max(), 1e-12 * (1.0 + arma::abs(direct).max())) << nu << " " << sigma;
    }
  const arma::vec cauchy = moe::t_log_density(y, eta, arma::vec{2.0}, arma::vec{1.0});
  const arma::vec z = (y - 0.5) / 2.0;
  EXPECT_LT(arma::abs(cauchy + arma::log(M_PI * 2.0 * (1.0 + z % z))).max(), 1e-13);
}

// ∂/∂log ν against central differences of the density, ∂²/∂(log ν)² against
// central differences of the score, from heavy tails to nearly Gaussian.
TEST(StudentT, NuDerivativesMatchFiniteDifferences) {
  const arma::vec y = {-12.0, -1.0, 0.0, 0.3, 2.5, 40.0};
  const arma::mat eta(arma::linspace(-0.5, 1.0, y.n_elem));
  const arma::vec sigma = {0.7};
  const auto terms = [&](double nu, bool score) {
    arma::mat g, c;
    moe::t_log_nu_terms(g, c, y, eta, sigma, arma::vec{nu});
    return score ? g : c;
  };
  for (const double nu : {0.4, 2.0, 9.0, 99.0, 101.0, 150.0, 3e4, 1e6}) {
    const double h = 1e-5, up = nu * std::exp(h), down = nu * std::exp(-h);
    const arma::mat density_diff = (moe::t_log_density(y, eta, sigma, arma::vec{up}) -
                                    moe::t_log_density(y, eta, sigma, arma::vec{down})) / (2.0 * h);
    const arma::mat score_diff = (terms(up, true) - terms(down, true)) / (2.0 * h);
    EXPECT_LT(arma::abs(terms(nu, true) - density_diff).max(), 1e-7 * (1.0 + arma::abs(density_diff).max())) << nu;
    EXPECT_LT(arma::abs(terms(nu, false) - score_diff).max(), 1e-6 * (1.0 + arma::abs(score_diff).max())) << nu;
  }
}

TEST(StudentT, CdfHasTheClosedFormsOfOneAndTwoDegreesAndTendsToTheNormal) {
  for (const double t : {-7.0, -0.4, 0.0, 1.0, 3.0}) {
    EXPECT_NEAR(moe::t_cdf(t, 1.0), 0.5 + std::atan(t) / M_PI, 1e-14) << t;              // Cauchy
    EXPECT_NEAR(moe::t_cdf(t, 2.0), 0.5 + t / (2.0 * std::sqrt(t * t + 2.0)), 1e-14) << t;  // two degrees
    EXPECT_NEAR(moe::t_cdf(t, 1e7), 0.5 * std::erfc(-t / std::sqrt(2.0)), 1e-7) << t;
  }
}

TEST(StudentT, GradientMatchesFiniteDifferences) {
  moe::Model model = t_truth();
  const moe::Dataset data = moe::testing::draw(model, 300, 31);
  EXPECT_LT(moe::testing::gradient_error(model, data), 1e-6);
  model.experts.shape_fixed = true;  // ν given: not a parameter
  EXPECT_EQ(moe::pack(model).n_elem, moe::pack(t_truth()).n_elem - 2);
  EXPECT_LT(moe::testing::gradient_error(model, data), 1e-6);
}

// EM never lowers ℓ, ends where the gradient vanishes and recovers the truth,
// ν included within its (wide) sampling error.
TEST(StudentT, EMClimbsToTheTruth) {
  const moe::Model truth = t_truth();
  const moe::Dataset data = moe::testing::draw(truth, 3000, 32);
  const moe::Fit fit = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::t, false);
  EXPECT_TRUE(fit.trace.decreases().empty());
  EXPECT_LT(arma::abs(moe::gradient(fit.model, data)).max(), 1e-3 * data.n());
  const moe::Model matched = moe::relabelled(fit.model, moe::matched_experts(fit.model, truth));
  EXPECT_LT(arma::abs(matched.experts.coef - truth.experts.coef).max(), 0.1);
  EXPECT_LT(arma::abs(matched.experts.sigma - truth.experts.sigma).max(), 0.1);
  EXPECT_NEAR(matched.experts.shape(0), 3.0, 1.0);
  EXPECT_NEAR(matched.experts.shape(1), 8.0, 5.0);
  const moe::StandardErrors se = moe::standard_errors(fit.model, data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_EQ(se.shape.n_elem, 2u);
  EXPECT_EQ(se.parameters.back(), "log_nu.expert2");
}

// With ν held at 10⁶ the t is the Gaussian to O(1/ν): from the same start the
// two EM runs end at the same fit.
TEST(StudentT, AHugeFixedNuGivesTheGaussianFit) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(truth, 600, 33);
  moe::MethodSettings settings = moe::testing::tight_settings();
  const moe::Fit gaussian = moe::make_method("em", settings).fit_from(data, truth);
  settings.fixed_nu = 1e6;
  moe::Model start = truth;
  start.experts.family = moe::Family::t;
  start.experts.shape = arma::vec(3, arma::fill::value(1e6));
  start.experts.shape_fixed = true;
  const moe::Fit t = moe::make_method("em", settings).fit_from(data, start);
  EXPECT_NEAR(t.loglik, gaussian.loglik, 1e-3);
  EXPECT_LT(arma::abs(t.model.experts.coef - gaussian.model.experts.coef).max(), 1e-4);
  EXPECT_LT(arma::abs(t.model.experts.sigma - gaussian.model.experts.sigma).max(), 1e-4);
  EXPECT_EQ(t.model.experts.shape(0), 1e6);
}

// 5 % of the rows moved by +25: the t experts give them small scale weights
// and keep the truth's lines; the Gaussian ones are pulled away.
TEST(StudentT, GrossOutliersMoveGaussianExpertsButNotTExperts) {
  moe::Model truth = moe::testing::gaussian_truth();
  truth.experts.sigma = {0.3, 0.3, 0.3};
  moe::Dataset data = moe::testing::draw(truth, 1000, 34);
  for (arma::uword i = 0; i < data.n(); i += 20) data.y(i) += 25.0;
  const moe::MethodSettings settings = moe::testing::tight_settings();
  const auto error = [&](moe::Family family) {
    const moe::Fit fit = moe::make_method("em", settings).fit(data, 3, family, false);
    return arma::abs(moe::relabelled(fit.model, moe::matched_experts(fit.model, truth)).experts.coef -
                     truth.experts.coef).max();
  };
  EXPECT_LT(error(moe::Family::t), 0.1);
  EXPECT_GT(error(moe::Family::gaussian), 0.5);
}

TEST(StudentT, TheModelFileKeepsNuAndWhetherItWasGiven) {
  for (const bool fixed : {false, true}) {
    moe::Model model = t_truth();
    model.experts.shape_fixed = fixed;
    moe::Specification spec;
    spec.x = {"x1"};
    spec.z = {"z1"};
    const moe::SavedModel read = moe::parse_model(moe::model_json(model, spec));
    EXPECT_EQ(read.model.experts.family, moe::Family::t);
    EXPECT_TRUE(arma::approx_equal(read.model.experts.shape, model.experts.shape, "absdiff", 0.0));
    EXPECT_EQ(read.model.experts.shape_fixed, fixed);
    EXPECT_TRUE(arma::approx_equal(moe::pack(read.model), moe::pack(model), "absdiff", 0.0));
  }
}

TEST(StudentT, ABadNuIsRefused) {
  const moe::Dataset data = moe::testing::draw(t_truth(), 100, 35);
  for (const double nu : {-1.0, arma::datum::nan}) {
    moe::EMOptions options;
    options.experts.fixed_nu = nu;
    EXPECT_NE(thrown_by([&] { moe::EM em(options); }).find("nu must be a positive number"), std::string::npos) << nu;
  }
  moe::EMOptions options;
  options.experts.fixed_nu = 4.0;
  EXPECT_NE(thrown_by([&] { moe::EM(options).fit(data, 2, moe::Family::gaussian); }).find("nu is for t experts only"),
            std::string::npos);
  moe::Model model = t_truth();
  model.experts.shape(1) = 0.0;
  EXPECT_NE(thrown_by([&] { moe::validate_model(model, "test"); }).find("nu must hold K = 2 positive"),
            std::string::npos);
  EXPECT_NE(thrown_by([&] { moe::make_method("mirror", moe::MethodSettings{}).fit(data, 2, moe::Family::t, false); })
                .find("do not determine a t expert's scale weights"),
            std::string::npos);
}

}  // namespace

namespace {

// The rows moved by +25 get scale weights far below those of the other rows.
TEST(StudentT, ScaleWeightsSingleOutTheOutliers) {
  moe::Model truth = t_truth();
  truth.experts.shape = {4.0, 4.0};
  moe::Dataset data = moe::testing::draw(truth, 400, 36);
  for (arma::uword i = 0; i < data.n(); i += 40) data.y(i) += 25.0;
  const arma::vec u = moe::scale_weights(truth, data);
  arma::uvec outlier(data.n(), arma::fill::zeros);
  for (arma::uword i = 0; i < data.n(); i += 40) outlier(i) = 1;
  EXPECT_LT(u.elem(arma::find(outlier)).max(), 0.1);
  EXPECT_GT(arma::median(u.elem(arma::find(outlier == 0))), 0.8);
  EXPECT_NE(thrown_by([&] { moe::scale_weights(moe::testing::gaussian_truth(), data); }).find("for t experts only"),
            std::string::npos);
}

}  // namespace

namespace {

// On Gaussian data the estimated ν run to the ceiling, where the t is the
// Gaussian to O(1/ν): the t fit is not below the Gaussian one (but for the
// ceiling's 1e-8 of ℓ).
TEST(StudentT, OnGaussianDataTheFitIsTheGaussianOne) {
  const moe::Dataset data = moe::testing::draw(moe::testing::gaussian_truth(), 800, 37);
  const moe::MethodSettings settings = moe::testing::tight_settings();
  const moe::Fit gaussian = moe::make_method("em", settings).fit(data, 3, moe::Family::gaussian, false);
  const moe::Fit t = moe::make_method("em", settings).fit(data, 3, moe::Family::t, false);
  EXPECT_GE(t.loglik, gaussian.loglik - 1e-8 * std::abs(gaussian.loglik));
  EXPECT_GT(t.model.experts.shape.min(), 50.0);
  // the experts whose ν reached the ceiling (here 1 and 3) are said to be Gaussian, by number
  const arma::uvec ceiling = arma::find(t.model.experts.shape >= moe::kMaxNu * (1.0 - 1e-9));
  ASSERT_FALSE(ceiling.is_empty());
  std::string numbers;
  for (const arma::uword k : ceiling) numbers += (numbers.empty() ? "" : ", ") + std::to_string(k + 1);
  EXPECT_NE(std::find(t.search.warnings.begin(), t.search.warnings.end(),
                      "nu of expert " + numbers + " is at its ceiling (1e+06): that expert is a Gaussian expert (no heavy "
                      "tails)"),
            t.search.warnings.end());
}

}  // namespace

namespace {

// A ν at the ceiling (a Gaussian expert in effect, ℓ flat in ν) is held there
// by the standard errors: NaN for it, the others as when ν is given.
TEST(StudentT, StandardErrorsHoldANuAtTheCeiling) {
  const moe::Dataset data = moe::testing::draw(moe::testing::gaussian_truth(), 600, 38);
  moe::Model at_ceiling = moe::testing::gaussian_truth();
  at_ceiling.experts.family = moe::Family::t;
  at_ceiling.experts.shape = {moe::kMaxNu, 5.0, moe::kMaxNu};
  const moe::StandardErrors se = moe::standard_errors(at_ceiling, data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_TRUE(std::isnan(se.shape(0)) && std::isnan(se.shape(2)));
  EXPECT_TRUE(std::isfinite(se.shape(1)));
  EXPECT_TRUE(se.experts.is_finite() && se.sigma.is_finite());
  moe::Model given = at_ceiling;  // with every ν given, ν 2's row dropped as well
  given.experts.shape_fixed = true;
  const moe::StandardErrors held = moe::standard_errors(given, data);
  ASSERT_TRUE(held.valid);
  EXPECT_GT(arma::abs(se.experts.col(0) - held.experts.col(0)).max(), 0.0);  // ν 2 is estimated in one, not the other
  EXPECT_LT(arma::abs(se.experts.col(0) - held.experts.col(0)).max(), 0.05 * arma::abs(held.experts.col(0)).max());
}

}  // namespace
