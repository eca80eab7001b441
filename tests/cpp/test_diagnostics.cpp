#include <gtest/gtest.h>

#include <cmath>

#include "helpers.hpp"
#include "moe/diagnostics.hpp"
#include "moe/em.hpp"
#include "moe/local_rates.hpp"
#include "moe/standard_errors.hpp"
#include "moe/matching.hpp"

namespace {

using moe::testing::draw;
using moe::testing::make_model;

/// Rows t = 0..T with ℓ_t = best − c·ρ^t, seconds = 0.1·t and deltas filled in.
moe::Trace geometric_trace(double best, double c, double rho, arma::uword T) {
  moe::Trace trace;
  for (arma::uword t = 0; t <= T; ++t) {
    moe::TraceRow row;
    row.iteration = t;
    row.loglik = best - c * std::pow(rho, static_cast<double>(t));
    row.seconds = 0.1 * static_cast<double>(t);
    if (t > 0) row.delta = row.loglik - trace.rows.back().loglik;
    trace.rows.push_back(row);
  }
  return trace;
}

TEST(Diagnostics, GeometricTrace) {
  const double best = -1000.0, c = 100.0, rho = 0.5;
  const arma::uword T = 40;
  const moe::Trace trace = geometric_trace(best, c, rho, T);
  for (double rel : {1e-6, 1e-3}) {
    const moe::Diagnostics d = moe::diagnose(trace, best, rel);
    // First t with c·ρ^t ≤ rel·|ℓ*|.
    const double exact = std::log(rel * std::abs(best) / c) / std::log(rho);
    const auto first = static_cast<arma::uword>(std::ceil(exact));
    ASSERT_GT(std::abs(exact - std::round(exact)), 1e-3);  // not on a boundary
    EXPECT_TRUE(d.reached_target);
    EXPECT_EQ(d.iterations_to_target, first) << "rel " << rel;
    EXPECT_NEAR(d.seconds_to_target, 0.1 * static_cast<double>(first), 1e-12);
    EXPECT_NEAR(d.linear_rate, rho, 1e-9);
    EXPECT_EQ(d.decreases, 0u);
    EXPECT_EQ(d.iterations, T);
    EXPECT_NEAR(d.seconds, 0.1 * static_cast<double>(T), 1e-12);
    EXPECT_EQ(d.final_loglik, trace.rows.back().loglik);
  }
  // A slower sequence gives its own rate.
  EXPECT_NEAR(moe::diagnose(geometric_trace(best, c, 0.9, 150), best).linear_rate, 0.9, 1e-9);
}

TEST(Diagnostics, TargetAboveEveryRowIsNotReached) {
  const moe::Trace trace = geometric_trace(-1000.0, 100.0, 0.5, 20);
  const moe::Diagnostics d = moe::diagnose(trace, -990.0, 1e-6);
  EXPECT_FALSE(d.reached_target);
  EXPECT_TRUE(std::isnan(d.seconds_to_target));
}

TEST(Diagnostics, CountsAnInsertedDecrease) {
  moe::Trace trace = geometric_trace(-1000.0, 100.0, 0.5, 20);
  // Iteration 8 falls back by 1 from iteration 7; iteration 9 recovers.
  trace.rows[8].loglik = trace.rows[7].loglik - 1.0;
  trace.rows[8].delta = -1.0;
  trace.rows[9].delta = trace.rows[9].loglik - trace.rows[8].loglik;
  EXPECT_EQ(moe::diagnose(trace, -1000.0).decreases, 1u);
  ASSERT_EQ(trace.decreases().size(), 1u);
  EXPECT_EQ(trace.decreases()[0], 8u);
}

TEST(Diagnostics, RateUndefinedWithoutTwoGaps) {
  moe::Trace trace = geometric_trace(-1000.0, 100.0, 0.5, 3);
  for (moe::TraceRow& row : trace.rows) row.loglik = -1000.0;  // all at ℓ*
  EXPECT_TRUE(std::isnan(moe::diagnose(trace, -1000.0).linear_rate));
  EXPECT_TRUE(moe::diagnose(trace, -1000.0).reached_target);
  EXPECT_EQ(moe::diagnose(trace, -1000.0).iterations_to_target, 0u);
}

// Gaps at round-off (here exactly 0 once ℓ* is reached) take no part in the rate.
TEST(Diagnostics, RateIgnoresGapsAtRoundOff) {
  moe::Trace trace = geometric_trace(-1000.0, 100.0, 0.25, 6);
  for (std::size_t t = 2; t < trace.rows.size(); ++t) trace.rows[t].loglik = -1000.0;
  EXPECT_NEAR(moe::diagnose(trace, -1000.0).linear_rate, 0.25, 1e-12);  // the one ratio (t = 0 → 1)
}

TEST(Diagnostics, BoundaryWarningsFollowGlm) {
  const arma::mat X = arma::join_horiz(arma::ones(3, 1), arma::vec{-1.0, 0.0, 1.0});
  const arma::mat gate = arma::zeros(1, 1);
  const auto warning = [&](moe::Family family, double slope) {
    return moe::boundary_warning(make_model(family, gate, arma::mat(arma::vec{0.0, slope}), {1.0}), X);
  };
  EXPECT_EQ(warning(moe::Family::binomial, 33.0), "");
  EXPECT_NE(warning(moe::Family::binomial, 34.0).find("probabilities numerically 0 or 1"), std::string::npos);
  EXPECT_EQ(warning(moe::Family::poisson, 29.0), "");  // rates from e^−29 to e^29
  EXPECT_NE(warning(moe::Family::poisson, 31.0).find("rates numerically 0"), std::string::npos);
  EXPECT_EQ(warning(moe::Family::gaussian, 1e6), "");
  EXPECT_EQ(moe::boundary_warning(make_model(moe::Family::poisson, gate, arma::mat(arma::vec{0.0, 29.0})), X,
                                  arma::vec{-2.0, 0.0, 0.0}),
            moe::boundary_warning(make_model(moe::Family::poisson, gate, arma::mat(arma::vec{0.0, 31.0})), X))
      << "the offset counts";
}

// Rows at z = 0..4 and 6..10: the gate's log-odds s (z − 5) give expert 1 the
// rows above the gap, and the rows next to it log-odds ±s: soft at s = 3.4,
// hard at every row once s > 15.
TEST(Diagnostics, GateSeparationWarningWhenEveryRowIsHard) {
  arma::vec z = arma::regspace(0.0, 9.0);
  z.tail(5) += 1.0;
  const arma::mat Z = arma::join_horiz(arma::ones(z.n_elem, 1), z);
  const auto warning = [&](double slope) {
    const arma::mat gate = {{-5.0 * slope, 0.0}, {slope, 0.0}};
    return moe::gate_separation_warning(make_model(moe::Family::gaussian, gate, {{0.0, 4.0}}, {1.0, 1.0}), Z);
  };
  EXPECT_EQ(warning(3.4), "");
  EXPECT_EQ(warning(14.9), "");  // log-odds ±14.9 at z = 4 and 6
  EXPECT_NE(warning(15.1).find("the gate splits the experts into groups that share no row, {1} and {2}: the probability of each group is numerically 0 or 1 at every row"), std::string::npos) << warning(15.1);
  // expert 1 hard (slope 20 at the gap), experts 2 and 3 soft between them about z = 2
  const arma::mat three = {{-5.0 * 20.0, 2.0, 0.0}, {20.0, -1.0, 0.0}};
  const moe::Model model = make_model(moe::Family::gaussian, three, {{0.0, 4.0, 8.0}}, {1.0, 1.0, 1.0});
  EXPECT_NE(moe::gate_separation_warning(model, Z).find("groups that share no row, {1} and {2, 3}:"), std::string::npos)
      << moe::gate_separation_warning(model, Z);
  // two groups of two, soft within each (as on mcycle with four quadratic experts): {1, 3} against {2, 4}
  const arma::mat pairs = {{-5.0 * 20.0, 0.5, -5.0 * 20.0 - 0.3, 0.0}, {20.0, 0.0, 20.0, 0.0}};
  const moe::Model four = make_model(moe::Family::gaussian, pairs, {{0.0, 4.0, 8.0, 12.0}}, {1.0, 1.0, 1.0, 1.0});
  EXPECT_NE(moe::gate_separation_warning(four, Z).find("groups that share no row, {1, 3} and {2, 4}:"), std::string::npos)
      << moe::gate_separation_warning(four, Z);
  // a boundary through a tied value (two rows at z = 5, soft there) splits as well; through
  // several values (slope 1: soft from z = 0 to 10) it does not
  const arma::vec tied = {0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 6.0, 7.0, 8.0, 9.0};
  const arma::mat Zt = arma::join_horiz(arma::ones(tied.n_elem, 1), tied);
  const auto tied_warning = [&](double slope) {
    const arma::mat gate = {{-5.0 * slope, 0.0}, {slope, 0.0}};
    return moe::gate_separation_warning(make_model(moe::Family::gaussian, gate, {{0.0, 4.0}}, {1.0, 1.0}), Zt);
  };
  EXPECT_NE(tied_warning(40.0).find("groups that share no row but at one value of the gate's covariates (2 rows), {1} and {2}"),
            std::string::npos) << tied_warning(40.0);
  EXPECT_EQ(tied_warning(1.0), "");
  // an expert without a row is left out: with experts 1 and 2 soft, no groups
  const arma::mat empty_third = {{0.0, 0.5, -100.0}, {0.0, 0.0, 0.0}};
  EXPECT_EQ(moe::gate_separation_warning(make_model(moe::Family::gaussian, empty_third, {{0.0, 4.0, 8.0}}, {1.0, 1.0, 1.0}), Z), "");
  EXPECT_EQ(moe::gate_separation_warning(model, Z.col(0)), "") << "no gate covariates";
  EXPECT_EQ(moe::gate_separation_warning(make_model(moe::Family::gaussian, arma::zeros(2, 1), arma::zeros(1, 1), {1.0}), Z), "")
      << "one expert";
}

// At the gate's separation (the rows of the test above, y near each expert's
// mean) there is no maximum: no standard errors and no local rates, with the
// same note; the soft gate of slope 1 has both.
TEST(Diagnostics, NoStandardErrorsNorRatesAtABoundary) {
  arma::vec z = arma::regspace(0.0, 9.0);
  z.tail(5) += 1.0;
  moe::Dataset data;
  data.Z = arma::join_horiz(arma::ones(z.n_elem, 1), z);
  data.X = arma::ones(z.n_elem, 1);
  data.y = {0.3, -0.5, 0.8, -1.1, 0.2, 4.4, 3.1, 5.2, 3.7, 4.9};
  const auto model = [](double slope) {
    return make_model(moe::Family::gaussian, arma::mat{{-5.0 * slope, 0.0}, {slope, 0.0}}, {{4.0, 0.0}}, {1.0, 1.0});
  };
  ASSERT_NE(moe::boundary_warnings(model(20.0), data), "");
  const moe::StandardErrors at_boundary = moe::standard_errors(model(20.0), data);
  EXPECT_FALSE(at_boundary.valid);
  EXPECT_EQ(at_boundary.note, moe::at_boundary_note);
  EXPECT_TRUE(at_boundary.experts.has_nan());
  const moe::LocalRates rates(model(20.0), data);
  EXPECT_FALSE(rates.valid());
  EXPECT_EQ(rates.note(), moe::at_boundary_note);
  ASSERT_EQ(moe::boundary_warnings(model(1.0), data), "");
  EXPECT_NE(moe::standard_errors(model(1.0), data).note, moe::at_boundary_note);
  EXPECT_NE(moe::LocalRates(model(1.0), data).note(), moe::at_boundary_note);
}

TEST(Diagnostics, SignalToNoise) {
  const arma::mat ones(50, 1, arma::fill::ones);
  const arma::mat gate2 = arma::zeros(1, 2);
  // Means 0 and 4 everywhere: separation 4, noise √((σ₁² + σ₂²)/2).
  EXPECT_NEAR(moe::snr_estimate(make_model(moe::Family::gaussian, gate2, {{0.0, 4.0}}, {1.0, 1.0}), ones), 4.0, 1e-12);
  EXPECT_NEAR(moe::snr_estimate(make_model(moe::Family::gaussian, gate2, {{0.0, 4.0}}, {1.0, 7.0}), ones), 0.8, 1e-12);
  EXPECT_NEAR(moe::snr_estimate(make_model(moe::Family::binomial, gate2, {{0.0, 4.0}}), ones),
              4.0 / (arma::datum::pi / std::sqrt(3.0)), 1e-12);
  // Poisson means 1 and 4: log 4 apart, in units of 1/√μ at the mean count 2.5.
  EXPECT_NEAR(moe::snr_estimate(make_model(moe::Family::poisson, gate2, {{0.0, std::log(4.0)}}), ones),
              std::log(4.0) * std::sqrt(2.5), 1e-12);
  // The minimum over pairs: means 0, 4, 10 → the 0–4 pair.
  EXPECT_NEAR(moe::snr_estimate(make_model(moe::Family::gaussian, arma::zeros(1, 3), {{0.0, 4.0, 10.0}},
                                           {1.0, 1.0, 1.0}),
                                ones),
              4.0, 1e-12);
  // K = 1: nothing to separate.
  EXPECT_TRUE(std::isinf(moe::snr_estimate(make_model(moe::Family::gaussian, arma::zeros(1, 1), arma::mat(1, 1, arma::fill::ones), arma::vec{1.0}), ones)));
  // A covariate: root mean square of x·(β₁ − β₂) over the rows.
  moe::Rng rng(5);
  const arma::mat X = moe::testing::random_design(200, 1, rng);
  const arma::mat beta = {{1.0, -1.0}, {0.5, 2.0}};
  const arma::vec diff = X * (beta.col(0) - beta.col(1));
  const double expected = std::sqrt(arma::accu(arma::square(diff)) / 200.0) / std::sqrt(0.5 * (4.0 + 9.0));
  EXPECT_NEAR(moe::snr_estimate(make_model(moe::Family::gaussian, gate2, beta, {2.0, 3.0}), X), expected, 1e-12);
}

// One start, no moves: the trace is of one run from start 0's model.
moe::EMOptions em_options() {
  moe::EMOptions o;
  o.control.tol = 1e-10;
  o.control.seed = 3;
  o.control.starts = 1;
  o.control.split_merge = false;
  return o;
}

TEST(Diagnostics, TraceParameterErrorAgainstTruth) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = draw(truth, 1000, 300);
  moe::EMOptions o = em_options();
  o.control.truth = truth;
  const moe::Fit fit = moe::EM(o).fit(data, 3, moe::Family::gaussian);
  ASSERT_GE(fit.trace.rows.size(), 3u);
  for (const moe::TraceRow& row : fit.trace.rows) {
    EXPECT_TRUE(std::isfinite(row.param_error)) << "iteration " << row.iteration;
    EXPECT_GE(row.param_error, 0.0);
  }
  EXPECT_DOUBLE_EQ(fit.trace.rows.back().param_error, moe::parameter_error(fit.model, truth).experts);
  const moe::Model start = moe::EM(o).initial_model(data, 3, moe::Family::gaussian, false, 0);
  EXPECT_DOUBLE_EQ(fit.trace.rows.front().param_error, moe::parameter_error(start, truth).experts);

