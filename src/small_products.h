#pragma once
// The dense products of the row-wise passes, A·B and Aᵀ·B, computed in plain
// loops when they are small (a design of a few columns and K experts over a
// few thousand rows): there a BLAS call costs more than its arithmetic, and
// OpenBLAS's level-3 calls take a process-wide lock on their buffers, which
// the search's threads, each running a fit, then wait on. Larger products go
// to BLAS. The choice depends on the shapes alone, so no result depends on the
// number of threads.
#include <armadillo>

namespace moe {

/// Multiply-adds up to which a product is computed in loops.
constexpr arma::uword small_product_limit = arma::uword{1} << 14;

/// A·B (n×p times p×m).
template <class MatA>
arma::mat product(const MatA& a, const arma::mat& b) {
  if (a.n_rows * a.n_cols * b.n_cols > small_product_limit) return arma::mat(a * b);
  arma::mat out(a.n_rows, b.n_cols, arma::fill::zeros);
  for (arma::uword k = 0; k < b.n_cols; ++k) {
    double* to = out.colptr(k);
    for (arma::uword j = 0; j < a.n_cols; ++j) {
      const double* from = a.colptr(j);
      const double scale = b(j, k);
      for (arma::uword i = 0; i < a.n_rows; ++i) to[i] += scale * from[i];
    }
  }
  return out;
}

/// Aᵀ·B (A n×p, B n×m): each entry a sum over the rows in four interleaved
/// parts (independent additions, for speed), added in a fixed order.
template <class MatA, class MatB>
arma::mat transposed_product(const MatA& a, const MatB& b) {
  if (a.n_rows * a.n_cols * b.n_cols > small_product_limit) return arma::mat(a.t() * b);
  const arma::uword n = a.n_rows;
  arma::mat out(a.n_cols, b.n_cols);
  for (arma::uword k = 0; k < b.n_cols; ++k) {
    const double* y = b.colptr(k);
    for (arma::uword j = 0; j < a.n_cols; ++j) {
      const double* x = a.colptr(j);
      double s[4] = {0.0, 0.0, 0.0, 0.0};
      arma::uword i = 0;
      for (; i + 4 <= n; i += 4)
        for (int r = 0; r < 4; ++r) s[r] += x[i + r] * y[i + r];
      for (; i < n; ++i) s[0] += x[i] * y[i];
      out(j, k) = (s[0] + s[1]) + (s[2] + s[3]);
    }
  }
  return out;
}

}  // namespace moe
