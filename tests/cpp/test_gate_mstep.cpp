#include <gtest/gtest.h>

#include "helpers.hpp"
#include "moe/gate_mstep.hpp"
#include "moe/gate_sums.hpp"
#include "moe/model.hpp"

namespace {

// Soft targets from a known model's posterior on simulated data.
struct GateProblem {
  arma::mat Z, R;
};

GateProblem problem(arma::uword n, std::uint64_t seed) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(truth, n, seed);
  moe::Model blurred = truth;
  blurred.experts.sigma *= 3.0;  // overlapping experts: soft responsibilities
  return {data.Z, moe::responsibilities(blurred, data)};
}

// Plain gradient ascent with a small fixed step for many iterations.
moe::Gate gradient_ascent(const arma::mat& Z, const arma::mat& R, arma::uword steps) {
  moe::Gate gate = moe::Gate::uniform(Z.n_cols, R.n_cols);
  const double step = 1.0 / Z.n_rows;
  for (arma::uword t = 0; t < steps; ++t) {
    const arma::mat Pi = arma::exp(gate.log_probs(Z));
    const arma::mat g = Z.t() * (R - Pi);
    gate.coef.head_cols(R.n_cols - 1) += step * g.head_cols(R.n_cols - 1);
  }
  return gate;
}

TEST(GateMStep, NewtonReachesTheMaximizerOfALongGradientRun) {
  const GateProblem p = problem(400, 1);
  moe::Gate newton = moe::Gate::uniform(p.Z.n_cols, p.R.n_cols);
  const moe::GateNewtonResult result = moe::update_gate(newton, p.Z, p.R);
  EXPECT_TRUE(result.converged);
  EXPECT_LT(result.iterations, 15u);
  const moe::Gate slow = gradient_ascent(p.Z, p.R, 200000);
  EXPECT_LT(arma::abs(newton.coef - slow.coef).max(), 1e-6);
  EXPECT_NEAR(result.objective, moe::gate_objective(slow, p.Z, p.R), 1e-9);
  // and the gradient vanishes there
  const arma::mat g = p.Z.t() * (p.R - arma::exp(newton.log_probs(p.Z)));
  EXPECT_LT(arma::abs(g.head_cols(2)).max(), 1e-6);  // vs. terms of size n = 400
}

TEST(GateMStep, OneStepNeverLowersTheObjective) {
  const GateProblem p = problem(300, 2);
  moe::Gate gate = moe::Gate::uniform(p.Z.n_cols, p.R.n_cols);
  gate.coef(1, 0) = 40.0;  // far from the optimum: a full Newton step may overshoot
  double before = moe::gate_objective(gate, p.Z, p.R);
  for (int i = 0; i < 10; ++i) {
    const moe::GateNewtonResult r = moe::update_gate(gate, p.Z, p.R, {1, 1e-14, 1e-8});
    EXPECT_GE(r.objective, before);
    EXPECT_NEAR(r.objective, moe::gate_objective(gate, p.Z, p.R), 1e-9);
    before = r.objective;
  }
}

// Sums told the softmax at W0 (as HostPosterior tells them the E-step's) give
// what sums that compute everything give, at W0 and after moving elsewhere.
TEST(GateSums, AKnownSoftmaxGivesTheSameSumsAsComputingIt) {
  const GateProblem p = problem(250, 3);
  const moe::Kernels& cpu = moe::cpu_kernels();
  arma::mat W0 = 0.3 * arma::randn<arma::mat>(p.Z.n_cols, p.R.n_cols);
  W0.col(p.R.n_cols - 1).zeros();
  moe::HostGateSums computed(p.Z, p.R, cpu);
  moe::HostGateSums told(p.Z, p.R, cpu, moe::GateEvaluation(p.Z, W0, cpu));
  for (const arma::mat& W : {W0, arma::mat(W0 * 0.5), W0}) {
    EXPECT_EQ(told.objective(W), computed.objective(W));
    EXPECT_EQ(arma::abs(told.gradient() - computed.gradient()).max(), 0.0);
    EXPECT_EQ(arma::abs(told.hessian_blocks() - computed.hessian_blocks()).max(), 0.0);
  }
  EXPECT_NEAR(computed.objective(W0), moe::gate_objective(moe::Gate{W0}, p.Z, p.R), 1e-9);
}

// A gate without covariates (every row of Z alike) takes one row's softmax
// for all rows: the same numbers as the softmax of every row, which a Z whose
// last row differs still computes.
TEST(GateEvaluation, RowsAlikeShareOneSoftmax) {
  const moe::Kernels& cpu = moe::cpu_kernels();
  const arma::mat coef = {{0.4, -1.3, 2.1, 0.0}};
  arma::mat Z(50, 1, arma::fill::value(2.5));
  const moe::GateEvaluation alike(Z, coef, cpu);
  Z(Z.n_rows - 1, 0) = -1.0;
  const moe::GateEvaluation general(Z, coef, cpu);
  const arma::uword n = Z.n_rows - 1;
  EXPECT_EQ(arma::abs(alike.eta.head_rows(n) - general.eta.head_rows(n)).max(), 0.0);
  EXPECT_NEAR(arma::abs(alike.probs.head_rows(n) - general.probs.head_rows(n)).max(), 0.0, 1e-15);
  EXPECT_NEAR(arma::abs(alike.lse.head(n) - general.lse.head(n)).max(), 0.0, 1e-14);
  EXPECT_NEAR(alike.lse(n), std::log(arma::accu(arma::exp(2.5 * coef))), 1e-14);
  EXPECT_EQ(arma::size(alike.probs), arma::size(50, 4));
}

