#pragma once
/// @file squarem.hpp
/// SQUAREM (Varadhan & Roland 2008, step scheme S3, with their adaptive bound
/// on the step): extrapolation that speeds up a slow monotone fixed-point
/// iteration θ ↦ M(θ) such as EM, whose rate is the largest fraction of
/// missing information (local_rates.hpp). One accelerated step from θ0, in
/// pack()'s parameters:
///   θ1 = M(θ0),  θ2 = M(θ1),  r = θ1 − θ0,  v = θ2 − 2θ1 + θ0,
///   α = ‖r‖ / ‖v‖ clamped to [1, α_max],  θ' = θ0 + 2α r + α² v,
///   next = M(θ') when ℓ(θ') ≥ ℓ(θ1), else θ2.
/// α = 1 gives θ' = θ2 (two plain steps). Since M never lowers ℓ, neither does
/// the accelerated step: ℓ(next) ≥ ℓ(θ1) ≥ ℓ(θ0). α_max starts at 1, grows ×4
/// each time α reaches it, and shrinks ×4 (not below 1) when θ' is rejected.
/// Each step costs three E-steps and three M-steps.

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "moe/error.hpp"
#include "moe/estimator.hpp"

namespace moe {

/// The accelerated step around `map` for any model type M: `evaluate` gives
/// ℓ at a model (and prepares whatever `map` reads of its E-step; it may throw
/// moe::numerical_error, which counts as a rejection), `pack` and `unpack`
/// move between a model and its parameter vector (unpack(shape, θ)). Keeps
/// α_max between calls.
template <typename M>
std::function<M(const M&)> squarem(std::function<M(const M&)> map, std::function<double(const M&)> evaluate,
                                   std::function<arma::vec(const M&)> pack,
                                   std::function<M(const M&, const arma::vec&)> unpack) {
  auto alpha_max = std::make_shared<double>(1.0);
  return [=](const M& current) {
    const M first = map(current);
    const double first_loglik = evaluate(first);
    const M second = map(first);
    const arma::vec theta = pack(current), r = pack(first) - theta, v = pack(second) - pack(first) - r;
    const double v_norm = arma::norm(v);
    if (!(v_norm > 0.0) || !std::isfinite(first_loglik)) return second;
    const double alpha = std::clamp(arma::norm(r) / v_norm, 1.0, *alpha_max);
    if (alpha == *alpha_max) *alpha_max *= 4.0;
    if (alpha == 1.0) return second;
    const arma::vec target = theta + 2.0 * alpha * r + alpha * alpha * v;
    const M extrapolated = unpack(current, target);
    bool acceptable = target.is_finite();
    if (acceptable) try {
        const double loglik = evaluate(extrapolated);
        acceptable = std::isfinite(loglik) && loglik >= first_loglik;
      } catch (const numerical_error&) {
        acceptable = false;
      }
    if (!acceptable) {
      *alpha_max = std::max(1.0, *alpha_max / 4.0);
      return second;
    }
    return map(extrapolated);
  };
}

/// The accelerated step around `map`, a Step that reads the E-step of its
/// input from `posterior` (as EM's does); the step itself updates `posterior`
/// at θ1 and θ'. `posterior` must outlive it.
Step squarem(Step map, Posterior& posterior);

}  // namespace moe
