// Expert offsets: a known term o_i in every expert's linear predictor,
// η_ik = x_i·β_k + o_i (the log of an exposure for counts).
#include <gtest/gtest.h>

#include <string>

#include "helpers.hpp"
#include "moe/backend.hpp"
#include "moe/em.hpp"
#include "moe/matching.hpp"
#include "moe/methods.hpp"
#include "moe/posterior.hpp"
#include "moe/shape_family.hpp"

namespace {

using moe::testing::relative_error;

moe::Model start_for(const moe::Model& truth, const moe::Dataset& data) {
  return moe::EM(moe::EMOptions{}).initial_model(data, truth.K(), truth.experts.family, false, 0);
}

// A constant offset c is an intercept moved by c: the same ℓ at β_0 − c, for
// every family and estimator.
TEST(Offset, AConstantOffsetMovesTheInterceptsForEveryFamilyAndMethod) {
  const moe::MethodSettings settings = moe::testing::tight_settings();
  for (const moe::Model& truth : moe::testing::truth_of_every_family()) {
    const moe::Dataset plain = moe::testing::draw(truth, 300, 71);
    moe::Dataset shifted = plain;
    shifted.offset = arma::vec(plain.n(), arma::fill::value(0.7));
    const moe::Model start = start_for(truth, plain);
    moe::Model moved_start = start;
    moved_start.experts.coef.row(0) -= 0.7;
    for (const std::string method : {"em", "mirror:0.5", "gd", "adam:0.05"}) {
      if (method == "mirror:0.5" && moe::shape_family(truth.experts.family)) continue;  // refused (test_negbin.cpp)
      SCOPED_TRACE(moe::to_string(truth.experts.family) + " " + method);
      const moe::Method m = moe::make_method(method, settings);
      const moe::Fit a = m.fit_from(plain, start), b = m.fit_from(shifted, moved_start);
      EXPECT_NEAR(b.loglik, a.loglik, 1e-9 * std::abs(a.loglik));
      moe::Model back = b.model;
      back.experts.coef.row(0) += 0.7;
      EXPECT_LE(relative_error(moe::pack(back), moe::pack(a.model)), 1e-6);
    }
  }
}

// Counts over exposures t_i: y ~ Poisson(t exp(x·β_k)); with offset log t the
// fit recovers β, and at K = 1 it solves the score equations Xᵀ(y − t e^{Xβ}) = 0.
TEST(Offset, PoissonExposuresAreRecovered) {
  const moe::Model truth = moe::testing::poisson_truth();
  moe::Rng rng(72);
  moe::Dataset data = moe::testing::draw(truth, 20000, 73);
  arma::vec exposure(data.n());
  for (double& t : exposure) t = 0.5 + 4.0 * rng.uniform();
  data.offset = arma::log(exposure);
  data.y = moe::sample(truth, data.X, data.Z, rng, nullptr, data.offset);
  moe::EMOptions options;
  options.control.starts = 3;
  const moe::Fit fit = moe::EM(options).fit(data, 2, moe::Family::poisson);
  EXPECT_LT(moe::parameter_error(fit.model, truth).experts, 0.05);
  const moe::Fit one = moe::EM(moe::EMOptions{}).fit(data, 1, moe::Family::poisson);
  const arma::vec mu = exposure % arma::exp(data.X * one.model.experts.coef.col(0));
  EXPECT_LT(arma::abs(data.X.t() * (data.y - mu)).max(), 1e-6 * arma::accu(data.y));
  moe::Dataset without = data;
  without.offset.reset();
  EXPECT_GT(moe::parameter_error(moe::EM(options).fit(without, 2, moe::Family::poisson).model, truth).experts, 0.2);
}

TEST(Offset, GradientMatchesFiniteDifferences) {
  for (const moe::Model& truth : moe::testing::truth_of_every_family()) {
    SCOPED_TRACE(moe::to_string(truth.experts.family));
    moe::Dataset data = moe::testing::draw(truth, 200, 74);
    data.offset = arma::linspace(-1.0, 1.0, data.n());
    moe::Model at = truth;
    at.experts.coef += 0.2;
    EXPECT_LT(moe::testing::gradient_error(at, data), 1e-5);
  }
}

TEST(Offset, BadOffsetsAreRefused) {
  moe::Dataset data = moe::testing::draw(moe::testing::gaussian_truth(), 50, 75);
  data.offset = arma::zeros(49);
  EXPECT_THROW(moe::validate(data, moe::Family::gaussian, 2), std::invalid_argument);
  data.offset = arma::zeros(50);
  data.offset(2) = arma::datum::inf;
  EXPECT_THROW(moe::validate(data, moe::Family::gaussian, 2), std::invalid_argument);
  data.offset(2) = 0.0;
  EXPECT_NO_THROW(moe::validate(data, moe::Family::gaussian, 2));
  EXPECT_THROW(moe::predict(moe::testing::gaussian_truth(), data.X, data.Z, arma::zeros(3)), std::invalid_argument);
}

TEST(CudaPosterior, SumsWithOffsetsMatchTheHost) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  for (const moe::Model& truth : moe::testing::truth_of_every_family()) {
    if (moe::shape_family(truth.experts.family)) continue;  // the device refuses negbin and gamma (test_em_cuda.cpp)
    moe::Dataset data = moe::testing::draw(truth, 1001, 76);
    data.offset = arma::linspace(-0.5, 0.5, data.n());
    moe::HostPosterior host(data, moe::cpu_kernels());
    const std::unique_ptr<moe::Posterior> device = moe::kernels_for("cuda").posterior(data);
    const double l_host = host.update(truth), l_device = device->update(truth);
    EXPECT_NEAR(l_device, l_host, 1e-9 * std::abs(l_host));
    EXPECT_LE(relative_error(device->gradient(truth), host.gradient(truth)), 1e-9);
    arma::cube G_host, G_device;
    arma::mat b_host, b_device;
    host.expert_sums().normal_equations(G_host, b_host, truth.experts);
    device->expert_sums().normal_equations(G_device, b_device, truth.experts);
    EXPECT_LE(relative_error(G_device, G_host), 1e-9);
    EXPECT_LE(relative_error(b_device, b_host), 1e-9);
    const moe::ExpertSums &he = host.expert_sums(), &de = device->expert_sums();
    EXPECT_LE(relative_error(de.canonical_loglik(moe::Family::poisson, truth.experts.coef),
                             he.canonical_loglik(moe::Family::poisson, truth.experts.coef)),
              1e-9);
    EXPECT_LE(relative_error(de.weighted_rss(truth.experts.coef), he.weighted_rss(truth.experts.coef)), 1e-9);
  }
}

}  // namespace
