#pragma once
/// @file local_rates.hpp
/// How fast each estimator converges near a maximum θ* of ℓ, predicted from
/// information matrices at θ*: why EM is fast when the experts are well
/// separated and slow when they overlap, and why gradient ascent is slow when
/// the information is ill-conditioned.
///
/// Near θ* every iteration here is a linear map on the error, θ_{t+1} − θ* ≈
/// J (θ_t − θ*), and the error shrinks by the spectral radius ρ(J) per
/// iteration; ℓ's gap ℓ* − ℓ_t, a quadratic form in the error, by ρ².
///  - Mirror descent with step η (mirror.hpp) maximizes F = η Q(·|θ_t) + (1 − η)
///    Σ_i E_θt[log p_θ(k, y | x_i)]; with B_η = −∇²F at θ*,
///    J = I − η B_η⁻¹ I_obs. EM is η = 1, B_1 = I_c, the complete-data
///    information given the data (Dempster, Laird & Rubin 1977): ρ = the
///    largest eigenvalue of I_c⁻¹ (I_c − I_obs), the largest fraction of
///    missing information. GEM's one Newton step for the gate has the same J.
///  - Gradient ascent on ℓ/n with a fixed step s (n = Σ w_i):
///    J = I − s I_obs / n, in pack()'s parameters (log σ).
/// Adam, Armijo steps, mini-batches and SQUAREM have no fixed linear map: no prediction.

#include <string>
#include <vector>

#include "moe/expert_sums.hpp"
#include "moe/model.hpp"

namespace moe {

/// −∇²F with respect to pack(model) for an objective F = Σ_ik t_ik log π_k(z_i)
/// + Σ_k E_S[log f_k] given gate targets T (n×K) and expert statistics S, both
/// already scaled by the data's frequency weights (as mirror_objective() makes
/// them). With EM's T and S from the responsibilities of θ' it is −∇²Q(θ | θ')
/// at θ = model.  Result: d×d, d = pack(model).n_elem.
arma::mat complete_information(const Model& model, const Dataset& data, const arma::mat& targets,
                               const ExpertStatistics& stats, const Kernels& kernels = cpu_kernels());

/// The share of one block of parameters in a direction (LocalRates::slowest_direction).
struct DirectionShare {
  std::string block;  ///< "gate", "expert<k>" (coefficients and own log σ, k from 1), "sigma" (a common σ)
  double share = 0.0;
};

class LocalRates {
 public:
  /// The information matrices at `fit` (meant to be a maximum of ℓ on `data`).
  LocalRates(const Model& fit, const Dataset& data, const Kernels& kernels = cpu_kernels());
  /// The same with the observed information already known
  /// (observed_information(), e.g. from the standard errors).
  LocalRates(const Model& fit, const Dataset& data, const arma::mat& observed, const Kernels& kernels = cpu_kernels());
  /// The rates of any model from its information matrices at a maximum
  /// (experts of several responses: multivariate_information.hpp): I_obs,
  /// I_c (−∇²Q), the total weight n, and the blocks of slowest_direction()
  /// (their names, and each parameter's block). mirror(η) is NaN for η < 1.
  LocalRates(arma::mat observed, arma::mat complete, double total_weight, std::vector<std::string> block_names,
             arma::uvec block_of);

  /// False at a boundary (diagnostics.hpp's boundary_warnings: no maximum
  /// there), or when I_obs or I_c is not positive definite (not a strict
  /// maximum, or an expert without responsibility): then every rate is NaN.
  bool valid() const { return note_.empty(); }
  /// Why not valid; empty when valid.
  const std::string& note() const { return note_; }

  /// ρ of mirror descent with step η in (0, 1]; η = 1 gives EM's (and GEM's).
  /// NaN for η < 1 with negbin or gamma experts (mirror descent refuses them).
  double mirror(double eta) const;
  /// mirror(1), from the eigenvalues kept at construction.
  double em() const;
  /// Eigenvalues of I_c⁻¹ (I_c − I_obs), largest first: the fraction of the
  /// complete-data information missing along each of EM's directions.
  arma::vec missing_fractions() const;
  /// Where EM's slowest direction v (that of the largest missing fraction)
  /// lies: per block b of parameters, v_bᵀ I_c,bb v_b / Σ_b' v_b'ᵀ I_c,b'b' v_b',
  /// its share of v's complete-data information. I_c is block diagonal in the
  /// gate and the experts (a common σ couples the experts only through terms
  /// that vanish at a fixed point of EM), so the shares add up to vᵀ I_c v
  /// and do not depend on the units of the covariates or the response. They
  /// are normalized to add up to 1. Empty when not valid.
  std::vector<DirectionShare> slowest_direction() const;

  /// ρ of gradient ascent on ℓ/n with the fixed step `step` (> 2 / λ_max:
  /// ρ > 1, it diverges).
  double gradient(double step) const;
  /// The fixed step with the smallest ρ, 2 / (λ_min + λ_max) of I_obs / n;
  /// there ρ = (κ − 1) / (κ + 1) with κ the condition number.
  double best_gradient_step() const;

 private:
  /// Eigenvalues of B⁻¹ I_obs, ascending, and with `vectors` the eigenvectors,
  /// B-orthonormal (columns); empty when B is not positive definite.
  arma::vec relative_eigenvalues(const arma::mat& B, arma::mat* vectors = nullptr) const;
  /// The eigenvalues of EM and of gradient ascent from observed_ and
  /// posterior_, or the note that says why there are none.
  void decompose();

  arma::mat observed_, posterior_, model_;  // I_obs, −∇²F at η = 1 and at η = 0 (empty: negbin, gamma)
  arma::vec em_values_;                     // eigenvalues of I_c⁻¹ I_obs, ascending (empty: not valid)
  arma::mat em_vectors_;                    // their eigenvectors
  arma::vec gradient_values_;               // eigenvalues of I_obs / n, ascending (empty: not valid)
  std::vector<std::string> block_names_;    // the blocks of slowest_direction()
  arma::uvec block_of_;                     // the block of each parameter, in pack() order
  double total_weight_ = 0.0;
  std::string note_;
};

/// What a fit's summary reports, as ratios of successive gaps ℓ* − ℓ_t (ρ²,
/// the unit of Diagnostics::linear_rate); NaN where `rates` are not valid.
struct PredictedLinearRates {
  double method = arma::datum::nan;  ///< of the method that made the fit (its local_rate, squared)
  double em = arma::datum::nan;
  arma::vec missing_fractions;       ///< LocalRates::missing_fractions() (not squared)
  std::vector<DirectionShare> em_slowest_direction;  ///< LocalRates::slowest_direction()
  double gradient_best_step = arma::datum::nan;
  double gradient_best = arma::datum::nan;  ///< fixed-step gradient ascent at that step
};

/// The summary of `rates` for a fit by a method whose ρ there is `method_rate`.
PredictedLinearRates predicted_linear_rates(const LocalRates& rates, double method_rate);

}  // namespace moe
