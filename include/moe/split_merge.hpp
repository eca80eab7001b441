#pragma once
/// @file split_merge.hpp
/// Split-and-merge moves (after Ueda, Nakano, Ghahramani & Hinton 2000) to
/// leave a local maximum of a K-expert fit: merge two experts that share their
/// rows, and split one in two, so that K stays the same. Candidates, best first:
///  - merges by the correlation of the two experts' responsibilities,
///    r_aᵀ r_b / (‖r_a‖ ‖r_b‖) (experts that explain the same rows);
///  - splits by the effective rows Σ_i w_i r_ik (the expert that covers the
///    most rows, merged experts included, is split first), each in two ways:
///    by the sign of the residuals of one expert refitted to its rows (two
///    experts on top of each other), and by its fitted mean above or below
///    the weighted median (two experts side by side along the covariates).
/// The search (search.hpp) runs a move from its responsibilities and keeps it
/// when ℓ rises.

#include <armadillo>
#include <vector>

namespace moe {

enum class SplitRule { residual_sign, fitted_median };

struct SplitMergeMove {
  arma::uword into = 0;   ///< expert that receives the merged rows
  arma::uword from = 0;   ///< expert merged into `into`; its slot takes half of the split
  arma::uword split = 0;  ///< expert split after the merge (may be `into`)
  SplitRule rule = SplitRule::residual_sign;
};

/// The first `limit` moves in the order above (both rules of a split in turn) for responsibilities R (n×K,
/// K ≥ 2) with row weights w (n, or empty: 1).
std::vector<SplitMergeMove> split_merge_moves(const arma::mat& R, const arma::vec& w, arma::uword limit);

/// The rows with weights w (n) in two halves by `rule`, given y and the fitted
/// mean `mu` (n) of one expert refitted to them, softened: 0.95 of a row's weight
/// to its side.  Result: n×2.
arma::mat split_rows(const arma::vec& w, const arma::vec& y, const arma::vec& mu, SplitRule rule);

/// R after merging column `from` into `into` (their sum in `into`, zero in
/// `from`): the column `split` of the result is what the move then splits.
arma::mat merged(const arma::mat& R, const SplitMergeMove& move);

}  // namespace moe
