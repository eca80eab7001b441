#pragma once
// Internal to the library (CPU and CUDA backends): weighted Gram matrices
// through the products of column pairs. For a design X (n×p), row i of its pair
// matrix holds x_ia·x_ib for the p(p+1)/2 pairs b ≤ a, numbered column by column
// down the lower triangle; then Σ_i w_ij x_i x_iᵀ, for all weight columns j at
// once, has its distinct entries in (pairs)ᵀ W.

#include <armadillo>

namespace moe {

/// The m symmetric p×p matrices whose distinct entries are the columns of
/// `half` (p(p+1)/2 × m), in the pair order above.
inline arma::cube symmetric_from_pairs(const arma::mat& half, arma::uword p) {
  arma::cube out(p, p, half.n_cols);
  for (arma::uword j = 0; j < half.n_cols; ++j) {
    arma::uword pair = 0;
    for (arma::uword b = 0; b < p; ++b)
      for (arma::uword a = b; a < p; ++a, ++pair) out(a, b, j) = out(b, a, j) = half(pair, j);
  }
  return out;
}

}  // namespace moe