// A gate without covariates is summed as one row with T's column totals: the
// same Q, gradient and Hessian blocks as the formulas over every row.
TEST(GateSums, AGateWithoutCovariatesSumsAsOneRow) {
  const GateProblem p = problem(300, 6);
  const arma::mat Z(p.R.n_rows, 1, arma::fill::value(1.5));
  const arma::mat W = {{0.7, -0.4, 0.0}};
  moe::HostGateSums sums(Z, p.R, moe::cpu_kernels());
  const arma::mat Pi = arma::exp(moe::Gate{W}.log_probs(Z));
  const arma::vec s = arma::sum(p.R, 1);
  EXPECT_NEAR(sums.objective(W), moe::gate_objective(moe::Gate{W}, Z, p.R), 1e-10);
  EXPECT_LT(arma::abs(sums.gradient() - Z.t() * (p.R - Pi.each_col() % s)).max(), 1e-10);
  const arma::cube blocks = sums.hessian_blocks();
  ASSERT_EQ(blocks.n_slices, 3u);  // (0, 0), (0, 1), (1, 1)
  const auto block = [&](arma::uword k, arma::uword l) {
    return arma::accu(Z.col(0) % Z.col(0) % s % Pi.col(k) % ((k == l ? 1.0 : 0.0) - Pi.col(l)));
  };
  EXPECT_NEAR(blocks(0, 0, 0), block(0, 0), 1e-10);
  EXPECT_NEAR(blocks(0, 0, 1), block(0, 1), 1e-10);
  EXPECT_NEAR(blocks(0, 0, 2), block(1, 1), 1e-10);
}

TEST(GateSums, DerivativesNeedAnObjectiveFirst) {
  const GateProblem p = problem(20, 4);
  const moe::HostGateSums sums(p.Z, p.R, moe::cpu_kernels());
  EXPECT_THROW(sums.gradient(), std::invalid_argument);
  EXPECT_THROW(sums.hessian_blocks(), std::invalid_argument);
}

// HostGateSums that count the Hessians they build.
class CountingSums final : public moe::GateSums {
 public:
  CountingSums(const arma::mat& Z, const arma::mat& R) : sums_(Z, R, moe::cpu_kernels()) {}
  double objective(const arma::mat& coef) override { return sums_.objective(coef); }
  arma::mat gradient() const override { return sums_.gradient(); }
  arma::cube hessian_blocks() const override {
    ++hessians;
    return sums_.hessian_blocks();
  }
  mutable int hessians = 0;

 private:
  moe::HostGateSums sums_;
};

// EM's case: the targets change a little between M-steps and the gate is near
// their maximizer; the carried Hessian serves the next M-step's step.
TEST(GateMStep, ACarriedCurvatureSavesTheNextHessianNearTheOptimum) {
  const GateProblem p = problem(400, 5);
  moe::Gate gate = moe::Gate::uniform(p.Z.n_cols, p.R.n_cols);
  moe::GateCurvature curvature;
  CountingSums first(p.Z, p.R);
  EXPECT_TRUE(moe::update_gate(gate, first, {}, moe::cpu_kernels(), &curvature).converged);
  EXPECT_TRUE(curvature.reusable);
  const arma::mat nearby = arma::normalise(p.R % (1.0 + 0.01 * arma::randu<arma::mat>(arma::size(p.R))), 1, 1);
  CountingSums next(p.Z, nearby);
  const double before = moe::gate_objective(gate, p.Z, nearby);
  const moe::GateNewtonResult step = moe::update_gate(gate, next, {1, 1e-14, 1e-8}, moe::cpu_kernels(), &curvature);
  EXPECT_EQ(next.hessians, 0);
  EXPECT_EQ(step.iterations, 1u);
  EXPECT_GT(step.objective, before);
}

// A carried Hessian that belongs elsewhere (50·n·I: steps far too short) is
// noticed by the gains it mispredicts, even near the optimum where the gains
// are small, and replaced; the maximizer is the same.
TEST(GateMStep, AStaleCurvatureIsReplacedAndTheMaximizerIsUnchanged) {
  const GateProblem p = problem(400, 6);
  moe::Gate reference = moe::Gate::uniform(p.Z.n_cols, p.R.n_cols);
  const double maximum = moe::update_gate(reference, p.Z, p.R).objective;
  moe::Gate gate = reference;
  gate.coef.head_cols(p.R.n_cols - 1) += 1e-3;
  const arma::uword free = reference.n_free();
  moe::GateCurvature stale{50.0 * p.Z.n_rows * arma::eye(free, free), true};
  CountingSums sums(p.Z, p.R);
  const moe::GateNewtonResult result = moe::update_gate(gate, sums, {}, moe::cpu_kernels(), &stale);
  EXPECT_TRUE(result.converged);
  EXPECT_GE(sums.hessians, 1);
  EXPECT_NEAR(result.objective, maximum, 1e-12 * std::abs(maximum));
  EXPECT_LT(arma::abs(gate.coef - reference.coef).max(), 1e-5);
}

TEST(GateMStep, SingleClassHasNothingToFit) {
  moe::Gate gate = moe::Gate::uniform(2, 1);
  const arma::mat Z = arma::ones(10, 2), R = arma::ones(10, 1);
  EXPECT_TRUE(moe::update_gate(gate, Z, R).converged);
  EXPECT_TRUE(arma::all(arma::vectorise(gate.coef) == 0.0));
}

}  // namespace
