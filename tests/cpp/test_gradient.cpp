#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/expert_mstep.hpp"
#include "moe/gate_mstep.hpp"
#include "moe/gradient.hpp"

namespace {

using moe::testing::draw;
using moe::testing::make_model;

/// `model` with every packed parameter moved by scale·N(0, 1).
moe::Model perturbed(const moe::Model& model, double scale, std::uint64_t seed) {
  moe::Rng rng(seed);
  arma::vec theta = moe::pack(model);
  for (double& t : theta) t += scale * rng.normal();
  return moe::unpack(model, theta);
}

/// A 2-expert Gaussian model with a gate on one covariate.
moe::Model two_gaussians() {
  return make_model(moe::Family::gaussian, {{0.5, 0.0}, {2.0, 0.0}}, {{-2.0, 3.0}, {1.5, -1.0}},
                    {0.8, 1.2});
}

moe::GradientOptions options_with(moe::StepRule rule, double step, double tol, arma::uword max_iter) {
  moe::GradientOptions o;
  o.rule = rule;
  o.step = step;
  o.control.tol = tol;
  o.control.max_iter = max_iter;
  return o;
}

/// The logistic regression MLE by plain Newton steps from β = 0.
arma::vec logistic_mle(const arma::mat& X, const arma::vec& y) {
  arma::vec beta(X.n_cols, arma::fill::zeros);
  for (int it = 0; it < 100; ++it) {
    const arma::vec p = 1.0 / (1.0 + arma::exp(-X * beta));
    const arma::vec g = X.t() * (y - p);
    const arma::mat H = X.t() * (X.each_col() % (p % (1.0 - p)));
    const arma::vec step = arma::solve(H, g);
    beta += step;
    if (arma::abs(step).max() < 1e-14 * (1.0 + arma::abs(beta).max())) break;
  }
  return beta;
}

TEST(Gradient, ArmijoNeverDecreasesLogLikelihood) {
  const moe::Model g_truth = moe::testing::gaussian_truth(), b_truth = moe::testing::logistic_truth(),
                   p_truth = moe::testing::poisson_truth();
  for (std::uint64_t s : {1, 2}) {
    for (const moe::Model* truth : {&g_truth, &b_truth, &p_truth}) {
      const moe::Dataset data = draw(*truth, 500, 200 + s);
      const moe::Model start = perturbed(*truth, 0.5, 210 + s);
      const moe::Fit fit =
          moe::GradientAscent(options_with(moe::StepRule::armijo, 1.0, 0.0, 150)).fit_from(data, start);
      ASSERT_GE(fit.trace.rows.size(), 2u);
      for (std::size_t i = 1; i < fit.trace.rows.size(); ++i)
        EXPECT_GE(fit.trace.rows[i].delta, -1e-12 * std::abs(fit.trace.rows[i].loglik))
            << "iteration " << i << " seed " << s;
      EXPECT_GT(fit.loglik, fit.trace.rows.front().loglik + 1.0);
    }
  }
}

TEST(Gradient, SingleGaussianExpertReachesLeastSquares) {
  const moe::Model truth = make_model(moe::Family::gaussian, arma::zeros(1, 1), arma::mat(arma::vec{1.0, 2.0, -0.5}), {1.5});
  const moe::Dataset data = draw(truth, 300, 220);
  const moe::Model start = make_model(moe::Family::gaussian, arma::zeros(1, 1), arma::zeros(3, 1), {3.0});
  // tol = 0: a fixed number of iterations. (With a relative-Δℓ stopping rule
  // Armijo can stop early while zig-zagging across the log σ valley with small
  // ℓ gains but a gradient that no longer shrinks.)
  const moe::Fit fit =
      moe::GradientAscent(options_with(moe::StepRule::armijo, 1.0, 0.0, 400)).fit_from(data, start);
  const arma::vec ols = arma::solve(data.X, data.y);
  const double var = arma::accu(arma::square(data.y - data.X * ols)) / static_cast<double>(data.n());
  EXPECT_LT(arma::abs(fit.model.experts.coef.col(0) - ols).max(), 1e-6);
  EXPECT_NEAR(fit.model.experts.sigma(0) * fit.model.experts.sigma(0), var, 1e-6 * var);
}

TEST(Gradient, SingleLogisticExpertReachesNewtonMLE) {
  const moe::Model truth = make_model(moe::Family::binomial, arma::zeros(1, 1), arma::mat(arma::vec{0.3, -1.2, 0.8}));
  const moe::Dataset data = draw(truth, 500, 230);
  const moe::Model start = make_model(moe::Family::binomial, arma::zeros(1, 1), arma::zeros(3, 1));
  const moe::Fit fit =
      moe::GradientAscent(options_with(moe::StepRule::armijo, 1.0, 0.0, 400)).fit_from(data, start);
  const arma::vec mle = logistic_mle(data.X, data.y);
  EXPECT_LT(arma::abs(fit.model.experts.coef.col(0) - mle).max(), 1e-6)
      << "gd " << fit.model.experts.coef.t() << "newton " << mle.t();
}

void expect_identical(const moe::Fit& a, const moe::Fit& b) {
  ASSERT_EQ(a.trace.rows.size(), b.trace.rows.size());
  for (std::size_t i = 0; i < a.trace.rows.size(); ++i)
    EXPECT_EQ(a.trace.rows[i].loglik, b.trace.rows[i].loglik) << "iteration " << i;
  EXPECT_TRUE(arma::approx_equal(moe::pack(a.model), moe::pack(b.model), "absdiff", 0.0));
}

bool traces_differ(const moe::Fit& a, const moe::Fit& b) {
  if (a.trace.rows.size() != b.trace.rows.size()) return true;
  for (std::size_t i = 0; i < a.trace.rows.size(); ++i)
    if (a.trace.rows[i].loglik != b.trace.rows[i].loglik) return true;
  return false;
}

TEST(Gradient, FixedAndAdamAreDeterministic) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 400, 240);
  const moe::Model start = perturbed(moe::testing::gaussian_truth(), 0.3, 241);
  for (moe::StepRule rule : {moe::StepRule::fixed, moe::StepRule::adam}) {
    const moe::GradientOptions o = options_with(rule, 0.05, 0.0, 30);
    expect_identical(moe::GradientAscent(o).fit_from(data, start),
                     moe::GradientAscent(o).fit_from(data, start));
  }
}

