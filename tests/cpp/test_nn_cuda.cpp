// The sparse MoE layer on the CUDA device (SparseMoE<float> through
// Kernels::sparse_moe_device) against the same layer on the CPU: output, input
// gradient, expert and router weight gradients and the auxiliary loss agree
// within kTolerance (fp32: max |a − b| ≤ 1e-5 · max(1, max |b|)), for both
// routers, k = 1, 2, 4 and k = E, T = 300 tokens (no multiple of the 256-thread
// blocks), GELU, expert dropout, an expert without tokens (its gradients exactly
// zero), very unequal loads; two runs give the same bits. Skipped without a
// CUDA device (run them under the host emulation, MOE_CUDA_EMULATION).
#include <gtest/gtest.h>

#include <string>

#include "helpers.hpp"
#include "moe/backend.hpp"
#include "moe/nn/sparse_moe.hpp"

namespace {

using moe::nn::RouterKind;
using moe::testing::relative_error;
using moe::nn::SparseMoE;
using moe::nn::SparseMoEOptions;

constexpr double kTolerance = 1e-5;
constexpr arma::uword kTokens = 300, kWidth = 12, kExperts = 6, kExpertSize = 5;

SparseMoEOptions layer_options(RouterKind kind, arma::uword k) {
  SparseMoEOptions o;
  o.experts = kExperts;
  o.expert_size = kExpertSize;
  o.router.kind = kind;
  o.router.k = k;
  o.router.balance = 0.01;
  o.router.entropy = 0.02;
  return o;
}

arma::fmat random_matrix(arma::uword n, arma::uword d, moe::Rng& rng) {
  arma::fmat M(n, d);
  M.imbue([&] { return static_cast<float>(rng.normal()); });
  return M;
}

// One forward and backward of a layer: what the comparison looks at.
struct Pass {
  arma::fmat Y, dX, d_router;
  arma::fcube dW1, dW2;
  double auxiliary = 0.0;
  arma::uvec offsets;
  bool on_device = false;  // the device path ran (it records no gate matrix)
};

// `seed` fixes the weights (every layer built from it is the same) and the
// dropout draws of a training pass.
Pass run(SparseMoE<float>& layer, const arma::fmat& X, const arma::fmat& dY, const moe::nn::LayerKernels& kernels,
         bool training = false, std::uint64_t seed = 7) {
  moe::Rng rng(seed);
  const moe::nn::Pass pass = training ? moe::nn::training_pass(rng, kernels) : moe::nn::inference_pass(kernels);
  Pass out;
  out.Y = layer.forward(X, pass);
  out.auxiliary = layer.auxiliary_loss();
  out.offsets = layer.router.decision().routing.offsets;
  out.on_device = layer.router.decision().gate.is_empty();
  out.dX = layer.backward(dY);
  out.dW1 = layer.dW1;
  out.dW2 = layer.dW2;
  out.d_router = layer.router.dW;
  return out;
}

void expect_same_pass(const Pass& gpu, const Pass& cpu, const std::string& what) {
  EXPECT_TRUE(gpu.on_device && !cpu.on_device) << what;
  EXPECT_LE(relative_error(gpu.Y, cpu.Y), kTolerance) << what << ": output";
  EXPECT_LE(relative_error(gpu.dX, cpu.dX), kTolerance) << what << ": input gradient";
  EXPECT_LE(relative_error(gpu.dW1, cpu.dW1), kTolerance) << what << ": W1 gradient";
  EXPECT_LE(relative_error(gpu.dW2, cpu.dW2), kTolerance) << what << ": W2 gradient";
  EXPECT_LE(relative_error(gpu.d_router, cpu.d_router), kTolerance) << what << ": router gradient";
  EXPECT_NEAR(gpu.auxiliary, cpu.auxiliary, kTolerance * std::max(1.0, std::abs(cpu.auxiliary))) << what;
  EXPECT_TRUE(arma::all(gpu.offsets == cpu.offsets)) << what << ": tokens per expert";
}

// The same layer (same seed) on the device and on the CPU.
void expect_device_matches_cpu(const SparseMoEOptions& o, const arma::fmat& X, const std::string& what,
                               bool training = false) {
  moe::Rng data_rng(3);
  const arma::fmat dY = random_matrix(X.n_rows, kWidth, data_rng);
  moe::Rng init_gpu(11), init_cpu(11);
  SparseMoE<float> on_gpu(kWidth, o, init_gpu), on_cpu(kWidth, o, init_cpu);
  const Pass gpu = run(on_gpu, X, dY, moe::nn::layer_kernels_for("cuda"), training);
  const Pass cpu = run(on_cpu, X, dY, moe::nn::cpu_layer_kernels(), training);
  expect_same_pass(gpu, cpu, what);
}

arma::fmat tokens() {
  moe::Rng rng(5);
  return random_matrix(kTokens, kWidth, rng);
}

TEST(CudaSparseMoE, MatchesTheCpuForBothRoutersAndEveryK) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  for (const RouterKind kind : {RouterKind::softmax, RouterKind::sigma})
    for (const arma::uword k : {arma::uword{1}, arma::uword{2}, arma::uword{4}, kExperts})
      expect_device_matches_cpu(layer_options(kind, k), tokens(),
                                std::string(moe::nn::router_name(kind)) + ", k = " + std::to_string(k));
}

