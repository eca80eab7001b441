#pragma once
/// @file grouping.hpp
/// Rows in groups (Dataset::group): all rows of a group belong to one expert,
/// so the E-step pools each group's rows, r_gk ∝ π_k(z_g) ∏_{i∈g} f_k(y_i | x_i),
/// and ℓ = Σ_g log Σ_k π_k(z_g) ∏_{i∈g} f_k(y_i | x_i). Every row of a group
/// then carries its group's responsibilities, so the experts' M-step and
/// gradient run on rows unchanged; the gate's objective counts each group once
/// (Dataset::group_weighted).

#include <armadillo>

#include "moe/data.hpp"
#include "moe/kernels.hpp"

namespace moe {

/// Σ_{i∈g} M_i for every group g of grouped data.  Result: G×K;  M: n×K.
arma::mat group_sums(const arma::mat& M, const Dataset& data);

/// The E-step from the gate's log-probabilities and the experts'
/// log-densities of every row (both n×K): sets R (n×K; with groups, a group's
/// rows hold its r_g) and returns ℓ (weighted, or over groups).
double e_step(const Dataset& data, const arma::mat& log_gate, const arma::mat& log_density,
              const Kernels& kernels, arma::mat& R);

/// R with each row replaced by the mean of its group's rows (R itself when
/// not grouped): responsibilities that a group's rows share, e.g. for a start
/// drawn row by row.  R: n×K.
arma::mat pooled_by_group(const arma::mat& R, const Dataset& data);

}  // namespace moe
