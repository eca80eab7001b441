#pragma once
/// @file predictive.hpp
/// The predictive distribution of y at covariates x, z: the mixture
/// F(y | x, z) = Σ_k π_k(z) F_k(y | x) of the experts' distributions
/// (Gaussian, binomial, Poisson, negbin, gamma, t; a point mass a step at its
/// value), its value at given responses and its
/// quantiles: prediction intervals that follow a multimodal or skewed
/// predictive law, where mean ± a multiple of a standard deviation does not.

#include <armadillo>

#include "moe/model.hpp"
#include "moe/rng.hpp"

namespace moe {

/// F(y_i | x_i, z_i) for every row (designs as for predict(), y: n; `trials`:
/// the binomial trials m_i, or empty: 1, as in data.hpp).
arma::vec predictive_cdf(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& y,
                         const arma::vec& offset = {}, const arma::vec& trials = {});

/// The `probs` quantiles of F at every row: n × probs.n_elem. Gaussian, t
/// and gamma experts: the y with F(y) = p, to round-off; binomial and Poisson (discrete):
/// the smallest y with F(y) ≥ p. Throws std::invalid_argument unless every
/// probability is in (0, 1).
arma::mat predictive_quantiles(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& probs,
                               const arma::vec& offset = {}, const arma::vec& trials = {});

/// The probability integral transform of observed responses: F(y_i) for
/// Gaussian, gamma and t experts; for binomial, Poisson and negbin ones (discrete) F(y_i − 1) +
/// u_i (F(y_i) − F(y_i − 1)) with u_i uniform from `rng` (randomized). Uniform
/// on (0, 1) when the model is right; Φ⁻¹ of it is the randomized quantile
/// residual (Dunn & Smyth 1996).
arma::vec randomized_pit(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& y, Rng& rng,
                         const arma::vec& offset = {}, const arma::vec& trials = {});

/// P(Y ≤ k) for Y ~ Poisson(mean): the regularized upper incomplete gamma
/// function Q(k + 1, mean), by its series or continued fraction (0 for k < 0).
double poisson_cdf(double k, double mean);

/// P(Y ≤ k) for Y ~ Binomial(m, p): the regularized incomplete beta function
/// I_{1−p}(m − k, k + 1), by its continued fraction (0 for k < 0, 1 for k ≥ m).
double binomial_cdf(double k, double m, double p);

/// P(Y ≤ k) for Y negative binomial with mean μ and size θ (NB2): the
/// regularized incomplete beta function I_{θ/(θ+μ)}(θ, k + 1) (0 for k < 0).
double negbin_cdf(double k, double mean, double theta);

/// P(Y ≤ y) for Y gamma with mean μ and shape ν (rate ν/μ): the regularized
/// lower incomplete gamma function P(ν, ν y/μ) (0 for y ≤ 0).
double gamma_cdf(double y, double mean, double shape);

/// t experts: each row's scale weight, its E-step weight in least squares,
/// Σ_k r_ik (ν_k + 1)/(ν_k + z_ik²) with r the responsibilities and z_ik =
/// (y_i − x_i·β_k)/σ_k: about 1 for a row its experts fit, small for an
/// outlier.  Result: n.  Throws std::invalid_argument for other families.
arma::vec scale_weights(const Model& model, const Dataset& data);

/// P(T ≤ t) for T ~ t(ν), Student's t with ν > 0 degrees of freedom:
/// ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≤ 0, one minus that for t > 0.
double t_cdf(double t, double nu);

}  // namespace moe
