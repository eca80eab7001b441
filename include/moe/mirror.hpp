#pragma once
/// @file mirror.hpp
/// Mirror descent on ℓ with the complete-data KL divergence as the Bregman
/// term (Fruytier, Mokhtari, Sanghavi 2024): EM is the step η = 1. A step of
/// size η moves the expected sufficient statistics of the complete data a
/// fraction η from the model's own towards the posterior's, then solves the
/// M-step for them:
///   gate targets  T = η R + (1 − η) Π(θ_t),
///   expert stats  S = η S_post(R, y) + (1 − η) S_model(θ_t),
/// i.e. θ_{t+1} = argmax_θ η Q(θ | θ_t) + (1 − η) Σ_i E_{θ_t}[log p_θ(k, y | x_i)].
/// η = 1 reproduces EM's iterates exactly; η < 1 takes shorter, damped steps.

#include "moe/em.hpp"

namespace moe {

/// What a mirror step of size η from a model with responsibilities R
/// maximizes: the gate's targets T and the experts' statistics S above, both
/// scaled by the data's frequency weights (as EM::m_step takes them).
struct MirrorObjective {
  arma::mat targets;
  ExpertStatistics stats;
};

MirrorObjective mirror_objective(const Dataset& data, const Model& current, const arma::mat& R, double eta,
                                 const Kernels& kernels = cpu_kernels());

struct MirrorOptions {
  double step = 0.5;  ///< η in (0, 1]
  EMOptions em;       ///< control and M-step options
};

class MirrorDescent {
 public:
  explicit MirrorDescent(MirrorOptions options = {});

  Fit fit(const Dataset& data, arma::uword K, Family family, bool common_sigma = false) const;
  Fit fit_from(const Dataset& data, const Model& start) const;

  /// Whether mirror descent takes experts of `family`: not negbin, gamma, t
  /// or multinomial ones, whose M-steps need the observed y (their shapes,
  /// scale weights, levels), which the model's own statistics, blended with
  /// the data's, do not have.
  static bool takes(Family family);

  /// Throws std::invalid_argument, saying why, unless takes(family).
  static void require_family(Family family);

  /// One mirror step from `current`, whose responsibilities are R;
  /// `curvature` as for EM::m_step.
  Model step(const Dataset& data, const Model& current, const arma::mat& R,
             GateCurvature* curvature = nullptr) const;

 private:
  /// One run from `start` (start index s); ‖∇ℓ‖ recorded when the control and
  /// `record_gradient` both say so.
  Fit run(const Dataset& data, Model start, arma::uword s, bool record_gradient = true) const;

  MirrorOptions options_;
  EM em_;
};

}  // namespace moe