TEST(Gradient, AdamClimbsFullAndMiniBatch) {
  const moe::Model truth = two_gaussians();
  const moe::Dataset data = draw(truth, 1000, 250);
  const moe::Model start = perturbed(truth, 0.5, 251);
  moe::EMOptions em;
  em.control.tol = 1e-10;
  const double best = moe::EM(em).fit_from(data, start).loglik;
  const double initial = moe::log_likelihood(start, data);
  ASSERT_GT(best - initial, 10.0);

  const moe::Fit full = moe::GradientAscent(options_with(moe::StepRule::adam, 0.05, 0.0, 100)).fit_from(data, start);
  EXPECT_EQ(full.trace.rows.front().loglik, initial);
  EXPECT_GT(full.loglik, initial + 0.99 * (best - initial));
  EXPECT_LE(full.loglik, best + 1e-6 * std::abs(best));

  moe::GradientOptions mini = options_with(moe::StepRule::adam, 0.01, 0.0, 20);
  mini.batch_size = 64;
  mini.control.seed = 3;
  const moe::Fit a = moe::GradientAscent(mini).fit_from(data, start);
  EXPECT_GT(a.loglik, initial + 0.99 * (best - initial));
  const moe::Fit b = moe::GradientAscent(mini).fit_from(data, start);
  expect_identical(a, b);
  mini.control.seed = 4;
  const moe::Fit c = moe::GradientAscent(mini).fit_from(data, start);
  EXPECT_TRUE(traces_differ(a, c));
  EXPECT_GT(c.loglik, initial + 0.99 * (best - initial));
}

TEST(Gradient, MiniBatchFixedStepDependsOnSeedOnly) {
  const moe::Dataset data = draw(moe::testing::logistic_truth(), 600, 260);
  const moe::Model start = perturbed(moe::testing::logistic_truth(), 0.5, 261);
  moe::GradientOptions o = options_with(moe::StepRule::fixed, 0.5, 0.0, 10);
  o.batch_size = 50;
  o.control.seed = 11;
  const moe::Fit a = moe::GradientAscent(o).fit_from(data, start);
  expect_identical(a, moe::GradientAscent(o).fit_from(data, start));
  o.control.seed = 12;
  EXPECT_TRUE(traces_differ(a, moe::GradientAscent(o).fit_from(data, start)));
}

