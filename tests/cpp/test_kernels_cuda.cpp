// The CUDA backend against its CPU twin, kernel by kernel (fp64, relative error
// ≤ 1e-9), at sizes that are no multiple of any block size (n = 1, 37, 1000,
// 4099), with one column/expert, all-zero weights, experts without tokens and
// very unequal expert loads. Without a CUDA device these tests are skipped; the
// backend-choice tests at the end run everywhere.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "moe/backend.hpp"
#include "moe/em.hpp"
#include "moe/kernels.hpp"
#include "moe/nn/layer_kernels.hpp"

namespace {

using moe::testing::relative_error;

const moe::Kernels& cpu = moe::cpu_kernels();
const std::vector<arma::uword> kRows = {1, 37, 1000, 4099};
constexpr double kTolerance = 1e-9;

const moe::Kernels& gpu() { return moe::kernels_for("cuda"); }
const moe::nn::LayerKernels& layer_cpu = moe::nn::cpu_layer_kernels();
const moe::nn::LayerKernels& layer_gpu() { return moe::nn::layer_kernels_for("cuda"); }

std::string sizes(arma::uword n, arma::uword p, arma::uword m) {
  return "n = " + std::to_string(n) + ", p = " + std::to_string(p) + ", m = " + std::to_string(m);
}

// Top-k routing of n tokens over E experts with very unequal loads: expert 0
// is favoured by every token, and expert `empty` (when < E) is chosen by none.
moe::nn::Routing skewed_routing(arma::uword n, arma::uword E, arma::uword k, arma::uword empty) {
  arma::mat scores = arma::randn(n, E);
  scores.col(0) += 2.0;
  if (empty < E) scores.col(empty).fill(-1e300);
  arma::umat chosen;
  arma::mat gate;
  layer_cpu.row_topk(chosen, gate, scores, k);
  return moe::nn::make_routing(chosen, arma::abs(gate) + 0.1, E);
}

struct RoutingCase {
  arma::uword E, k, empty;  // empty = E: every expert may get tokens
};
const std::vector<RoutingCase> kRoutings = {{1, 1, 1}, {3, 1, 2}, {8, 2, 5}, {4, 3, 4}};

// Calls check(n, case, routing) for every n of kRows and every routing case;
// the expert meant to be empty is checked to be so.
template <class Check>
void for_each_routing(Check check) {
  for (const arma::uword n : kRows)
    for (const RoutingCase& c : kRoutings) {
      SCOPED_TRACE(sizes(n, c.k, c.E));
      const moe::nn::Routing r = skewed_routing(n, c.E, c.k, c.empty);
      if (c.empty < c.E) {
        EXPECT_EQ(r.count(c.empty), 0u);
      }
      check(n, c, r);
    }
}

TEST(CudaKernels, WeightedGramMatchesCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(11);
  for (const arma::uword n : kRows)
    for (const auto& [p, m] : std::vector<std::pair<arma::uword, arma::uword>>{{1, 1}, {3, 4}, {7, 1}, {5, 3}}) {
      SCOPED_TRACE(sizes(n, p, m));
      const arma::mat X = arma::randn(n, p);
      arma::mat W = arma::randn(n, m);  // negative weights too
      if (m > 1) W.col(1).zeros();       // an expert with all-zero weights
      arma::cube expected, got;
      cpu.weighted_gram(expected, X, W);
      gpu().weighted_gram(got, X, W);
      EXPECT_LE(relative_error(got, expected), kTolerance);
      if (m > 1) {
        EXPECT_TRUE(arma::all(arma::vectorise(got.slice(1)) == 0.0));
      }
    }
}

// p = 128 gives 8256 column pairs: a block of 8 Mi doubles of pair products
// holds 1016 rows, so n = 4099 takes five blocks (the later ones accumulate,
// the last is partial).
TEST(CudaKernels, WeightedGramAcrossScratchBlocks) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(12);
  const arma::mat X = arma::randn(4099, 128), W = arma::randu(4099, 4);
  arma::cube expected, got;
  cpu.weighted_gram(expected, X, W);
  gpu().weighted_gram(got, X, W);
  EXPECT_LE(relative_error(got, expected), kTolerance);
}

TEST(CudaKernels, CrossMatchesCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(13);
  for (const arma::uword n : kRows)
    for (const auto& [p, m] : std::vector<std::pair<arma::uword, arma::uword>>{{1, 1}, {5, 3}, {12, 8}}) {
      SCOPED_TRACE(sizes(n, p, m));
      const arma::mat X = arma::randn(n, p), W = arma::randn(n, m);
      arma::mat expected, got;
      cpu.cross(expected, X, W);
      gpu().cross(got, X, W);
      EXPECT_LE(relative_error(got, expected), kTolerance);
    }
}

// Well-conditioned SPD slices: MᵀM/rows + I with M of p + 10 rows.
arma::cube spd_slices(arma::uword p, arma::uword m) {
  arma::cube A(p, p, m);
  for (arma::uword j = 0; j < m; ++j) {
    const arma::mat M = arma::randn(p + 10, p);
    A.slice(j) = M.t() * M / double(p + 10) + arma::eye(p, p);
  }
  return A;
}

