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

#include "moe/estimator.hpp"

namespace moe {

/// The accelerated step around `map`, a Step that reads the E-step of its
/// input from `posterior` (as EM's does); the step itself updates `posterior`
/// at θ1 and θ'. Keeps α_max between calls. `posterior` must outlive it.
Step squarem(Step map, Posterior& posterior);

}  // namespace moe
