#include "moe/kernels.hpp"

#include <algorithm>
#include <cmath>

#include <functional>
#include <vector>

#include "gram_pairs.h"
#include "small_products.h"
#include "parallel.h"
#include "softmax_rows.h"

namespace moe {
namespace {

// Σ_b part(first_b, last_b) (rows × cols each) over the blocks of `block` rows
// that cover 0..n−1, computed on the kernel threads and summed in block order,
// so that the sum does not depend on their number.
arma::mat summed_over_blocks(arma::uword n, arma::uword block, arma::uword rows, arma::uword cols,
                             const std::function<arma::mat(arma::uword, arma::uword)>& part) {
  std::vector<arma::mat> parts((n + block - 1) / block);
  for_row_blocks(n, block, [&](arma::uword first, arma::uword last) { parts[first / block] = part(first, last); });
  arma::mat total(rows, cols, arma::fill::zeros);
  for (const arma::mat& p : parts) total += p;
  return total;
}

class CpuKernels final : public Kernels {
 public:
  // All m weighted Grams from one product per block of rows, Kᵀ W, with K the
  // block's pair products (gram_pairs.h): only the p(p+1)/2 distinct entries,
  // and K does not depend on the weights (as on the CUDA backend).
  void weighted_gram(arma::cube& out, const arma::mat& X, const arma::mat& W) const override {
    const arma::uword p = X.n_cols, pairs = p * (p + 1) / 2;
    const arma::uword block = std::max<arma::uword>(256, (1u << 18) / std::max<arma::uword>(pairs, 1));
    const arma::mat half = summed_over_blocks(X.n_rows, block, pairs, W.n_cols, [&](arma::uword first, arma::uword last) {
      arma::mat K(last - first + 1, pairs);
      arma::uword pair = 0;
      for (arma::uword b = 0; b < p; ++b)
        for (arma::uword a = b; a < p; ++a, ++pair) K.col(pair) = X.col(a).subvec(first, last) % X.col(b).subvec(first, last);
      return transposed_product(K, W.rows(first, last));
    });
    out = symmetric_from_pairs(half, p);
  }

  void cross(arma::mat& out, const arma::mat& X, const arma::mat& W) const override {
    out = summed_over_blocks(X.n_rows, row_block, X.n_cols, W.n_cols, [&](arma::uword first, arma::uword last) {
      return transposed_product(X.rows(first, last), W.rows(first, last));
    });
  }

  bool spd_solve(arma::mat& out, const arma::cube& A, const arma::mat& B) const override {
    out.set_size(B.n_rows, B.n_cols);
    arma::mat upper;
    for (arma::uword j = 0; j < A.n_slices; ++j) {
      if (!arma::chol(upper, A.slice(j))) return false;
      arma::vec half = arma::solve(arma::trimatl(upper.t()), B.col(j), arma::solve_opts::fast);
      out.col(j) = arma::solve(arma::trimatu(upper), half, arma::solve_opts::fast);
    }
    return out.is_finite();
  }

  void row_softmax(arma::mat& P, arma::vec& lse, const arma::mat& A) const override {
    if (A.n_rows <= row_block) return row_softmax_of(P, lse, A);
    P.set_size(A.n_rows, A.n_cols);
    lse.set_size(A.n_rows);
    for_row_blocks(A.n_rows, row_block, [&](arma::uword first, arma::uword last) {
      arma::mat part;
      arma::vec part_lse;
      row_softmax_of(part, part_lse, arma::mat(A.rows(first, last)));
      P.rows(first, last) = part;
      lse.subvec(first, last) = part_lse;
    });
  }

  const char* name() const override { return "cpu"; }
};

}  // namespace

const Kernels& cpu_kernels() {
  static const CpuKernels kernels;
  return kernels;
}

arma::vec row_logsumexp(const Kernels& kernels, const arma::mat& A) {
  arma::mat P;
  arma::vec lse;
  kernels.row_softmax(P, lse, A);
  return lse;
}

arma::mat log_softmax_rows(const Kernels& kernels, const arma::mat& A) {
  return A.each_col() - row_logsumexp(kernels, A);
}

}  // namespace moe
