#include <gtest/gtest.h>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/matching.hpp"

namespace {

using moe::testing::draw;
using moe::testing::make_model;

moe::Fit fit_by(const std::string& method, const moe::Dataset& data, const moe::Model& start) {
  moe::MethodSettings settings;
  settings.control.tol = 1e-13;
  settings.control.max_iter = 20000;
  return moe::make_method(method, settings).fit_from(data, start);
}

// Overlapping experts of every family, where EM is slow.
std::vector<moe::Model> slow_truths() {
  return {make_model(moe::Family::gaussian, {{0.3, 0.0}, {1.5, 0.0}}, {{0.0, 1.0}, {1.0, -0.5}}, {1.0, 0.8}),
          make_model(moe::Family::binomial, {{0.2, 0.0}, {1.0, 0.0}}, {{0.5, -0.5}, {1.0, -1.0}}),
          make_model(moe::Family::poisson, {{0.3, 0.0}, {1.0, 0.0}}, {{1.0, 0.3}, {1.3, -0.3}})};
}

TEST(Squarem, ReachesEmsMaximumInFewerIterationsWithoutLoweringTheLikelihood) {
  for (const moe::Model& truth : slow_truths()) {
    moe::Dataset data = draw(truth, 3000, 12);
    data.weights = arma::linspace(0.5, 1.5, data.n());  // any data EM takes
    data.offset = 0.05 * arma::cos(arma::linspace(0.0, 30.0, data.n()));
    const moe::Model start = moe::EM().initial_model(data, 2, truth.experts.family, false, 0);
    const moe::Fit em = fit_by("em", data, start), fast = fit_by("squarem", data, start);
    const std::string family = to_string(truth.experts.family);
    ASSERT_TRUE(em.converged && fast.converged) << family;
    EXPECT_NEAR(fast.loglik, em.loglik, 1e-8 * std::abs(em.loglik)) << family;
    EXPECT_TRUE(fast.trace.decreases().empty()) << family;
    EXPECT_LT(3 * fast.iterations, em.iterations) << family << ": " << fast.iterations << " against " << em.iterations;
    // the same maximum (slow EM stops with its parameters still about 1e-4 off)
    EXPECT_LT(moe::parameter_error(fast.model, em.model).experts, 1e-3) << family;
  }
}

TEST(Squarem, FitsFromStartsAsEmDoes) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 1000, 13);
  moe::MethodSettings settings;
  settings.control.starts = 3;
  const moe::Fit em = moe::make_method("em", settings).fit(data, 3, moe::Family::gaussian, false);
  const moe::Fit fast = moe::make_method("squarem", settings).fit(data, 3, moe::Family::gaussian, false);
  EXPECT_NEAR(fast.loglik, em.loglik, 1e-6 * std::abs(em.loglik));
  EXPECT_EQ(fast.start_logliks.size(), 3u);
  EXPECT_THROW(moe::make_method("squarem:2", settings), std::invalid_argument);  // no step to give
}

}  // namespace
