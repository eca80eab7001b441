#include "moe/kernels.hpp"

namespace moe {
namespace {

class CpuKernels final : public Kernels {
 public:
  void weighted_gram(arma::cube& out, const arma::mat& X, const arma::mat& W) const override {
    out.set_size(X.n_cols, X.n_cols, W.n_cols);
    arma::mat weighted(X.n_rows, X.n_cols);
    for (arma::uword j = 0; j < W.n_cols; ++j) {
      weighted = X.each_col() % W.col(j);
      out.slice(j) = X.t() * weighted;
      out.slice(j) = arma::symmatu(out.slice(j));
    }
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

  void row_logsumexp(arma::vec& out, const arma::mat& A) const override {
    arma::vec row_max = arma::max(A, 1);
    row_max.replace(-arma::datum::inf, 0.0);  // rows of all −∞ give −∞ below
    out = row_max + arma::log(arma::sum(arma::exp(A.each_col() - row_max), 1));
  }

  const char* name() const override { return "cpu"; }
};

}  // namespace

const Kernels& cpu_kernels() {
  static const CpuKernels kernels;
  return kernels;
}

arma::mat log_softmax_rows(const Kernels& kernels, const arma::mat& A) {
  arma::vec lse;
  kernels.row_logsumexp(lse, A);
  return A.each_col() - lse;
}

}  // namespace moe
