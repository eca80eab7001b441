#pragma once
// Small builders shared by the tests: models with known parameters and data
// drawn from them.

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "moe/methods.hpp"
#include "moe/model.hpp"

namespace moe::testing {

/// A model with the given coefficients (gate's last column must be zero).
inline Model make_model(Family family, const arma::mat& gate, const arma::mat& experts,
                        const arma::vec& sigma = {}) {
  Model m;
  m.gate.coef = gate;
  m.experts.family = family;
  m.experts.coef = experts;
  m.experts.sigma = sigma;
  return m;
}

/// n rows with an intercept and `covariates` N(0, 1) columns.
inline arma::mat random_design(arma::uword n, arma::uword covariates, Rng& rng) {
  arma::mat D(n, covariates + 1);
  D.col(0).ones();
  D.cols(1, covariates).imbue([&] { return rng.normal(); });
  return D;
}

/// Data drawn from `truth` with designs of the truth's sizes.
inline Dataset draw(const Model& truth, arma::uword n, std::uint64_t seed) {
  Rng rng(seed);
  Dataset data;
  data.X = random_design(n, truth.experts.n_inputs() - 1, rng);
  data.Z = truth.gate.coef.n_rows == 1 ? arma::mat(arma::ones(n, 1))
                                       : random_design(n, truth.gate.coef.n_rows - 1, rng);
  data.y = sample(truth, data.X, data.Z, rng);
  return data;
}

/// Central differences of f(model) with respect to every coordinate of pack(at).
template <class F>
arma::vec numeric_gradient(const moe::Model& at, F f) {
  const arma::vec theta = moe::pack(at);
  arma::vec g(theta.n_elem);
  for (arma::uword j = 0; j < theta.n_elem; ++j) {
    const double h = 1e-5 * (1.0 + std::abs(theta(j)));
    arma::vec up = theta, down = theta;
    up(j) += h;
    down(j) -= h;
    g(j) = (f(moe::unpack(at, up)) - f(moe::unpack(at, down))) / (2.0 * h);
  }
  return g;
}

/// max |∇ℓ − central differences of ℓ| / (1 + max |differences|) at `at` on `data`.
inline double gradient_error(const moe::Model& at, const moe::Dataset& data) {
  const arma::vec numeric = numeric_gradient(at, [&](const moe::Model& m) { return moe::log_likelihood(m, data); });
  return arma::abs(moe::gradient(at, data) - numeric).max() / (1.0 + arma::abs(numeric).max());
}

/// A well separated 3-expert Gaussian model with a gate on one covariate.
inline Model gaussian_truth() {
  return make_model(Family::gaussian, {{1.0, -0.5, 0.0}, {3.0, -3.0, 0.0}},
                    {{-4.0, 0.0, 5.0}, {2.0, -3.0, 1.0}}, {0.5, 1.0, 0.7});
}

/// A 2-expert logistic model with a strong gate.
inline Model logistic_truth() {
  return make_model(Family::binomial, {{0.5, 0.0}, {3.0, 0.0}}, {{2.0, -2.0}, {4.0, -3.0}});
}

/// A 2-expert Poisson model (means from about 0.1 to 100) with a strong gate.
inline Model poisson_truth() {
  return make_model(Family::poisson, {{0.5, 0.0}, {3.0, 0.0}}, {{2.5, 0.5}, {0.8, -0.7}});
}

/// A 2-expert negative binomial model (means from about 0.1 to 100, sizes 2
/// and 8) with a strong gate.
inline Model negbin_truth() {
  Model m = make_model(Family::negbin, {{0.5, 0.0}, {3.0, 0.0}}, {{2.5, 0.5}, {0.8, -0.7}});
  m.experts.shape = {2.0, 8.0};
  return m;
}

/// A 2-expert gamma model (log link, shapes 3 and 12) with a strong gate.
inline Model gamma_truth() {
  Model m = make_model(Family::gamma, {{0.5, 0.0}, {3.0, 0.0}}, {{1.5, -0.5}, {0.6, -0.7}});
  m.experts.shape = {3.0, 12.0};
  return m;
}

/// A 2-expert Student-t model (scales 0.5 and 1, degrees of freedom 3 and 8)
/// with a strong gate.
inline Model t_truth() {
  Model m = make_model(Family::t, {{0.5, 0.0}, {3.0, 0.0}}, {{-2.0, 2.0}, {1.5, -1.0}}, {0.5, 1.0});
  m.experts.shape = {3.0, 8.0};
  return m;
}

/// A 2-expert multinomial model of 3 levels (coefficients of levels 1 and 2
/// against level 0, column k = vec(B_k)) with a strong gate.
inline Model multinomial_truth() {
  Model m = make_model(Family::multinomial, {{0.5, 0.0}, {3.0, 0.0}}, {{1.0, -1.0}, {2.0, -2.0}, {-1.0, 2.0}, {3.0, -2.0}});
  m.experts.levels = 3;
  return m;
}

/// Estimator settings for comparing fits: tolerance 1e-10, at most 300
/// iterations, a search of 3 starts (the search itself: test_search.cpp).
inline MethodSettings tight_settings() {
  MethodSettings settings;
  settings.control.tol = 1e-10;
  settings.control.max_iter = 300;
  settings.control.starts = 3;
  return settings;
}

/// One model of every family: gaussian_truth(), logistic_truth(), poisson_truth(), negbin_truth(), gamma_truth().
inline std::vector<Model> truth_of_every_family() {
  return {gaussian_truth(), logistic_truth(), poisson_truth(), negbin_truth(), gamma_truth()};
}

/// max |a − b| / max(1, max |b|) over the entries of two matrices or cubes of
/// any element type, in double; infinite when the sizes differ.
template <class T>
double relative_error(const T& a, const T& b) {
  if (arma::size(a) != arma::size(b)) return arma::datum::inf;
  const arma::vec x = arma::conv_to<arma::vec>::from(arma::vectorise(a)),
                  y = arma::conv_to<arma::vec>::from(arma::vectorise(b));
  if (y.is_empty()) return 0.0;
  return arma::abs(x - y).max() / std::max(1.0, arma::abs(y).max());
}

/// The message of the std::invalid_argument that f throws ("" when none).
template <class F>
std::string thrown_by(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace moe::testing
