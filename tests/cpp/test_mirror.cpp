#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/mirror.hpp"

namespace {

using moe::testing::draw;

moe::EMOptions em_options(double tol, arma::uword max_iter, moe::InitMethod init = moe::InitMethod::kmeans) {
  moe::EMOptions options;
  options.control.tol = tol;
  options.control.max_iter = max_iter;
  options.control.init = init;
  options.control.seed = 7;
  return options;
}

moe::MirrorOptions mirror_options(double step, const moe::EMOptions& em) {
  moe::MirrorOptions options;
  options.step = step;
  options.em = em;
  return options;
}

bool same(const arma::mat& a, const arma::mat& b, double rel) {
  return a.n_rows == b.n_rows && a.n_cols == b.n_cols &&
         arma::approx_equal(a, b, "reldiff", rel);
}

// η = 1: T = R and the blended statistics are the posterior ones, so every
// iterate is EM's (the products with 1 and 0 are exact, hence in fact bitwise).
void expect_same_iterates(const moe::Dataset& data, const moe::Model& start) {
  const moe::EMOptions em = em_options(0.0, 20);
  const moe::Fit a = moe::EM(em).fit_from(data, start);
  const moe::Fit b = moe::MirrorDescent(mirror_options(1.0, em)).fit_from(data, start);
  ASSERT_EQ(a.trace.rows.size(), 21u);
  ASSERT_EQ(b.trace.rows.size(), a.trace.rows.size());
  for (std::size_t i = 0; i < a.trace.rows.size(); ++i)
    EXPECT_LE(std::abs(a.trace.rows[i].loglik - b.trace.rows[i].loglik),
              1e-12 * std::abs(a.trace.rows[i].loglik))
        << "iteration " << i;
  EXPECT_TRUE(same(a.model.gate.coef, b.model.gate.coef, 1e-12));
  EXPECT_TRUE(same(a.model.experts.coef, b.model.experts.coef, 1e-12));
  EXPECT_TRUE(same(a.model.experts.sigma, b.model.experts.sigma, 1e-12));
  // Not a vacuous comparison: EM moved a long way from the start.
  EXPECT_GT(a.loglik - a.trace.rows.front().loglik, 1.0);
}

TEST(Mirror, StepOneReproducesEMGaussian) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 400, 101);
  const moe::EM em(em_options(0.0, 20, moe::InitMethod::random));
  expect_same_iterates(data, em.initial_model(data, 3, moe::Family::gaussian, false, 0));
  expect_same_iterates(data, em.initial_model(data, 3, moe::Family::gaussian, true, 1));
}

TEST(Mirror, StepOneReproducesEMBinomial) {
  const moe::Dataset data = draw(moe::testing::logistic_truth(), 400, 102);
  const moe::EM em(em_options(0.0, 20, moe::InitMethod::random));
  expect_same_iterates(data, em.initial_model(data, 2, moe::Family::binomial, false, 0));
  expect_same_iterates(data, em.initial_model(data, 3, moe::Family::binomial, false, 0));
}

TEST(Mirror, StepOneReproducesEMPoisson) {
  const moe::Dataset data = draw(moe::testing::poisson_truth(), 400, 105);
  const moe::EM em(em_options(0.0, 20, moe::InitMethod::random));
  expect_same_iterates(data, em.initial_model(data, 2, moe::Family::poisson, false, 0));
}

// A damped step (η = 0.5) is still an ascent method and reaches the same
// stationary point as EM from the same start.
void expect_monotone_to_em_optimum(const moe::Dataset& data, const moe::Model& start) {
  const moe::EMOptions em = em_options(1e-12, 5000);
  const moe::Fit reference = moe::EM(em).fit_from(data, start);
  const moe::Fit damped = moe::MirrorDescent(mirror_options(0.5, em)).fit_from(data, start);
  ASSERT_TRUE(reference.converged);
  EXPECT_TRUE(damped.converged);
  EXPECT_TRUE(damped.trace.decreases().empty());
  for (std::size_t i = 1; i < damped.trace.rows.size(); ++i)
    EXPECT_GE(damped.trace.rows[i].delta, -1e-10 * (1.0 + std::abs(damped.trace.rows[i].loglik)))
        << "iteration " << i;
  EXPECT_LE(std::abs(damped.loglik - reference.loglik), 1e-6 * std::abs(reference.loglik));
}