TEST(CudaKernels, SpdSolveMatchesCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(14);
  for (const arma::uword p : {1u, 5u, 33u})
    for (const arma::uword m : {1u, 6u}) {
      SCOPED_TRACE(sizes(0, p, m));
      const arma::cube A = spd_slices(p, m);
      const arma::mat B = arma::randn(p, m);
      arma::mat expected, got;
      ASSERT_TRUE(cpu.spd_solve(expected, A, B));
      ASSERT_TRUE(gpu().spd_solve(got, A, B));
      EXPECT_LE(relative_error(got, expected), kTolerance);
    }
}

TEST(CudaKernels, SpdSolveReturnsFalseForANonSpdSlice) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(15);
  const arma::uword p = 4, m = 5;
  const arma::mat B = arma::randn(p, m);
  arma::mat indefinite = arma::eye(p, p);  // positive diagonal, a negative eigenvalue
  indefinite(1, 2) = indefinite(2, 1) = 2.0;
  for (const arma::mat& bad : {arma::mat(-arma::eye(p, p)), arma::mat(p, p, arma::fill::zeros), indefinite}) {
    arma::cube A = spd_slices(p, m);
    A.slice(2) = bad;  // one bad slice among good ones
    arma::mat out;
    EXPECT_FALSE(cpu.spd_solve(out, A, B));
    EXPECT_FALSE(gpu().spd_solve(out, A, B));
  }
  arma::cube A(1, 1, 1, arma::fill::value(-1.0));  // p = 1
  arma::mat out;
  EXPECT_FALSE(gpu().spd_solve(out, A, arma::mat(1, 1, arma::fill::ones)));
}

TEST(CudaKernels, RowSoftmaxMatchesCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(16);
  for (const arma::uword n : kRows)
    for (const arma::uword m : {1u, 3u, 10u}) {
      SCOPED_TRACE(sizes(n, 0, m));
      arma::mat A = 30.0 * arma::randn(n, m);
      A.row(0).fill(1000.0);  // overflow without the max shift
      if (m > 1 && n > 1) A(n - 1, m - 1) = -arma::datum::inf;
      arma::mat P_expected, P;
      arma::vec lse_expected, lse;
      cpu.row_softmax(P_expected, lse_expected, A);
      gpu().row_softmax(P, lse, A);
      EXPECT_LE(relative_error(P, P_expected), kTolerance);
      EXPECT_LE(relative_error(lse, lse_expected), kTolerance);
      if (m > 1 && n > 1) {
        EXPECT_EQ(P(n - 1, m - 1), 0.0);
      }
    }
}

TEST(CudaKernels, RowTopkMatchesCpuIncludingTies) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(17);
  for (const arma::uword n : kRows)
    for (const arma::uword m : {1u, 4u, 9u, 40u}) {  // k up to 40: both top-k kernels (one pass up to 16)
      arma::mat A = arma::floor(4.0 * arma::randu(n, m));  // many ties
      if (m > 2) {
        A(0, 1) = arma::datum::inf;
        A(0, 2) = -arma::datum::inf;
      }
      for (const arma::uword k : {arma::uword{1}, (m + 1) / 2, m}) {
        SCOPED_TRACE(sizes(n, k, m));
        arma::umat index_expected, index;
        arma::mat value_expected, value;
        layer_cpu.row_topk(index_expected, value_expected, A, k);
        layer_gpu().row_topk(index, value, A, k);
        EXPECT_TRUE(arma::all(arma::vectorise(index == index_expected)));
        EXPECT_TRUE(arma::all(arma::vectorise(value == value_expected)));
      }
    }
  arma::umat index;
  arma::mat value;
  EXPECT_THROW(layer_gpu().row_topk(index, value, arma::mat(2, 3, arma::fill::ones), 4), std::invalid_argument);
}

TEST(CudaKernels, GatherRowsMatchesCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(18);
  for_each_routing([](arma::uword n, const RoutingCase&, const moe::nn::Routing& r) {
    const arma::mat X = arma::randn(n, 6);
    arma::mat expected, got;
    layer_cpu.gather_rows(expected, X, r);
    layer_gpu().gather_rows(got, X, r);
    EXPECT_TRUE(arma::approx_equal(got, expected, "absdiff", 0.0));
  });
}

TEST(CudaKernels, GroupedMatmulMatchesCpuBothWays) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(19);
  for_each_routing([](arma::uword, const RoutingCase& c, const moe::nn::Routing& r) {
    const arma::uword d_in = 5, d_out = 3;
    const arma::mat Xr = arma::randn(r.n_assignments(), d_in);
    const arma::cube W = arma::randn(d_in, d_out, c.E), Wt = arma::randn(d_out, d_in, c.E);
    arma::mat expected, got;
    layer_cpu.grouped_matmul(expected, Xr, W, r.offsets, false);
    layer_gpu().grouped_matmul(got, Xr, W, r.offsets, false);
    EXPECT_LE(relative_error(got, expected), kTolerance);
    layer_cpu.grouped_matmul(expected, Xr, Wt, r.offsets, true);
    layer_gpu().grouped_matmul(got, Xr, Wt, r.offsets, true);
    EXPECT_LE(relative_error(got, expected), kTolerance);
  });
}

