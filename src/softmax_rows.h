#pragma once
// Internal: the reference row softmax of the CPU backends (the dense
// kernels.hpp and nn's layer_kernels.hpp), for double and float.

#include <algorithm>
#include <armadillo>
#include <cmath>

#include "moe/flushed_exp.hpp"

namespace moe {

// lse(i) = log Σ_j exp(A(i, j)),  P(i, j) = exp(A(i, j) − lse(i)).
// Column by column (contiguous), one exp per entry: lse holds the row maxima
// until the last pass.
template <class eT>
void row_softmax_of(arma::Mat<eT>& P, arma::Col<eT>& lse, const arma::Mat<eT>& A) {
  const arma::uword n = A.n_rows, K = A.n_cols;
  P.set_size(n, K);
  lse.set_size(n);
  if (K == 0) {
    lse.fill(-arma::Datum<eT>::inf);
    return;
  }
  eT* top = lse.memptr();
  std::copy(A.colptr(0), A.colptr(0) + n, top);
  for (arma::uword k = 1; k < K; ++k) {
    const eT* a = A.colptr(k);
    for (arma::uword i = 0; i < n; ++i) top[i] = std::max(top[i], a[i]);
  }
  arma::Col<eT> total(n, arma::fill::zeros);
  eT* sum = total.memptr();
  for (arma::uword k = 0; k < K; ++k) {
    const eT* a = A.colptr(k);
    eT* p = P.colptr(k);
    for (arma::uword i = 0; i < n; ++i) sum[i] += p[i] = flushed_exp(a[i] - top[i]);
  }
  for (arma::uword k = 0; k < K; ++k) {
    eT* p = P.colptr(k);
    for (arma::uword i = 0; i < n; ++i) p[i] /= sum[i];
  }
  for (arma::uword i = 0; i < n; ++i) top[i] += std::log(sum[i]);
}

}  // namespace moe
