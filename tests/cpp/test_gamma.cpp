// Gamma experts with the log link: mean e^η, shape ν_k per expert, Var = μ²/ν.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/gamma.hpp"
#include "moe/matching.hpp"
#include "moe/methods.hpp"
#include "moe/predictive.hpp"
#include "moe/standard_errors.hpp"

namespace {

using moe::testing::gamma_truth;

// The density integrates to 1 with mean μ and variance μ²/ν, also at shapes
// where ν log ν − log Γ(ν) is taken from Stirling's series (by the midpoint
// rule over ±12 standard deviations, from 0 for small shapes).
TEST(Gamma, DensityHasTheMeanAndVarianceOfItsShape) {
  for (const double nu : {1.5, 4.0, 3e4, 2e6})
    for (const double mu : {0.3, 20.0}) {
      const double sd = mu / std::sqrt(nu), lo = std::max(0.0, mu - 12.0 * sd), hi = mu + (nu < 1.0 ? 60.0 : 12.0) * sd;
      const arma::uword n = 400000;
      const double h = (hi - lo) / static_cast<double>(n);
      const arma::vec y = arma::linspace(lo + 0.5 * h, hi - 0.5 * h, n);
      const arma::vec f = arma::exp(moe::gamma_log_density(y, arma::mat(n, 1, arma::fill::value(std::log(mu))), arma::vec{nu}));
      EXPECT_NEAR(h * arma::accu(f), 1.0, 2e-4) << nu << " " << mu;
      EXPECT_NEAR(h * arma::accu(y % f), mu, 2e-4 * mu) << nu << " " << mu;
      EXPECT_NEAR(h * arma::accu(arma::square(y - mu) % f), sd * sd, 2e-3 * sd * sd) << nu << " " << mu;
    }
}

TEST(Gamma, DensityIsTheTextbookFormula) {
  const arma::vec y = {0.01, 0.5, 3.0, 40.0};
  for (const double nu : {0.05, 0.7, 9.0})
    for (const double eta : {-2.0, 1.5}) {
      const arma::vec f = moe::gamma_log_density(y, arma::mat(4, 1, arma::fill::value(eta)), arma::vec{nu});
      const arma::vec direct = nu * std::log(nu) - std::lgamma(nu) - nu * eta + (nu - 1.0) * arma::log(y) - nu * y * std::exp(-eta);
      EXPECT_LT(arma::abs(f - direct).max(), 1e-12 * (1.0 + arma::abs(direct).max())) << nu << " " << eta;
    }
}

TEST(Gamma, ShapeOneIsTheExponential) {
  const arma::vec y = {0.01, 0.5, 3.0, 40.0};
  const arma::vec f = moe::gamma_log_density(y, arma::mat(4, 1, arma::fill::value(std::log(2.0))), arma::vec{1.0});
  EXPECT_LT(arma::abs(f - (-std::log(2.0) - y / 2.0)).max(), 1e-13);
}

TEST(Gamma, CdfIntegratesTheDensity) {
  for (const double nu : {0.6, 3.0, 50.0})
    for (const double mu : {0.5, 8.0}) {
      const double top = mu * (1.0 + 3.0 / std::sqrt(nu));
      const arma::uword n = 200000;
      const double h = top / static_cast<double>(n);
      const arma::vec y = arma::linspace(0.5 * h, top - 0.5 * h, n);
      const arma::vec f = arma::exp(moe::gamma_log_density(y, arma::mat(n, 1, arma::fill::value(std::log(mu))), arma::vec{nu}));
      EXPECT_NEAR(moe::gamma_cdf(top, mu, nu), h * arma::accu(f), 2e-3) << nu << " " << mu;
    }
  EXPECT_EQ(moe::gamma_cdf(0.0, 3.0, 2.0), 0.0);
  EXPECT_NEAR(moe::gamma_cdf(2.0, 2.0, 1.0), 1.0 - std::exp(-1.0), 1e-14);  // the exponential with mean 2
}

// With K = 1 the coefficients solve glm's score equations Σ x (y/μ − 1) = 0
// and ν the shape's (the comparison with glm and MASS::gamma.shape is in R's tests).
TEST(Gamma, OneExpertSolvesTheScoreEquations) {
  moe::Model one = gamma_truth();
  one.gate.coef = arma::zeros(2, 1);
  one.experts.coef = one.experts.coef.col(0);
  one.experts.shape = {2.5};
  const moe::Dataset data = moe::testing::draw(one, 800, 112);
  const moe::Fit fit = moe::EM(moe::EMOptions{}).fit(data, 1, moe::Family::gamma, false);
  EXPECT_LT(arma::abs(moe::gradient(fit.model, data)).max(), 1e-6 * data.n());
  EXPECT_NEAR(fit.model.experts.shape(0), 2.5, 0.3);
}

// Rounded responses: a third of the rows exactly 2.0. A gamma expert can sit
// on them with an ever larger shape (ℓ grows without bound, as a Gaussian's on
// the variance floor): the shape stops at its ceiling and the search says so.
TEST(Gamma, ASpikeOnTiedResponsesIsHeldAtTheCeilingWithAWarning) {
  moe::Dataset data = moe::testing::draw(gamma_truth(), 300, 115);
  for (arma::uword i = 0; i < data.n(); i += 3) data.y(i) = 2.0;
  const moe::Fit fit = moe::make_method("em", moe::testing::tight_settings()).fit(data, 3, moe::Family::gamma, false);
  EXPECT_EQ(fit.model.experts.shape.max(), moe::kGammaFamily.max_shape);
  const std::vector<std::string>& warnings = fit.search.warnings;
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
    return w.find("is at its ceiling (1e+08)") != std::string::npos;
  }));
}

TEST(Gamma, NonPositiveResponsesAreRefused) {
  moe::Dataset data = moe::testing::draw(gamma_truth(), 100, 114);
  data.y(7) = 0.0;
  try {
    moe::validate(data, moe::Family::gamma, 2);
    FAIL() << "a zero response was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("positive for the gamma family"), std::string::npos) << e.what();
  }
}

}  // namespace