// One fixed step is θ + step·∇ℓ(θ)/n.
TEST(Gradient, FixedStepIsOneGradientStepOnMeanLogLikelihood) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 300, 270);
  const moe::Model start = perturbed(moe::testing::gaussian_truth(), 0.3, 271);
  const double step = 0.02;
  const moe::Fit fit = moe::GradientAscent(options_with(moe::StepRule::fixed, step, 0.0, 1)).fit_from(data, start);
  const arma::vec expected =
      moe::pack(start) + step * moe::gradient(start, data) / static_cast<double>(data.n());
  EXPECT_TRUE(arma::approx_equal(moe::pack(fit.model), expected, "absdiff", 1e-12 * (1.0 + arma::abs(expected).max())));
}

/// Q(θ | θ_t) with R_t the responsibilities of θ_t.
double q_objective(const moe::Model& model, const moe::Dataset& data, const arma::mat& R) {
  return moe::gate_objective(model.gate, data.Z, R) +
         arma::accu(moe::expert_objectives(model.experts, data.X, moe::posterior_statistics(R, data.y)));
}


void expect_fisher_identity(const moe::Model& model, const moe::Dataset& data) {
  const arma::mat R = moe::responsibilities(model, data);
  const arma::vec analytic = moe::gradient(model, data);
  const arma::vec of_q = moe::testing::numeric_gradient(model, [&](const moe::Model& m) { return q_objective(m, data, R); });
  const arma::vec of_l = moe::testing::numeric_gradient(model, [&](const moe::Model& m) { return moe::log_likelihood(m, data); });
  const double scale = arma::abs(analytic).max();
  ASSERT_GT(scale, 1.0);  // θ_t is not stationary: the identity is not 0 = 0
  EXPECT_LT(arma::abs(of_q - analytic).max(), 1e-7 * scale) << "∇Q " << of_q.t() << "∇ℓ " << analytic.t();
  EXPECT_LT(arma::abs(of_l - analytic).max(), 1e-7 * scale) << "fd " << of_l.t() << "∇ℓ " << analytic.t();
}

TEST(Gradient, GradientOfMStepObjectiveIsScore) {
  {
    const moe::Model truth = moe::testing::gaussian_truth();
    const moe::Dataset data = draw(truth, 300, 280);
    expect_fisher_identity(perturbed(truth, 0.3, 281), data);
    moe::Model common = perturbed(truth, 0.3, 282);
    common.experts.common_sigma = true;
    common.experts.sigma.fill(0.9);
    expect_fisher_identity(common, data);
  }
  {
    const moe::Model truth = moe::testing::logistic_truth();
    const moe::Dataset data = draw(truth, 300, 283);
    expect_fisher_identity(perturbed(truth, 0.5, 284), data);
  }
  {
    const moe::Model truth = moe::testing::poisson_truth();
    const moe::Dataset data = draw(truth, 300, 285);
    expect_fisher_identity(perturbed(truth, 0.3, 286), data);
  }
}

TEST(Gradient, RejectsInvalidOptions) {
  for (double step : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()}) {
    moe::GradientOptions o;
    o.step = step;
    EXPECT_THROW(moe::GradientAscent{o}, std::invalid_argument) << "step " << step;
  }
  for (double c : {0.0, 1.0, -0.1}) {
    moe::GradientOptions o;
    o.armijo_c = c;
    EXPECT_THROW(moe::GradientAscent{o}, std::invalid_argument) << "armijo_c " << c;
  }
  moe::GradientOptions o;
  o.control.starts = 0;
  EXPECT_THROW(moe::GradientAscent{o}, std::invalid_argument);
  EXPECT_NO_THROW(moe::GradientAscent{moe::GradientOptions{}});
}

TEST(Gradient, ParseStepRuleRoundTrip) {
  for (moe::StepRule rule : {moe::StepRule::fixed, moe::StepRule::armijo, moe::StepRule::adam})
    EXPECT_EQ(moe::parse_step_rule(moe::to_string(rule)), rule);
  EXPECT_EQ(moe::parse_step_rule("adam"), moe::StepRule::adam);
  EXPECT_NE(moe::to_string(moe::StepRule::fixed), moe::to_string(moe::StepRule::armijo));
  EXPECT_NE(moe::to_string(moe::StepRule::armijo), moe::to_string(moe::StepRule::adam));
  EXPECT_THROW(moe::parse_step_rule("sgd"), std::invalid_argument);
  EXPECT_THROW(moe::parse_step_rule(""), std::invalid_argument);
}

}  // namespace
