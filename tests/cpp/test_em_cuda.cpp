// EM with the data resident on the CUDA device (Kernels::posterior() of the
// CUDA backend) against the host's HostPosterior: the E-step's ℓ and ∇ℓ and
// every sum of the M-steps, fp64, relative error ≤ 1e-9, at sizes that are no
// multiple of a block (n = 1, 37, 4099), for Gaussian, logistic and Poisson experts,
// K = 1, an expert with all-zero responsibilities, and a gate Hessian reduced
// over several blocks of rows. Skipped without a CUDA device.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "helpers.hpp"
#include "moe/backend.hpp"
#include "moe/em.hpp"
#include "moe/posterior.hpp"

namespace {

using moe::testing::relative_error;

constexpr double kTolerance = 1e-9;

// Another model near `m` (every parameter moved a little), so that sums are
// taken away from the model the responsibilities came from.
moe::Model moved(const moe::Model& m, double by) {
  const arma::vec theta = moe::pack(m);
  return moe::unpack(m, theta + by * arma::linspace(-1.0, 1.0, theta.n_elem));
}

// Both posteriors updated to `model` on `data`; then every quantity compared.
void expect_same_sums(const moe::Dataset& data, const moe::Model& model) {
  moe::HostPosterior host(data, moe::cpu_kernels());
  const std::unique_ptr<moe::Posterior> device = moe::kernels_for("cuda").posterior(data);
  const double l_host = host.update(model), l_device = device->update(model);
  EXPECT_NEAR(l_device, l_host, kTolerance * std::max(1.0, std::abs(l_host)));
  EXPECT_LE(relative_error(device->gradient(model), host.gradient(model)), kTolerance);

  const moe::ExpertSums &he = host.expert_sums(), &de = device->expert_sums();
  const moe::Model other = moved(model, 0.1);
  EXPECT_LE(relative_error(de.mass(), he.mass()), kTolerance);
  for (const moe::Experts& at : {model.experts, other.experts}) {
    arma::cube G_host, G_device;
    arma::mat b_host, b_device;
    he.normal_equations(G_host, b_host, at);
    de.normal_equations(G_device, b_device, at);
    EXPECT_LE(relative_error(G_device, G_host), kTolerance);
    EXPECT_LE(relative_error(b_device, b_host), kTolerance);
  }
  EXPECT_LE(relative_error(de.weighted_rss(other.experts.coef), he.weighted_rss(other.experts.coef)), kTolerance);
  for (const moe::Family family : {moe::Family::binomial, moe::Family::poisson})
    EXPECT_LE(relative_error(de.canonical_loglik(family, other.experts.coef),
                             he.canonical_loglik(family, other.experts.coef)),
              kTolerance);

  moe::GateSums &hg = host.gate_sums(), &dg = device->gate_sums();
  for (const arma::mat& coef : {model.gate.coef, other.gate.coef}) {
    const double q_host = hg.objective(coef), q_device = dg.objective(coef);
    EXPECT_NEAR(q_device, q_host, kTolerance * std::max(1.0, std::abs(q_host)));
    EXPECT_LE(relative_error(dg.gradient(), hg.gradient()), kTolerance);
    EXPECT_LE(relative_error(dg.hessian_blocks(), hg.hessian_blocks()), kTolerance);
  }
}

TEST(CudaPosterior, MatchesTheHostForEveryFamily) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  for (const arma::uword n : {1, 37, 4099}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    const moe::Model gaussian = moe::testing::gaussian_truth(), logistic = moe::testing::logistic_truth(),
                     poisson = moe::testing::poisson_truth();
    expect_same_sums(moe::testing::draw(gaussian, n, 5), moved(gaussian, 0.2));
    expect_same_sums(moe::testing::draw(logistic, n, 6), moved(logistic, 0.2));
    expect_same_sums(moe::testing::draw(poisson, n, 11), moved(poisson, 0.2));
  }
}

TEST(CudaPosterior, RefusesNegbinExpertsWithAReason) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  const moe::Model negbin = moe::testing::negbin_truth();
  const std::unique_ptr<moe::Posterior> device = moe::kernels_for("cuda").posterior(moe::testing::draw(negbin, 50, 12));
  try {
    device->update(negbin);
    FAIL() << "the device took negbin experts";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("cpu device only"), std::string::npos) << e.what();
  }
}

TEST(CudaPosterior, RefusesAPointMassWithAReason) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  moe::Model zip = moe::testing::poisson_truth();
  zip.experts.point_mass = 0.0;
  zip.experts.coef.col(1).zeros();
  moe::Dataset data = moe::testing::draw(zip, 50, 13);
  data.point_mass = 0.0;
  const std::unique_ptr<moe::Posterior> device = moe::kernels_for("cuda").posterior(data);
  try {
    device->update(zip);
    FAIL() << "the device took a point mass";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("cpu device only"), std::string::npos) << e.what();
  }
}

