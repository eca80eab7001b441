// Negative binomial (NB2) experts: mean e^η, size θ_k per expert, Var = μ + μ²/θ.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/matching.hpp"
#include "moe/methods.hpp"
#include "moe/negbin.hpp"
#include "moe/polygamma.hpp"
#include "moe/predictive.hpp"
#include "moe/standard_errors.hpp"

namespace {

using moe::testing::negbin_truth;

TEST(Negbin, DigammaAndTrigammaMatchKnownValuesAndDifferences) {
  EXPECT_NEAR(moe::digamma(1.0), -0.57721566490153286, 1e-13);
  EXPECT_NEAR(moe::trigamma(1.0), M_PI * M_PI / 6.0, 1e-12);
  for (const double x : {0.03, 0.7, 3.5, 40.0, 1e5}) {
    const double h = 1e-4 * x;
    EXPECT_NEAR(moe::digamma(x), (std::lgamma(x + h) - std::lgamma(x - h)) / (2.0 * h), 1e-6 * (1.0 + 1.0 / x));
    EXPECT_NEAR(moe::trigamma(x), (moe::digamma(x + h) - moe::digamma(x - h)) / (2.0 * h), 1e-6 / (x * x) + 1e-9);
  }
}

// Σ_y f(y) = 1, Σ y f(y) = μ and Σ (y − μ)² f(y) = μ + μ²/θ, also at sizes
// where log Γ(y + θ) − log Γ(θ) is taken from Stirling's series.
TEST(Negbin, DensityHasTheNb2MeanAndVariance) {
  const arma::vec y = arma::regspace(0.0, 4000.0);
  for (const double theta : {0.5, 3.0, 5e3, 5e5})
    for (const double mu : {0.2, 7.0, 60.0}) {
      const arma::vec f = arma::exp(moe::negbin_log_density(y, arma::mat(y.n_elem, 1, arma::fill::value(std::log(mu))),
                                                             arma::vec{theta}));
      EXPECT_NEAR(arma::accu(f), 1.0, 1e-10) << theta << " " << mu;
      EXPECT_NEAR(arma::accu(y % f), mu, 1e-8 * mu) << theta << " " << mu;
      EXPECT_NEAR(arma::accu(arma::square(y - mu) % f), mu + mu * mu / theta, 1e-7 * (mu + mu * mu / theta));
    }
}

TEST(Negbin, LargeSizeIsThePoisson) {
  const arma::vec y = {0.0, 1.0, 4.0, 17.0};
  const arma::mat eta(y.n_elem, 1, arma::fill::value(std::log(5.0)));
  const arma::vec nb = moe::negbin_log_density(y, eta, arma::vec{moe::kNegbinMaxSize});
  const arma::vec poisson = y * std::log(5.0) - 5.0 - arma::lgamma(y + 1.0);
  EXPECT_LT(arma::abs(nb - poisson).max(), 1e-6);
}

// The scores in η and in log θ against central differences of the density,
// and the curvatures against central differences of the scores.
TEST(Negbin, RowDerivativesMatchFiniteDifferences) {
  const arma::vec y = {0.0, 2.0, 9.0, 150.0};
  const arma::mat eta(arma::vec{-1.0, 0.5, 2.0, 4.5});
  const arma::mat ones(4, 1, arma::fill::ones), first(y);
  const auto density = [&](const arma::mat& e, double t) { return moe::negbin_log_density(y, e, arma::vec{t}); };
  const auto eta_terms = [&](const arma::mat& e, double t, bool score) {
    arma::mat s, c;
    moe::negbin_eta_terms(s, c, ones, first, e, arma::vec{t});
    return score ? s : c;
  };
  const auto size_terms = [&](double t, bool score) {
    arma::mat s, c;
    moe::negbin_log_size_terms(s, c, y, eta, arma::vec{t});
    return score ? s : c;
  };
  const auto close = [](const arma::mat& a, const arma::mat& b) {
    return arma::abs(a - b).max() / (1.0 + arma::abs(b).max());
  };
  for (const double theta : {0.3, 4.0, 2e4}) {
    const double h = 1e-5, up = theta * std::exp(h), down = theta * std::exp(-h);
    EXPECT_LT(close(eta_terms(eta, theta, true), (density(eta + h, theta) - density(eta - h, theta)) / (2.0 * h)), 1e-6)
        << theta;
    EXPECT_LT(close(-eta_terms(eta, theta, false),
                    (eta_terms(eta + h, theta, true) - eta_terms(eta - h, theta, true)) / (2.0 * h)), 1e-6)
        << theta;
    EXPECT_LT(close(size_terms(theta, true), (density(eta, up) - density(eta, down)) / (2.0 * h)), 1e-5) << theta;
    EXPECT_LT(close(size_terms(theta, false), (size_terms(up, true) - size_terms(down, true)) / (2.0 * h)), 1e-5)
        << theta;
  }
}

TEST(Negbin, CdfSumsTheProbabilities) {
  for (const double theta : {0.4, 2.0, 50.0})
    for (const double mu : {0.3, 5.0, 80.0}) {
      double total = 0.0;
      for (double k = 0.0; k <= 60.0; k += 1.0) {
        total += std::exp(moe::negbin_log_density(arma::vec{k}, arma::mat(1, 1, arma::fill::value(std::log(mu))), arma::vec{theta})(0));
        EXPECT_NEAR(moe::negbin_cdf(k, mu, theta), total, 1e-10) << theta << " " << mu << " " << k;
      }
    }
  EXPECT_EQ(moe::negbin_cdf(-1.0, 3.0, 2.0), 0.0);
}

TEST(Negbin, GradientMatchesFiniteDifferences) {
  const moe::Dataset data = moe::testing::draw(negbin_truth(), 300, 101);
  moe::Model at = negbin_truth();
  at.experts.coef += 0.2;
  at.experts.shape = {1.3, 20.0};
  EXPECT_LT(moe::testing::gradient_error(at, data), 1e-5);
}

// With K = 1 the fit is the negative binomial GLM's maximum: the score in β
// and in log θ vanish (the comparison with MASS::glm.nb is in R's tests).
TEST(Negbin, OneExpertSolvesTheScoreEquations) {
  moe::Model one = negbin_truth();
  one.gate.coef = arma::zeros(2, 1);
  one.experts.coef = one.experts.coef.col(0);
  one.experts.shape = {2.5};
  const moe::Dataset data = moe::testing::draw(one, 800, 102);
  const moe::Fit fit = moe::EM(moe::EMOptions{}).fit(data, 1, moe::Family::negbin);
  EXPECT_LT(arma::abs(moe::gradient(fit.model, data)).max(), 1e-6 * data.n());
  EXPECT_NEAR(fit.model.experts.shape(0), 2.5, 0.4);
}

TEST(Negbin, TwoExpertsAreRecoveredAndEveryMethodReachesEMsMaximum) {
  const moe::Model truth = negbin_truth();
  const moe::Dataset data = moe::testing::draw(truth, 4000, 103);
  const moe::Fit em = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::negbin, false);
  EXPECT_LT(moe::parameter_error(em.model, truth).experts, 0.1);
  const arma::uvec order = em.model.experts.coef(0, 0) > em.model.experts.coef(0, 1) ? arma::uvec{0, 1} : arma::uvec{1, 0};
  EXPECT_NEAR(std::log(em.model.experts.shape(order(0))), std::log(2.0), 0.15);
  EXPECT_NEAR(std::log(em.model.experts.shape(order(1))), std::log(8.0), 0.4);
  for (std::size_t t = 1; t < em.trace.rows.size(); ++t)
    EXPECT_GE(em.trace.rows[t].delta, -1e-10 * (1.0 + std::abs(em.trace.rows[t].loglik))) << "iteration " << t;
  for (const std::string method : {"gem", "squarem", "gd"}) {
    SCOPED_TRACE(method);
    const moe::Fit other = moe::make_method(method, moe::testing::tight_settings()).fit_from(data, em.model);
    EXPECT_NEAR(other.loglik, em.loglik, 1e-6 * std::abs(em.loglik));
  }
}

