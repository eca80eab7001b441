#pragma once
/// @file gradient.hpp
/// Gradient ascent on ℓ/n over all parameters jointly, θ = pack(model): the free
/// gate columns, the expert coefficients and log σ. Step rules: a fixed step,
/// Armijo backtracking, or Adam; full batch, or mini-batches (one iteration =
/// one pass over the data, in an order drawn from the seed).
///
/// Gradient EM (one gradient step on the M-step objective Q(· | θ_t) per
/// iteration) is the fixed-step rule: ∇Q(θ | θ_t) at θ = θ_t equals ∇ℓ(θ_t)
/// (Fisher's identity), so the two iterations coincide.

#include <string>

#include "moe/em.hpp"

namespace moe {

enum class StepRule { fixed, armijo, adam };

/// "fixed", "armijo", "adam"; throws std::invalid_argument otherwise.
StepRule parse_step_rule(const std::string& name);
std::string to_string(StepRule rule);

struct GradientOptions {
  IterationControl control;
  StepRule rule = StepRule::armijo;
  double step = 1.0;          ///< fixed step, first Armijo trial, or Adam's learning rate (on ℓ/n)
  arma::uword batch_size = 0;  ///< 0: full batch
  double armijo_c = 1e-4;     ///< sufficient increase: ℓ/n rises by ≥ c·t·‖g‖²
  double adam_beta1 = 0.9;
  double adam_beta2 = 0.999;
  double adam_epsilon = 1e-8;
  double fixed_nu = 0.0;      ///< t experts: every ν_k held at this value (ExpertMStepOptions::fixed_nu); 0: estimated
};

class GradientAscent {
 public:
  explicit GradientAscent(GradientOptions options = {});

  /// Starts are made as EM's (initial responsibilities, then one M-step).
  Fit fit(const Dataset& data, arma::uword K, Family family, bool common_sigma = false) const;
  Fit fit_from(const Dataset& data, const Model& start) const;

 private:
  /// The step of start `start`, reading the responsibilities from `posterior`.
  Step make_step(const Dataset& data, const HostPosterior& posterior, arma::uword start) const;
  /// One run from `start` (start index s); ‖∇ℓ‖ recorded when the control and
  /// `record_gradient` both say so.
  Fit run(const Dataset& data, Model start, arma::uword s, bool record_gradient = true) const;

  GradientOptions options_;
  EM initializer_;
};

}  // namespace moe
