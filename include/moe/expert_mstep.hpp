#pragma once
/// @file expert_mstep.hpp
/// The experts' M-step: for responsibilities R (n×K), maximize
/// Σ_i r_ik log f_k(y_i | x_i) for every expert k at once.
///  - Gaussian: weighted least squares, (Xᵀ R_k X) β_k = Xᵀ R_k y by batched
///    Cholesky; σ_k² = Σ r_ik (y_i − x_i β_k)² / Σ r_ik, with a floor.
///  - Logistic: IRLS (Newton) warm-started at the current β_k, each step halved
///    until it does not lower that expert's objective.
/// An expert whose total responsibility is (near) zero keeps its parameters.

#include <armadillo>

#include "moe/data.hpp"
#include "moe/experts.hpp"
#include "moe/kernels.hpp"

namespace moe {

struct ExpertMStepOptions {
  double ridge = 1e-10;         ///< added to each Gram diagonal, relative to its mean
  double variance_floor = 0.0;  ///< lower bound on σ_k² (absolute)
  arma::uword irls_max = 25;    ///< Newton steps for logistic experts (1 = gradient-EM-like)
  double irls_tol = 1e-10;      ///< stop when max |Δβ| ≤ irls_tol·(1 + max |β|)
  double min_weight = 1e-8;     ///< experts with Σ_i r_ik below this keep their parameters
};

/// Σ_i r_ik log f_k(y_i | x_i) for every expert.  Result: 1×K.
arma::rowvec expert_objectives(const Experts& experts, const Dataset& data, const arma::mat& R);

/// Replaces the experts' parameters with the M-step maximizers (exact for
/// Gaussian experts; after at most irls_max Newton steps for logistic ones).
/// Throws moe::numerical_error (leaving `experts` unchanged) when a weighted
/// Gram matrix cannot be factorized.
void update_experts(Experts& experts, const Dataset& data, const arma::mat& R,
                    const ExpertMStepOptions& options = {},
                    const Kernels& kernels = cpu_kernels());

}  // namespace moe
