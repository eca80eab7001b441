#include <gtest/gtest.h>

#include <cmath>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/standard_errors.hpp"
#include "moe/local_rates.hpp"
#include "moe/mirror.hpp"

namespace {

using moe::testing::draw;
using moe::testing::make_model;
using moe::testing::numeric_gradient;

// Two Gaussian experts whose lines cross: enough overlap that EM is slow.
moe::Model overlapping_truth() {
  return make_model(moe::Family::gaussian, {{0.3, 0.0}, {1.5, 0.0}}, {{0.0, 1.0}, {1.0, -0.5}}, {1.0, 0.8});
}

// The maximum EM reaches from a k-means start, iterated to round-off.
moe::Model maximum(const moe::Dataset& data, arma::uword K, moe::Family family) {
  moe::MethodSettings settings;
  settings.control.tol = 0.0;
  settings.control.max_iter = 3000;
  settings.control.starts = 1;
  settings.control.init = moe::InitMethod::kmeans;
  settings.control.split_merge = false;
  return moe::make_method("em", settings).fit(data, K, family, false).model;
}

// `at` with every parameter moved by about `size` (deterministically).
moe::Model perturbed(const moe::Model& at, double size) {
  arma::vec theta = moe::pack(at);
  for (arma::uword j = 0; j < theta.n_elem; ++j) theta(j) += size * std::sin(1.0 + 7.0 * j);
  return moe::unpack(at, theta);
}

// The direction in which an iteration with J = I − c B⁻¹ I_obs contracts
// slowest (c B⁻¹ I_obs has eigenvalues below 1 here): the generalized
// eigenvector of (I_obs, B) of the smallest eigenvalue, largest entry 1.
arma::vec slowest_direction(const arma::mat& observed, const arma::mat& B) {
  const arma::mat L = arma::chol(B, "lower");
  const arma::mat C = arma::solve(arma::trimatl(L), arma::solve(arma::trimatl(L), observed).t());
  arma::vec values;
  arma::mat vectors;
  arma::eig_sym(values, vectors, 0.5 * (C + C.t()));
  const arma::vec v = arma::solve(arma::trimatu(L.t()), vectors.col(0));
  return v / arma::abs(v).max();
}

// The geometric mean of the ratios of successive gaps ℓ* − ℓ_t after the
// first three iterations, over gaps above 1e-8 (well above round-off here).
double observed_gap_ratio(const moe::Fit& fit, double best) {
  std::vector<double> gaps;
  for (const moe::TraceRow& row : fit.trace.rows)
    if (row.iteration >= 3 && best - row.loglik > 1e-8) gaps.push_back(best - row.loglik);
  if (gaps.size() < 6) return arma::datum::nan;
  return std::pow(gaps.back() / gaps.front(), 1.0 / static_cast<double>(gaps.size() - 1));
}

// That ratio for `method` started at `best` moved 0.02 along `direction`.
double gap_ratio(const std::string& method, const moe::Dataset& data, const moe::Model& best,
                 const arma::vec& direction) {
  moe::MethodSettings settings;
  settings.control.tol = 1e-14;  // stops once ℓ changes by less than 1e-14·|ℓ|, below the last gap used
  settings.control.max_iter = 3000;
  const moe::Model start = moe::unpack(best, moe::pack(best) + 0.02 * direction);
  return observed_gap_ratio(moe::make_method(method, settings).fit_from(data, start), moe::log_likelihood(best, data));
}

TEST(CompleteInformation, IsMinusTheHessianOfQByFiniteDifferences) {
  std::vector<moe::Model> truths = moe::testing::truth_of_every_family();
  truths.push_back(moe::testing::multinomial_truth());
  for (moe::Model truth : truths) {
    for (bool common : {false, true}) {
      if (common && truth.experts.family != moe::Family::gaussian) continue;
      truth.experts.common_sigma = common;
      if (common) truth.experts.sigma.fill(0.8);
      moe::Dataset data = draw(truth, 400, 11);
      data.weights = arma::linspace(0.5, 2.0, data.n());
      if (truth.experts.family != moe::Family::multinomial)  // which takes no offsets
        data.offset = 0.1 * arma::sin(arma::linspace(0.0, 20.0, data.n()));
      const moe::Model at = perturbed(truth, 0.05);  // not a fixed point: cross terms are not 0
      const arma::mat R = moe::responsibilities(perturbed(truth, -0.03), data);  // θ' ≠ θ
      const moe::MirrorObjective q = moe::mirror_objective(data, perturbed(truth, -0.03), R, 1.0);
      const arma::mat analytic = moe::complete_information(at, data, q.targets, q.stats);
      const arma::vec theta = moe::pack(at);
      arma::mat numeric(theta.n_elem, theta.n_elem);
      for (arma::uword j = 0; j < theta.n_elem; ++j) {
        const double h = 1e-5 * (1.0 + std::abs(theta(j)));
        arma::vec up = theta, down = theta;
        up(j) += h;
        down(j) -= h;
        numeric.col(j) = -(moe::gradient_at(moe::unpack(at, up), data, R) -
                           moe::gradient_at(moe::unpack(at, down), data, R)) / (2.0 * h);
      }
      EXPECT_LT(arma::abs(analytic - numeric).max(), 1e-6 * (1.0 + arma::abs(numeric).max()))
          << to_string(truth.experts.family) << (common ? " common σ" : "");
    }
  }
}

// Near a maximum ℓ's gap shrinks by ρ² per iteration, ρ the predicted rate:
// checked for every method with a prediction, started in its slowest direction
// (elsewhere the faster directions die out first, and the observed ratio only
// tends to ρ²), on overlapping experts of every family.
TEST(LocalRates, PredictTheRatesTheMethodsConvergeAt) {
  const std::vector<moe::Model> truths = {
      overlapping_truth(), moe::testing::logistic_truth(),
      make_model(moe::Family::poisson, {{0.3, 0.0}, {1.0, 0.0}}, {{1.0, 0.3}, {1.3, -0.3}}),
      moe::testing::multinomial_truth()};
  for (const moe::Model& truth : truths) {
    const moe::Dataset data = draw(truth, 2000, 5);
    const moe::Model best = maximum(data, 2, truth.experts.family);
    const moe::LocalRates rates(best, data);
    ASSERT_TRUE(rates.valid()) << rates.note();
    const arma::mat observed = moe::observed_information(best, data);
    const arma::mat R = moe::responsibilities(best, data);
    const auto information = [&](double eta) {
      const moe::MirrorObjective f = moe::mirror_objective(data, best, R, eta);
      return moe::complete_information(best, data, f.targets, f.stats);
    };
    const double step = rates.best_gradient_step() / 2.0;
    const arma::vec em = slowest_direction(observed, information(1.0)),
                    gd = slowest_direction(observed, arma::eye(arma::size(observed)));
    const std::string family = to_string(truth.experts.family), gd_name = "gd:" + std::to_string(step);
    EXPECT_NEAR(gap_ratio("em", data, best, em), std::pow(rates.em(), 2), 0.005) << family;
    EXPECT_NEAR(gap_ratio("gem", data, best, em), std::pow(rates.em(), 2), 0.005) << family;
    if (moe::MirrorDescent::takes(truth.experts.family))
      EXPECT_NEAR(gap_ratio("mirror:0.5", data, best, slowest_direction(observed, information(0.5))),
                  std::pow(rates.mirror(0.5), 2), 0.005)
          << family;
    else
      EXPECT_TRUE(std::isnan(rates.mirror(0.5))) << family;
    EXPECT_NEAR(gap_ratio(gd_name, data, best, gd), std::pow(rates.gradient(step), 2), 0.005) << family;
  }
}

// A change of units of a covariate and of the response is a linear change of
// parameters: EM's rate and where its slowest direction lies stay; gradient
// ascent's best rate does not (it is not invariant).
TEST(LocalRates, EmsDoNotDependOnUnits) {
  const moe::Dataset data = draw(overlapping_truth(), 1500, 8);
  const moe::Model best = maximum(data, 2, moe::Family::gaussian);
  moe::Dataset scaled = data;
  scaled.X.col(1) *= 1000.0;
  scaled.Z.col(1) *= 0.01;
  scaled.y *= 10.0;
  moe::Model same = best;
  same.experts.coef *= 10.0;
  same.experts.coef.row(1) /= 1000.0;
  same.experts.sigma *= 10.0;
  same.gate.coef.row(1) /= 0.01;
  const moe::LocalRates a(best, data), b(same, scaled);
  ASSERT_TRUE(a.valid() && b.valid());
  EXPECT_NEAR(a.em(), b.em(), 1e-6);
  const std::vector<moe::DirectionShare> da = a.slowest_direction(), db = b.slowest_direction();
  ASSERT_EQ(da.size(), 3u);  // gate, expert1, expert2
  ASSERT_EQ(db.size(), 3u);
  double total = 0.0;
  for (std::size_t i = 0; i < da.size(); ++i) {
    EXPECT_EQ(da[i].block, std::vector<std::string>({"gate", "expert1", "expert2"})[i]);
    EXPECT_GE(da[i].share, 0.0);
    EXPECT_NEAR(da[i].share, db[i].share, 1e-6) << da[i].block;
    total += da[i].share;
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  const auto gd = [](const moe::LocalRates& r) { return r.gradient(r.best_gradient_step()); };
  EXPECT_GT(std::abs(gd(a) - gd(b)), 1e-3);
}

TEST(LocalRates, NothingIsMissingWithOneExpert) {
  const moe::Model truth = make_model(moe::Family::gaussian, arma::mat(1, 1, arma::fill::zeros), arma::mat(arma::vec{1.0, 2.0}), arma::vec{0.5});
  const moe::Dataset data = draw(truth, 500, 3);
  const moe::LocalRates rates(maximum(data, 1, moe::Family::gaussian), data);
  ASSERT_TRUE(rates.valid()) << rates.note();
  EXPECT_LT(rates.em(), 1e-6);  // EM is the closed-form maximum: one step
  EXPECT_LT(arma::abs(rates.missing_fractions()).max(), 1e-6);
  EXPECT_NEAR(rates.mirror(0.25), 0.75, 1e-6);  // a quarter of the way each step
}

TEST(LocalRates, AreNotValidWhereTheMaximumIsNotStrict) {
  // Two identical experts: moving them apart (or the gate) does not change ℓ.
  const moe::Model twins = make_model(moe::Family::gaussian, {{0.0, 0.0}}, {{1.0, 1.0}, {2.0, 2.0}}, {0.5, 0.5});
  const moe::Dataset data = draw(twins, 300, 4);
  const moe::LocalRates rates(twins, data);
  EXPECT_FALSE(rates.valid());
  EXPECT_NE(rates.note().find("observed information"), std::string::npos) << rates.note();
  EXPECT_TRUE(std::isnan(rates.em()));
  EXPECT_TRUE(std::isnan(rates.gradient(0.1)));
}

TEST(LocalRates, MethodsNameTheirs) {
  const moe::Dataset data = draw(overlapping_truth(), 1000, 6);
  const moe::LocalRates rates(maximum(data, 2, moe::Family::gaussian), data);
  moe::MethodSettings settings;
  EXPECT_EQ(moe::make_method("em", settings).local_rate(rates), rates.em());
  EXPECT_EQ(moe::make_method("gem", settings).local_rate(rates), rates.em());
  EXPECT_EQ(moe::make_method("mirror:0.3", settings).local_rate(rates), rates.mirror(0.3));
  EXPECT_NEAR(rates.mirror(1.0), rates.em(), 1e-12);  // em() keeps the eigenvalues mirror(1) computes
  EXPECT_EQ(moe::make_method("gd:0.5", settings).local_rate(rates), rates.gradient(0.5));
  EXPECT_EQ(moe::make_method("gradient-em:0.5", settings).local_rate(rates), rates.gradient(0.5));
  EXPECT_GT(rates.gradient(2.5 * rates.best_gradient_step()), 1.0);  // too long a step diverges
  for (const char* adaptive : {"gd", "adam", "adam:0.1"})
    EXPECT_TRUE(std::isnan(moe::make_method(adaptive, settings).local_rate(rates))) << adaptive;
  settings.batch_size = 100;
  EXPECT_TRUE(std::isnan(moe::make_method("gd:0.5", settings).local_rate(rates)));
}

}  // namespace
