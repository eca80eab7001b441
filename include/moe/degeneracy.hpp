#pragma once
/// @file degeneracy.hpp
/// Starts and fits that EM cannot leave or that are not a proper maximum:
///  - two experts that coincide are a fixed point of EM (the gradient in their
///    difference is zero), so a start with identical experts never separates them;
///  - an expert with fewer effective rows Σ_i w_i r_ik than parameters (to the
///    nearest whole row) is not identified (a Gaussian one then sits on its
///    variance floor).
/// The search (search.hpp) redraws such starts and does not return such fits
/// when it has another.

#include <armadillo>
#include <string>

#include "moe/data.hpp"
#include "moe/model.hpp"

namespace moe {

/// The first pair of experts j < k whose parameters (coefficients, and log σ
/// for Gaussian experts) satisfy ‖θ_j − θ_k‖ ≤ tol·(1 + ‖θ_k‖), as "experts j
/// and k coincide" (1-based), or "".
std::string coinciding_experts(const Experts& experts, double tol = 1e-6);

/// Why `model` with responsibilities R (n×K, rows summing to 1) on `data` is
/// degenerate: coinciding_experts(), or "expert k has E effective rows for P
/// parameters" when E < P − 1/2; "" when it is not.
std::string degeneracy(const Model& model, const Dataset& data, const arma::mat& R);

}  // namespace moe
