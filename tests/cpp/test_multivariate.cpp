// Multivariate Gaussian experts (multivariate.hpp) and their covariance
// structures (covariance.hpp).
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "moe/error.hpp"
#include "moe/multivariate.hpp"
#include "moe/multivariate_bootstrap.hpp"
#include "moe/diagnostics.hpp"
#include "moe/multivariate_information.hpp"
#include "moe/multivariate_methods.hpp"

namespace moe {
namespace {

// Two bivariate regression experts with a gate on x: expert 1 has positively
// correlated noise, expert 2 negatively and larger.
MultivariateModel bivariate_truth() {
  MultivariateModel truth;
  truth.gate.coef = arma::mat{{0.3, 0.0}, {2.0, 0.0}};
  truth.experts.structure = Covariance::VVV;
  truth.experts.coef.set_size(2, 2, 2);
  truth.experts.coef.slice(0) = arma::mat{{1.0, -2.0}, {2.0, 0.5}};
  truth.experts.coef.slice(1) = arma::mat{{-1.0, 3.0}, {-1.5, 1.0}};
  truth.experts.covariance.set_size(2, 2, 2);
  truth.experts.covariance.slice(0) = arma::mat{{0.25, 0.1}, {0.1, 0.16}};
  truth.experts.covariance.slice(1) = arma::mat{{0.5, -0.2}, {-0.2, 0.3}};
  return truth;
}

MultivariateData draw_bivariate(const MultivariateModel& truth, arma::uword n, std::uint64_t seed) {
  Rng rng(seed);
  MultivariateData data;
  data.X = testing::random_design(n, 1, rng);
  data.Z = data.X;
  data.Y.set_size(n, 2);
  const arma::mat pi = arma::exp(truth.gate.log_probs(data.Z));
  for (arma::uword i = 0; i < n; ++i) {
    const arma::uword k = rng.uniform() < pi(i, 0) ? 0 : 1;
    const arma::mat L = arma::chol(truth.experts.covariance.slice(k), "lower");
    const arma::vec e = {rng.normal(), rng.normal()};
    data.Y.row(i) = data.X.row(i) * truth.experts.coef.slice(k) + (L * e).t();
  }
  return data;
}

// n rows of the truth's first expert alone: y = B_1ᵀ x + e, e ~ N(0, Σ_1), with an intercept-only gate.
MultivariateData draw_one_expert(arma::uword n, std::uint64_t seed) {
  const MultivariateModel truth = bivariate_truth();
  Rng rng(seed);
  MultivariateData data;
  data.X = testing::random_design(n, 1, rng);
  data.Z = arma::ones(n, 1);
  MultivariateModel one;
  one.gate = Gate::uniform(1, 1);
  one.experts.coef = truth.experts.coef.slices(0, 0);
  one.experts.covariance = truth.experts.covariance.slices(0, 0);
  data.Y = simulate_responses(one, data.X, data.Z, rng);
  return data;
}

// Settings of an EM run to the relative tolerance `tol` (at most 5000 iterations).
MethodSettings run_to(double tol) {
  MethodSettings settings = testing::tight_settings();
  settings.control.tol = tol;
  settings.control.max_iter = 5000;
  return settings;
}

TEST(Covariance, EachStructureMaximizesItsObjectiveWithinItself) {
  Rng rng(1);
  const arma::uword m = 3, K = 2;
  arma::cube scatter(m, m, K);
  for (arma::uword k = 0; k < K; ++k) {
    arma::mat A(m, 20);
    A.imbue([&] { return rng.normal(); });
    scatter.slice(k) = A * A.t();
  }
  const arma::vec weight = {20.0, 30.0};
  for (const Covariance s : covariance_structures()) {
    const double best = covariance_objective(covariance_step(s, scatter, weight), scatter, weight);
    for (int trial = 0; trial < 50; ++trial) {  // other members of the structure: the steps of perturbed scatters
      arma::cube other = scatter;
      for (arma::uword k = 0; k < K; ++k) {
        arma::mat B(m, m);
        B.imbue([&] { return 0.3 * rng.normal(); });
        other.slice(k) += B * B.t();
      }
      const arma::vec other_weight = weight + arma::vec{rng.uniform(), rng.uniform()};
      EXPECT_LE(covariance_objective(covariance_step(s, other, other_weight), scatter, weight), best + 1e-12)
          << to_string(s);
    }
  }
}

TEST(Covariance, CountsParametersAsMclust) {
  // mclust's nVarParams for d = 3, G = 2
  const arma::uword expected[] = {1, 2, 3, 6, 6, 12};
  for (arma::uword s = 0; s < 6; ++s)
    EXPECT_EQ(covariance_parameters(covariance_structures()[s], 3, 2), expected[s]) << to_string(covariance_structures()[s]);
  for (const Covariance s : covariance_structures()) EXPECT_EQ(parse_covariance(to_string(s)), s);
  EXPECT_NE(testing::thrown_by([] { parse_covariance("VEV"); }).find("EII, VII, EEI, VVI, EEE or VVV"),
            std::string::npos);
}

TEST(Covariance, DensityIsTheTextbookOne) {
  Rng rng(2);
  arma::mat Y(6, 2);
  Y.imbue([&] { return rng.normal(); });
  arma::cube means(6, 2, 1);
  means.slice(0).fill(0.5);
  arma::cube sigma(2, 2, 1);
  sigma.slice(0) = arma::mat{{2.0, 0.6}, {0.6, 1.0}};
  const arma::mat f = mvn_log_density(Y, means, sigma);
  for (arma::uword i = 0; i < Y.n_rows; ++i) {
    const arma::rowvec d = Y.row(i) - 0.5;
    const double direct = -0.5 * arma::as_scalar(d * arma::inv_sympd(sigma.slice(0)) * d.t()) -
                          0.5 * std::log(arma::det(sigma.slice(0))) - std::log(2.0 * arma::datum::pi);
    EXPECT_NEAR(f(i, 0), direct, 1e-12);
  }
  sigma.slice(0) = arma::mat{{1.0, 1.0}, {1.0, 1.0}};
  EXPECT_THROW(mvn_log_density(Y, means, sigma), numerical_error);
}

TEST(Multivariate, OneResponseEqualsTheUnivariateGaussianExperts) {
  const Model truth = testing::gaussian_truth();
  const Dataset data = testing::draw(truth, 800, 3);
  const MethodSettings settings = run_to(1e-13);
  const MultivariateData one{arma::mat(data.y), data.X, data.Z, {}, {}, {}};
  MultivariateOptions options;
  options.tol = 1e-13;
  options.max_iter = 5000;
  options.start = responsibilities(truth, data);
  for (const bool common : {false, true}) {
    Model start = truth;
    start.experts.common_sigma = common;
    if (common) start.experts.sigma.fill(arma::mean(truth.experts.sigma));
    options.structure = common ? Covariance::EEE : Covariance::VVV;
    const MultivariateFit fit = fit_multivariate(one, truth.K(), options);
    const Fit reference = make_method("em", settings).fit_from(data, start);
    EXPECT_NEAR(fit.loglik, reference.loglik, 1e-8 * std::abs(reference.loglik)) << common;
    for (arma::uword k = 0; k < truth.K(); ++k) {
      EXPECT_LT(arma::abs(fit.model.experts.coef.slice(k).col(0) - reference.model.experts.coef.col(k)).max(), 1e-5);
      EXPECT_NEAR(std::sqrt(fit.model.experts.covariance(0, 0, k)), reference.model.experts.sigma(k), 1e-5);
    }
    EXPECT_EQ(fit.model.n_free(), reference.model.n_free());
    // the one-column structures with a common variance (EII, EEI, EEE) are one, as are those without (VII, VVI, VVV)
    for (const Covariance s : covariance_structures()) {
      options.structure = s;
      const bool shared = s == Covariance::EII || s == Covariance::EEI || s == Covariance::EEE;
      if (shared == common) EXPECT_NEAR(fit_multivariate(one, truth.K(), options).loglik, fit.loglik, 1e-8 * std::abs(fit.loglik));
    }
  }
}

// The rates are those of one response's experts when m = 1: VVV's working
// parameter is log σ there, as pack()'s for one response, so even the
// gradient's rates (which depend on the parametrization) agree.
TEST(MultivariateInformation, OneResponsesRatesAreTheUnivariateOnes) {
  const Model truth = testing::gaussian_truth();
  const Dataset data = testing::draw(truth, 800, 3);
  const MethodSettings settings = run_to(1e-14);
  const Fit reference = make_method("em", settings).fit_from(data, truth);
  MultivariateModel same;
  same.gate = reference.model.gate;
  same.experts.structure = Covariance::VVV;
  same.experts.coef = arma::cube(reference.model.experts.coef.memptr(), truth.experts.coef.n_rows, 1, truth.K());
  same.experts.covariance = arma::cube(arma::square(reference.model.experts.sigma).eval().memptr(), 1, 1, truth.K());
  const MultivariateData one{arma::mat(data.y), data.X, data.Z, {}, {}, {}};
  const LocalRates expected(reference.model, data), rates = local_rates(same, one);
  ASSERT_TRUE(expected.valid());
  ASSERT_TRUE(rates.valid()) << rates.note();
  EXPECT_NEAR(rates.em(), expected.em(), 1e-5 * expected.em());
  EXPECT_NEAR(rates.best_gradient_step(), expected.best_gradient_step(), 1e-5 * expected.best_gradient_step());
  EXPECT_NEAR(rates.gradient(0.1), expected.gradient(0.1), 1e-6);
  const std::vector<DirectionShare> shares = rates.slowest_direction(), reference_shares = expected.slowest_direction();
  ASSERT_EQ(shares.size(), reference_shares.size());
  for (std::size_t b = 0; b < shares.size(); ++b) {
    EXPECT_EQ(shares[b].block, reference_shares[b].block);
    EXPECT_NEAR(shares[b].share, reference_shares[b].share, 1e-4);
  }
}

// EM's gaps ℓ* − ℓ_t shrink by the predicted ρ² near the maximum of two
// overlapping bivariate experts.
TEST(MultivariateInformation, EMsGapsShrinkAtThePredictedRate) {
  MultivariateModel truth = bivariate_truth();
  truth.experts.coef.slice(1) = truth.experts.coef.slice(0) + 0.6;  // overlapping: EM is slow
  const MultivariateData data = draw_bivariate(truth, 3000, 11);
  IterationControl control;
  control.tol = 0.0;
  control.max_iter = 400;
  control.record_gradient = false;
  const MultivariateRun run = em_multivariate(data, truth, control);
  const double rate = std::pow(local_rates(run.model, data).em(), 2);
  ASSERT_GT(rate, 0.5);  // slow enough to measure
  const Diagnostics observed = diagnose(run.trace, run.loglik);
  EXPECT_NEAR(observed.linear_rate, rate, 0.01) << rate;
}

// The registry's estimators for several responses from one start: EM and
// SQUAREM at the same maximum, SQUAREM in fewer iterations and never lower;
// Armijo and Adam climbing to it; a fixed gradient step at its predicted
// rate; mirror descent and GEM refused by name.
TEST(MultivariateMethods, EveryEstimatorOfTheRegistryClimbsFromOneStart) {
  const MultivariateData data = draw_bivariate(bivariate_truth(), 1500, 7);
  MultivariateOptions search;
  search.starts = 4;
  const MultivariateFit searched = fit_multivariate(data, 2, search);
  MethodSettings settings;
  settings.control.tol = 1e-12;
  settings.control.max_iter = 4000;
  const auto run = [&](const std::string& name) {
    const Method method = make_method(name, settings);
    require_several_responses(method);
    return method.fit_multivariate_from(data, searched.start);
  };
  const MultivariateRun em = run("em"), squarem = run("squarem"), armijo = run("gd"), adam = run("adam:0.01");
  EXPECT_TRUE(em.converged());
  EXPECT_NEAR(em.loglik, searched.loglik, 1e-8 * std::abs(searched.loglik));
  EXPECT_NEAR(squarem.loglik, em.loglik, 1e-8 * std::abs(em.loglik));
  EXPECT_LT(squarem.iterations(), em.iterations());
  for (const MultivariateRun* r : {&em, &squarem, &armijo}) EXPECT_TRUE(r->trace.decreases().empty());
  EXPECT_NEAR(armijo.loglik, em.loglik, 1e-4 * std::abs(em.loglik));
  EXPECT_NEAR(adam.loglik, em.loglik, 1e-4 * std::abs(em.loglik));
  EXPECT_GT(armijo.loglik, armijo.trace.rows.front().loglik + 1.0);
  const LocalRates rates = local_rates(em.model, data);
  ASSERT_TRUE(rates.valid()) << rates.note();
  const double step = rates.best_gradient_step();
  settings.control.max_iter = 300;
  settings.control.tol = 0.0;
  const MultivariateRun fixed = run("gd:" + std::to_string(step));
  EXPECT_NEAR(diagnose(fixed.trace, em.loglik).linear_rate, std::pow(rates.gradient(step), 2), 0.005);
  for (const char* refused : {"mirror", "gem"})
    EXPECT_THROW(require_several_responses(make_method(refused, settings)), std::invalid_argument) << refused;
  settings.batch_size = 100;
  EXPECT_THROW(run("gd"), std::invalid_argument);
}

// Whole frequency weights fit as the rows repeated: ℓ, parameters, BIC,
// standard errors, rates and a gradient method's run; weights are checked.
TEST(Multivariate, FrequencyWeightsAreRepeatedRows) {
  const MultivariateData data = draw_bivariate(bivariate_truth(), 300, 13);
  Rng rng(14);
  arma::vec w(data.n());
  w.imbue([&] { return static_cast<double>(rng.index(4)); });  // 0 to 3 copies
  arma::uvec rows;
  for (arma::uword i = 0; i < data.n(); ++i) rows = arma::join_vert(rows, arma::uvec(arma::uword(w(i)), arma::fill::value(i)));
  MultivariateData weighted = data, repeated = data;
  weighted.weights = w;
  repeated.Y = data.Y.rows(rows);
  repeated.X = data.X.rows(rows);
  repeated.Z = data.Z.rows(rows);
  MultivariateOptions options;
  options.tol = 1e-13;
  options.max_iter = 5000;
  options.start = responsibilities(bivariate_truth(), data);
  const MultivariateFit a = fit_multivariate(weighted, 2, options);
  options.start = options.start.rows(rows).eval();
  const MultivariateFit b = fit_multivariate(repeated, 2, options);
  EXPECT_NEAR(a.loglik, b.loglik, 1e-9 * std::abs(b.loglik));
  EXPECT_NEAR(a.bic, b.bic, 1e-8 * std::abs(b.bic));
  EXPECT_NEAR(a.icl, b.icl, 1e-8 * std::abs(b.icl));
  EXPECT_LT(arma::abs(pack(a.model) - pack(b.model)).max(), 1e-6);
  const MultivariateStandardErrors se_a = standard_errors(a.model, weighted), se_b = standard_errors(b.model, repeated);
  ASSERT_TRUE(se_a.valid && se_b.valid);
  EXPECT_LT(arma::abs(se_a.se - se_b.se).max(), 1e-5 * se_b.se.max());
  EXPECT_NEAR(local_rates(a.model, weighted).em(), local_rates(b.model, repeated).em(), 1e-6);
  MethodSettings settings;
  settings.control.max_iter = 20;
  settings.control.tol = 0.0;
  const Method gd = make_method("gd:0.01", settings);
  EXPECT_NEAR(gd.fit_multivariate_from(weighted, a.start).loglik, gd.fit_multivariate_from(repeated, b.start).loglik,
              1e-8 * std::abs(b.loglik));
  options.start.reset();
  weighted.weights(0) = -1.0;
  EXPECT_THROW(fit_multivariate(weighted, 2, options), std::invalid_argument);
  weighted.weights = arma::zeros(data.n());
  EXPECT_THROW(fit_multivariate(weighted, 2, options), std::invalid_argument);
}

TEST(Multivariate, RecoversABivariateRegressionMixtureAndNeverLowersTheLikelihood) {
  const MultivariateModel truth = bivariate_truth();
  const MultivariateData data = draw_bivariate(truth, 4000, 5);
  MultivariateOptions options;
  options.starts = 6;
  const MultivariateFit fit = fit_multivariate(data, 2, options);
  EXPECT_TRUE(fit.converged);
  EXPECT_GE(arma::min(arma::diff(fit.trace)), -1e-9 * std::abs(fit.loglik));
  EXPECT_GE(fit.loglik, loglik(truth, data));
  const arma::uword first = fit.model.experts.coef(0, 0, 0) > 0.0 ? 0 : 1;  // the truth's expert 1
  for (arma::uword k = 0; k < 2; ++k) {
    const arma::uword j = k == 0 ? first : 1 - first;
    EXPECT_LT(arma::abs(fit.model.experts.coef.slice(j) - truth.experts.coef.slice(k)).max(), 0.1) << k;
    EXPECT_LT(arma::abs(fit.model.experts.covariance.slice(j) - truth.experts.covariance.slice(k)).max(), 0.06) << k;
  }
  const double slope = fit.model.gate.coef(1, first) - fit.model.gate.coef(1, 1 - first);
  EXPECT_NEAR(slope, 2.0, 0.3);
  EXPECT_EQ(fit.model.n_free(), 2u + 2 * 4 + 6);
  EXPECT_NEAR(fit.bic, -2.0 * fit.loglik + 16.0 * std::log(4000.0), 1e-6);
  EXPECT_GE(fit.icl, fit.bic);
}

TEST(Multivariate, ReplaceMovesReachTheMaximumOfADenseExpertNestedInABroadOne) {
  // a broad expert (70 %), a dense one inside it (20 %) and a third apart (10 %), spherical
  Rng rng(17);
  const arma::uword n = 3000;
  MultivariateData data;
  data.X = arma::ones(n, 1);
  data.Z = data.X;
  data.Y.set_size(n, 2);
  arma::mat truth_R(n, 3, arma::fill::zeros);
  for (arma::uword i = 0; i < n; ++i) {
    const double u = rng.uniform();
    const arma::uword k = u < 0.7 ? 0 : u < 0.9 ? 1 : 2;
    const double sd[] = {3.0, 0.5, 1.0}, mx[] = {0.0, 0.5, 6.0}, my[] = {0.0, 0.3, 6.0};
    data.Y(i, 0) = mx[k] + sd[k] * rng.normal();
    data.Y(i, 1) = my[k] + sd[k] * rng.normal();
    truth_R(i, k) = 1.0;
  }
  MultivariateOptions options;
  options.structure = Covariance::VII;
  options.start = truth_R;
  const MultivariateFit from_truth = fit_multivariate(data, 3, options);
  options.start.reset();
  options.starts = 4;
  const MultivariateFit fit = fit_multivariate(data, 3, options);
  EXPECT_GT(fit.moves_tried, 0u);
  EXPECT_GE(fit.loglik, from_truth.loglik - 1e-6 * std::abs(from_truth.loglik));
  options.moves = false;
  EXPECT_EQ(fit_multivariate(data, 3, options).moves_tried, 0u);
}

TEST(Multivariate, ASeedGivesTheSameFitOnAnyNumberOfThreads) {
  const MultivariateData data = draw_bivariate(bivariate_truth(), 600, 7);
  MultivariateOptions options;
  options.starts = 5;
  options.structure = Covariance::VVI;
  options.threads = 1;
  const MultivariateFit one = fit_multivariate(data, 3, options);
  options.threads = 2;
  const MultivariateFit two = fit_multivariate(data, 3, options);
  EXPECT_EQ(one.loglik, two.loglik);
  EXPECT_EQ(one.best_start, two.best_start);
  EXPECT_TRUE(arma::approx_equal(one.model.experts.coef, two.model.experts.coef, "absdiff", 0.0));
}

TEST(Multivariate, SelectionFindsTheNumberOfExperts) {
  const MultivariateData data = draw_bivariate(bivariate_truth(), 1500, 11);
  MultivariateOptions options;
  options.starts = 4;
  const MultivariateSelection s =
      select_multivariate(data, {1, 2, 3}, {Covariance::EII, Covariance::VVV}, Criterion::bic, options);
  ASSERT_EQ(s.candidates.size(), 6u);
  EXPECT_EQ(s.candidates[s.best].K, 2u);
  EXPECT_EQ(s.candidates[s.best].structure, Covariance::VVV);
  for (const auto& c : s.candidates) EXPECT_TRUE(c.fitted) << c.note;
}

TEST(Multivariate, SimulatedResponsesFollowTheModel) {
  const MultivariateModel truth = bivariate_truth();
  Rng rng(21);
  MultivariateData data;
  data.X = testing::random_design(20000, 1, rng);
  data.Z = data.X;
  data.Y = simulate_responses(truth, data.X, data.Z, rng);
  EXPECT_LT(arma::abs(arma::mean(data.Y - truth.predict_mean(data), 0)).max(), 0.03);  // the mixture's mean
  MultivariateModel one;  // and one expert's covariance
  one.gate = Gate::uniform(2, 1);
  one.experts.coef = truth.experts.coef.slices(1, 1);
  one.experts.covariance = truth.experts.covariance.slices(1, 1);
  const arma::mat residual = simulate_responses(one, data.X, data.Z, rng) - data.X * one.experts.coef.slice(0);
  EXPECT_LT(arma::abs(arma::cov(residual) - one.experts.covariance.slice(0)).max(), 0.02);
}

TEST(MultivariateBootstrap, OneExpertsStandardErrorsAreTheRegressionsOwn) {
  // one expert: B's standard errors are sqrt(Σ_rr [(XᵀX)⁻¹]_jj); the bootstrap's agree within Monte-Carlo error
  const MultivariateData data = draw_one_expert(400, 23);
  const MultivariateFit fit = fit_multivariate(data, 1);
  const arma::mat inverse_gram = arma::inv_sympd(data.X.t() * data.X);
  for (const BootstrapType type : {BootstrapType::nonparametric, BootstrapType::parametric}) {
    BootstrapOptions options;
    options.replicates = 300;
    options.type = type;
    const Bootstrap b = bootstrap(data, fit.model, options);
    ASSERT_EQ(b.replicates.n_rows, 300u);
    const arma::vec se = b.standard_errors();
    for (arma::uword r = 0; r < 2; ++r)
      for (arma::uword j = 0; j < 2; ++j) {
        const double expected = std::sqrt(fit.model.experts.covariance(r, r, 0) * inverse_gram(j, j));
        EXPECT_NEAR(se(r * 2 + j), expected, 0.15 * expected) << b.names[r * 2 + j] << " " << to_string(type);
      }
    EXPECT_EQ(b.names[0], "expert1.y1:x1");
    EXPECT_EQ(b.names.back(), "sigma.expert1:y2,y2");
  }
}

TEST(MultivariateBootstrap, ASeedGivesTheSameReplicatesOnAnyThreadsAndLabelsAreMatched) {
  const MultivariateData data = draw_bivariate(bivariate_truth(), 600, 29);
  MultivariateOptions fit_options;
  fit_options.starts = 4;
  const MultivariateFit fit = fit_multivariate(data, 2, fit_options);
  BootstrapOptions options;
  options.replicates = 30;
  options.threads = 1;
  const Bootstrap one = bootstrap(data, fit.model, options);
  options.threads = 2;
  const Bootstrap two = bootstrap(data, fit.model, options);
  EXPECT_TRUE(arma::approx_equal(one.replicates, two.replicates, "absdiff", 0.0));
  // the replicates' experts are the fit's: every coefficient's replicates centre on its estimate
  const arma::vec centre = arma::mean(one.replicates, 0).t(), se = one.standard_errors();
  for (arma::uword j = 0; j < centre.n_elem; ++j)
    EXPECT_LT(std::abs(centre(j) - one.estimates(j)), 4.0 * se(j) / std::sqrt(30.0) + 1e-9) << one.names[j];
  // matching undoes a relabelling of the fit itself
  const MultivariateModel swapped = relabelled(fit.model, arma::uvec{1, 0});
  EXPECT_NEAR(loglik(swapped, data), fit.loglik, 1e-8 * std::abs(fit.loglik));
  EXPECT_TRUE(arma::approx_equal(multivariate_parameters(relabelled(swapped, arma::uvec{1, 0})),
                                 multivariate_parameters(fit.model), "absdiff", 1e-12));
}

TEST(MultivariateInformation, TheGradientIsTheFiniteDifferencesOfTheLikelihoodInEveryStructure) {
  const MultivariateData data = draw_bivariate(bivariate_truth(), 300, 31);
  for (const Covariance s : covariance_structures()) {
    MultivariateModel model = bivariate_truth();  // not a maximum: the gradient is not 0
    model.experts.structure = s;
    arma::cube scatter = model.experts.covariance;
    model.experts.covariance = covariance_step(s, scatter, arma::vec{1.0, 1.0});
    const arma::vec theta = pack(model);
    EXPECT_LT(arma::abs(pack(unpack(theta, model)) - theta).max(), 1e-12) << to_string(s);
    const arma::vec g = gradient(model, data);
    ASSERT_EQ(g.n_elem, theta.n_elem);
    for (arma::uword j = 0; j < theta.n_elem; ++j) {
      const double h = 1e-6;
      arma::vec up = theta, down = theta;
      up(j) += h;
      down(j) -= h;
      const double fd = (loglik(unpack(up, model), data) - loglik(unpack(down, model), data)) / (2.0 * h);
      EXPECT_NEAR(g(j), fd, 1e-5 * (1.0 + std::abs(fd))) << to_string(s) << " parameter " << j;
    }
  }
}

TEST(MultivariateInformation, OneExpertsStandardErrorsAreTheTextbookOnes) {
  // one expert, VVV: B's standard errors are sqrt(Σ_rr [(XᵀX)⁻¹]_jj) and those of Σ's entries
  // sqrt(2 σ_jj² / n) and sqrt((σ_11 σ_22 + σ_12²) / n), all at the maximum
  const MultivariateData data = draw_one_expert(500, 37);
  MultivariateOptions options;
  options.tol = 1e-14;
  const MultivariateFit fit = fit_multivariate(data, 1, options);
  const MultivariateStandardErrors se = standard_errors(fit.model, data);
  ASSERT_TRUE(se.valid) << se.note;
  const arma::mat S = fit.model.experts.covariance.slice(0), inverse_gram = arma::inv_sympd(data.X.t() * data.X);
  for (arma::uword r = 0; r < 2; ++r)
    for (arma::uword j = 0; j < 2; ++j)
      EXPECT_NEAR(se.se(r * 2 + j), std::sqrt(S(r, r) * inverse_gram(j, j)), 1e-5 * se.se(r * 2 + j));
  const double n = 500.0;
  EXPECT_NEAR(se.se(4), std::sqrt(2.0 * S(0, 0) * S(0, 0) / n), 1e-4 * se.se(4));
  EXPECT_NEAR(se.se(5), std::sqrt((S(0, 0) * S(1, 1) + S(1, 0) * S(1, 0)) / n), 1e-4 * se.se(5));
  EXPECT_NEAR(se.se(6), std::sqrt(2.0 * S(1, 1) * S(1, 1) / n), 1e-4 * se.se(6));
}

TEST(MultivariateInformation, AgreesWithTheBootstrapOnAWellSeparatedMixture) {
  const MultivariateData data = draw_bivariate(bivariate_truth(), 1500, 41);
  MultivariateOptions fit_options;
  fit_options.starts = 4;
  const MultivariateFit fit = fit_multivariate(data, 2, fit_options);
  const MultivariateStandardErrors se = standard_errors(fit.model, data);
  ASSERT_TRUE(se.valid) << se.note;
  BootstrapOptions options;
  options.replicates = 200;
  options.type = BootstrapType::parametric;
  const arma::vec boot = bootstrap(data, fit.model, options).standard_errors();
  // 200 replicates: a standard deviation within about 10 % (two standard errors of it 20 %)
  for (arma::uword j = 0; j < boot.n_elem; ++j) EXPECT_NEAR(boot(j), se.se(j), 0.25 * se.se(j)) << j;
}

TEST(Multivariate, RefusesWhatTheDataCannotSupport) {
  MultivariateData data = draw_bivariate(bivariate_truth(), 40, 13);
  MultivariateData wide = data;
  wide.Y = arma::randn(3, 5);
  wide.X = arma::ones(3, 1);
  wide.Z = wide.X;
  EXPECT_NE(testing::thrown_by([&] { fit_multivariate(wide, 1); }).find("5 columns but only 3 rows (m > n)"),
            std::string::npos);
  EXPECT_NE(testing::thrown_by([&] { fit_multivariate(data, 9); }).find("too few rows"), std::string::npos);
  MultivariateData collinear = data;  // y2 = 2 y1: no full covariance matrix is positive definite
  collinear.Y.col(1) = 2.0 * collinear.Y.col(0);
  MultivariateOptions options;
  options.structure = Covariance::EEE;
  EXPECT_NE(testing::thrown_by([&] { fit_multivariate(collinear, 2, options); })
                .find("cannot support 2 experts with covariance structure EEE"),
            std::string::npos);
  options.structure = Covariance::EEI;
  EXPECT_NO_THROW(fit_multivariate(collinear, 2, options));
  MultivariateData bad = data;
  bad.Y(3, 1) = arma::datum::nan;
  EXPECT_NE(testing::thrown_by([&] { fit_multivariate(bad, 2); }).find("the response has values that are not finite"),
            std::string::npos);
  options.start = arma::ones(10, 2);
  EXPECT_NE(testing::thrown_by([&] { fit_multivariate(data, 2, options); }).find("must be n x K"), std::string::npos);
  MultivariateSelection s = select_multivariate(collinear, {1, 2}, {Covariance::EEI, Covariance::EEE}, Criterion::bic);
  EXPECT_TRUE(s.candidates[2].fitted);
  EXPECT_FALSE(s.candidates[3].fitted);
  EXPECT_NE(s.candidates[3].note.find("cannot support"), std::string::npos);
}

}  // namespace
}  // namespace moe
