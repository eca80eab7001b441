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

#include <functional>
#include <optional>
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

/// The state a step rule carries from one iteration to the next.
struct StepRuleState {
  double armijo_step = 0.0;  ///< the last accepted Armijo step
  arma::vec m, v;            ///< Adam's moments
  double t = 0.0;            ///< Adam's updates so far
};

/// θ + Δ for the gradient g of ℓ/n under a fixed step or Adam (options.rule
/// not armijo), for the parameters of any model.
arma::vec ascend(const arma::vec& theta, const arma::vec& g, const GradientOptions& options, StepRuleState& state);

/// Armijo backtracking on an objective f (ℓ/n) from θ, where it is `f_theta`,
/// along its gradient g: steps from twice the last accepted one (the first
/// time options.step) halved until f(θ + t g) ≥ f_theta + c t ‖g‖²; nothing
/// when no step of at least 1e-12 gives that increase.
std::optional<arma::vec> armijo_ascent(const arma::vec& theta, const arma::vec& g, double f_theta,
                                       const std::function<double(const arma::vec&)>& f,
                                       const GradientOptions& options, StepRuleState& state);

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
