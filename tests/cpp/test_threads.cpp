// One run's row-wise passes (the kernels' Grams, cross-products and softmax,
// the experts' log-densities) on 1, 2 and 3 threads: the rows are split into
// blocks that do not depend on the thread count and the blocks' sums are added
// in block order, so the fit is the same to the last bit.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "moe/methods.hpp"

namespace {

// A run from one start on rows that span several blocks (4096 rows each).
moe::Fit one_run(const moe::Model& truth, const moe::Dataset& data, const std::string& method, unsigned threads) {
  moe::MethodSettings settings = moe::testing::tight_settings();
  settings.control.starts = 1;
  settings.control.max_iter = 25;
  settings.control.split_merge = false;
  settings.control.threads = threads;
  return moe::make_method(method, settings).fit_from(data, truth);
}

TEST(Threads, OneRunIsTheSameOnOneTwoAndThreeThreadsForEveryFamily) {
  for (const moe::Model& truth : moe::testing::truth_of_every_family()) {
    const moe::Dataset data = moe::testing::draw(truth, 9000, 3);
    for (const char* method : {"em", "gem", "gd"}) {
      const moe::Fit one = one_run(truth, data, method, 1);
      for (unsigned threads : {2u, 3u}) {
        const moe::Fit more = one_run(truth, data, method, threads);
        SCOPED_TRACE(moe::to_string(truth.experts.family) + " " + method + " " + std::to_string(threads));
        EXPECT_EQ(more.loglik, one.loglik);
        EXPECT_EQ(more.iterations, one.iterations);
        EXPECT_TRUE(arma::approx_equal(moe::pack(more.model), moe::pack(one.model), "absdiff", 0.0));
      }
    }
  }
}

TEST(Threads, BlocksGiveTheLogLikelihoodOfTheWholeRows) {
  // The blocked passes compute the same quantity: ℓ on 10 000 rows equals the
  // sum of ℓ over row ranges of at most one block each.
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(truth, 10000, 4);
  double by_parts = 0.0;
  for (arma::uword first = 0; first < data.n(); first += 2500) {
    moe::Dataset part = data;
    const arma::uword last = first + 2499;
    part.y = data.y.subvec(first, last);
    part.X = data.X.rows(first, last);
    part.Z = data.Z.rows(first, last);
    by_parts += moe::log_likelihood(truth, part);
  }
  EXPECT_NEAR(moe::log_likelihood(truth, data), by_parts, 1e-9 * std::abs(by_parts));
}

}  // namespace
