#include <gtest/gtest.h>

#include "helpers.hpp"
#include "moe/selection.hpp"

namespace {

using moe::testing::draw;

moe::Method em_method(arma::uword starts) {
  moe::MethodSettings settings;
  settings.control.starts = starts;
  settings.control.record_gradient = false;
  return moe::make_method("em", settings);
}

}  // namespace

TEST(Selection, BicAndIclFindTheTrueNumberOfExperts) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 1500, 501);  // K = 3, well separated
  for (moe::Criterion c : {moe::Criterion::bic, moe::Criterion::icl}) {
    const moe::Selection s = moe::select_experts(em_method(3), data, {1, 2, 3, 4, 5}, moe::Family::gaussian,
                                                 false, c);
    ASSERT_EQ(s.fits.size(), 5u);
    EXPECT_EQ(s.K[s.best], 3u) << moe::to_string(c) << ":\n" << s.values().t();
    for (arma::uword i = 0; i < 5; ++i) {
      EXPECT_EQ(s.fits[i].model.K(), s.K[i]);
      EXPECT_DOUBLE_EQ(s.bic(i), s.fits[i].bic);
      EXPECT_DOUBLE_EQ(s.aic(i), s.fits[i].aic);
      EXPECT_GE(s.icl(i), s.bic(i));  // log r ≤ 0
    }
    EXPECT_DOUBLE_EQ(s.icl(0), s.bic(0));  // one expert: every responsibility is 1
  }
}

TEST(Selection, IclIsMinusTwiceTheCompletedLogLikelihoodOfTheMostLikelyLabelsPlusTheBicPenalty) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 300, 502);
  const moe::Fit fit = em_method(1).fit(data, 3, moe::Family::gaussian, false);
  const arma::mat joint = moe::log_joint(fit.model, data);  // log π_ik f_ik
  double completed = 0.0;
  for (arma::uword i = 0; i < data.n(); ++i) completed += joint.row(i).max();
  const double penalty = static_cast<double>(fit.model.n_free()) * std::log(static_cast<double>(data.n()));
  EXPECT_NEAR(moe::icl(fit, data), -2.0 * completed + penalty, 1e-9 * std::abs(fit.bic));
  EXPECT_GT(moe::icl(fit, data), fit.bic);
}

TEST(Selection, LogisticExpertsAndTheCandidatesOrder) {
  const moe::Dataset data = draw(moe::testing::logistic_truth(), 2000, 503);  // K = 2
  std::vector<arma::uword> seen;
  const moe::Selection s = moe::select_experts(em_method(3), data, {3, 1, 2}, moe::Family::binomial, false,
                                               moe::Criterion::bic, [&](arma::uword K) { seen.push_back(K); });
  EXPECT_EQ(seen, (std::vector<arma::uword>{3, 1, 2}));
  EXPECT_EQ(s.K[s.best], 2u) << s.bic.t();
}

TEST(Selection, RefusesBadCandidateListsAndCriteria) {
  const moe::Dataset data = draw(moe::testing::gaussian_truth(), 100, 504);
  const moe::Method em = em_method(1);
  EXPECT_THROW(moe::select_experts(em, data, {}, moe::Family::gaussian, false, moe::Criterion::bic),
               std::invalid_argument);
  EXPECT_THROW(moe::select_experts(em, data, {2, 0}, moe::Family::gaussian, false, moe::Criterion::bic),
               std::invalid_argument);
  EXPECT_THROW(moe::select_experts(em, data, {2, 3, 2}, moe::Family::gaussian, false, moe::Criterion::bic),
               std::invalid_argument);
  EXPECT_EQ(moe::parse_criterion("icl"), moe::Criterion::icl);
  EXPECT_THROW(moe::parse_criterion("BIC"), std::invalid_argument);
}
