#pragma once
/// @file multivariate_information.hpp
/// Observed-information standard errors of multivariate Gaussian experts
/// (multivariate.hpp). The working parameters θ are unconstrained: the
/// gate's q(K − 1) log-odds (expert by expert), every B_k (column by column),
/// then the structure's covariance parameters: VVV the lower triangle of each
/// Cholesky factor L_k (Σ_k = L_k L_kᵀ, column by column, its diagonal as
/// logs); EEE one such factor; VVI log diag(Σ_k) per expert; EEI log diag(Σ);
/// VII log λ_k; EII log λ. The gradient of ℓ in θ is analytic; the observed
/// information is minus the central differences of the gradient; standard
/// errors are reported for multivariate_parameters() (natural scale: the
/// covariances' entries) by the delta method.

#include <string>

#include "moe/local_rates.hpp"
#include "moe/multivariate.hpp"

namespace moe {

/// θ of a model (layout above).
arma::vec pack(const MultivariateModel& model);

/// The model of θ, with the shapes (K, p, m, q, structure) of `shape`.
MultivariateModel unpack(const arma::vec& theta, const MultivariateModel& shape);

/// ∇θ ℓ at `model` on `data`.
arma::vec gradient(const MultivariateModel& model, const MultivariateData& data);

/// ∇θ Q(θ | θ') at θ = `model`, where R (n×K) are the responsibilities of θ'
/// (EM's objective; at θ' = θ it is ∇θ ℓ, Fisher's identity).
arma::vec complete_gradient(const MultivariateModel& model, const MultivariateData& data, const arma::mat& R);

/// I_obs = −∇²θ ℓ, by central differences of gradient().
arma::mat observed_information(const MultivariateModel& model, const MultivariateData& data);

/// I_c = −∇²θ Q(θ | θ') at θ = θ' = `model`, by central differences of complete_gradient().
arma::mat complete_information(const MultivariateModel& model, const MultivariateData& data);

/// How fast EM and fixed-step gradient ascent on ℓ/n (in θ) converge near
/// `model`, a maximum of ℓ (local_rates.hpp), from I_obs and I_c above; the
/// blocks of the slowest direction are the gate, each expert (its B_k and
/// its own covariance parameters) and a shared covariance.
LocalRates local_rates(const MultivariateModel& model, const MultivariateData& data);

struct MultivariateStandardErrors {
  bool valid = false;   ///< false when the observed information is not positive definite
  std::string note;     ///< why not, when not valid
  arma::mat covariance; ///< of multivariate_parameters(), by the delta method
  arma::vec se;         ///< the square roots of its diagonal (NaN when not valid)
};

/// The observed-information standard errors of a fit (`model` at a maximum of ℓ on `data`).
MultivariateStandardErrors standard_errors(const MultivariateModel& model, const MultivariateData& data);

}  // namespace moe
