// fp32 against the fp64 reference: the same network (same seed, weights equal
// up to rounding) gives the same logits and gradients to fp32 accuracy; fp32
// trains, deterministically; fp32 kernels match fp64 on every backend path.
#include <gtest/gtest.h>

#include <cstring>

#include "moe/nn/checkpoint.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/trainer.hpp"
#include "nn_helpers.hpp"

namespace {

using moe::Rng;
using moe::testing::random_matrix;
using namespace moe::nn;

NetworkOptions options(RouterKind router, BlockKind block = BlockKind::moe) {
  NetworkOptions o;
  o.inputs = 12;
  o.classes = 5;
  o.width = 16;
  o.blocks = 2;
  o.block = block;
  o.moe.experts = 6;
  o.moe.expert_size = 8;
  o.moe.activation = Activation::gelu;
  o.moe.router.kind = router;
  o.moe.router.k = 2;
  o.moe.router.balance = 0.05;
  o.moe.router.entropy = 0.01;
  o.seed = 5;
  return o;
}

double relative_difference(const arma::mat& a, const arma::mat& b) {
  return arma::norm(a - b, "fro") / std::max(1e-30, arma::norm(b, "fro"));
}

TEST(NnPrecision, Fp32NetworkMatchesFp64LogitsAndGradients) {
  for (RouterKind router : {RouterKind::softmax, RouterKind::sigma}) {
    SCOPED_TRACE(router_name(router));
    Network<double> reference(options(router));
    Network<float> single(options(router));
    Rng rng(6);
    const arma::mat X = random_matrix(40, 12, rng);
    arma::uvec y(40);
    y.imbue([&] { return rng.index(5); });
    arma::mat d64;
    arma::fmat d32;
    const arma::mat z64 = reference.forward(X, Pass{});
    const arma::fmat z32 = single.forward(arma::conv_to<arma::fmat>::from(X), Pass{});
    EXPECT_LT(relative_difference(arma::conv_to<arma::mat>::from(z32), z64), 1e-5);
    cross_entropy(z64, y, &d64);
    cross_entropy(z32, y, &d32);
    reference.backward(d64);
    single.backward(d32);
    const auto p64 = reference.parameters();
    const auto p32 = single.parameters();
    ASSERT_EQ(p64.size(), p32.size());
    for (std::size_t i = 0; i < p64.size(); ++i) {
      const arma::vec g64(p64[i].grad, p64[i].size);
      const arma::vec g32 = arma::conv_to<arma::vec>::from(arma::fvec(p32[i].grad, p32[i].size));
      EXPECT_LT(relative_difference(g32, g64), 1e-4) << p64[i].name;
    }
  }
}

// A backend with fp64 operations only: its fp32 calls take the LayerKernels defaults.
class Fp64OnlyKernels : public moe::nn::LayerKernels {
 public:
  void row_softmax(arma::mat& P, arma::vec& l, const arma::mat& A) const override { cpu().row_softmax(P, l, A); }
  void row_topk(arma::umat& i, arma::mat& v, const arma::mat& A, arma::uword k) const override { cpu().row_topk(i, v, A, k); }
  void gather_rows(arma::mat& o, const arma::mat& X, const moe::nn::Routing& r) const override { cpu().gather_rows(o, X, r); }
  void grouped_matmul(arma::mat& o, const arma::mat& X, const arma::cube& W, const arma::uvec& off,
                      bool t) const override {
    cpu().grouped_matmul(o, X, W, off, t);
  }
  void grouped_cross(arma::cube& o, const arma::mat& A, const arma::mat& B, const arma::uvec& off) const override {
    cpu().grouped_cross(o, A, B, off);
  }
  void scatter_add(arma::mat& o, const arma::mat& H, const moe::nn::Routing& r, arma::uword n, bool w) const override {
    cpu().scatter_add(o, H, r, n, w);
  }
  using moe::nn::LayerKernels::gather_rows, moe::nn::LayerKernels::grouped_cross,
      moe::nn::LayerKernels::grouped_matmul, moe::nn::LayerKernels::row_softmax, moe::nn::LayerKernels::row_topk,
      moe::nn::LayerKernels::scatter_add;
  const char* name() const override { return "fp64-only"; }

 private:
  static const moe::nn::LayerKernels& cpu() { return moe::nn::cpu_layer_kernels(); }
};

TEST(NnPrecision, Fp32DefaultsThroughFp64AgreeWithTheNativeCpuFp32Path) {
  const Fp64OnlyKernels converting;
  Network<float> a(options(RouterKind::sigma)), b(options(RouterKind::sigma));
  Rng rng(7);
  const arma::fmat X = arma::conv_to<arma::fmat>::from(random_matrix(30, 12, rng));
  Pass through_fp64;
  through_fp64.kernels = &converting;
  const arma::fmat native = a.forward(X, Pass{});
  const arma::fmat converted = b.forward(X, through_fp64);
  EXPECT_LT(relative_difference(arma::conv_to<arma::mat>::from(converted), arma::conv_to<arma::mat>::from(native)), 1e-6);
  a.backward(native);
  b.backward(converted);
  const auto pa = a.parameters(), pb = b.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i)
    EXPECT_LT(relative_difference(arma::conv_to<arma::mat>::from(arma::fmat(pa[i].grad, pa[i].size, 1)),
                                  arma::conv_to<arma::mat>::from(arma::fmat(pb[i].grad, pb[i].size, 1))),
              1e-5)
        << pa[i].name;
}

DenseExamples toy(arma::uword n, std::uint64_t seed) {
  Rng rng(seed);
  const arma::mat X = random_matrix(n, 12, rng);
  arma::uvec y(n);
  for (arma::uword i = 0; i < n; ++i) y(i) = (X(i, 0) > 0 ? 1 : 0) + (X(i, 1) > 0 ? 2 : 0);
  return DenseExamples(X, y, 5);
}

TEST(NnPrecision, Fp32TrainsDeterministicallyAndCheckpointsInItsPrecision) {
  TrainOptions t;
  t.epochs = 6;
  t.batch_size = 50;
  t.learning_rate = 0.01;
  const auto train_set = toy(1500, 8), test_set = toy(400, 9);
  auto o = options(RouterKind::softmax);
  o.moe.router.expert_dropout = 0.1;
  Network<float> a(o), b(o);
  const auto records = train(a, train_set, test_set, t);
  train(b, train_set, test_set, t);
  EXPECT_GT(records.back().test.accuracy, 0.9);
  const auto pa = a.parameters(), pb = b.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i)
    EXPECT_EQ(0, std::memcmp(pa[i].value, pb[i].value, pa[i].size * sizeof(float))) << pa[i].name;

  const std::string path = ::testing::TempDir() + "moe_fp32.bin";
  save_checkpoint(a, path);
  EXPECT_EQ(checkpoint_precision(path), "fp32");
  const auto loaded = load_checkpoint<float>(path);
  EXPECT_EQ(evaluate(*loaded, test_set, moe::nn::cpu_layer_kernels()).accuracy, records.back().test.accuracy);
  EXPECT_THROW(load_checkpoint<double>(path), std::invalid_argument);
}

}  // namespace
