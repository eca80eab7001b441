#pragma once
/// @file polygamma.hpp
/// The derivatives of log Γ that the shapes of the negative binomial and gamma
/// experts need: by recurrence up to x ≥ 10, then the asymptotic series (error
/// below 1e-13 there).

namespace moe {

/// ψ(x) = d/dx log Γ(x), for x > 0.
double digamma(double x);

/// ψ'(x), for x > 0.
double trigamma(double x);

}  // namespace moe