TEST(CudaSparseMoE, MatchesTheCpuWithGelu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  SparseMoEOptions o = layer_options(RouterKind::softmax, 2);
  o.activation = moe::nn::Activation::gelu;
  expect_device_matches_cpu(o, tokens(), "gelu");
}

TEST(CudaSparseMoE, MatchesTheCpuWithExpertDropout) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  for (const RouterKind kind : {RouterKind::softmax, RouterKind::sigma}) {
    SparseMoEOptions o = layer_options(kind, 3);
    o.router.expert_dropout = 0.6;  // some tokens keep fewer than k experts
    expect_device_matches_cpu(o, tokens(), std::string("dropout, ") + moe::nn::router_name(kind), true);
  }
}

// Router weights that send every token to expert 0 and never to expert 3 (a
// constant input column carries the preference); the others share the rest.
TEST(CudaSparseMoE, AnExpertWithoutTokensHasZeroGradientsAndLoadsMayBeUnequal) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::fmat X = tokens();
  X.col(0).fill(5.0f);
  const SparseMoEOptions o = layer_options(RouterKind::softmax, 2);
  moe::Rng data_rng(3);
  const arma::fmat dY = random_matrix(kTokens, kWidth, data_rng);
  moe::Rng init_gpu(11), init_cpu(11);
  SparseMoE<float> on_gpu(kWidth, o, init_gpu), on_cpu(kWidth, o, init_cpu);
  for (SparseMoE<float>* layer : {&on_gpu, &on_cpu}) {
    layer->router.W.row(0).fill(0.2f);
    layer->router.W(0, 0) = 3.0f;
    layer->router.W.col(3).zeros();
    layer->router.W(0, 3) = -10.0f;
  }
  const Pass gpu = run(on_gpu, X, dY, moe::nn::layer_kernels_for("cuda"));
  const Pass cpu = run(on_cpu, X, dY, moe::nn::cpu_layer_kernels());
  expect_same_pass(gpu, cpu, "unequal loads");
  EXPECT_EQ(gpu.offsets(1) - gpu.offsets(0), kTokens) << "expert 0 takes every token";
  EXPECT_EQ(gpu.offsets(4), gpu.offsets(3)) << "expert 3 takes none";
  EXPECT_TRUE(arma::all(arma::vectorise(gpu.dW1.slice(3)) == 0.0f));
  EXPECT_TRUE(arma::all(arma::vectorise(gpu.dW2.slice(3)) == 0.0f));
  EXPECT_TRUE(gpu.dW1.is_finite() && gpu.dW2.is_finite() && gpu.d_router.is_finite());
}

TEST(CudaSparseMoE, IsDeterministic) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  const SparseMoEOptions o = layer_options(RouterKind::sigma, 2);
  moe::Rng data_rng(3), init(11);
  const arma::fmat X = tokens(), dY = random_matrix(kTokens, kWidth, data_rng);
  SparseMoE<float> layer(kWidth, o, init);
  const Pass first = run(layer, X, dY, moe::nn::layer_kernels_for("cuda"));
  const Pass second = run(layer, X, dY, moe::nn::layer_kernels_for("cuda"));
  EXPECT_TRUE(arma::all(arma::vectorise(first.Y == second.Y)));
  EXPECT_TRUE(arma::all(arma::vectorise(first.dX == second.dX)));
  EXPECT_TRUE(arma::all(arma::vectorise(first.dW1 == second.dW1)));
  EXPECT_TRUE(arma::all(arma::vectorise(first.dW2 == second.dW2)));
  EXPECT_TRUE(arma::all(arma::vectorise(first.d_router == second.d_router)));
}

}  // namespace
