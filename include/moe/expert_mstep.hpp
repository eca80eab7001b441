#pragma once
/// @file expert_mstep.hpp
/// The experts' M-step from expected sufficient statistics. For observation i
/// and expert k the statistics are a weight w_ik and the weighted first and
/// second moments of y, s1_ik = w_ik E[y], s2_ik = w_ik E[y²]:
///  - EM uses the posterior: w = r_ik, s1 = r_ik y_i, s2 = r_ik y_i²; with
///    binomial trials m_i the weight is r_ik m_i (the canonical M-step then
///    maximizes Σ_i s1 η − w b(η), the binomial log-likelihood in β);
///  - mirror descent blends them with the model's own (see mirror.hpp).
/// The M-step maximizes Σ_ik E_w[log f_k(y | x_i)] for every expert at once:
///  - Gaussian: weighted least squares (Xᵀ W_k X) β_k = Xᵀ s1_k by batched
///    Cholesky; σ_k² = Σ_i (s2 − 2 s1 x·β_k + w (x·β_k)²) / Σ_i w, with a floor;
///  - logistic and Poisson: IRLS (Newton) warm-started at the current β_k, each
///    step halved until it does not lower that expert's objective; it stops when
///    no expert's step can gain more than round-off (half the Newton decrement
///    below 1e-14 of the objective) or the steps are below irls_tol;
///  - negative binomial and gamma (shape_family.hpp): the same Newton steps in
///    β at the current shapes s_k (sizes θ_k, shapes ν_k), then Newton steps in
///    log s_k (each halved until it does not lower the objective; s kept in
///    the family's range), which need EM's statistics;
///  - Student's t (student_t.hpp): the EM step of its scale-mixture
///    representation (least squares with weights w u, σ² from them), then
///    one Newton step in log ν_k as for the shapes, unless ν is given
///    (Experts::shape_fixed); EM's statistics too;
///  - multinomial (multinomial.hpp): each expert's weighted multinomial logit
///    by the gate's Newton solver (gate_mstep.hpp); EM's statistics too.
/// An expert whose total weight is (near) zero keeps its parameters, as a
/// point mass (point_mass.hpp) always does.

#include "moe/expert_sums.hpp"

namespace moe {

/// EM's statistics: the data y weighted by the responsibilities R (n×K), the
/// weights times the binomial trials when `trials` is not empty.
ExpertStatistics posterior_statistics(const arma::mat& R, const arma::vec& y, const arma::vec& trials = {});

/// The statistics the experts themselves expect at X (with offsets and
/// binomial trials, each n or empty) when expert k is chosen with probability
/// Pi(i, k): w = π (π m with trials), s1 = π E_k[y], s2 = π E_k[y²].
ExpertStatistics model_statistics(const Experts& experts, const arma::mat& X, const arma::mat& Pi,
                                  const arma::vec& offset = {}, const arma::vec& trials = {});

/// η·a + (1 − η)·b, statistic by statistic; at η = 1, a itself (with its
/// response: EM's statistics), else without a response.
ExpertStatistics blend(const ExpertStatistics& a, const ExpertStatistics& b, double eta);

struct ExpertMStepOptions {
  double ridge = 1e-13;         ///< added to each Gram diagonal entry, relative to that entry
  double variance_floor = 0.0;  ///< lower bound on σ_k² (absolute)
  arma::uword irls_max = 25;    ///< Newton steps for logistic and Poisson experts
  double irls_tol = 1e-10;      ///< stop when max |Δβ| ≤ irls_tol·(1 + max |β|)
  double min_weight = 1e-8;     ///< experts with Σ_i w_ik below this keep their parameters
  double fixed_nu = 0.0;        ///< t experts: every ν_k held at this value (> 0); 0: ν_k estimated
};

/// Σ_i E_w[log f_k(y | x_i)] for every expert (Poisson: up to Σ_i w log y!,
/// which no parameter changes).  Result: 1×K.
arma::rowvec expert_objectives(const Experts& experts, const arma::mat& X,
                               const ExpertStatistics& stats);

/// Replaces the experts' parameters with the M-step maximizers (exact for
/// Gaussian experts; after at most irls_max Newton steps for the others),
/// from the sums of the data (expert_sums.hpp); `kernels` solve the normal
/// equations. Throws moe::numerical_error (leaving `experts` unchanged) when a
/// weighted Gram matrix cannot be factorized.
void update_experts(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options = {},
                    const Kernels& kernels = cpu_kernels());

/// The same on the host, from X (n×p) and the statistics.
void update_experts(Experts& experts, const arma::mat& X, const ExpertStatistics& stats,
                    const ExpertMStepOptions& options = {},
                    const Kernels& kernels = cpu_kernels());

}  // namespace moe
