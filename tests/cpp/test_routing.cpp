#include <gtest/gtest.h>

#include "moe/error.hpp"
#include "moe/nn/layer_kernels.hpp"
#include "moe/nn/routing.hpp"

namespace {

const moe::nn::LayerKernels& cpu = moe::nn::cpu_layer_kernels();

TEST(Routing, GroupsAssignmentsByExpertInTokenOrder) {
  const arma::umat choice = {{2, 0}, {0, 1}, {2, 1}};  // 3 tokens, top-2 of 4 experts
  const arma::mat weight = {{0.7, 0.3}, {0.6, 0.4}, {0.5, 0.5}};
  const moe::nn::Routing r = moe::nn::make_routing(choice, weight, 4);
  EXPECT_TRUE(arma::all(r.offsets == arma::uvec({0, 2, 4, 6, 6})));  // expert 3 gets nothing
  EXPECT_TRUE(arma::all(r.token == arma::uvec({0, 1, 1, 2, 0, 2})));
  EXPECT_TRUE(arma::approx_equal(r.weight, arma::vec({0.3, 0.6, 0.4, 0.5, 0.7, 0.5}), "absdiff", 0.0));
  EXPECT_EQ(r.count(3), 0u);
  EXPECT_THROW(moe::nn::make_routing(arma::umat(1, 1, arma::fill::value(4)), arma::mat(1, 1, arma::fill::ones), 4),
               std::invalid_argument);
}

TEST(Routing, TopKIsSortedWithStableTies) {
  const arma::mat A = {{0.1, 0.9, 0.5, 0.9}, {3.0, -1.0, 2.0, 1.0}};
  arma::umat index;
  arma::mat value;
  cpu.row_topk(index, value, A, 3);
  EXPECT_TRUE(arma::all(index.row(0) == arma::urowvec({1, 3, 2})));  // tie 0.9: column 1 first
  EXPECT_TRUE(arma::all(index.row(1) == arma::urowvec({0, 2, 3})));
  EXPECT_EQ(value(1, 1), 2.0);
  cpu.row_topk(index, value, A, 4);  // k = E: every expert, in order
  EXPECT_EQ(index(1, 3), 1u);
}

// A sparse MoE layer's linear part, y_t = Σ_{e chosen by t} g_te x_t W_e, through
// the kernels, equals the dense definition; its weight gradient too.
TEST(Routing, GroupedKernelsMatchTheDenseDefinition) {
  arma::arma_rng::set_seed(5);
  const arma::uword n = 37, d_in = 5, d_out = 3, E = 6, k = 2;
  const arma::mat X = arma::randn(n, d_in), scores = arma::randn(n, E);
  const arma::cube W = arma::randn(d_in, d_out, E);
  arma::umat chosen;
  arma::mat gate;
  cpu.row_topk(chosen, gate, scores, k);
  chosen.elem(arma::find(chosen == 4)).fill(5);  // leave expert 4 without tokens
  const moe::nn::Routing r = moe::nn::make_routing(chosen, gate, E);
  ASSERT_EQ(r.count(4), 0u);
  arma::mat Xr, Hr, Y;
  cpu.gather_rows(Xr, X, r);
  cpu.grouped_matmul(Hr, Xr, W, r.offsets, false);
  cpu.scatter_add(Y, Hr, r, n, true);
  arma::mat expected(n, d_out, arma::fill::zeros);
  for (arma::uword t = 0; t < n; ++t)
    for (arma::uword j = 0; j < k; ++j) expected.row(t) += gate(t, j) * X.row(t) * W.slice(chosen(t, j));
  EXPECT_LT(arma::abs(Y - expected).max(), 1e-12);

  // dW_e = Σ_{t → e} x_tᵀ (g_te dy_t) and dX = Σ_e g_te dy_t W_eᵀ for a cotangent dY.
  const arma::mat dY = arma::randn(n, d_out);
  arma::mat dYr, dXr, dX;
  cpu.gather_rows(dYr, dY, r);
  dYr.each_col() %= r.weight;
  arma::cube dW;
  cpu.grouped_cross(dW, Xr, dYr, r.offsets);
  cpu.grouped_matmul(dXr, dYr, W, r.offsets, true);
  cpu.scatter_add(dX, dXr, r, n, false);
  arma::cube dW_expected(d_in, d_out, E, arma::fill::zeros);
  arma::mat dX_expected(n, d_in, arma::fill::zeros);
  for (arma::uword t = 0; t < n; ++t)
    for (arma::uword j = 0; j < k; ++j) {
      dW_expected.slice(chosen(t, j)) += X.row(t).t() * (gate(t, j) * dY.row(t));
      dX_expected.row(t) += gate(t, j) * dY.row(t) * W.slice(chosen(t, j)).t();
    }
  EXPECT_LT(arma::abs(arma::vectorise(dW - dW_expected)).max(), 1e-12);
  EXPECT_LT(arma::abs(dX - dX_expected).max(), 1e-12);
  EXPECT_TRUE(arma::all(arma::vectorise(dW.slice(4)) == 0.0));  // an expert without tokens
  EXPECT_TRUE(dW.is_finite());
}

}  // namespace

