#pragma once
/// @file covariance.hpp
/// The covariance structures of multivariate Gaussian experts
/// (multivariate.hpp), under mclust's names. With the weighted scatter
/// matrices W_k = Σ_i r_ik (y_i − μ_ik)(y_i − μ_ik)ᵀ and weights n_k = Σ_i r_ik,
/// the Σ_k that maximize Q(Σ) = Σ_k [−n_k/2 log|Σ_k| − tr(Σ_k⁻¹ W_k)/2] within
/// each structure are, with n = Σ_k n_k and W = Σ_k W_k:
///   EII  Σ_k = λ I,        λ = tr(W) / (m n)         1 parameter
///   VII  Σ_k = λ_k I,      λ_k = tr(W_k) / (m n_k)   K
///   EEI  Σ_k = diag(b),    b = diag(W) / n           m
///   VVI  Σ_k = diag(b_k),  b_k = diag(W_k) / n_k     K m
///   EEE  Σ_k = Σ,          Σ = W / n                 m(m+1)/2
///   VVV  Σ_k = W_k / n_k                             K m(m+1)/2
/// (mclust writes the diagonal ones as λB with det B = 1: the same sets.)

#include <armadillo>
#include <string>
#include <vector>

namespace moe {

enum class Covariance { EII, VII, EEI, VVI, EEE, VVV };

/// Every structure, from the fewest parameters to the most.
const std::vector<Covariance>& covariance_structures();

/// "EII", ..., "VVV".
std::string to_string(Covariance structure);

/// Parses a structure's name; throws std::invalid_argument naming the structures otherwise.
Covariance parse_covariance(const std::string& name);

/// The free parameters of K covariance matrices of dimension m in a structure
/// (mclust's nVarParams).
arma::uword covariance_parameters(Covariance structure, arma::uword m, arma::uword K);

/// The maximizing Σ_k of the structure.  scatter: m×m×K;  weight: K (each > 0);
/// result: m×m×K.
arma::cube covariance_step(Covariance structure, const arma::cube& scatter, const arma::vec& weight);

/// Q(Σ) above.  covariance, scatter: m×m×K;  weight: K.
double covariance_objective(const arma::cube& covariance, const arma::cube& scatter, const arma::vec& weight);

/// log N(y_i; μ_ik, Σ_k) for every row and expert, by the Cholesky factors of
/// the Σ_k; throws moe::numerical_error when one is not positive definite.
/// Y: n×m;  means: n×m×K;  covariance: m×m×K;  result: n×K.
arma::mat mvn_log_density(const arma::mat& Y, const arma::cube& means, const arma::cube& covariance);

}  // namespace moe
