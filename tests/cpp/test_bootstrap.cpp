#include <gtest/gtest.h>

#include <stdexcept>

#include "helpers.hpp"
#include "moe/bootstrap.hpp"
#include "moe/matching.hpp"

namespace {

using moe::testing::make_model;

// A well-identified 2-expert Gaussian model with a gate on one covariate.
moe::Model two_lines() {
  return make_model(moe::Family::gaussian, {{0.3, 0.0}, {1.5, 0.0}}, {{-2.0, 2.0}, {1.0, -1.5}}, {0.6, 0.9});
}

struct Fitted {
  moe::Dataset data;
  moe::Method method;
  moe::Fit fit;
};

Fitted fitted(const moe::Model& truth, arma::uword n, std::uint64_t seed) {
  Fitted f{moe::testing::draw(truth, n, seed), moe::make_method("em", moe::testing::tight_settings()), {}};
  f.fit = f.method.fit(f.data, truth.K(), truth.experts.family, false);
  return f;
}

moe::BootstrapOptions options(arma::uword replicates, moe::BootstrapType type, unsigned threads = 1) {
  moe::BootstrapOptions o;
  o.replicates = replicates;
  o.type = type;
  o.seed = 11;
  o.threads = threads;
  return o;
}

TEST(Bootstrap, NaturalParametersArePackWithDispersionsOnTheirScale) {
  const moe::Model m = two_lines();
  const arma::vec theta = moe::natural_parameters(m);
  ASSERT_EQ(theta.n_elem, m.n_free());
  EXPECT_DOUBLE_EQ(theta(theta.n_elem - 2), 0.6);
  EXPECT_DOUBLE_EQ(theta(theta.n_elem - 1), 0.9);
  EXPECT_TRUE(arma::approx_equal(theta.head(theta.n_elem - 2), moe::pack(m).head(theta.n_elem - 2), "absdiff", 0.0));
}

TEST(Bootstrap, SameForASeedWhateverTheThreads) {
  const Fitted f = fitted(two_lines(), 300, 1);
  for (moe::BootstrapType type : {moe::BootstrapType::nonparametric, moe::BootstrapType::parametric}) {
    const moe::Bootstrap one = moe::bootstrap(f.data, f.fit.model, f.method, options(12, type, 1));
    const moe::Bootstrap two = moe::bootstrap(f.data, f.fit.model, f.method, options(12, type, 2));
    const moe::Bootstrap again = moe::bootstrap(f.data, f.fit.model, f.method, options(12, type, 2));
    ASSERT_EQ(one.replicates.n_rows, 12u);
    EXPECT_TRUE(arma::approx_equal(one.replicates, two.replicates, "absdiff", 0.0));
    EXPECT_TRUE(arma::approx_equal(two.replicates, again.replicates, "absdiff", 0.0));
    moe::BootstrapOptions other = options(12, type, 2);
    other.seed = 12;
    EXPECT_GT(arma::abs(moe::bootstrap(f.data, f.fit.model, f.method, other).replicates - one.replicates).max(), 1e-6);
  }
}

// On a well-identified model the bootstrap's standard errors estimate the same
// spread as the observed information's: with B = 300 the Monte-Carlo error of
// a standard deviation is about 1/√(2B) = 4 %, so 15 % leaves room for the
// difference of the two estimates at n = 1000 and fails when either is wrong
// by a factor (e.g. a variance for a standard deviation, or replicates not
// refitted).
TEST(Bootstrap, StandardErrorsAgreeWithTheObservedInformation) {
  const Fitted f = fitted(two_lines(), 1000, 2);
  const arma::vec information = moe::natural_standard_errors(f.fit.model, moe::standard_errors(f.fit.model, f.data));
  ASSERT_TRUE(information.is_finite());
  for (moe::BootstrapType type : {moe::BootstrapType::nonparametric, moe::BootstrapType::parametric}) {
    const moe::Bootstrap b = moe::bootstrap(f.data, f.fit.model, f.method, options(300, type, 2));
    EXPECT_EQ(b.failed, 0u);
    const arma::vec ratio = b.standard_errors() / information;
    EXPECT_GT(ratio.min(), 0.85) << moe::to_string(type) << "\n" << ratio.t();
    EXPECT_LT(ratio.max(), 1.15) << moe::to_string(type) << "\n" << ratio.t();
    // the 95 % interval holds the estimate and spans about 2 × 1.96 standard errors
    const arma::mat ci = b.percentile_intervals(0.95);
    EXPECT_TRUE(arma::all(ci.col(0) < b.estimates && b.estimates < ci.col(1)));
    const arma::vec width = (ci.col(1) - ci.col(0)) / (2.0 * 1.96 * information);
    EXPECT_GT(width.min(), 0.7);
    EXPECT_LT(width.max(), 1.3);
  }
}

TEST(Bootstrap, ReplicatesComeBackInTheFitsOrder) {
  // Fitted from a start with the experts swapped, every replicate ends with
  // them swapped; matched back, they agree with the fit.
  const Fitted f = fitted(two_lines(), 500, 3);
  moe::Method swapping = f.method;
  swapping.fit_from = [&](const moe::Dataset& data, const moe::Model& start) {
    moe::Fit fit = f.method.fit_from(data, start);
    fit.model = moe::relabelled(fit.model, {1, 0});
    return fit;
  };
  const moe::Bootstrap b = moe::bootstrap(f.data, f.fit.model, swapping, options(20, moe::BootstrapType::parametric));
  EXPECT_EQ(b.relabelled, 20u);
  const moe::Bootstrap plain = moe::bootstrap(f.data, f.fit.model, f.method, options(20, moe::BootstrapType::parametric));
  EXPECT_EQ(plain.relabelled, 0u);
  EXPECT_LT(arma::abs(b.replicates - plain.replicates).max(), 1e-9);
}

TEST(Bootstrap, GroupsAreResampledWhole) {
  moe::Dataset data = moe::testing::draw(two_lines(), 400, 4);
  data.group = arma::regspace<arma::uvec>(0, 399) / 4;  // 100 groups of 4 rows
  data.Z = arma::ones(400, 1);                          // the gate constant within groups
  moe::Model start = two_lines();
  start.gate.coef = arma::mat{{0.0, 0.0}};
  const moe::Method method = moe::make_method("em", moe::testing::tight_settings());
  const moe::Fit fit = method.fit_from(data, start);
  moe::Method checking = method;
  checking.fit_from = [&](const moe::Dataset& drawn, const moe::Model& from) {
    EXPECT_EQ(drawn.n(), 400u);  // 100 groups of 4 drawn
    EXPECT_EQ(drawn.n_groups(), 100u);
    EXPECT_TRUE(arma::all(drawn.group_sizes() == 4u));
    return method.fit_from(drawn, from);
  };
  const moe::Bootstrap b = moe::bootstrap(data, fit.model, checking, options(8, moe::BootstrapType::nonparametric));
  EXPECT_EQ(b.failed, 0u);
  EXPECT_TRUE(b.standard_errors().is_finite());
}

TEST(Bootstrap, WeightsCountObservations) {
  // Whole weights resample the observations they count: on average each
  // replicate's weight of a row is its weight, and they sum to Σ w.
  Fitted f = fitted(two_lines(), 200, 5);
  f.data.weights = arma::vec(200, arma::fill::value(1.0));
  f.data.weights.head(50).fill(3.0);
  moe::Method recording = f.method;
  arma::mat drawn_weights(200, 0);
  recording.fit_from = [&](const moe::Dataset& drawn, const moe::Model& from) {
    EXPECT_DOUBLE_EQ(arma::accu(drawn.weights), 300.0);
#pragma omp critical
    drawn_weights.insert_cols(drawn_weights.n_cols, drawn.weights);
    return f.method.fit_from(drawn, from);
  };
  moe::bootstrap(f.data, f.fit.model, recording, options(200, moe::BootstrapType::nonparametric));
  const arma::vec mean = arma::mean(drawn_weights, 1);
  EXPECT_NEAR(arma::mean(mean.head(50)), 3.0, 0.1);
  EXPECT_NEAR(arma::mean(mean.tail(150)), 1.0, 0.05);

  f.data.weights(0) = 2.5;
  EXPECT_THROW(moe::bootstrap(f.data, f.fit.model, f.method, options(5, moe::BootstrapType::nonparametric)),
               std::invalid_argument);
  EXPECT_NO_THROW(moe::bootstrap(f.data, f.fit.model, f.method, options(5, moe::BootstrapType::parametric)));
}

TEST(Bootstrap, PointMassStaysAPointMass) {
  moe::Model truth = make_model(moe::Family::poisson, {{0.8, 0.0}, {1.0, 0.0}}, {{1.0, 0.0}, {0.5, 0.0}});
  truth.experts.point_mass = 0.0;
  moe::Dataset data = moe::testing::draw(truth, 600, 6);
  data.point_mass = 0.0;
  const moe::Method method = moe::make_method("em", moe::testing::tight_settings());
  const moe::Fit fit = method.fit(data, 2, moe::Family::poisson, false);
  for (moe::BootstrapType type : {moe::BootstrapType::nonparametric, moe::BootstrapType::parametric}) {
    const moe::Bootstrap b = moe::bootstrap(data, fit.model, method, options(30, type));
    EXPECT_EQ(b.names.size(), fit.model.n_free());  // the gate and the Poisson expert only
    EXPECT_EQ(b.failed, 0u);
    const arma::vec information = moe::natural_standard_errors(fit.model, moe::standard_errors(fit.model, data));
    const arma::vec ratio = b.standard_errors() / information;
    EXPECT_GT(ratio.min(), 0.5) << ratio.t();
    EXPECT_LT(ratio.max(), 1.6) << ratio.t();
  }
}

TEST(Bootstrap, FailedReplicatesAreCountedAndAllFailingIsAnError) {
  const Fitted f = fitted(two_lines(), 200, 7);
  moe::Method flaky = f.method;
  flaky.fit_from = [&](const moe::Dataset& drawn, const moe::Model& from) {
    if (drawn.weights(0) == 0.0) throw std::invalid_argument("moe::test(): row 1 left out");
    return f.method.fit_from(drawn, from);
  };
  const moe::Bootstrap b = moe::bootstrap(f.data, f.fit.model, flaky, options(60, moe::BootstrapType::nonparametric));
  EXPECT_GT(b.failed, 5u);  // P(row 1 not drawn) = (1 − 1/200)^200 ≈ 0.37
  EXPECT_LT(b.failed, 40u);
  EXPECT_EQ(b.replicates.n_rows + b.failed, 60u);
  EXPECT_NE(b.first_failure.find("row 1 left out"), std::string::npos);

  moe::Method broken = f.method;
  broken.fit_from = [](const moe::Dataset&, const moe::Model&) -> moe::Fit { throw std::runtime_error("no fit"); };
  EXPECT_THROW(moe::bootstrap(f.data, f.fit.model, broken, options(3, moe::BootstrapType::parametric)),
               std::invalid_argument);
  EXPECT_THROW(moe::bootstrap(f.data, f.fit.model, f.method, options(0, moe::BootstrapType::parametric)),
               std::invalid_argument);
  EXPECT_THROW(moe::parse_bootstrap_type("jackknife"), std::invalid_argument);
}

}  // namespace