extern "C" {
void openblas_set_num_threads(int threads) __attribute__((weak));
int openblas_get_num_threads(void) __attribute__((weak));
}

namespace {

// Every grouped operation of one layer's forward and backward (top-k, gather,
// the grouped products, the combine), on the given number of BLAS threads.
struct GroupedPass {
  arma::umat chosen;
  arma::fmat gate, Xr, Hr, Y, dXr, dX;
  arma::fcube dW;
};

GroupedPass grouped_pass(int threads) {
  if (openblas_set_num_threads) openblas_set_num_threads(threads);
  arma::arma_rng::set_seed(11);
  const arma::uword n = 300, d_in = 70, d_out = 40, E = 9, k = 3;
  const arma::fmat X = arma::randn<arma::fmat>(n, d_in), scores = arma::randn<arma::fmat>(n, E);
  const arma::fcube W = arma::randn<arma::fcube>(d_in, d_out, E);
  GroupedPass p;
  cpu.row_topk(p.chosen, p.gate, scores, k);
  const moe::nn::Routing r = moe::nn::make_routing(p.chosen, arma::conv_to<arma::mat>::from(p.gate), E);
  cpu.gather_rows(p.Xr, X, r);
  cpu.grouped_matmul(p.Hr, p.Xr, W, r.offsets, false);
  cpu.scatter_add(p.Y, p.Hr, r, n, true);
  cpu.grouped_cross(p.dW, p.Xr, p.Hr, r.offsets);
  cpu.grouped_matmul(p.dXr, p.Hr, W, r.offsets, true);
  cpu.scatter_add(p.dX, p.dXr, r, n, false);
  return p;
}

// The CPU kernels split their work (experts, row and column blocks) over the
// BLAS threads; each part is computed as on one thread, so every bit agrees.
TEST(Routing, GroupedKernelsDoNotDependOnTheThreads) {
  if (!openblas_get_num_threads || !openblas_set_num_threads) GTEST_SKIP() << "not OpenBLAS";
  const int saved = openblas_get_num_threads();
  const GroupedPass one = grouped_pass(1), two = grouped_pass(2);
  openblas_set_num_threads(saved);
  EXPECT_TRUE(arma::all(arma::vectorise(one.chosen == two.chosen)));
  for (const auto& [a, b] : {std::pair{&one.gate, &two.gate}, {&one.Xr, &two.Xr}, {&one.Hr, &two.Hr},
                             {&one.Y, &two.Y}, {&one.dXr, &two.dXr}, {&one.dX, &two.dX}})
    EXPECT_TRUE(arma::approx_equal(*a, *b, "absdiff", 0.0f));
  EXPECT_TRUE(arma::approx_equal(one.dW, two.dW, "absdiff", 0.0f));
  EXPECT_GT(arma::abs(arma::vectorise(one.dW)).max(), 0.0f);
}

TEST(Routing, TopKRefusesNaNScores) {
  arma::mat A = {{0.1, 0.9, 0.5}};
  A(0, 2) = arma::datum::nan;
  arma::umat index;
  arma::mat value;
  EXPECT_THROW(cpu.row_topk(index, value, A, 2), std::invalid_argument);
}

}  // namespace
