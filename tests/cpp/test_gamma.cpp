// Gamma experts with the log link: mean e^η, shape ν_k per expert, Var = μ²/ν.
#include <gtest/gtest.h>

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

// The scores in η and in log ν against central differences of the density,
// and the curvatures and the cross term against central differences of the scores.
TEST(Gamma, RowDerivativesMatchFiniteDifferences) {
  const arma::vec y = {0.02, 0.9, 3.0, 45.0};
  const arma::mat eta(arma::vec{-1.0, 0.1, 1.0, 3.5});
  const arma::mat ones(4, 1, arma::fill::ones), first(y);
  const auto density = [&](const arma::mat& e, double nu) { return moe::gamma_log_density(y, e, arma::vec{nu}); };
  const auto eta_terms = [&](const arma::mat& e, double nu, bool score) {
    arma::mat s, c;
    moe::gamma_eta_terms(s, c, ones, first, e, arma::vec{nu});
    return score ? s : c;
  };
  const auto shape_terms = [&](double nu, bool score) {
    arma::mat s, c;
    moe::gamma_log_shape_terms(s, c, y, eta, arma::vec{nu});
    return score ? s : c;
  };
  const auto close = [](const arma::mat& a, const arma::mat& b) {
    return arma::abs(a - b).max() / (1.0 + arma::abs(b).max());
  };
  for (const double nu : {0.4, 5.0, 3e4}) {
    const double h = 1e-5, up = nu * std::exp(h), down = nu * std::exp(-h);
    EXPECT_LT(close(eta_terms(eta, nu, true), (density(eta + h, nu) - density(eta - h, nu)) / (2.0 * h)), 1e-6) << nu;
    EXPECT_LT(close(-eta_terms(eta, nu, false), (eta_terms(eta + h, nu, true) - eta_terms(eta - h, nu, true)) / (2.0 * h)),
              1e-6)
        << nu;
    EXPECT_LT(close(moe::gamma_cross_terms(ones, first, eta, arma::vec{nu}),
                    (eta_terms(eta, up, true) - eta_terms(eta, down, true)) / (2.0 * h)),
              1e-6)
        << nu;
    EXPECT_LT(close(shape_terms(nu, true), (density(eta, up) - density(eta, down)) / (2.0 * h)), 1e-5) << nu;
    EXPECT_LT(close(shape_terms(nu, false), (shape_terms(up, true) - shape_terms(down, true)) / (2.0 * h)), 1e-5) << nu;
  }
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

TEST(Gamma, GradientMatchesFiniteDifferences) {
  const moe::Dataset data = moe::testing::draw(gamma_truth(), 300, 111);
  moe::Model at = gamma_truth();
  at.experts.coef += 0.2;
  at.experts.shape = {1.7, 25.0};
  EXPECT_LT(moe::testing::gradient_error(at, data), 1e-5);
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

TEST(Gamma, TwoExpertsAreRecoveredAndEveryMethodReachesEMsMaximum) {
  const moe::Model truth = gamma_truth();
  const moe::Dataset data = moe::testing::draw(truth, 3000, 113);
  const moe::Fit em = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::gamma, false);
  EXPECT_LT(moe::parameter_error(em.model, truth).experts, 0.1);
  const arma::uvec order = em.model.experts.coef(0, 0) > em.model.experts.coef(0, 1) ? arma::uvec{0, 1} : arma::uvec{1, 0};
  const moe::StandardErrors se = moe::standard_errors(em.model, data);
  for (arma::uword k = 0; k < 2; ++k)  // within 3 standard errors of log ν
    EXPECT_LT(std::abs(std::log(em.model.experts.shape(order(k)) / truth.experts.shape(k))),
              3.0 * se.shape(order(k)) / em.model.experts.shape(order(k)))
        << k;
  for (std::size_t t = 1; t < em.trace.rows.size(); ++t)
    EXPECT_GE(em.trace.rows[t].delta, -1e-10 * (1.0 + std::abs(em.trace.rows[t].loglik))) << "iteration " << t;
  for (const std::string method : {"gem", "squarem", "gd"}) {
    SCOPED_TRACE(method);
    const moe::Fit other = moe::make_method(method, moe::testing::tight_settings()).fit_from(data, em.model);
    EXPECT_NEAR(other.loglik, em.loglik, 1e-6 * std::abs(em.loglik));
  }
}

TEST(Gamma, NonPositiveResponsesAndMirrorDescentAreRefused) {
  moe::Dataset data = moe::testing::draw(gamma_truth(), 100, 114);
  data.y(7) = 0.0;
  try {
    moe::validate(data, moe::Family::gamma, 2);
    FAIL() << "a zero response was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("positive for the gamma family"), std::string::npos) << e.what();
  }
  data.y(7) = 1.0;
  EXPECT_THROW(moe::make_method("mirror:0.5", moe::testing::tight_settings()).fit_from(data, gamma_truth()),
               std::invalid_argument);
}

}  // namespace