TEST(CudaKernels, GroupedCrossMatchesCpuWithEmptyExperts) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(20);
  for_each_routing([](arma::uword, const RoutingCase& c, const moe::nn::Routing& r) {
    const arma::mat Ar = arma::randn(r.n_assignments(), 4), Br = arma::randn(r.n_assignments(), 7);
    arma::cube expected, got;
    layer_cpu.grouped_cross(expected, Ar, Br, r.offsets);
    layer_gpu().grouped_cross(got, Ar, Br, r.offsets);
    EXPECT_LE(relative_error(got, expected), kTolerance);
    if (c.empty < c.E) {
      EXPECT_TRUE(arma::all(arma::vectorise(got.slice(c.empty)) == 0.0));
    }
    EXPECT_TRUE(got.is_finite());
  });
}

TEST(CudaKernels, ScatterAddMatchesCpuAndIsDeterministic) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  arma::arma_rng::set_seed(21);
  for_each_routing([](arma::uword n, const RoutingCase&, const moe::nn::Routing& r) {
    const arma::mat Hr = arma::randn(r.n_assignments(), 5);
    for (const bool weighted : {false, true}) {
      SCOPED_TRACE(weighted ? "weighted" : "unweighted");
      arma::mat expected, got, again;
      layer_cpu.scatter_add(expected, Hr, r, n + 2, weighted);  // two tokens without assignments
      layer_gpu().scatter_add(got, Hr, r, n + 2, weighted);
      layer_gpu().scatter_add(again, Hr, r, n + 2, weighted);
      EXPECT_LE(relative_error(got, expected), kTolerance);
      EXPECT_TRUE(arma::approx_equal(got, again, "absdiff", 0.0));
      EXPECT_TRUE(arma::all(got.row(n + 1) == 0.0));
    }
  });
}

// The whole EM loop on the CUDA kernels reaches the CPU's fit.
TEST(CudaKernels, EmOnCudaMatchesEmOnCpu) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  const moe::Dataset data = moe::testing::draw(moe::testing::gaussian_truth(), 4099, 22);
  moe::EMOptions options;
  options.control.tol = 1e-12;
  options.control.starts = 1;  // one run from one k-means start: the same labels on both
  options.control.init = moe::InitMethod::kmeans;
  options.control.split_merge = false;
  const moe::Fit on_cpu = moe::EM(options).fit(data, 3, moe::Family::gaussian);
  options.control.kernels = &gpu();
  const moe::Fit on_gpu = moe::EM(options).fit(data, 3, moe::Family::gaussian);
  EXPECT_NEAR(on_gpu.loglik, on_cpu.loglik, 1e-9 * std::abs(on_cpu.loglik));
  EXPECT_LE(relative_error(on_gpu.model.experts.coef, on_cpu.model.experts.coef), 1e-6);
}

// --- Choosing the backend (runs with or without CUDA) ---

TEST(Backend, CpuByName) {
  EXPECT_EQ(&moe::kernels_for("cpu"), &moe::cpu_kernels());
  EXPECT_STREQ(moe::kernels_for("cpu").name(), "cpu");
}

TEST(Backend, UnknownDeviceIsAnInvalidArgument) {
  try {
    moe::kernels_for("nope");
    FAIL() << "kernels_for(\"nope\") did not throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("moe::kernels_for(): unknown device 'nope'"), std::string::npos)
        << e.what();
  }
}

TEST(Backend, CudaThrowsWhenItCannotRun) {
  EXPECT_TRUE(!moe::cuda_available() || moe::built_with_cuda());
  if (!moe::built_with_cuda()) {
    EXPECT_THROW(moe::kernels_for("cuda"), std::invalid_argument);
  } else if (!moe::cuda_available()) {
    EXPECT_THROW(moe::kernels_for("cuda"), std::runtime_error);
  } else {
    EXPECT_STREQ(moe::kernels_for("cuda").name(), "cuda");
    EXPECT_EQ(&moe::kernels_for("cuda"), &moe::kernels_for("cuda"));
  }
}

TEST(Backend, LayerKernelsByNameFollowTheDenseOnes) {
  EXPECT_EQ(&moe::nn::layer_kernels_for("cpu"), &moe::nn::cpu_layer_kernels());
  EXPECT_STREQ(moe::nn::layer_kernels_for("cpu").name(), "cpu");
  EXPECT_THROW(moe::nn::layer_kernels_for("nope"), std::invalid_argument);
  if (!moe::built_with_cuda()) {
    EXPECT_THROW(moe::nn::layer_kernels_for("cuda"), std::invalid_argument);
  } else if (!moe::cuda_available()) {
    EXPECT_THROW(moe::nn::layer_kernels_for("cuda"), std::runtime_error);
  } else {
    EXPECT_STREQ(moe::nn::layer_kernels_for("cuda").name(), "cuda");
    EXPECT_EQ(&moe::nn::layer_kernels_for("cuda"), &moe::nn::layer_kernels_for("cuda"));
  }
}

}  // namespace
