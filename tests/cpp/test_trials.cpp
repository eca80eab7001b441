// Binomial experts with trials: y_i successes out of m_i, f(y) = C(m, y) p^y (1 − p)^(m − y).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/matching.hpp"
#include "moe/methods.hpp"
#include "moe/predictive.hpp"

namespace {

using moe::testing::relative_error;

// Trials 1..12 and successes drawn from the logistic truth at those trials.
moe::Dataset with_trials(arma::uword n, std::uint64_t seed) {
  const moe::Model truth = moe::testing::logistic_truth();
  moe::Dataset data = moe::testing::draw(truth, n, seed);
  moe::Rng rng(seed + 1);
  data.trials.set_size(n);
  for (double& m : data.trials) m = 1.0 + static_cast<double>(rng.index(12));
  data.y = moe::sample(truth, data.X, data.Z, rng, nullptr, {}, data.trials);
  return data;
}

// The same data as Bernoulli rows: y_i ones and m_i − y_i zeros, as weights.
moe::Dataset as_bernoulli_rows(const moe::Dataset& data) {
  const arma::uword n = data.n();
  arma::uvec twice = arma::join_cols(arma::regspace<arma::uvec>(0, n - 1), arma::regspace<arma::uvec>(0, n - 1));
  moe::Dataset rows = moe::rows_of(data, twice);
  rows.trials.reset();
  rows.y = arma::join_cols(arma::ones(n), arma::zeros(n));
  rows.weights = arma::join_cols(data.y, data.trials - data.y);
  return moe::without_zero_weights(rows);
}

double log_binomial_coefficients(const moe::Dataset& data) {
  return arma::accu(arma::lgamma(data.trials + 1.0) - arma::lgamma(data.y + 1.0) -
                    arma::lgamma(data.trials - data.y + 1.0));
}

// With K = 1 there is no latent class: the fit is the Bernoulli-row fit (glm's
// cbind(successes, failures) fit), and ℓ differs by Σ log C(m, y) only.
TEST(Trials, OneExpertIsTheBernoulliRowFit) {
  const moe::Dataset data = with_trials(400, 81);
  const moe::Fit fit = moe::EM(moe::EMOptions{}).fit(data, 1, moe::Family::binomial);
  const moe::Fit rows = moe::EM(moe::EMOptions{}).fit(as_bernoulli_rows(data), 1, moe::Family::binomial);
  EXPECT_LE(relative_error(fit.model.experts.coef, rows.model.experts.coef), 1e-8);
  EXPECT_NEAR(fit.loglik, rows.loglik + log_binomial_coefficients(data), 1e-8 * std::abs(fit.loglik));
  const arma::vec p = 1.0 / (1.0 + arma::exp(-data.X * fit.model.experts.coef.col(0)));
  EXPECT_LT(arma::abs(data.X.t() * (data.y - data.trials % p)).max(), 1e-6 * arma::accu(data.trials));
}

TEST(Trials, TwoExpertsAreRecoveredByEveryMethod) {
  const moe::Model truth = moe::testing::logistic_truth();
  const moe::Dataset data = with_trials(3000, 82);
  const moe::Fit em = moe::EM(moe::EMOptions{}).fit(data, 2, moe::Family::binomial);
  EXPECT_LT(moe::parameter_error(em.model, truth).experts, 0.1);
  for (const std::string method : {"mirror:0.5", "gd", "squarem"}) {
    SCOPED_TRACE(method);
    const moe::Fit other = moe::make_method(method, moe::testing::tight_settings()).fit_from(data, em.model);
    EXPECT_NEAR(other.loglik, em.loglik, 1e-6 * std::abs(em.loglik));
  }
}

TEST(Trials, GradientMatchesFiniteDifferences) {
  const moe::Dataset data = with_trials(200, 83);
  moe::Model at = moe::testing::logistic_truth();
  at.experts.coef += 0.3;
  EXPECT_LT(moe::testing::gradient_error(at, data), 1e-5);
}

TEST(Trials, BinomialCdfSumsTheProbabilities) {
  for (const double m : {1.0, 7.0, 40.0})
    for (const double p : {0.03, 0.5, 0.9}) {
      double total = 0.0;
      for (double k = 0.0; k <= m; k += 1.0) {
        total += std::exp(std::lgamma(m + 1.0) - std::lgamma(k + 1.0) - std::lgamma(m - k + 1.0) +
                          k * std::log(p) + (m - k) * std::log1p(-p));
        EXPECT_NEAR(moe::binomial_cdf(k, m, p), total, 1e-12) << "m " << m << " p " << p << " k " << k;
      }
      EXPECT_EQ(moe::binomial_cdf(-1.0, m, p), 0.0);
    }
}

// Randomized PIT of data drawn from the fitted law is uniform: mean 1/2, variance 1/12.
TEST(Trials, ThePitOfTheTruthIsUniform) {
  const moe::Dataset data = with_trials(20000, 84);
  moe::Rng rng(5);
  const arma::vec pit = moe::randomized_pit(moe::testing::logistic_truth(), data.X, data.Z, data.y, rng, {}, data.trials);
  EXPECT_NEAR(arma::mean(pit), 0.5, 0.01);
  EXPECT_NEAR(arma::var(pit), 1.0 / 12.0, 0.005);
  const arma::mat q = moe::predictive_quantiles(moe::testing::logistic_truth(), data.X, data.Z, arma::vec{0.5}, {}, data.trials);
  EXPECT_TRUE(arma::all(q.col(0) <= data.trials));
}

void expect_refused(const moe::Dataset& data, moe::Family family, const std::string& words) {
  try {
    moe::validate(data, family, 2);
    ADD_FAILURE() << "accepted: " << words;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(Trials, BadTrialsAreRefused) {
  const moe::Dataset good = with_trials(100, 85);
  moe::Dataset more = good;
  more.y(3) = more.trials(3) + 1.0;
  expect_refused(more, moe::Family::binomial, "successes must be whole numbers from 0 to the trials (row 4");
  moe::Dataset fraction = good;
  fraction.trials(0) = 2.5;
  expect_refused(fraction, moe::Family::binomial, "trials must be whole numbers, 1 or more (row 1 has 2.5)");
  moe::Dataset zero = good;
  zero.trials(1) = 0.0;
  expect_refused(zero, moe::Family::binomial, "trials must be whole numbers, 1 or more (row 2");
  moe::Dataset negative = good;
  negative.y(2) = -1.0;
  expect_refused(negative, moe::Family::binomial, "successes must be whole numbers");
  moe::Dataset short_trials = good;
  short_trials.trials.resize(99);
  expect_refused(short_trials, moe::Family::binomial, "99 trials for 100 rows");
  expect_refused(good, moe::Family::poisson, "trials are for the binomial family only");
}

}  // namespace
