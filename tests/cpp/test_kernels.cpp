#include <gtest/gtest.h>

#include "moe/kernels.hpp"

namespace {

const moe::Kernels& cpu = moe::cpu_kernels();

TEST(Kernels, WeightedGramMatchesDefinitionWithNegativeWeights) {
  arma::arma_rng::set_seed(1);
  const arma::mat X = arma::randn(37, 4), W = arma::randn(37, 3);
  arma::cube G;
  cpu.weighted_gram(G, X, W);
  ASSERT_EQ(G.n_slices, 3u);
  for (arma::uword k = 0; k < 3; ++k)
    EXPECT_LT(arma::abs(G.slice(k) - X.t() * arma::diagmat(W.col(k)) * X).max(), 1e-12);
}

TEST(Kernels, CrossIsTransposedProduct) {
  arma::arma_rng::set_seed(2);
  const arma::mat X = arma::randn(20, 3), W = arma::randn(20, 5);
  arma::mat out;
  cpu.cross(out, X, W);
  EXPECT_LT(arma::abs(out - X.t() * W).max(), 1e-12);
}

TEST(Kernels, SpdSolveSolvesEverySystemAndRejectsIndefinite) {
  arma::arma_rng::set_seed(3);
  arma::cube A(4, 4, 3);
  arma::mat B = arma::randn(4, 3), x;
  for (arma::uword k = 0; k < 3; ++k) {
    const arma::mat M = arma::randn(4, 4);
    A.slice(k) = M.t() * M + 0.1 * arma::eye(4, 4);
  }
  ASSERT_TRUE(cpu.spd_solve(x, A, B));
  for (arma::uword k = 0; k < 3; ++k)
    EXPECT_LT(arma::norm(A.slice(k) * x.col(k) - B.col(k)), 1e-10);
  A.slice(1) = -arma::eye(4, 4);
  EXPECT_FALSE(cpu.spd_solve(x, A, B));
}

TEST(Kernels, RowLogSumExpIsStableAtExtremes) {
  const arma::mat A = {{1000.0, 1000.0}, {-1000.0, -1001.0}, {0.0, -arma::datum::inf}};
  const arma::vec out = moe::row_logsumexp(cpu, A);
  EXPECT_NEAR(out(0), 1000.0 + std::log(2.0), 1e-12);
  EXPECT_NEAR(out(1), -1000.0 + std::log1p(std::exp(-1.0)), 1e-12);
  EXPECT_NEAR(out(2), 0.0, 1e-15);
  const arma::mat L = moe::log_softmax_rows(cpu, A);
  EXPECT_NEAR(arma::accu(arma::exp(L.row(1))), 1.0, 1e-12);
  arma::mat P;
  arma::vec lse;
  cpu.row_softmax(P, lse, A);
  EXPECT_LT(arma::abs(arma::sum(P, 1) - 1.0).max(), 1e-15);
  EXPECT_LT(arma::abs(P - arma::exp(L)).max(), 1e-12);
  EXPECT_EQ(P(2, 1), 0.0);
}

}  // namespace