TEST(Mirror, HalfStepIsMonotoneAndReachesEMLogLikelihood) {
  {
    const moe::Dataset data = draw(moe::testing::gaussian_truth(), 500, 103);
    const moe::EM em(em_options(0.0, 1));
    expect_monotone_to_em_optimum(data, em.initial_model(data, 3, moe::Family::gaussian, false, 0));
  }
  {
    const moe::Dataset data = draw(moe::testing::logistic_truth(), 500, 104);
    const moe::EM em(em_options(0.0, 1));
    expect_monotone_to_em_optimum(data, em.initial_model(data, 2, moe::Family::binomial, false, 0));
  }
  {
    const moe::Dataset data = draw(moe::testing::poisson_truth(), 500, 106);
    const moe::EM em(em_options(0.0, 1));
    expect_monotone_to_em_optimum(data, em.initial_model(data, 2, moe::Family::poisson, false, 0));
  }
}

// One iteration from the same (poor) start: the damped step gains less ℓ and
// moves the parameters less than EM, but still gains.
void expect_shorter_first_step(const moe::Dataset& data, const moe::Model& start) {
  const moe::EMOptions em = em_options(0.0, 1);
  const moe::Fit full = moe::EM(em).fit_from(data, start);
  const moe::Fit half = moe::MirrorDescent(mirror_options(0.5, em)).fit_from(data, start);
  ASSERT_EQ(full.trace.rows.size(), 2u);
  ASSERT_EQ(half.trace.rows.size(), 2u);
  const double gain_full = full.trace.rows[1].delta, gain_half = half.trace.rows[1].delta;
  EXPECT_GT(gain_half, 0.0);
  EXPECT_LT(gain_half, gain_full);
  EXPECT_GT(half.trace.rows[1].param_change, 0.0);
  EXPECT_LT(half.trace.rows[1].param_change, full.trace.rows[1].param_change);
}

TEST(Mirror, SmallerStepMovesLessThanEM) {
  for (std::uint64_t s : {0, 1, 2}) {
    const moe::Dataset g = draw(moe::testing::gaussian_truth(), 400, 110 + s);
    const moe::EM em(em_options(0.0, 1, moe::InitMethod::random));
    expect_shorter_first_step(g, em.initial_model(g, 3, moe::Family::gaussian, false, s));
    const moe::Dataset b = draw(moe::testing::logistic_truth(), 400, 120 + s);
    expect_shorter_first_step(b, em.initial_model(b, 2, moe::Family::binomial, false, s));
  }
}

/// `model` with every packed parameter moved by scale·N(0, 1).
moe::Model perturbed(const moe::Model& model, double scale, std::uint64_t seed) {
  moe::Rng rng(seed);
  arma::vec theta = moe::pack(model);
  for (double& t : theta) t += scale * rng.normal();
  return moe::unpack(model, theta);
}