  const moe::Fit without = moe::EM(em_options()).fit(data, 3, moe::Family::gaussian);
  for (const moe::TraceRow& row : without.trace.rows) EXPECT_TRUE(std::isnan(row.param_error));
}

TEST(Diagnostics, TraceGradientNorm) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 1000, 310);
  const moe::EMOptions o = em_options();
  const moe::Fit fit = moe::EM(o).fit(data, 3, moe::Family::gaussian);
  ASSERT_TRUE(fit.converged);
  ASSERT_GE(fit.trace.rows.size(), 5u);
  const double n = static_cast<double>(data.n());
  const double last = fit.trace.rows.back().grad_norm, first = fit.trace.rows.front().grad_norm;
  EXPECT_NEAR(last, arma::norm(moe::gradient(fit.model, data)), 1e-10 * (1.0 + last));
  EXPECT_LT(last / n, 1e-3);
  EXPECT_LT(last, 1e-2 * first);
  // An intermediate row: the model after 3 iterations, rebuilt by a short run.
  moe::EMOptions short_run = o;
  short_run.control.tol = 0.0;
  short_run.control.max_iter = 3;
  const moe::Fit three = moe::EM(short_run).fit(data, 3, moe::Family::gaussian);
  const double g3 = arma::norm(moe::gradient(three.model, data));
  EXPECT_NEAR(fit.trace.rows[3].grad_norm, g3, 1e-10 * (1.0 + g3));
  // Not recorded: NaN.
  moe::EMOptions off = o;
  off.control.record_gradient = false;
  for (const moe::TraceRow& row : moe::EM(off).fit(data, 3, moe::Family::gaussian).trace.rows)
    EXPECT_TRUE(std::isnan(row.grad_norm));
}

}  // namespace
