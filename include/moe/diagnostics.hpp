#pragma once
/// @file diagnostics.hpp
/// What a Trace says about how a fit converged: when it came within a relative
/// tolerance of the best ℓ known (from any method), its empirical linear rate,
/// ℓ decreases; and an estimate of the signal-to-noise ratio of a model, which
/// governs EM's rate (Fruytier, Mokhtari, Sanghavi 2024).

#include <armadillo>
#include <string>

#include "moe/model.hpp"
#include "moe/trace.hpp"

namespace moe {

struct Diagnostics {
  arma::uword iterations = 0;
  double seconds = 0.0;
  double final_loglik = 0.0;
  bool reached_target = false;         ///< ℓ came within rel·|best| of best
  arma::uword iterations_to_target = 0;  ///< first such iteration (when reached)
  double seconds_to_target = arma::datum::nan;
  double linear_rate = arma::datum::nan;  ///< median of (ℓ* − ℓ_{t+1}) / (ℓ* − ℓ_t)
  arma::uword decreases = 0;           ///< iterations where ℓ fell beyond round-off
};

/// Diagnostics of `trace` against `best_loglik` (ℓ*). The linear rate uses the
/// gaps ℓ* − ℓ_t above 1e-9·|ℓ*| (below that, round-off dominates); NaN when
/// fewer than two such gaps exist.
Diagnostics diagnose(const Trace& trace, double best_loglik, double rel = 1e-6);

/// SNR of a model at designs X (and the experts' offsets): the smallest, over pairs of experts, root mean
/// square difference of their linear predictors x·(β_k − β_j) in units of the
/// noise: √((σ_k² + σ_j²)/2) for Gaussian experts, π/√3 (the standard
/// deviation of the logistic latent noise) for logistic ones, and for Poisson
/// ones 1/√μ_i at each observation (the delta-method standard deviation of
/// log y, with μ_i the mean of the two experts' means there), that is
/// √(mean_i (η_ik − η_ij)² μ_i). The means count row i `weights`(i) times
/// (frequency weights; every row once when empty). +∞ when K = 1.
double snr_estimate(const Model& model, const arma::mat& X, const arma::vec& offset = {},
                    const arma::vec& weights = {});

/// glm's warning when fitted means reach the family's boundary at designs X
/// and offsets, or "" when they do not: logistic probabilities within 10 ε of 0
/// or 1 (|log-odds| > 33.7: an expert's classes may be perfectly separated),
/// Poisson rates below 1e-13 (log-rate < −30: an expert's counts may all be 0
/// where it is chosen; glm's 10 ε is rarely reached, as IRLS stops earlier). Either way the likelihood is then maximal only at
/// infinite coefficients. Never for Gaussian experts.
std::string boundary_warning(const Model& model, const arma::mat& X, const arma::vec& offset = {});

/// The gate's separation warning at gate designs Z (n×q), or "" when there is
/// none: the experts fall into groups that share no row (an expert has no
/// share of a row where its gate probability is below e^−15 = 3e-7; two
/// experts that share a row are in one group). Each group's probability is
/// then numerically 0 or 1 at every row, and a hard boundary cuts its rows from
/// the others', which EM sharpens without end: the gate's coefficients grow
/// without bound and ℓ approaches a supremum (as an expert's separated
/// classes, boundary_warning()). A group may hold several experts, soft among
/// themselves (on mcycle, K = 4 quadratic experts, {1, 3} and {2, 4}). Groups
/// that share only the rows of one gate design (a boundary through a value of
/// the covariates, often a tied one, whose rows stay soft however sharp the
/// gate: on mcycle, a time with two rows) are split as well. At a finite
/// maximum the rows near a boundary keep soft gate probabilities, at several
/// values of the covariates.
/// Experts present at no row are left out. Never without gate covariates
/// (q < 2) or with one expert.
std::string gate_separation_warning(const Model& model, const arma::mat& Z);

/// Both warnings above on `data` (the experts' at its X and offset, the gate's
/// at its Z), "; " between them, or "" when neither fires. A fit with one is at
/// a boundary of the parameter space, where ℓ has a supremum and no maximum:
/// no standard errors nor local rates describe it (at_boundary_note).
std::string boundary_warnings(const Model& model, const Dataset& data);

/// Why a fit with boundary_warnings() has no standard errors nor local rates.
inline constexpr const char* at_boundary_note =
    "the fit is at a boundary of the parameter space (see the warning), where the log-likelihood approaches a "
    "supremum and has no maximum";

}  // namespace moe
