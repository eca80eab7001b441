#include <gtest/gtest.h>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/matching.hpp"
#include "moe/posterior.hpp"

namespace {

using moe::testing::draw;

moe::EMOptions options_with(arma::uword starts, std::uint64_t seed) {
  moe::EMOptions options;
  options.control.starts = starts;
  options.control.seed = seed;
  options.control.tol = 1e-10;
  return options;
}

// High SNR (expert means several σ apart over most of the data), n = 20000:
// parameters are recovered after label matching. Tolerances are about twice the
// largest error seen over four data seeds (errors shrink as 1/√n: at n = 200000
// they are 0.005 / 0.004 / 0.04 for β / σ / gate).
TEST(EM, RecoversGaussianExperts) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = draw(truth, 20000, 21);
  const moe::Fit fit = moe::EM(options_with(3, 1)).fit(data, 3, moe::Family::gaussian);
  const moe::ParameterError err = moe::parameter_error(fit.model, truth);
  EXPECT_TRUE(fit.converged);
  EXPECT_LT(err.experts, 0.05);
  EXPECT_LT(err.sigma, 0.05);
  EXPECT_LT(err.gate, 0.25);
  EXPECT_GE(fit.loglik, moe::log_likelihood(truth, data));  // the MLE beats the truth
}

TEST(EM, RecoversLogisticExperts) {
  const moe::Model truth = moe::testing::logistic_truth();
  const moe::Dataset data = draw(truth, 20000, 22);
  const moe::Fit fit = moe::EM(options_with(3, 2)).fit(data, 2, moe::Family::binomial);
  const moe::ParameterError err = moe::parameter_error(fit.model, truth);
  EXPECT_TRUE(fit.converged);
  EXPECT_LT(err.experts, 0.4);
  EXPECT_LT(err.gate, 0.4);
  EXPECT_GE(fit.loglik, moe::log_likelihood(truth, data));
}

TEST(EM, RecoversPoissonExperts) {
  const moe::Model truth = moe::testing::poisson_truth();
  const moe::Dataset data = draw(truth, 20000, 23);
  const moe::Fit fit = moe::EM(options_with(3, 3)).fit(data, 2, moe::Family::poisson);
  const moe::ParameterError err = moe::parameter_error(fit.model, truth);
  EXPECT_TRUE(fit.converged);
  EXPECT_LT(err.experts, 0.05);
  EXPECT_LT(err.gate, 0.25);
  EXPECT_GE(fit.loglik, moe::log_likelihood(truth, data));
}

// Counts near 1e11 (log-means near 25): IRLS starts where glm does (the
// least-squares fit of log(y + 0.1)), not at β = 0, from which no halved Newton
// step gains; the fit solves the score equations.
TEST(EM, FitsVeryLargeCounts) {
  moe::Model truth = moe::testing::make_model(moe::Family::poisson, arma::zeros(1, 1), arma::mat(arma::vec{25.0, 0.5}));
  const moe::Dataset data = draw(truth, 500, 24);
  const moe::Fit fit = moe::EM(options_with(1, 4)).fit(data, 1, moe::Family::poisson);
  const arma::vec mu = arma::exp(data.X * fit.model.experts.coef.col(0));
  EXPECT_LT(arma::abs(data.X.t() * (data.y - mu)).max(), 1e-9 * arma::accu(data.y));
  EXPECT_NEAR(fit.model.experts.coef(0, 0), 25.0, 1e-3);
}

// The likelihood does not depend on the covariates' units or offsets (the
// intercepts absorb an offset), so neither should the fit: the M-steps' ridge
// and damping are relative to each coordinate's own curvature. A covariate
// offset by 2000 standard deviations (a year, say) or scaled by 1e6 gives the
// same maximum in about as many iterations.
TEST(EM, TheFitDoesNotDependOnTheCovariatesUnitsOrOffsets) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 2000, 23);
  const moe::EM em(options_with(1, 3));
  const moe::Fit reference = em.fit(data, 3, moe::Family::gaussian);
  ASSERT_TRUE(reference.converged);
  for (const auto& [offset, scale] : {std::pair{2000.0, 1.0}, std::pair{0.0, 1e6}, std::pair{0.0, 1e-6}}) {
    moe::Dataset moved = data;
    moved.X.col(1) = moved.X.col(1) * scale + offset;
    moved.Z.col(1) = moved.Z.col(1) * scale + offset;
    const moe::Fit fit = em.fit(moved, 3, moe::Family::gaussian);
    EXPECT_TRUE(fit.converged) << "offset " << offset << ", scale " << scale;
    EXPECT_NEAR(fit.loglik, reference.loglik, 1e-7 * std::abs(reference.loglik)) << "offset " << offset;
    EXPECT_LE(fit.iterations, reference.iterations + 3) << "offset " << offset << ", scale " << scale;
  }
}

