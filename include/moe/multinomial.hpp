#pragma once
/// @file multinomial.hpp
/// Multinomial (categorical) experts: y_i is a level 0, ..., C − 1 and expert k
/// is a multinomial logit with level 0 as the reference,
///   P(y = c | x, k) = exp(x·b_kc) / Σ_d exp(x·b_kd),  b_k0 = 0,
/// as nnet::multinom and flexmix's FLXMRmultinom write it. Experts::coef holds
/// vec(B_k) in column k, B_k = [b_k1 ... b_k,C−1] (p×(C−1)): nnet's coefficient
/// matrix transposed. Each expert is the gate's softmax (gate.hpp) over the C
/// levels, with X for Z and level 0 moved to the gate's reference column (the
/// last): its M-step is the gate's weighted Newton solver (gate_mstep.hpp)
/// with targets w_ik 1{y_i = c}.

#include <armadillo>

#include "moe/experts.hpp"
#include "moe/gate.hpp"

namespace moe {

/// The levels C of a response: the largest level + 1.  y: whole numbers ≥ 0.
arma::uword count_levels(const arma::vec& y);

/// Expert k of multinomial experts as a softmax gate over the levels: p×C, its
/// columns b_k1, ..., b_k,C−1 and then level 0's zeros.
Gate level_gate(const Experts& experts, arma::uword k);

/// Sets expert k's coefficients from such a gate (whose last column is zero).
void set_level_gate(Experts& experts, arma::uword k, const Gate& gate);

/// The gate's column of every level: c − 1 for c ≥ 1, C − 1 for level 0.
/// y: n levels;  result: n.
arma::uvec level_columns(const arma::vec& y, arma::uword levels);

/// Targets w_i 1{y_i = c} in the columns of level_gate().  y, w: n;  result: n×C.
arma::mat level_targets(const arma::vec& y, const arma::vec& w, arma::uword levels);

/// log P(y_i | x_i, k) of every row and expert: −∞ where y_i is below 0 or
/// at least C (not one of the experts' levels), NaN where y_i is NaN.
/// X: n×p;  result: n×K.
arma::mat multinomial_log_density(const Experts& experts, const arma::mat& X, const arma::vec& y);

/// P(y = c | x_i, k) for every row, level c (in level order) and expert:
/// slice k is expert k's n×C.
arma::cube level_probabilities(const Experts& experts, const arma::mat& X);

/// ∂/∂η of Σ_i W_ik log P(y_i | x_i, k) with η_ikc = x_i·b_kc, for the levels
/// c ≥ 1: W_ik (1{y_i = c} − P(y_i = c | x_i, k)), expert k's levels in columns
/// k(C − 1), ..., k(C − 1) + C − 2 (so that Xᵀ times it, reshaped, is laid out
/// as Experts::coef).  W: n×K weights;  result: n×K(C − 1).
arma::mat multinomial_eta_scores(const Experts& experts, const arma::mat& X, const arma::vec& y, const arma::mat& W);

/// The probability-weighted level number Σ_c c P(y = c | x_i, k) and its
/// standard deviation, of expert k: a fitted value that the search's
/// residual-based starts and split moves split on (levels are not ordered,
/// but rows above and below it differ in their level).  Each n.
void level_number_moments(arma::vec& mean, arma::vec& sd, const Experts& experts, const arma::mat& X,
                          arma::uword k);

}  // namespace moe
