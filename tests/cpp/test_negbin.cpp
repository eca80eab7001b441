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

// Near the Poisson limit the score in u = log θ is O(1/θ): θ ∂ℓ/∂θ →
// [y − (y − μ)²]/(2θ), and its curvature, the score's derivative in u, minus
// that. A difference of digammas near log θ has no digits left for them.
TEST(Negbin, SizeScoreKeepsItsDigitsInThePoissonLimit) {
  const arma::vec y = {0.0, 1.0, 3.0, 12.0, 40.0};
  const double mu = 4.0;
  const arma::mat eta(y.n_elem, 1, arma::fill::value(std::log(mu)));
  for (const double theta : {1e6, 1e8}) {
    arma::mat score, curvature;
    moe::negbin_log_size_terms(score, curvature, y, eta, arma::vec{theta});
    const arma::vec limit = (y - arma::square(y - mu)) / (2.0 * theta);
    EXPECT_LT(arma::abs(score.col(0) - limit).max(), 1e-4 * arma::abs(limit).max()) << theta;
    EXPECT_LT(arma::abs(curvature.col(0) + limit).max(), 1e-4 * arma::abs(limit).max()) << theta;
  }
  // the two ways of computing them meet where they switch (θ = 1e4)
  arma::mat below_score, below_curvature, above_score, above_curvature;
  moe::negbin_log_size_terms(below_score, below_curvature, y, eta, arma::vec{1e4 * (1.0 - 1e-13)});
  moe::negbin_log_size_terms(above_score, above_curvature, y, eta, arma::vec{1e4});
  EXPECT_LT(arma::abs(below_score - above_score).max(), 1e-6 * arma::abs(above_score).max());
  EXPECT_LT(arma::abs(below_curvature - above_curvature).max(), 1e-6 * arma::abs(above_curvature).max());
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

// Counts drawn from a Poisson mixture: the negative binomial fit nests it, so
// its ℓ is at least the Poisson fit's, and not by much more than its two extra parameters can give.
TEST(Negbin, NestsThePoissonFit) {
  const moe::Dataset data = moe::testing::draw(moe::testing::poisson_truth(), 2000, 105);
  const moe::Fit poisson = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::poisson, false);
  const moe::Fit negbin = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, moe::Family::negbin, false);
  EXPECT_GE(negbin.loglik, poisson.loglik - 1e-6 * std::abs(poisson.loglik));
  EXPECT_LT(negbin.loglik - poisson.loglik, 5.0);
}

}  // namespace