void expect_monotone(const moe::Fit& fit) {
  EXPECT_TRUE(fit.trace.decreases().empty());
  for (std::size_t i = 1; i < fit.trace.rows.size(); ++i)
    EXPECT_GE(fit.trace.rows[i].delta, -1e-10 * (1.0 + std::abs(fit.trace.rows[i].loglik)))
        << "iteration " << i;
}

TEST(EM, LogLikelihoodNeverDecreases) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const moe::Dataset g = draw(moe::testing::gaussian_truth(), 500, 30 + seed);
    moe::EMOptions options = options_with(1, seed);
    options.control.init = moe::InitMethod::random;
    expect_monotone(moe::EM(options).fit(g, 3, moe::Family::gaussian));
    expect_monotone(moe::EM(options).fit(g, 4, moe::Family::gaussian, true));
    const moe::Dataset b = draw(moe::testing::logistic_truth(), 500, 40 + seed);
    expect_monotone(moe::EM(options).fit(b, 2, moe::Family::binomial));
    const moe::Dataset c = draw(moe::testing::poisson_truth(), 500, 50 + seed);
    expect_monotone(moe::EM(options).fit(c, 3, moe::Family::poisson));
    options.exact_gate = false;  // generalized EM: one safeguarded Newton step
    expect_monotone(moe::EM(options).fit(g, 3, moe::Family::gaussian));
    expect_monotone(moe::EM(options).fit(b, 3, moe::Family::binomial));
    expect_monotone(moe::EM(options).fit(c, 2, moe::Family::poisson));
  }
}

TEST(EM, SameSeedSameFitDifferentSeedDifferentStart) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 400, 9);
  moe::EMOptions options = options_with(3, 5);
  options.control.init = moe::InitMethod::random;
  const moe::Fit a = moe::EM(options).fit(data, 3, moe::Family::gaussian);
  const moe::Fit b = moe::EM(options).fit(data, 3, moe::Family::gaussian);
  EXPECT_EQ(a.start_logliks, b.start_logliks);
  EXPECT_TRUE(arma::approx_equal(a.model.experts.coef, b.model.experts.coef, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(a.model.gate.coef, b.model.gate.coef, "absdiff", 0.0));
  options.control.seed = 6;
  const moe::Fit c = moe::EM(options).fit(data, 3, moe::Family::gaussian);
  EXPECT_NE(a.trace.rows.front().loglik, c.trace.rows.front().loglik);
}

TEST(EM, BestOfStartsIsTheMaximum) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 300, 10);
  moe::EMOptions options = options_with(5, 3);
  options.control.init = moe::InitMethod::random;
  const moe::Fit fit = moe::EM(options).fit(data, 3, moe::Family::gaussian);
  ASSERT_EQ(fit.start_logliks.size(), 5u);
  EXPECT_EQ(fit.loglik, *std::max_element(fit.start_logliks.begin(), fit.start_logliks.end()));
  EXPECT_EQ(fit.loglik, fit.start_logliks[fit.best_start]);
}

// iterate()'s stopping rule: a run whose ℓ stops changing below where it
// started has diverged (a fixed step or Adam's rate too large), not converged;
// one that stops changing above its start has converged. The steps here
// inflate σ three times (ℓ falls), then leave the model as it is.
TEST(Iterate, AStallBelowTheStartIsDivergenceNotConvergence) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 300, 13);
  for (const double factor : {10.0, 0.5}) {
    moe::HostPosterior posterior(data, moe::cpu_kernels());
    int calls = 0;
    const moe::Step step = [&](const moe::Model& current) {
      moe::Model next = current;
      if (++calls <= 3) next.experts.sigma *= factor;
      return next;
    };
    moe::IterationControl control;
    control.tol = 1e-8;
    control.max_iter = 50;
    moe::Model start = moe::testing::gaussian_truth();
    start.experts.sigma *= 4.0;
    const moe::Fit fit = moe::iterate(data, start, posterior, step, control, 0);
    const bool fell = factor > 1.0;
    EXPECT_EQ(fit.trace.stop_reason, fell ? moe::StopReason::diverged : moe::StopReason::converged) << factor;
    EXPECT_EQ(fit.converged, !fell) << factor;
    EXPECT_EQ(fit.iterations, 4u) << factor;  // three changes, then one step without change
  }
}

