// Observation weights are frequency weights: a fit with integer weights is the
// fit of the data with every row repeated that many times, for every family and
// estimator; weight 0 is a row left out; the gradient with any weights matches
// finite differences of the weighted log-likelihood.
#include <gtest/gtest.h>

#include <string>

#include "helpers.hpp"
#include "moe/backend.hpp"
#include "moe/diagnostics.hpp"
#include "moe/em.hpp"
#include "moe/standard_errors.hpp"
#include "moe/init.hpp"
#include "moe/local_rates.hpp"
#include "moe/methods.hpp"
#include "moe/posterior.hpp"
#include "moe/selection.hpp"
#include "moe/shape_family.hpp"

namespace {

using moe::testing::relative_error;

// Integer weights 0..3 for the rows of `data`, and the data with each row repeated that often.
struct Replicated {
  moe::Dataset weighted, repeated;
};

Replicated replicate(const moe::Dataset& data, std::uint64_t seed) {
  moe::Rng rng(seed);
  Replicated out{data, {}};
  out.weighted.weights.set_size(data.n());
  for (double& w : out.weighted.weights) w = static_cast<double>(rng.index(4));
  std::vector<arma::uword> rows;
  for (arma::uword i = 0; i < data.n(); ++i)
    for (int copy = 0; copy < out.weighted.weights(i); ++copy) rows.push_back(i);
  const arma::uvec index(rows);
  out.repeated = moe::Dataset{data.y.elem(index), data.X.rows(index), data.Z.rows(index), {}, {}, {}};
  return out;
}

moe::Model start_for(const moe::Model& truth, const moe::Dataset& data) {
  moe::EMOptions options;
  options.control.seed = 3;
  return moe::EM(options).initial_model(data, truth.K(), truth.experts.family, false, 0);
}

void expect_same_fit(const moe::Fit& a, const moe::Fit& b) {
  EXPECT_NEAR(a.loglik, b.loglik, 1e-10 * std::abs(b.loglik));
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_LE(relative_error(moe::pack(a.model), moe::pack(b.model)), 1e-7);
  EXPECT_NEAR(a.bic, b.bic, 1e-10 * std::abs(b.bic));
}

TEST(Weights, IntegerWeightsFitAsRepeatedRowsForEveryFamilyAndMethod) {
  const moe::MethodSettings settings = moe::testing::tight_settings();
  for (const moe::Model& truth : moe::testing::truth_of_every_family()) {
    const Replicated data = replicate(moe::testing::draw(truth, 300, 61), 62);
    const moe::Model start = start_for(truth, data.repeated);
    for (const std::string method : {"em", "gem", "mirror:0.5", "gd", "gd:0.05", "adam:0.05"}) {
      if (method == "mirror:0.5" && moe::shape_family(truth.experts.family)) continue;  // refused (test_negbin.cpp)
      SCOPED_TRACE(moe::to_string(truth.experts.family) + " " + method);
      const moe::Method m = moe::make_method(method, settings);
      expect_same_fit(m.fit_from(data.weighted, start), m.fit_from(data.repeated, start));
    }
  }
}

// A variance floor that binds is the same share of y's variance for the
// weighted and the repeated rows.
TEST(Weights, TheVarianceFloorIsTheRepeatedRowsOne) {
  const Replicated data = replicate(moe::testing::draw(moe::testing::gaussian_truth(), 300, 69), 70);
  moe::MethodSettings settings;
  settings.relative_variance_floor = 0.3;
  const moe::Model start = start_for(moe::testing::gaussian_truth(), data.repeated);
  const moe::Method em = moe::make_method("em", settings);
  const moe::Fit weighted = em.fit_from(data.weighted, start), repeated = em.fit_from(data.repeated, start);
  expect_same_fit(weighted, repeated);
  EXPECT_NEAR(weighted.model.experts.sigma.min(), std::sqrt(0.3 * arma::var(data.repeated.y)), 1e-9);  // it binds
}

TEST(Weights, AFitFromScratchAndItsStandardErrorsAndCriteriaMatchTheRepeatedRows) {
  const Replicated data = replicate(moe::testing::draw(moe::testing::gaussian_truth(), 400, 63), 64);
  moe::EMOptions options;
  options.control.tol = 1e-10;
  // k-means draws its seeds differently for weighted and repeated rows: fit both from one start
  const moe::Model start = moe::EM(options).initial_model(data.repeated, 3, moe::Family::gaussian, false, 0);
  const moe::Fit weighted = moe::EM(options).fit_from(data.weighted, start);
  const moe::Fit repeated = moe::EM(options).fit_from(data.repeated, start);
  expect_same_fit(weighted, repeated);
  const moe::StandardErrors a = moe::standard_errors(weighted.model, data.weighted);
  const moe::StandardErrors b = moe::standard_errors(repeated.model, data.repeated);
  ASSERT_TRUE(a.valid && b.valid);
  EXPECT_LE(relative_error(a.covariance, b.covariance), 1e-5);
  EXPECT_NEAR(moe::icl(weighted, data.weighted), moe::icl(repeated, data.repeated), 1e-8 * std::abs(repeated.bic));
  EXPECT_NEAR(weighted.bic - repeated.aic, repeated.bic - repeated.aic, 1e-8);  // n = Σ w, not the rows
  // what is computed at a model: the SNR and the predicted rates
  const moe::Model& at = weighted.model;
  EXPECT_NEAR(moe::snr_estimate(at, data.weighted.X, {}, data.weighted.weights), moe::snr_estimate(at, data.repeated.X),
              1e-12);
  const moe::LocalRates on_weighted(at, data.weighted), on_repeated(at, data.repeated);
  EXPECT_NEAR(on_weighted.em(), on_repeated.em(), 1e-6);
  EXPECT_NEAR(on_weighted.mirror(0.5), on_repeated.mirror(0.5), 1e-6);
  EXPECT_NEAR(on_weighted.gradient(0.1), on_repeated.gradient(0.1), 1e-6);
}

TEST(Weights, ZeroWeightLeavesARowOut) {
  const moe::Dataset data = moe::testing::draw(moe::testing::poisson_truth(), 200, 65);
  moe::Dataset weighted = data;
  weighted.weights.ones(data.n());
  weighted.weights.head(50).zeros();
  weighted.y.head(50).fill(1000.0);  // a count that the rows left out would make an outlier
  const arma::uvec kept = arma::regspace<arma::uvec>(50, data.n() - 1);
  const moe::Dataset rest{data.y.elem(kept), data.X.rows(kept), data.Z.rows(kept), {}, {}, {}};
  const moe::Model start = start_for(moe::testing::poisson_truth(), rest);
  expect_same_fit(moe::EM(moe::EMOptions{}).fit_from(weighted, start), moe::EM(moe::EMOptions{}).fit_from(rest, start));
}

TEST(Weights, WithoutZeroWeightsKeepsTheOtherRowsAndTheirNames) {
  moe::Dataset data = moe::testing::draw(moe::testing::poisson_truth(), 10, 77);
  data.x_names = {"(Intercept)", "a"};
  data.weights = arma::vec{1, 0, 2, 0, 1, 1, 0, 3, 1, 1};
  data.offset = arma::regspace(0.0, 9.0);
  const moe::Dataset kept = moe::without_zero_weights(data);
  ASSERT_EQ(kept.n(), 7u);
  EXPECT_TRUE(arma::approx_equal(kept.offset, arma::vec{0, 2, 4, 5, 7, 8, 9}, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(kept.y, data.y.elem(arma::uvec{0, 2, 4, 5, 7, 8, 9}), "absdiff", 0.0));
  EXPECT_EQ(kept.x_names, data.x_names);
  EXPECT_EQ(kept.total_weight(), data.total_weight());
  data.weights.reset();
  EXPECT_EQ(moe::without_zero_weights(data).n(), 10u);
}

// Rows of weight 0 only make a mini-batch with nothing to step on: it is skipped.
TEST(Weights, MiniBatchesOfZeroWeightAreSkipped) {
  moe::Dataset data = moe::testing::draw(moe::testing::poisson_truth(), 200, 78);
  data.weights = arma::zeros(data.n());
  data.weights.head(20).ones();
  moe::MethodSettings settings;
  settings.batch_size = 5;
  settings.control.max_iter = 20;
  const moe::Fit fit =
      moe::make_method("adam:0.05", settings).fit_from(data, start_for(moe::testing::poisson_truth(), data));
  EXPECT_TRUE(std::isfinite(fit.loglik));
  EXPECT_NE(fit.trace.stop_reason, moe::StopReason::numerical_error);
}

// The k-means start counts rows by their weights: a far row of weight 0 is never
// a seed and moves no centre, so the other rows get the responsibilities they
// get without it.
TEST(Weights, KMeansIgnoresARowOfWeightZero) {
  moe::Dataset data = moe::testing::draw(moe::testing::gaussian_truth(), 300, 79);
  data.weights = arma::ones(data.n());
  moe::Dataset far = data;
  far.y.resize(data.n() + 1);
  far.y(data.n()) = 1e6;
  far.X.insert_rows(data.n(), arma::rowvec{1.0, -1e6});
  far.Z.insert_rows(data.n(), arma::rowvec{1.0, 0.0});
  far.weights.resize(data.n() + 1);
  far.weights(data.n()) = 0.0;
  moe::Rng a(80), b(80);
  const arma::mat with = moe::kmeans_responsibilities(far, 3, a), without = moe::kmeans_responsibilities(data, 3, b);
  EXPECT_TRUE(arma::approx_equal(with.head_rows(data.n()), without, "absdiff", 1e-12));
  // and the weights matter: heavy rows pull a centre
  moe::Dataset heavy = data;
  heavy.weights.head(30).fill(50.0);
  moe::Rng c(80);
  EXPECT_FALSE(arma::approx_equal(moe::kmeans_responsibilities(heavy, 3, c), without, "absdiff", 1e-12));
}

TEST(Weights, GradientMatchesFiniteDifferencesWithFractionalWeights) {
  for (const moe::Model& truth : moe::testing::truth_of_every_family()) {
    SCOPED_TRACE(moe::to_string(truth.experts.family));
    moe::Dataset data = moe::testing::draw(truth, 200, 66);
    data.weights = arma::linspace(0.1, 2.5, data.n());
    moe::Model at = truth;
    at.experts.coef += 0.2;
    EXPECT_LT(moe::testing::gradient_error(at, data), 1e-5);
    moe::Dataset unweighted = data;
    unweighted.weights.reset();
    EXPECT_GT(arma::abs(moe::gradient(at, unweighted) - moe::gradient(at, data)).max(), 1.0);  // the weights matter
  }
}

TEST(Weights, BadWeightsAreRefused) {
  moe::Dataset data = moe::testing::draw(moe::testing::gaussian_truth(), 50, 67);
  const auto message = [&](const arma::vec& w) -> std::string {
    data.weights = w;
    try {
      moe::validate(data, moe::Family::gaussian, 2);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(message(arma::ones(49)).find("49 weights for 50 rows"), std::string::npos);
  arma::vec w = arma::ones(50);
  w(3) = -1.0;
  EXPECT_NE(message(w).find("finite and non-negative"), std::string::npos);
  w(3) = arma::datum::nan;
  EXPECT_NE(message(w).find("finite and non-negative"), std::string::npos);
  EXPECT_NE(message(arma::zeros(50)).find("every weight is zero"), std::string::npos);
  w.zeros();
  w.head(6).ones();  // 6 rows count: too few for 2 experts of 3 parameters and a gate of 2
  EXPECT_NE(message(w).find("6 rows with positive weight is too few"), std::string::npos);
  EXPECT_NE(message(arma::vec(50, arma::fill::value(1e-3))).find("the weights sum to 0.05, fewer than the 8 parameters"),
            std::string::npos);
  EXPECT_EQ(message(arma::linspace(0.0, 3.0, 50)), "");
}

TEST(CudaPosterior, WeightedSumsMatchTheHost) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  for (const moe::Model& truth : {moe::testing::gaussian_truth(), moe::testing::poisson_truth()}) {
    moe::Dataset data = moe::testing::draw(truth, 1001, 68);
    data.weights = arma::linspace(0.0, 2.0, data.n());
    moe::HostPosterior host(data, moe::cpu_kernels());
    const std::unique_ptr<moe::Posterior> device = moe::kernels_for("cuda").posterior(data);
    const double l_host = host.update(truth), l_device = device->update(truth);
    EXPECT_NEAR(l_device, l_host, 1e-9 * std::abs(l_host));
    EXPECT_LE(relative_error(device->gradient(truth), host.gradient(truth)), 1e-9);
    EXPECT_LE(relative_error(device->expert_sums().mass(), host.expert_sums().mass()), 1e-9);
    EXPECT_NEAR(device->gate_sums().objective(truth.gate.coef), host.gate_sums().objective(truth.gate.coef),
                1e-9 * std::abs(l_host));
    EXPECT_LE(relative_error(device->gate_sums().hessian_blocks(), host.gate_sums().hessian_blocks()), 1e-9);
  }
}

}  // namespace
