#include "moe/kernels.hpp"

#include <algorithm>
#include <cmath>

#include "gram_pairs.h"
#include "softmax_rows.h"

namespace moe {
namespace {

class CpuKernels final : public Kernels {
 public:
  // All m weighted Grams from one product per block of rows, Kᵀ W, with K the
  // block's pair products (gram_pairs.h): only the p(p+1)/2 distinct entries,
  // and K does not depend on the weights (as on the CUDA backend).
  void weighted_gram(arma::cube& out, const arma::mat& X, const arma::mat& W) const override {
    const arma::uword n = X.n_rows, p = X.n_cols, m = W.n_cols, pairs = p * (p + 1) / 2;
    const arma::uword block = std::max<arma::uword>(256, (1u << 18) / std::max<arma::uword>(pairs, 1));
    arma::mat half(pairs, m, arma::fill::zeros), K, weights;
    for (arma::uword start = 0; start < n; start += block) {
      const arma::uword end = std::min(n, start + block) - 1;
      K.set_size(end - start + 1, pairs);
      arma::uword pair = 0;
      for (arma::uword b = 0; b < p; ++b)
        for (arma::uword a = b; a < p; ++a, ++pair)
          K.col(pair) = X.col(a).subvec(start, end) % X.col(b).subvec(start, end);
      weights = W.rows(start, end);
      half += K.t() * weights;
    }
    out = symmetric_from_pairs(half, p);
  }

  void cross(arma::mat& out, const arma::mat& X, const arma::mat& W) const override {
    out = X.t() * W;
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

  void row_softmax(arma::mat& P, arma::vec& lse, const arma::mat& A) const override { row_softmax_of(P, lse, A); }

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