// A run that reaches its iteration limit below where it started has diverged
// too: it is not a maximum, and the message says so.
TEST(Iterate, TheIterationLimitBelowTheStartIsDivergence) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 300, 13);
  moe::HostPosterior posterior(data, moe::cpu_kernels());
  const moe::Step inflate = [](const moe::Model& current) {
    moe::Model next = current;
    next.experts.sigma *= 2.0;
    return next;
  };
  moe::IterationControl control;
  control.max_iter = 3;
  const moe::Fit fit = moe::iterate(data, moe::testing::gaussian_truth(), posterior, inflate, control, 0);
  EXPECT_EQ(fit.trace.stop_reason, moe::StopReason::diverged);
  EXPECT_FALSE(fit.converged);
  EXPECT_NE(fit.trace.message.find("ended below where it started"), std::string::npos) << fit.trace.message;
}

TEST(EM, SingleExpertIsOrdinaryLeastSquares) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 200, 12);
  const moe::Fit fit = moe::EM(options_with(1, 1)).fit(data, 1, moe::Family::gaussian);
  const arma::vec ols = arma::solve(data.X, data.y);
  EXPECT_LT(arma::abs(fit.model.experts.coef.col(0) - ols).max(), 1e-8);
  const double rss = arma::accu(arma::square(data.y - data.X * ols));
  EXPECT_NEAR(fit.model.experts.sigma(0), std::sqrt(rss / 200.0), 1e-8);
  const double n = 200.0;
  EXPECT_NEAR(fit.loglik, -0.5 * n * (std::log(2 * M_PI * rss / n) + 1.0), 1e-8);
}

TEST(EM, StopsAfterExactlyMaxIterWhenTolIsZero) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 300, 13);
  moe::EMOptions options = options_with(1, 1);
  options.control.tol = 0.0;
  options.control.max_iter = 7;
  const moe::Fit fit = moe::EM(options).fit(data, 3, moe::Family::gaussian);
  EXPECT_EQ(fit.iterations, 7u);
  EXPECT_EQ(fit.trace.rows.size(), 8u);
  EXPECT_EQ(fit.trace.stop_reason, moe::StopReason::max_iter);
  EXPECT_FALSE(fit.converged);
}

TEST(EM, TooManyExpertsStayFinite) {
  // Six experts for data from three, a collinear-looking tiny data set: some
  // experts end up (nearly) empty; nothing may become NaN.
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 40, 14);
  moe::EMOptions options = options_with(3, 4);
  options.control.max_iter = 300;
  const moe::Fit fit = moe::EM(options).fit(data, 6, moe::Family::gaussian);
  EXPECT_TRUE(std::isfinite(fit.loglik));
  EXPECT_TRUE(fit.model.experts.coef.is_finite());
  EXPECT_TRUE(fit.model.gate.coef.is_finite());
  const double floor = moe::EM(options).expert_options(data).variance_floor;  // an expert may sit on it, not below
  EXPECT_TRUE(arma::all(fit.model.experts.sigma >= std::sqrt(floor) * (1 - 1e-12)));
  expect_monotone(fit);
}

TEST(EM, FitFromTruthStaysNearTruthAndCountsParameters) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = draw(truth, 5000, 15);
  const moe::Fit fit = moe::EM(options_with(1, 1)).fit_from(data, truth);
  EXPECT_LT(moe::parameter_error(fit.model, truth).experts, 0.1);
  EXPECT_EQ(fit.model.n_free(), 2u * 2u + 3u * 2u + 3u);
  EXPECT_NEAR(fit.bic - fit.aic, 13.0 * (std::log(5000.0) - 2.0), 1e-9);
}

TEST(EM, RejectsBadOptions) {
  moe::EMOptions options;
  options.control.starts = 0;
  EXPECT_THROW(moe::EM{options}, std::invalid_argument);
  options.control.starts = 1;
  options.control.kernels = nullptr;
  EXPECT_THROW(moe::EM{options}, std::invalid_argument);
}

}  // namespace
