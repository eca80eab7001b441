#include <gtest/gtest.h>

#include "moe/data.hpp"

namespace {

moe::Dataset small_data(arma::uword n = 30) {
  arma::arma_rng::set_seed(7);
  moe::Dataset d;
  d.X = moe::make_design(arma::randn(n, 2), true);
  d.Z = moe::make_design(arma::randn(n, 1), true);
  d.x_names = moe::design_names({"a", "b"}, true);
  d.z_names = moe::design_names({"c"}, true);
  d.y = arma::randn(n);
  return d;
}

// Expects validate() to throw std::invalid_argument whose text contains `fragment`.
void expect_rejected(const moe::Dataset& d, moe::Family family, arma::uword K,
                     const std::string& fragment) {
  try {
    moe::validate(d, family, K);
    FAIL() << "accepted; expected: " << fragment;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("moe::validate(): ", 0), 0u) << e.what();
  }
}

TEST(Data, AcceptsGoodData) { EXPECT_NO_THROW(moe::validate(small_data(), moe::Family::gaussian, 3)); }

TEST(Data, RejectsEveryKindOfBadInput) {
  moe::Dataset d = small_data();
  expect_rejected(d, moe::Family::gaussian, 0, "K must be at least 1");
  expect_rejected(d, moe::Family::binomial, 2, "must be 0 or 1");
  expect_rejected(d, moe::Family::poisson, 2, "must be a count");
  expect_rejected(d, moe::Family::gaussian, 8, "too few for K = 8");
  // 6 experts' 24 parameters fit in 30 rows, but not with the gate's 2·5 more
  expect_rejected(d, moe::Family::gaussian, 6, "and a gate with 10 (need at least 34)");
  EXPECT_NO_THROW(moe::validate(d, moe::Family::gaussian, 5));

  d = small_data();
  d.y(3) = arma::datum::nan;
  expect_rejected(d, moe::Family::gaussian, 2, "response has NaN");
  d = small_data();
  d.X(4, 1) = arma::datum::inf;
  expect_rejected(d, moe::Family::gaussian, 2, "expert design has NaN or infinite");
  d = small_data();
  d.X.col(2).fill(3.0);
  expect_rejected(d, moe::Family::gaussian, 2, "column 'b' of the expert design is constant");
  d = small_data();
  d.Z.col(1) = d.Z.col(0);
  expect_rejected(d, moe::Family::gaussian, 2, "gate design is constant");
  d = small_data();
  d.X.col(2) = d.X.col(1);
  expect_rejected(d, moe::Family::gaussian, 2, "columns 'a' and 'b' of the expert design are identical");
  d = small_data();
  d.X.col(1).zeros();
  expect_rejected(d, moe::Family::gaussian, 2, "column 'a' of the expert design is all zero");
  d = small_data();
  d.y(5) = -1e300;  // finite, but its square is not
  expect_rejected(d, moe::Family::gaussian, 2, "the response has values as large as 1e+300");
  d = small_data();
  d.Z(2, 1) = 2e150;
  expect_rejected(d, moe::Family::gaussian, 2, "column 'c' of the gate design has values as large as 2e+150");
  d = small_data();
  d.Z = d.Z.rows(0, 9);
  expect_rejected(d, moe::Family::gaussian, 2, "y has 30 rows but X has 30 and Z has 10");
}

// A column that is a linear combination of the others (here of the intercept
// and 'a') is refused; strongly correlated columns, and a covariate offset far
// from zero (collinear with the intercept only to round-off in raw form), are not.
TEST(Data, CollinearColumnsAreRefusedCorrelatedOnesAreNot) {
  moe::Dataset d = small_data();
  d.X.col(2) = 2.0 * d.X.col(1) + 5.0;
  expect_rejected(d, moe::Family::gaussian, 2, "column 'b' of the expert design is a linear combination");
  d = small_data();
  d.X.col(2) = d.X.col(1) + 1e-3 * d.X.col(2);  // correlation ≈ 1 − 5e-7
  EXPECT_NO_THROW(moe::validate(d, moe::Family::gaussian, 2));
  d = small_data();
  d.Z.col(1) += 1e6;
  d.X.col(2) = arma::square(d.X.col(1) + 30.0);  // a quadratic term of an offset covariate
  EXPECT_NO_THROW(moe::validate(d, moe::Family::gaussian, 2));
}

TEST(Data, APredictionsResponseNeedsOnlyToBeFiniteAndOfItsFamily) {
  EXPECT_NO_THROW(moe::validate_response(arma::vec{2.0, 2.0}, moe::Family::gaussian));  // constant is fine
  EXPECT_NO_THROW(moe::validate_response(arma::vec{1.0}, moe::Family::binomial));
  EXPECT_THROW(moe::validate_response(arma::vec{0.5}, moe::Family::binomial), std::invalid_argument);
  EXPECT_NO_THROW(moe::validate_response(arma::vec{0.0, 7.0, 1e6}, moe::Family::poisson));
  EXPECT_THROW(moe::validate_response(arma::vec{2.5}, moe::Family::poisson), std::invalid_argument);
  EXPECT_THROW(moe::validate_response(arma::vec{-1.0}, moe::Family::poisson), std::invalid_argument);
  EXPECT_THROW(moe::validate_response(arma::vec{arma::datum::nan}, moe::Family::gaussian), std::invalid_argument);
}

TEST(Data, DesignAddsLeadingIntercept) {
  const arma::mat D = moe::make_design(arma::mat(arma::vec{2.0, 3.0}), true);
  EXPECT_EQ(D(0, 0), 1.0);
  EXPECT_EQ(D(1, 1), 3.0);
  EXPECT_EQ(moe::design_names({"t"}, true).front(), "(Intercept)");
  EXPECT_EQ(moe::make_design(arma::mat(1, 1, arma::fill::value(2.0)), false).n_cols, 1u);
}

}  // namespace
