#include "moe/grouping.hpp"

#include "moe/error.hpp"

namespace moe {

arma::mat group_sums(const arma::mat& M, const Dataset& data) {
  require(data.grouped() && M.n_rows == data.n(), "group_sums", "needs grouped data and one row of M per row");
  arma::mat sums(data.n_groups(), M.n_cols, arma::fill::zeros);
  for (arma::uword k = 0; k < M.n_cols; ++k) {
    const double* column = M.colptr(k);
    double* sum = sums.colptr(k);
    for (arma::uword i = 0; i < M.n_rows; ++i) sum[data.group(i)] += column[i];
  }
  return sums;
}

double e_step(const Dataset& data, const arma::mat& log_gate, const arma::mat& log_density,
              const Kernels& kernels, arma::mat& R) {
  arma::vec lse;
  if (!data.grouped()) {
    kernels.row_softmax(R, lse, log_gate + log_density);
    return data.weighted_sum(lse);
  }
  arma::mat per_group;  // the gate's covariates are constant in a group: its first row's gate serves
  kernels.row_softmax(per_group, lse, log_gate.rows(data.group_first_rows()) + group_sums(log_density, data));
  R = per_group.rows(data.group);
  return arma::accu(lse);
}

arma::mat pooled_by_group(const arma::mat& R, const Dataset& data) {
  if (!data.grouped()) return R;
  arma::mat means = group_sums(R, data);
  means.each_col() /= arma::conv_to<arma::vec>::from(data.group_sizes());
  return means.rows(data.group);
}

}  // namespace moe
