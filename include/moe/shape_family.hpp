#pragma once
/// @file shape_family.hpp
/// Expert families with a log link, μ = e^η, and one positive shape parameter
/// s_k per expert besides the coefficients: the negative binomial (its size θ,
/// negbin.hpp) and the gamma (its shape ν, gamma.hpp). Each gives the same
/// functions, so that the M-step (Newton in β at s, then in u = log s), the
/// gradient, the complete information and the predictive distribution are
/// written once for both. For a fixed s every log-density is concave in η.
///
/// The row terms are written with EM's sums (expert_sums.hpp): w = weight and
/// s1 = w y, so that weights, responsibilities and trials-free rows are one case.

#include <armadillo>

#include "moe/family.hpp"

namespace moe {

struct ShapeFamily {
  /// log f(y_i | η_ik, s_k) for every row and expert; a missing y gives NaN.
  /// y: n;  eta: n×K;  shape: K;  result n×K.
  arma::mat (*log_density)(const arma::vec& y, const arma::mat& eta, const arma::vec& shape);
  /// ∂/∂η and −∂²/∂η² (≥ 0) of Σ_i w log f, from w and s1.  All n×K.
  void (*eta_terms)(arma::mat& score, arma::mat& curvature, const arma::mat& weight, const arma::mat& first,
                    const arma::mat& eta, const arma::vec& shape);
  /// ∂²/∂η∂u of Σ_i w log f, u = log s, from w and s1.  n×K.
  arma::mat (*cross_terms)(const arma::mat& weight, const arma::mat& first, const arma::mat& eta,
                           const arma::vec& shape);
  /// ∂/∂u and ∂²/∂u² of log f(y_i | η_ik, s_k), u = log s_k.  n×K each.
  void (*log_shape_terms)(arma::mat& score, arma::mat& curvature, const arma::vec& y, const arma::mat& eta,
                          const arma::vec& shape);
  /// A starting shape from the moments of y (the same for every expert).
  double (*moment_shape)(const arma::vec& y);
  /// Var[y] at the means (n×K) and shapes (K).
  arma::mat (*variance)(const arma::mat& mean, const arma::vec& shape);
  double min_shape, max_shape;  ///< the range the M-step keeps each s_k in
};

/// The shape family of `family`, or nullptr for one without a shape
/// (Gaussian, binomial, Poisson).
const ShapeFamily* shape_family(Family family);

}  // namespace moe
