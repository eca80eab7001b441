#pragma once
/// @file negbin.hpp
/// The negative binomial expert family (NB2, as MASS::glm.nb): with the log
/// link μ = e^η and a size θ > 0 per expert,
///   log f(y) = log Γ(y + θ) − log Γ(θ) − log y! + θ log θ + y η − (y + θ) log(θ + μ),
/// so E[y] = μ and Var[y] = μ + μ²/θ; θ → ∞ is the Poisson. For a fixed θ the
/// log-density is concave in η, with
///   ∂/∂η = θ (y − μ) / (θ + μ),   −∂²/∂η² = (y + θ) θ μ / (θ + μ)²,
/// and in u = log θ it has the score and curvature of negbin_log_size_terms.
/// The M-step takes Newton steps in β at a fixed θ, then in log θ at the new β
/// (expert_mstep.hpp). The registry's entry holds them as kNegbinFamily.

#include <armadillo>

#include "moe/shape_family.hpp"

namespace moe {

/// The largest size the M-step gives an expert: the Poisson for every purpose.
constexpr double kNegbinMaxSize = 1e8;

/// log f(y_i | η_ik, θ_k) for every row and expert; a missing y gives NaN.
/// y: n;  eta: n×K;  theta: K;  result n×K.
arma::mat negbin_log_density(const arma::vec& y, const arma::mat& eta, const arma::vec& theta);

/// The score and the curvature in η of Σ_i w log f, written with EM's sums
/// (expert_sums.hpp: w = weight, s1 = w y): score = θ (s1 − w μ)/(θ + μ),
/// curvature = (s1 + w θ) θ μ / (θ + μ)² (≥ 0).  All n×K;  theta: K.
void negbin_eta_terms(arma::mat& score, arma::mat& curvature, const arma::mat& weight, const arma::mat& first,
                      const arma::mat& eta, const arma::vec& theta);

/// ∂²/∂η∂u of Σ_i w log f with u = log θ_k, written with EM's sums as
/// negbin_eta_terms: θ μ (s1 − w μ) / (θ + μ)².  All n×K;  theta: K.
arma::mat negbin_cross_terms(const arma::mat& weight, const arma::mat& first, const arma::mat& eta,
                             const arma::vec& theta);

/// ∂/∂u and ∂²/∂u² of log f(y_i | η_ik, θ_k) with u = log θ_k.
/// y: n;  eta: n×K;  theta: K;  score, curvature: n×K.
void negbin_log_size_terms(arma::mat& score, arma::mat& curvature, const arma::vec& y, const arma::mat& eta,
                           const arma::vec& theta);

/// A starting size from the moments of y: m² / (v − m), clamped to [0.1, 100]
/// (100 when y is not overdispersed).
double negbin_moment_size(const arma::vec& y);

/// μ + μ²/θ.  mean: n×K;  theta: K.
arma::mat negbin_variance(const arma::mat& mean, const arma::vec& theta);

/// These functions as a shape family (shape_family.hpp), sizes in [1e-6, kNegbinMaxSize].
extern const ShapeFamily kNegbinFamily;

}  // namespace moe
