#include <gtest/gtest.h>

#include <cmath>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/standard_errors.hpp"
#include "moe/matching.hpp"

namespace {

using moe::testing::draw;
using moe::testing::make_model;

moe::Model two_gaussians() {
  return make_model(moe::Family::gaussian, {{0.5, 0.0}, {2.0, 0.0}}, {{-2.0, 3.0}, {1.5, -1.0}},
                    {0.8, 1.2});
}

/// ∇²ℓ with respect to pack(model) by second differences of ℓ itself.
arma::mat numeric_hessian(const moe::Model& model, const moe::Dataset& data) {
  const arma::vec theta = moe::pack(model);
  const arma::uword d = theta.n_elem;
  const auto f = [&](const arma::vec& t) { return moe::log_likelihood(moe::unpack(model, t), data); };
  arma::vec h(d);
  for (arma::uword j = 0; j < d; ++j) h(j) = 1e-4 * (1.0 + std::abs(theta(j)));
  const double f0 = f(theta);
  arma::mat H(d, d);
  for (arma::uword i = 0; i < d; ++i) {
    arma::vec up = theta, down = theta;
    up(i) += h(i);
    down(i) -= h(i);
    H(i, i) = (f(up) - 2.0 * f0 + f(down)) / (h(i) * h(i));
    for (arma::uword j = i + 1; j < d; ++j) {
      arma::vec pp = theta, pm = theta, mp = theta, mm = theta;
      pp(i) += h(i), pp(j) += h(j);
      pm(i) += h(i), pm(j) -= h(j);
      mp(i) -= h(i), mp(j) += h(j);
      mm(i) -= h(i), mm(j) -= h(j);
      H(i, j) = H(j, i) = (f(pp) - f(pm) - f(mp) + f(mm)) / (4.0 * h(i) * h(j));
    }
  }
  return H;
}

void expect_information_is_minus_hessian(const moe::Model& model, const moe::Dataset& data) {
  const arma::mat info = moe::observed_information(model, data);
  const arma::mat H = numeric_hessian(model, data);
  ASSERT_EQ(info.n_rows, model.n_free());
  ASSERT_EQ(info.n_cols, model.n_free());
  const double scale = arma::abs(info).max();
  EXPECT_LT(arma::abs(info + H).max(), 1e-5 * scale) << "I\n" << info << "-H\n" << -H;
  EXPECT_TRUE(info.is_symmetric());
}

TEST(Inference, ObservedInformationIsMinusHessian) {
  {
    const moe::Model truth = two_gaussians();
    const moe::Dataset data = draw(truth, 200, 400);
    expect_information_is_minus_hessian(truth, data);
    moe::Model common = truth;
    common.experts.common_sigma = true;
    common.experts.sigma.fill(1.0);
    expect_information_is_minus_hessian(common, data);
  }
  {
    const moe::Model truth = moe::testing::logistic_truth();
    const moe::Dataset data = draw(truth, 300, 401);
    expect_information_is_minus_hessian(truth, data);
  }
}

// √diag((−H)⁻¹), with H from second differences of ℓ, mapped back through the
// pack() layout: gate columns, expert coefficients, then σ_k·se(log σ_k).
void expect_mapped_standard_errors(const moe::Model& model, const moe::Dataset& data) {
  const arma::mat covariance = arma::inv_sympd(arma::mat(-numeric_hessian(model, data)));
  const arma::vec se_theta = arma::sqrt(covariance.diag());
  const moe::Model as_model = moe::unpack(model, se_theta);  // gate and β slots; σ = exp(se) unused
  const moe::StandardErrors se = moe::standard_errors(model, data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_TRUE(arma::approx_equal(se.gate, as_model.gate.coef, "reldiff", 1e-3)) << se.gate << as_model.gate.coef;
  EXPECT_TRUE(arma::approx_equal(se.experts, as_model.experts.coef, "reldiff", 1e-3))
      << se.experts << as_model.experts.coef;
  if (model.experts.family == moe::Family::gaussian) {
    const arma::uword K = model.K();
    const arma::vec log_sigma_se = se_theta.tail(model.experts.common_sigma ? 1 : K);
    for (arma::uword k = 0; k < K; ++k)
      EXPECT_NEAR(se.sigma(k), model.experts.sigma(k) * log_sigma_se(model.experts.common_sigma ? 0 : k),
                  1e-3 * se.sigma(k));
  }
}

TEST(Inference, StandardErrorsAreInverseInformationDiagonal) {
  moe::EMOptions o;
  o.control.tol = 1e-10;
  o.control.starts = 2;
  {
    const moe::Dataset data = draw(moe::testing::gaussian_truth(), 600, 405);
    expect_mapped_standard_errors(moe::EM(o).fit(data, 3, moe::Family::gaussian).model, data);
    expect_mapped_standard_errors(moe::EM(o).fit(data, 3, moe::Family::gaussian, true).model, data);
  }
  {
    const moe::Dataset data = draw(moe::testing::logistic_truth(), 600, 406);
    expect_mapped_standard_errors(moe::EM(o).fit(data, 2, moe::Family::binomial).model, data);
  }
}

TEST(Inference, SingleGaussianExpertMatchesLeastSquares) {
  const moe::Model truth = make_model(moe::Family::gaussian, arma::zeros(1, 1), arma::mat(arma::vec{1.0, 2.0, -0.5}), {1.5});
  const moe::Dataset data = draw(truth, 300, 410);
  const double n = static_cast<double>(data.n());
  const arma::vec beta = arma::solve(data.X, data.y);
  const double var = arma::accu(arma::square(data.y - data.X * beta)) / n;  // the MLE
  const moe::Model mle = make_model(moe::Family::gaussian, arma::zeros(1, 1), beta, {std::sqrt(var)});
  const moe::StandardErrors se = moe::standard_errors(mle, data);
  ASSERT_TRUE(se.valid) << se.note;
  const arma::vec expected = arma::sqrt(var * arma::mat(arma::inv_sympd(arma::mat(data.X.t() * data.X))).diag());
  ASSERT_EQ(se.experts.n_rows, 3u);
  ASSERT_EQ(se.experts.n_cols, 1u);
  EXPECT_TRUE(arma::approx_equal(se.experts.col(0), expected, "reldiff", 1e-4))
      << se.experts.t() << expected.t();
  ASSERT_EQ(se.sigma.n_elem, 1u);
  EXPECT_NEAR(se.sigma(0), std::sqrt(var) / std::sqrt(2.0 * n), 1e-4 * std::sqrt(var / (2.0 * n)));
  ASSERT_EQ(se.gate.n_rows, 1u);
  ASSERT_EQ(se.gate.n_cols, 1u);
  EXPECT_EQ(se.gate(0, 0), 0.0);
}

TEST(Inference, SingleLogisticExpertMatchesInverseFisher) {
  const moe::Model truth = make_model(moe::Family::binomial, arma::zeros(1, 1), arma::mat(arma::vec{0.3, -1.2, 0.8}));
  const moe::Dataset data = draw(truth, 500, 420);
  arma::vec beta(3, arma::fill::zeros);
  arma::mat H;
  for (int it = 0; it < 100; ++it) {
    const arma::vec p = 1.0 / (1.0 + arma::exp(-data.X * beta));
    H = data.X.t() * (data.X.each_col() % (p % (1.0 - p)));
    const arma::vec step = arma::solve(H, data.X.t() * (data.y - p));
    beta += step;
    if (arma::abs(step).max() < 1e-14 * (1.0 + arma::abs(beta).max())) break;
  }
  const arma::vec p = 1.0 / (1.0 + arma::exp(-data.X * beta));
  const arma::mat info = data.X.t() * (data.X.each_col() % (p % (1.0 - p)));
  const arma::vec expected = arma::sqrt(arma::mat(arma::inv_sympd(info)).diag());
  const moe::StandardErrors se = moe::standard_errors(make_model(moe::Family::binomial, arma::zeros(1, 1), beta), data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_TRUE(arma::approx_equal(se.experts.col(0), expected, "reldiff", 1e-4))
      << se.experts.t() << expected.t();
  EXPECT_TRUE(se.sigma.is_empty());
}

// K = 1 Poisson: a log-linear model, whose information is Xᵀ diag(μ) X at its MLE.
TEST(Inference, SinglePoissonExpertMatchesInverseFisher) {
  const moe::Model truth = make_model(moe::Family::poisson, arma::zeros(1, 1), arma::mat(arma::vec{1.0, 0.4, -0.6}));
  const moe::Dataset data = draw(truth, 500, 421);
  const moe::Fit fit = moe::EM(moe::EMOptions{}).fit(data, 1, moe::Family::poisson);
  const arma::vec mu = arma::exp(data.X * fit.model.experts.coef.col(0));
  EXPECT_LT(arma::abs(data.X.t() * (data.y - mu)).max(), 1e-6);  // the score equations hold
  const arma::mat info = data.X.t() * (data.X.each_col() % mu);
  const arma::vec expected = arma::sqrt(arma::mat(arma::inv_sympd(info)).diag());
  const moe::StandardErrors se = moe::standard_errors(fit.model, data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_TRUE(arma::approx_equal(se.experts.col(0), expected, "reldiff", 1e-4))
      << se.experts.t() << expected.t();
  EXPECT_TRUE(se.sigma.is_empty());
}

TEST(Inference, StandardErrorsCoverTheTruth) {
  const moe::Model truth = two_gaussians();
  const moe::Dataset data = draw(truth, 4000, 430);
  moe::EMOptions o;
  o.control.tol = 1e-12;
  o.control.max_iter = 2000;
  o.control.starts = 2;
  const moe::Fit fit = moe::EM(o).fit(data, 2, moe::Family::gaussian);
  ASSERT_TRUE(fit.converged);
  const moe::StandardErrors se = moe::standard_errors(fit.model, data);
  ASSERT_TRUE(se.valid) << se.note;
  const arma::uvec match = moe::parameter_error(fit.model, truth).match;
  for (arma::uword k = 0; k < 2; ++k) {
    const arma::uword j = match(k);
    for (arma::uword r = 0; r < 2; ++r) {
      ASSERT_GT(se.experts(r, j), 0.0);
      EXPECT_LT(std::abs(fit.model.experts.coef(r, j) - truth.experts.coef(r, k)) / se.experts(r, j), 4.0)
          << "expert " << k << " coefficient " << r;
    }
    ASSERT_GT(se.sigma(j), 0.0);
    EXPECT_LT(std::abs(fit.model.experts.sigma(j) - truth.experts.sigma(k)) / se.sigma(j), 4.0) << "σ " << k;
  }
  // Gate log-odds of true expert 0 against true expert 1 (the sign flips with the labels).
  const double sign = match(0) == 0 ? 1.0 : -1.0;
  for (arma::uword r = 0; r < 2; ++r) {
    ASSERT_GT(se.gate(r, 0), 0.0);
    EXPECT_LT(std::abs(sign * fit.model.gate.coef(r, 0) - truth.gate.coef(r, 0)) / se.gate(r, 0), 4.0)
        << "gate " << r;
    EXPECT_EQ(se.gate(r, 1), 0.0);  // the reference column
  }
}

// Whatever standard_errors decides, the result is coherent: valid means every
// entry finite and positive (reference gate column 0); invalid means a note and NaN.
void expect_consistent(const moe::StandardErrors& se, const moe::Model& model) {
  const arma::uword K = model.K();
  ASSERT_EQ(se.gate.n_rows, model.gate.coef.n_rows);
  ASSERT_EQ(se.gate.n_cols, K);
  ASSERT_EQ(se.experts.n_rows, model.experts.coef.n_rows);
  ASSERT_EQ(se.experts.n_cols, K);
  if (model.experts.family == moe::Family::gaussian) {
    ASSERT_EQ(se.sigma.n_elem, K);
  }
  if (se.valid) {
    EXPECT_TRUE(se.experts.is_finite());
    EXPECT_TRUE(se.gate.is_finite());
    EXPECT_TRUE(se.sigma.is_finite());
    EXPECT_TRUE(arma::all(arma::vectorise(se.experts) > 0.0));
    if (K > 1) {
      EXPECT_TRUE(arma::all(arma::vectorise(se.gate.head_cols(K - 1)) > 0.0));
    }
  } else {
    EXPECT_FALSE(se.note.empty());
    for (double v : se.experts) EXPECT_TRUE(std::isnan(v));
    for (double v : se.sigma) EXPECT_TRUE(std::isnan(v));
  }
}

TEST(Inference, DegenerateFitsDoNotCrash) {
  const moe::Model one = make_model(moe::Family::gaussian, arma::zeros(2, 1), arma::mat(arma::vec{1.0, 2.0}), arma::vec{1.0});
  const moe::Dataset data = draw(one, 150, 440);
  // Two identical experts: ℓ does not depend on the gate, whose block of the
  // information is zero while its cross terms with the experts are not, so the
  // information is indefinite.
  const moe::Model twins = make_model(moe::Family::gaussian, arma::zeros(2, 2), {{1.0, 1.0}, {2.0, 2.0}}, {1.0, 1.0});
  const moe::StandardErrors se_twins = moe::standard_errors(twins, data);
  expect_consistent(se_twins, twins);
  EXPECT_FALSE(se_twins.valid);
  // Three experts for data from one.
  moe::EMOptions o;
  o.control.max_iter = 200;
  const moe::Fit over = moe::EM(o).fit(data, 3, moe::Family::gaussian);
  expect_consistent(moe::standard_errors(over.model, data), over.model);
}

}  // namespace

// The fit of data whose covariate columns (not the intercepts) are multiplied by
// c and whose response by s is the same fit in other units: its standard errors
// are the same ones in those units (before, the difference step ignored units:
// at c = 1e4 the observed information was not positive definite).
TEST(Inference, StandardErrorsDoNotDependOnUnits) {
  moe::EMOptions o;
  o.control.tol = 1e-10;
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 600, 407);
  const moe::Model fit = moe::EM(o).fit(data, 3, moe::Family::gaussian).model;
  const moe::StandardErrors se = moe::standard_errors(fit, data);
  ASSERT_TRUE(se.valid) << se.note;
  for (const auto& [c, s] : {std::pair{1e4, 1e-3}, std::pair{1e-4, 1e3}}) {
    moe::Dataset other = data;
    other.X.col(1) *= c;
    other.Z.col(1) *= c;
    other.y *= s;
    moe::Model same = fit;
    same.experts.coef.row(1) /= c;
    same.experts.coef *= s;
    same.experts.sigma *= s;
    same.gate.coef.row(1) /= c;
    const moe::StandardErrors in_units = moe::standard_errors(same, other);
    ASSERT_TRUE(in_units.valid) << "c = " << c << ": " << in_units.note;
    arma::mat experts = se.experts * s;
    experts.row(1) /= c;
    arma::mat gate = se.gate;
    gate.row(1) /= c;
    EXPECT_TRUE(arma::approx_equal(in_units.experts, experts, "reldiff", 1e-4)) << "c = " << c;
    EXPECT_TRUE(arma::approx_equal(in_units.gate, gate, "reldiff", 1e-4)) << "c = " << c;
    EXPECT_TRUE(arma::approx_equal(in_units.sigma, se.sigma * s, "reldiff", 1e-4)) << "c = " << c;
  }
}

TEST(Inference, ParameterNamesFollowPackOrderAndNameTheCovariance) {
  moe::Dataset data = draw(moe::testing::gaussian_truth(), 300, 408);
  data.x_names = {"(Intercept)", "dose"};  // Z unnamed: z1, z2
  moe::EMOptions o;
  o.control.tol = 1e-10;
  const moe::Model fit = moe::EM(o).fit(data, 3, moe::Family::gaussian).model;
  const std::vector<std::string> expected{
      "gate.expert1:z1", "gate.expert1:z2", "gate.expert2:z1", "gate.expert2:z2", "expert1:(Intercept)",
      "expert1:dose",    "expert2:(Intercept)", "expert2:dose", "expert3:(Intercept)", "expert3:dose",
      "log_sigma.expert1", "log_sigma.expert2", "log_sigma.expert3"};
  EXPECT_EQ(moe::parameter_names(fit, data), expected);
  const moe::StandardErrors se = moe::standard_errors(fit, data);
  ASSERT_TRUE(se.valid) << se.note;
  EXPECT_EQ(se.parameters, expected);
  EXPECT_TRUE(arma::approx_equal(se.estimates, moe::pack(fit), "absdiff", 0.0));
  ASSERT_EQ(se.covariance.n_rows, expected.size());
  EXPECT_NEAR(std::sqrt(se.covariance(5, 5)), se.experts(1, 0), 1e-12 * se.experts(1, 0));  // expert1:dose
  moe::Model common = fit;
  common.experts.common_sigma = true;
  EXPECT_EQ(moe::parameter_names(common, data).back(), "log_sigma.common");
  EXPECT_EQ(moe::parameter_names(common, data).size(), 11u);
}