// The mirror step maximizes the η-blend of the posterior's and the model's own
// expected complete-data log-likelihood. Check its first-order conditions with
// the blended targets built here from their definitions:
//   gate:    Zᵀ (T − Π(θ⁺)) = 0,               T = η R + (1 − η) Π(θ_t);
//   experts: Xᵀ (s1_k − w_k ∘ E_k⁺[y]) = 0,     w = T,  s1 = η R∘y + (1 − η) Π(θ_t)∘E_k[y];
//   σ_k² = Σ_i (s2 − 2 s1 μ⁺ + w μ⁺²) / Σ_i w,  s2 = η R∘y² + (1 − η) Π(θ_t)∘(μ_k² + σ_k²).
void expect_blended_stationarity(const moe::Dataset& data, const moe::Model& current, double eta) {
  const arma::mat R = moe::responsibilities(current, data);
  const moe::Model next = moe::MirrorDescent(mirror_options(eta, em_options(0.0, 1))).step(data, current, R);
  const arma::uword K = current.K();
  const arma::mat Pi = arma::exp(current.gate.log_probs(data.Z));
  const arma::mat T = eta * R + (1.0 - eta) * Pi;
  const arma::mat mean = current.experts.mean(data.X), next_mean = next.experts.mean(data.X);
  const double n = static_cast<double>(data.n());

  const arma::mat gate_score = data.Z.t() * (T - arma::exp(next.gate.log_probs(data.Z)));
  EXPECT_LT(arma::abs(gate_score.head_cols(K - 1)).max(), 1e-6 * n) << gate_score;
  EXPECT_TRUE(arma::all(next.gate.coef.col(K - 1) == 0.0));

  arma::mat s1 = (1.0 - eta) * Pi % mean;
  for (arma::uword k = 0; k < K; ++k) s1.col(k) += eta * R.col(k) % data.y;
  const arma::mat expert_score = data.X.t() * (s1 - T % next_mean);
  EXPECT_LT(arma::abs(expert_score).max(), 1e-6 * n) << expert_score;

  if (current.experts.family == moe::Family::gaussian) {
    for (arma::uword k = 0; k < K; ++k) {
      const double s_k = current.experts.sigma(k);
      const arma::vec s2 = eta * R.col(k) % arma::square(data.y) +
                           (1.0 - eta) * Pi.col(k) % (arma::square(mean.col(k)) + s_k * s_k);
      const arma::vec mu = next_mean.col(k);
      const double var = arma::accu(s2 - 2.0 * s1.col(k) % mu + T.col(k) % arma::square(mu)) / arma::accu(T.col(k));
      EXPECT_NEAR(next.experts.sigma(k) * next.experts.sigma(k), var, 1e-9 * var) << "expert " << k;
    }
  }
  // The step did something: θ⁺ ≠ θ_t.
  EXPECT_GT(arma::abs(moe::pack(next) - moe::pack(current)).max(), 1e-3);
}

TEST(Mirror, StepSolvesBlendedMStep) {
  const moe::Model g = moe::testing::gaussian_truth(), b = moe::testing::logistic_truth();
  const moe::Dataset gd = draw(g, 400, 130), bd = draw(b, 400, 131);
  for (double eta : {0.3, 0.7}) {
    expect_blended_stationarity(gd, perturbed(g, 0.3, 132), eta);
    expect_blended_stationarity(bd, perturbed(b, 0.3, 133), eta);
  }
}

// One expert: R = Π = 1, the blended least-squares target is η y + (1 − η) X β_t,
// so β⁺ = η β_OLS + (1 − η) β_t exactly.
TEST(Mirror, SingleGaussianExpertStepIsConvexCombination) {
  const moe::Model truth = moe::testing::make_model(moe::Family::gaussian, arma::zeros(1, 1),
                                                    arma::mat(arma::vec{1.0, -2.0}), arma::vec{0.7});
  const moe::Dataset data = draw(truth, 300, 140);
  const moe::Model current = moe::testing::make_model(moe::Family::gaussian, arma::zeros(1, 1),
                                                      arma::mat(arma::vec{3.0, 0.5}), arma::vec{2.0});
  const arma::vec ols = arma::solve(data.X, data.y);
  for (double eta : {0.25, 0.5, 1.0}) {
    const moe::Model next = moe::MirrorDescent(mirror_options(eta, em_options(0.0, 1)))
                                .step(data, current, arma::ones(data.n(), 1));
    const arma::vec expected = eta * ols + (1.0 - eta) * current.experts.coef.col(0);
    EXPECT_LT(arma::abs(next.experts.coef.col(0) - expected).max(), 1e-8) << "η = " << eta;
  }
}

TEST(Mirror, RejectsInvalidStep) {
  for (double step : {0.0, 1.5, -0.5, 1.0 + 1e-12, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()}) {
    moe::MirrorOptions options;
    options.step = step;
    EXPECT_THROW(moe::MirrorDescent{options}, std::invalid_argument) << "step " << step;
  }
  for (double step : {1e-3, 0.5, 1.0}) {
    moe::MirrorOptions options;
    options.step = step;
    EXPECT_NO_THROW(moe::MirrorDescent{options}) << "step " << step;
  }
}

}  // namespace
