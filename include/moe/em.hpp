#pragma once
/// @file em.hpp
/// The EM estimator for gated mixtures of experts, a policy object configured by
/// EMOptions. E-step: responsibilities from the log-space joint. M-step: experts
/// (expert_mstep.hpp) and gate (gate_mstep.hpp). ℓ never decreases; the Trace
/// records every iteration and flags any decrease beyond round-off.

#include "moe/estimator.hpp"
#include "moe/expert_mstep.hpp"
#include "moe/gate_mstep.hpp"

namespace moe {

struct EMOptions {
  IterationControl control;
  bool exact_gate = true;      ///< Newton to convergence; false: one step (generalized EM)
  GateNewtonOptions gate;      ///< gate M-step (max_iter forced to 1 when !exact_gate)
  ExpertMStepOptions experts;  ///< expert M-step (variance_floor set from the next field)
  double relative_variance_floor = 1e-5;  ///< σ_k² ≥ this · var(y) (Gaussian experts)
  bool squarem = false;        ///< accelerate the iteration by SQUAREM (squarem.hpp)
};

class EM {
 public:
  explicit EM(EMOptions options = {});

  /// Fits K experts of `family` by the search over starts (search.hpp).
  /// Validates the data first (std::invalid_argument on bad input).
  Fit fit(const Dataset& data, arma::uword K, Family family, bool common_sigma = false) const;

  /// One EM run from given parameters.
  Fit fit_from(const Dataset& data, const Model& start) const;

  /// The starting model of start `s` as the search first draws it: responsibilities
  /// from control.init's strategy for s (seeded by control.seed and s), then one M-step.
  Model initial_model(const Dataset& data, arma::uword K, Family family, bool common_sigma,
                      arma::uword s) const;

  /// The model one M-step makes from given responsibilities R (n×K), starting
  /// from a uniform gate (e.g. to start where another program starts); with
  /// groups, each group's rows take the mean of theirs (grouping.hpp). With
  /// the data's point mass, R's last column is its (point_mass.hpp), moved
  /// off the rows whose y it cannot be.
  Model model_from(const Dataset& data, const arma::mat& R, Family family, bool common_sigma) const;

  /// The M-step for given expert statistics and gate targets T (n×K):
  /// experts by update_experts, gate by maximizing Σ_ik T_ik log π_k(z_i).
  /// `curvature`: the gate's Hessian carried between the M-steps of a run
  /// (targets whose rows sum to 1), or null.
  Model m_step(const Dataset& data, const ExpertStatistics& stats, const arma::mat& gate_targets,
               const Model& current, GateCurvature* curvature = nullptr) const;

  /// EM's M-step for responsibilities R.
  Model m_step(const Dataset& data, const arma::mat& R, const Model& current) const;

  const EMOptions& options() const { return options_; }

  /// options.experts with the variance floor for the data's y (absolute:
  /// relative_variance_floor · var(y)).
  ExpertMStepOptions expert_options(const Dataset& data) const;

 private:
  Model m_step(const ExpertSums& experts, GateSums& gate, const ExpertMStepOptions& expert_options,
               const Model& current, GateCurvature* curvature = nullptr) const;
  /// Binomial and Poisson experts' first coefficients for responsibilities R (n×K).
  arma::mat working_start(const Dataset& data, const arma::mat& R, Family family) const;
  /// One EM run from `start` on the posterior of the kernels (start index s).
  Fit run(const Dataset& data, Model start, arma::uword s) const;
  /// The run `head` (from start s) continued to the end: to convergence or
  /// max_iter iterations in all; ‖∇ℓ‖ recorded when the control and
  /// `record_gradient` both say so.
  Fit resume(const Dataset& data, const Fit& head, arma::uword s, bool record_gradient) const;

  EMOptions options_;
};

/// Checks that `start` has the designs' sizes; `who` names the caller.
void validate_start(const Dataset& data, const Model& start, const char* who);

}  // namespace moe
