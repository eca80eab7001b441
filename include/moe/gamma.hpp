#pragma once
/// @file gamma.hpp
/// The gamma expert family with the log link: mean μ = e^η and a shape ν > 0
/// per expert (rate ν/μ), so Var[y] = μ²/ν. With x = y/μ,
///   log f(y) = ν log ν − log Γ(ν) − ν − log y − ν (x − 1 − log x),
/// written so that neither a large ν nor x near 1 cancels. For a fixed ν the
/// log-density is concave in η, with
///   ∂/∂η = ν (x − 1),   −∂²/∂η² = ν x,
/// and in u = log ν: ∂/∂u = ν [log ν − ψ(ν) − (x − 1 − log x)],
///   ∂²/∂u² = ∂/∂u + ν² (1/ν − ψ'(ν)).
/// The coefficients' score does not involve ν, so with K = 1 they are glm's
/// Gamma(link = "log") coefficients, and ν is the MLE of the shape (as
/// MASS::gamma.shape). The registry's entry holds these as kGammaFamily.

#include <armadillo>

#include "moe/shape_family.hpp"

namespace moe {

/// log f(y_i | η_ik, ν_k) for every row and expert; a missing y gives NaN.
/// y: n (positive);  eta: n×K;  shape: K;  result n×K.
arma::mat gamma_log_density(const arma::vec& y, const arma::mat& eta, const arma::vec& shape);

/// The score and curvature in η of Σ_i w log f from w and s1 = w y:
/// score = ν (s1 e^{−η} − w), curvature = ν s1 e^{−η} (≥ 0).  All n×K.
void gamma_eta_terms(arma::mat& score, arma::mat& curvature, const arma::mat& weight, const arma::mat& first,
                     const arma::mat& eta, const arma::vec& shape);

/// ∂²/∂η∂u of Σ_i w log f, u = log ν: ν (s1 e^{−η} − w).  n×K.
arma::mat gamma_cross_terms(const arma::mat& weight, const arma::mat& first, const arma::mat& eta,
                            const arma::vec& shape);

/// ∂/∂u and ∂²/∂u² of log f(y_i | η_ik, ν_k), u = log ν_k.  n×K each.
void gamma_log_shape_terms(arma::mat& score, arma::mat& curvature, const arma::vec& y, const arma::mat& eta,
                           const arma::vec& shape);

/// A starting shape from the moments of y: m² / v, clamped to [0.05, 1000].
double gamma_moment_shape(const arma::vec& y);

/// μ²/ν.  mean: n×K;  shape: K.
arma::mat gamma_variance(const arma::mat& mean, const arma::vec& shape);

/// These functions as a shape family (shape_family.hpp), shapes in [1e-6, 1e8].
extern const ShapeFamily kGammaFamily;

}  // namespace moe
