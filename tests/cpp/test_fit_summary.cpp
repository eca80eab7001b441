// What every door reports about a fit (fit_summary.hpp): the same numbers as
// the functions it gathers, and the costly part only when asked.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "moe/diagnostics.hpp"
#include "moe/fit_summary.hpp"
#include "moe/selection.hpp"

namespace {

TEST(FitSummary, GathersTheDiagnosticsAndTheStandardErrorsOnce) {
  const moe::Dataset data = moe::testing::draw(moe::testing::gaussian_truth(), 400, 3);
  const moe::Method em = moe::make_method("em", moe::testing::tight_settings());
  const moe::Fit fit = em.fit(data, 3, moe::Family::gaussian, false);
  const moe::FitSummary cheap = moe::summarize(fit, data, em, false);
  EXPECT_DOUBLE_EQ(cheap.linear_rate, moe::diagnose(fit.trace, fit.loglik).linear_rate);
  EXPECT_DOUBLE_EQ(cheap.snr, moe::snr_estimate(fit.model, data.X, data.offset, data.weights));
  EXPECT_DOUBLE_EQ(cheap.icl, moe::icl(fit, data));
  EXPECT_EQ(cheap.boundary_warning, moe::boundary_warning(fit.model, data.X, data.offset));
  EXPECT_FALSE(cheap.se.has_value());
  EXPECT_FALSE(cheap.rates_valid);

  const moe::FitSummary full = moe::summarize(fit, data, em, true);
  ASSERT_TRUE(full.se.has_value());
  const moe::StandardErrors direct = moe::standard_errors(fit.model, data);
  EXPECT_TRUE(full.se->valid);
  EXPECT_TRUE(arma::approx_equal(full.se->experts, direct.experts, "reldiff", 1e-12));
  EXPECT_TRUE(arma::approx_equal(full.se->gate, direct.gate, "reldiff", 1e-12));
  ASSERT_TRUE(full.rates_valid) << full.rates_note;
  const moe::LocalRates rates(fit.model, data);
  EXPECT_NEAR(full.rates.em, std::pow(rates.em(), 2), 1e-12);
  EXPECT_NEAR(full.rates.method, full.rates.em, 1e-12);  // the method is EM
  EXPECT_GT(full.rates.em, 0.0);
  EXPECT_LT(full.rates.em, 1.0);
}

}  // namespace
