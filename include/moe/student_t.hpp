#pragma once
/// @file student_t.hpp
/// Student-t experts: y = x·β_k + σ_k ε with ε ~ t(ν_k), so that with
/// z = (y − η)/σ,
///   log f(y) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log(1 + z²/ν).
/// The t is a scale mixture of normals: y | u ~ N(η, σ²/u), u ~ Gamma(ν/2, ν/2),
/// and given y, E[u] = (ν + 1)/(ν + z²), the scale weight: outliers get small
/// ones. The experts' M-step (expert_mstep.hpp) is the EM step of this
/// representation, weighted by the responsibilities: β_k by least squares with
/// weights w u, σ_k² = Σ w u (y − η)² / Σ w, then ν_k by one Newton step in
/// log ν on Σ w log f (after Liu & Rubin's ECME, which maximizes in ν). Each
/// raises Σ_i w_ik log f_k, so EM's ℓ cannot fall. As ν → ∞ the t becomes the Gaussian.
///
/// ∂ log f/∂η = u (y − η)/σ²,  ∂ log f/∂ log σ = u z² − 1,  and in v = log ν
///   ∂/∂v = ν/2 [ψ((ν+1)/2) − ψ(ν/2) − 1/ν − log(1 + z²/ν) + u z²/ν],
/// with u = (ν + 1)/(ν + z²) (t_log_nu_terms gives the second derivative too).
/// The distribution function is predictive.hpp's t_cdf.

#include <armadillo>

namespace moe {

/// The range the M-step keeps each estimated ν_k in.
constexpr double kMinNu = 0.2;
constexpr double kMaxNu = 1e6;
/// Every expert's ν at a start.
constexpr double kStartNu = 10.0;

/// log f(y_i | η_ik, σ_k, ν_k) for every row and expert; a missing y gives NaN.
/// y: n;  eta: n×K;  sigma, nu: K;  result n×K.
arma::mat t_log_density(const arma::vec& y, const arma::mat& eta, const arma::vec& sigma, const arma::vec& nu);

/// The scale weights u_ik = (ν_k + 1)/(ν_k + z_ik²), E[u | y] in the
/// scale-mixture representation.  Shapes as t_log_density.
arma::mat t_scale_weights(const arma::vec& y, const arma::mat& eta, const arma::vec& sigma, const arma::vec& nu);

/// ∂/∂v and ∂²/∂v² of log f(y_i | η_ik, σ_k, ν_k), v = log ν_k.  n×K each.
void t_log_nu_terms(arma::mat& score, arma::mat& curvature, const arma::vec& y, const arma::mat& eta,
                    const arma::vec& sigma, const arma::vec& nu);

}  // namespace moe
