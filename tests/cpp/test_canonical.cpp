// The binomial and Poisson families' log-partition b and its derivatives
// (canonical.hpp), and the Poisson density and sampler built on them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "helpers.hpp"
#include "moe/canonical.hpp"
#include "moe/experts.hpp"
#include "moe/flushed_exp.hpp"

namespace {

const arma::mat kEta = arma::linspace(-30.0, 30.0, 121);

// Central differences of f at every entry of kEta.
template <class F>
arma::mat derivative(F f) {
  const double h = 1e-5;
  return (f(kEta + h) - f(kEta - h)) / (2.0 * h);
}

TEST(Canonical, MeanAndVarianceAreTheLogPartitionsDerivatives) {
  for (const moe::Family family : {moe::Family::binomial, moe::Family::poisson}) {
    SCOPED_TRACE(moe::to_string(family));
    arma::mat mean, variance;
    moe::canonical_moments(mean, variance, family, kEta);
    EXPECT_TRUE(arma::approx_equal(mean, moe::canonical_mean(family, kEta), "reldiff", 1e-15));
    const arma::mat db = derivative([&](const arma::mat& e) { return moe::log_partition(family, e); });
    const arma::mat dmean = derivative([&](const arma::mat& e) { return moe::canonical_mean(family, e); });
    EXPECT_LT(arma::max(arma::max(arma::abs(db - mean) / (1.0 + mean))), 1e-6);
    EXPECT_LT(arma::max(arma::max(arma::abs(dmean - variance) / (1.0 + variance))), 1e-6);
    EXPECT_TRUE(arma::all(arma::vectorise(variance) >= 0.0));
  }
}

TEST(Canonical, BinomialIsLogisticAndStableInBothTails) {
  const arma::mat p = 1.0 / (1.0 + arma::exp(-kEta));
  EXPECT_LT(arma::abs(moe::canonical_mean(moe::Family::binomial, kEta) - p).max(), 1e-15);
  arma::mat mean, variance;
  moe::canonical_moments(mean, variance, moe::Family::binomial, kEta);
  EXPECT_LT(arma::abs(variance - p % (1.0 - p)).max(), 1e-15);
  const arma::mat far{-800.0, 800.0};
  EXPECT_TRUE(moe::log_partition(moe::Family::binomial, far).is_finite());
  EXPECT_NEAR(moe::log_partition(moe::Family::binomial, far)(1), 800.0, 1e-12);
  moe::canonical_moments(mean, variance, moe::Family::binomial, arma::mat{-700.0, 700.0});
  EXPECT_GT(variance.min(), 0.0);  // not p·(1 − 1)
  EXPECT_NEAR(moe::log_sigmoid(far)(0), -800.0, 1e-12);
}

// e^x where it is a normal number, 0 where it would underflow (both types).
TEST(Canonical, FlushedExpIsExpDownToTheSmallestNormal) {
  const double edge = std::log(std::numeric_limits<double>::min());
  for (const double x : {-700.0, edge + 1e-9, -1.0, 0.0, 3.5})
    EXPECT_DOUBLE_EQ(moe::flushed_exp(x), std::exp(x)) << x;
  for (const double x : {edge - 1e-9, -720.0, -1e6, -arma::datum::inf}) EXPECT_EQ(moe::flushed_exp(x), 0.0) << x;
  EXPECT_GT(moe::flushed_exp(std::nextafter(edge, 0.0)), 0.0);
  const float edge_f = std::log(std::numeric_limits<float>::min());
  EXPECT_FLOAT_EQ(moe::flushed_exp(edge_f + 1e-3f), std::exp(edge_f + 1e-3f));
  EXPECT_EQ(moe::flushed_exp(edge_f - 1e-3f), 0.0f);
  const arma::mat flushed = moe::flushed_exp(arma::mat{-800.0, -2.0});
  EXPECT_EQ(flushed(0), 0.0);
  EXPECT_DOUBLE_EQ(flushed(1), std::exp(-2.0));
}

TEST(Canonical, PoissonDensityIsTheCountLaw) {
  const moe::Experts experts{moe::Family::poisson, arma::mat{{0.3, 1.0}, {0.5, -2.0}}, arma::vec(), false};
  const arma::mat X{{1.0, 0.0}, {1.0, 1.0}, {1.0, 2.5}, {1.0, -1.0}};
  const arma::vec y{0.0, 3.0, 12.0, 1.0};
  const arma::mat log_f = experts.log_density(X, y);
  for (arma::uword i = 0; i < y.n_elem; ++i)
    for (arma::uword k = 0; k < 2; ++k) {
      const double mu = std::exp(arma::dot(X.row(i), experts.coef.col(k)));
      double factorial = 1.0;
      for (double j = 2.0; j <= y(i); ++j) factorial *= j;
      EXPECT_NEAR(log_f(i, k), std::log(std::pow(mu, y(i)) * std::exp(-mu) / factorial), 1e-12);
    }
  EXPECT_LT(arma::abs(experts.mean(X) - arma::exp(X * experts.coef)).max(), 1e-15);
}

// glm's starting means: (y + 1/2)/2 for 0/1 responses, y + 0.1 for counts.
TEST(Canonical, StartingLinksAreGlms) {
  const arma::vec binary = moe::starting_link(moe::Family::binomial, arma::vec{0.0, 1.0});
  EXPECT_NEAR(binary(0), -std::log(3.0), 1e-15);
  EXPECT_NEAR(binary(1), std::log(3.0), 1e-15);
  const arma::vec counts = moe::starting_link(moe::Family::poisson, arma::vec{0.0, 9.9, 1e12});
  EXPECT_NEAR(counts(0), std::log(0.1), 1e-15);
  EXPECT_NEAR(counts(1), std::log(10.0), 1e-14);
  EXPECT_NEAR(counts(2), std::log(1e12 + 0.1), 1e-12);
}

// The table of log x! gives lgamma's numbers, and lgamma's own past the table,
// for fractions and for NaN.
TEST(Canonical, LogFactorialsAreLgammas) {
  for (const double x : {0.0, 1.0, 2.0, 17.0, 1023.0, 1024.0, 5e6, 2.5})
    EXPECT_EQ(moe::log_factorial(x), std::lgamma(x + 1.0)) << x;
  EXPECT_TRUE(std::isnan(moe::log_factorial(arma::datum::nan)));
  const arma::vec y = {0.0, 3.0, 7.0}, m = {4.0, 3.0, 10.0};
  const arma::vec c = moe::base_measure(moe::Family::binomial, y, m);
  EXPECT_NEAR(c(0), 0.0, 1e-15);             // C(4, 0) = 1
  EXPECT_NEAR(c(1), 0.0, 1e-15);             // C(3, 3) = 1
  EXPECT_NEAR(c(2), std::log(120.0), 1e-13);  // C(10, 7)
}

TEST(Canonical, TheGaussianFamilyIsRefused) {
  EXPECT_THROW(moe::log_partition(moe::Family::gaussian, kEta), std::invalid_argument);
  EXPECT_THROW(moe::base_measure(moe::Family::gaussian, arma::vec{1.0}), std::invalid_argument);
}

TEST(Canonical, FamilyNamesRoundTrip) {
  for (const moe::Family family : {moe::Family::gaussian, moe::Family::binomial, moe::Family::poisson})
    EXPECT_EQ(moe::parse_family(moe::to_string(family)), family);
  EXPECT_THROW(moe::parse_family("weibull"), std::invalid_argument);
}

// 40000 draws at means on both sides of the sampler's switch (10): the sample
// mean within 4 standard errors, the sample variance within 4 of its standard
// errors (≈ μ √(2/n) for larger μ), and the frequency of every value with
// probability above 1% within 4 standard errors of that probability.
TEST(Canonical, PoissonDrawsFollowThePoissonLaw) {
  moe::Rng rng(31);
  const arma::uword n = 40000;
  for (const double mu : {0.0, 0.4, 3.0, 9.99, 10.0, 15.0, 80.0, 3000.0}) {
    SCOPED_TRACE("mean " + std::to_string(mu));
    arma::vec draws(n);
    for (double& d : draws) d = rng.poisson(mu);
    EXPECT_TRUE(arma::all(draws >= 0.0 && draws == arma::floor(draws)));
    if (mu == 0.0) {
      EXPECT_EQ(draws.max(), 0.0);
      continue;
    }
    EXPECT_NEAR(arma::mean(draws), mu, 4.0 * std::sqrt(mu / n));
    EXPECT_NEAR(arma::var(draws), mu, 4.0 * std::sqrt((mu + 2.0 * mu * mu) / n));
    for (double k = std::floor(mu - 3.0 * std::sqrt(mu)); k <= mu + 3.0 * std::sqrt(mu); k += 1.0) {
      if (k < 0.0) continue;
      const double p = std::exp(k * std::log(mu) - mu - std::lgamma(k + 1.0));
      if (p < 0.01) continue;
      const double seen = arma::accu(draws == k) / double(n);
      EXPECT_NEAR(seen, p, 4.0 * std::sqrt(p * (1.0 - p) / n)) << "value " << k;
    }
  }
  EXPECT_THROW(rng.poisson(-1.0), std::invalid_argument);
  EXPECT_THROW(rng.poisson(arma::datum::inf), std::invalid_argument);
}

}  // namespace