TEST(CudaPosterior, MatchesTheHostWithOneExpert) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  const moe::Model one = moe::testing::make_model(moe::Family::gaussian, arma::zeros(2, 1), arma::mat{1.0, 2.0}.t(),
                                                  arma::vec{1.5});
  expect_same_sums(moe::testing::draw(moe::testing::gaussian_truth(), 1000, 7), one);
}

// The gate sends no observation to expert 0 (π_0 underflows to 0), so its
// responsibilities, mass and Gram matrix are exactly zero on both sides.
TEST(CudaPosterior, AnExpertWithoutResponsibilityHasZeroSums) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  moe::Model model = moe::testing::gaussian_truth();
  model.gate.coef(0, 0) = -2000.0;
  const moe::Dataset data = moe::testing::draw(moe::testing::gaussian_truth(), 1000, 8);
  expect_same_sums(data, model);
  const std::unique_ptr<moe::Posterior> device = moe::kernels_for("cuda").posterior(data);
  device->update(model);
  EXPECT_EQ(device->expert_sums().mass()(0), 0.0);
  arma::cube G;
  arma::mat b;
  device->expert_sums().normal_equations(G, b, model.experts);
  EXPECT_EQ(arma::abs(G.slice(0)).max(), 0.0);
}

// K = 16 gives the Hessian 120 blocks: their weights are formed 8192 rows at a
// time, so n = 18000 takes three blocks of rows.
TEST(CudaPosterior, GateHessianOverSeveralBlocksOfRows) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  const arma::uword n = 18000, q = 32, K = 16;
  moe::Rng rng(9);
  moe::Dataset data;
  data.Z = moe::testing::random_design(n, q - 1, rng);
  data.X = moe::testing::random_design(n, 1, rng);
  data.y = arma::randn(n);
  arma::mat gate = 0.2 * arma::randn(q, K);
  gate.col(K - 1).zeros();
  const moe::Model model = moe::testing::make_model(moe::Family::gaussian, gate, arma::randn(2, K),
                                                    arma::vec(K, arma::fill::value(1.0)));
  moe::HostPosterior host(data, moe::cpu_kernels());
  const std::unique_ptr<moe::Posterior> device = moe::kernels_for("cuda").posterior(data);
  host.update(model);
  device->update(model);
  host.gate_sums().objective(gate);
  device->gate_sums().objective(gate);
  EXPECT_LE(relative_error(device->gate_sums().hessian_blocks(), host.gate_sums().hessian_blocks()), kTolerance);
}

// EM with IRLS experts (or accelerated by SQUAREM): the same fit and iterations on both.
void expect_same_em(const moe::Model& truth, std::uint64_t seed, bool squarem = false) {
  const moe::Dataset data = moe::testing::draw(truth, 3001, seed);
  moe::EMOptions options;
  options.control.tol = 1e-12;
  options.control.starts = 1;  // one run from one k-means start: the same iterates on both
  options.control.init = moe::InitMethod::kmeans;
  options.control.split_merge = false;
  options.squarem = squarem;
  const moe::Family family = truth.experts.family;
  const moe::Fit on_cpu = moe::EM(options).fit(data, 2, family);
  options.control.kernels = &moe::kernels_for("cuda");
  const moe::Fit on_gpu = moe::EM(options).fit(data, 2, family);
  EXPECT_NEAR(on_gpu.loglik, on_cpu.loglik, kTolerance * std::abs(on_cpu.loglik));
  EXPECT_EQ(on_gpu.iterations, on_cpu.iterations);
  EXPECT_LE(relative_error(on_gpu.model.experts.coef, on_cpu.model.experts.coef), 1e-6);
  // the trace's gradient norms come from the device's ∇ℓ
  EXPECT_NEAR(on_gpu.trace.rows.front().grad_norm, on_cpu.trace.rows.front().grad_norm,
              1e-8 * on_cpu.trace.rows.front().grad_norm);
}

TEST(CudaPosterior, LogisticEmOnCudaMatchesEmOnCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  expect_same_em(moe::testing::logistic_truth(), 10);
}

TEST(CudaPosterior, PoissonEmOnCudaMatchesEmOnCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  expect_same_em(moe::testing::poisson_truth(), 12);
}

TEST(CudaPosterior, SquaremOnCudaMatchesSquaremOnCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  expect_same_em(moe::testing::logistic_truth(), 14, true);
}

}  // namespace