TEST(Negbin, MirrorDescentIsRefusedWithAReason) {
  const moe::Dataset data = moe::testing::draw(negbin_truth(), 200, 104);
  try {
    moe::make_method("mirror:0.5", moe::testing::tight_settings()).fit_from(data, negbin_truth());
    FAIL() << "mirror descent ran on negbin experts";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("theta"), std::string::npos) << e.what();
  }
}

// Counts drawn from a Poisson mixture: the negative binomial fit nests it, so
// its ℓ is at least the Poisson fit's, and not by much more than its two extra parameters can give.
TEST(Negbin, NestsThePoissonFit) {
  const moe::Dataset data = moe::testing::draw(moe::testing::poisson_truth(), 2000, 105);
  const moe::Fit poisson = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::poisson, false);
  const moe::Fit negbin = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::negbin, false);
  EXPECT_GE(negbin.loglik, poisson.loglik - 1e-6 * std::abs(poisson.loglik));
  EXPECT_LT(negbin.loglik - poisson.loglik, 5.0);
}

TEST(Negbin, StandardErrorsOfTheSizesComeFromLogTheta) {
  const moe::Dataset data = moe::testing::draw(negbin_truth(), 3000, 106);
  const moe::Fit fit = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::negbin, false);
  const moe::StandardErrors se = moe::standard_errors(fit.model, data);
  ASSERT_TRUE(se.valid);
  ASSERT_EQ(se.shape.n_elem, 2u);
  const arma::uword last = se.parameters.size() - 1;
  EXPECT_EQ(se.parameters[last], "log_theta.expert2");
  EXPECT_NEAR(se.shape(1), fit.model.experts.shape(1) * std::sqrt(se.covariance(last, last)), 1e-12);
  EXPECT_GT(se.shape.min(), 0.0);
}

}  // namespace
