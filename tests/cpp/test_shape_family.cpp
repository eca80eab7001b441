// What the negative binomial and gamma experts share (shape_family.hpp): the
// derivatives of their tables against finite differences, the gradient, EM's
// monotone climb to the truth, the other methods reaching EM's maximum, and
// mirror descent's refusal, one test body for both families.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "helpers.hpp"
#include "moe/em.hpp"
#include "moe/matching.hpp"
#include "moe/methods.hpp"
#include "moe/shape_family.hpp"
#include "moe/standard_errors.hpp"

namespace {

struct Case {
  moe::Model truth;
  arma::vec y;                  // responses of the family for the row tests
  std::vector<double> shapes;   // small, moderate, and large enough for Stirling's series
};

std::string name_of(const ::testing::TestParamInfo<Case>& info) {
  return moe::to_string(info.param.truth.experts.family);
}

class ShapeFamilies : public ::testing::TestWithParam<Case> {
 protected:
  const moe::ShapeFamily& family() const { return *moe::shape_family(GetParam().truth.experts.family); }
};

// max |a − b| / (1 + max |b|).
double gap(const arma::mat& a, const arma::mat& b) { return arma::abs(a - b).max() / (1.0 + arma::abs(b).max()); }

// The scores in η and in log s against central differences of the density, and
// the curvatures and the cross term against central differences of the scores.
TEST_P(ShapeFamilies, RowDerivativesMatchFiniteDifferences) {
  const moe::ShapeFamily& f = family();
  const arma::vec& y = GetParam().y;
  const arma::mat eta(arma::linspace(-1.0, 3.5, y.n_elem));
  const arma::mat ones(y.n_elem, 1, arma::fill::ones), first(y);
  const auto density = [&](const arma::mat& e, double s) { return f.log_density(y, e, arma::vec{s}); };
  const auto eta_terms = [&](const arma::mat& e, double s, bool score) {
    arma::mat g, c;
    f.eta_terms(g, c, ones, first, e, arma::vec{s});
    return score ? g : c;
  };
  const auto shape_terms = [&](double s, bool score) {
    arma::mat g, c;
    f.log_shape_terms(g, c, y, eta, arma::vec{s});
    return score ? g : c;
  };
  for (const double s : GetParam().shapes) {
    const double h = 1e-5, up = s * std::exp(h), down = s * std::exp(-h);
    EXPECT_LT(gap(eta_terms(eta, s, true), (density(eta + h, s) - density(eta - h, s)) / (2.0 * h)), 1e-6) << s;
    EXPECT_LT(gap(-eta_terms(eta, s, false), (eta_terms(eta + h, s, true) - eta_terms(eta - h, s, true)) / (2.0 * h)),
              1e-6)
        << s;
    EXPECT_LT(gap(f.cross_terms(ones, first, eta, arma::vec{s}), (eta_terms(eta, up, true) - eta_terms(eta, down, true)) / (2.0 * h)),
              1e-6)
        << s;
    EXPECT_LT(gap(shape_terms(s, true), (density(eta, up) - density(eta, down)) / (2.0 * h)), 1e-5) << s;
    EXPECT_LT(gap(shape_terms(s, false), (shape_terms(up, true) - shape_terms(down, true)) / (2.0 * h)), 1e-5) << s;
  }
}

TEST_P(ShapeFamilies, GradientMatchesFiniteDifferences) {
  const moe::Dataset data = moe::testing::draw(GetParam().truth, 300, 101);
  moe::Model at = GetParam().truth;
  at.experts.coef += 0.2;
  at.experts.shape %= arma::vec{0.6, 2.5};
  EXPECT_LT(moe::testing::gradient_error(at, data), 1e-5);
}

// EM climbs monotonely to the truth (coefficients within 0.1, each log shape
// within 3 standard errors), and gem, squarem and gd reach its maximum.
TEST_P(ShapeFamilies, EMRecoversTheTruthAndEveryMethodReachesItsMaximum) {
  const moe::Model& truth = GetParam().truth;
  const moe::Family family = truth.experts.family;
  const moe::Dataset data = moe::testing::draw(truth, 3000, 103);
  const moe::Fit em = moe::make_method("em", moe::testing::tight_settings()).fit(data, 2, family, false);
  EXPECT_LT(moe::parameter_error(em.model, truth).experts, 0.1);
  const arma::uvec order = em.model.experts.coef(0, 0) > em.model.experts.coef(0, 1) ? arma::uvec{0, 1} : arma::uvec{1, 0};
  const moe::StandardErrors se = moe::standard_errors(em.model, data);
  ASSERT_TRUE(se.valid);
  for (arma::uword k = 0; k < 2; ++k)
    EXPECT_LT(std::abs(std::log(em.model.experts.shape(order(k)) / truth.experts.shape(k))),
              3.0 * se.shape(order(k)) / em.model.experts.shape(order(k)))
        << k;
  for (std::size_t t = 1; t < em.trace.rows.size(); ++t)
    EXPECT_GE(em.trace.rows[t].delta, -1e-10 * (1.0 + std::abs(em.trace.rows[t].loglik))) << "iteration " << t;
  for (const std::string method : {"gem", "squarem", "gd"}) {
    SCOPED_TRACE(method);
    const moe::Fit other = moe::make_method(method, moe::testing::tight_settings()).fit_from(data, em.model);
    EXPECT_NEAR(other.loglik, em.loglik, 1e-6 * std::abs(em.loglik));
  }
}

TEST_P(ShapeFamilies, StandardErrorsOfTheShapesComeFromTheirLogs) {
  const moe::Model& truth = GetParam().truth;
  const moe::Dataset data = moe::testing::draw(truth, 1000, 106);
  const moe::StandardErrors se = moe::standard_errors(truth, data);
  ASSERT_TRUE(se.valid);
  const arma::uword last = se.parameters.size() - 1;
  EXPECT_EQ(se.parameters[last], "log_" + moe::family_entry(truth.experts.family).dispersion + ".expert2");
  EXPECT_NEAR(se.shape(1), truth.experts.shape(1) * std::sqrt(se.covariance(last, last)), 1e-12);
}

TEST_P(ShapeFamilies, MirrorDescentIsRefusedWithAReason) {
  const moe::Model& truth = GetParam().truth;
  const moe::Dataset data = moe::testing::draw(truth, 200, 104);
  try {
    moe::make_method("mirror:0.5", moe::testing::tight_settings()).fit_from(data, truth);
    FAIL() << "mirror descent ran";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("expert's " + moe::family_entry(truth.experts.family).dispersion),
              std::string::npos)
        << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Families, ShapeFamilies,
    ::testing::Values(Case{moe::testing::negbin_truth(), {0.0, 2.0, 9.0, 150.0}, {0.3, 4.0, 2e4}},
                      Case{moe::testing::gamma_truth(), {0.02, 0.9, 3.0, 45.0}, {0.4, 5.0, 3e4}}),
    name_of);

}  // namespace
