#include "moe/matching.hpp"

#include <limits>
#include <vector>

#include "moe/error.hpp"

namespace moe {

arma::uvec min_cost_assignment(const arma::mat& cost) {
  require(cost.is_square(), "min_cost_assignment", "the cost matrix must be square");
  // Shortest augmenting paths with row/column potentials (1-based, column 0 is
  // the virtual start).
  const arma::uword n = cost.n_rows;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(n + 1, 0.0);
  std::vector<arma::uword> row_of(n + 1, 0), way(n + 1, 0);
  for (arma::uword i = 1; i <= n; ++i) {
    row_of[0] = i;
    arma::uword j0 = 0;
    std::vector<double> min_to(n + 1, inf);
    std::vector<bool> used(n + 1, false);
    do {
      used[j0] = true;
      const arma::uword i0 = row_of[j0];
      double delta = inf;
      arma::uword j1 = 0;
      for (arma::uword j = 1; j <= n; ++j) {
        if (used[j]) continue;
        const double reduced = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (reduced < min_to[j]) min_to[j] = reduced, way[j] = j0;
        if (min_to[j] < delta) delta = min_to[j], j1 = j;
      }
      for (arma::uword j = 0; j <= n; ++j) {
        if (used[j]) u[row_of[j]] += delta, v[j] -= delta;
        else min_to[j] -= delta;
      }
      j0 = j1;
    } while (row_of[j0] != 0);
    do {
      const arma::uword j1 = way[j0];
      row_of[j0] = row_of[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  arma::uvec match(n);
  for (arma::uword j = 1; j <= n; ++j) match(row_of[j] - 1) = j - 1;
  return match;
}

ParameterError parameter_error(const Model& fitted, const Model& truth) {
  require(fitted.K() == truth.K() && arma::size(fitted.experts.coef) == arma::size(truth.experts.coef) &&
              fitted.gate.coef.n_rows == truth.gate.coef.n_rows,
          "parameter_error", "the two models have different shapes");
  const arma::uword K = truth.K();
  arma::mat cost(K, K);
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword j = 0; j < K; ++j)
      cost(k, j) = arma::accu(arma::square(truth.experts.coef.col(k) - fitted.experts.coef.col(j)));
  ParameterError err;
  err.match = min_cost_assignment(cost);
  const arma::mat beta = fitted.experts.coef.cols(err.match);
  err.experts = arma::abs(beta - truth.experts.coef).max();
  if (truth.experts.family == Family::gaussian)
    err.sigma = arma::abs(fitted.experts.sigma.elem(err.match) - truth.experts.sigma).max();
  // Log-odds against the truth's reference expert K−1 are label-free.
  arma::mat gate = fitted.gate.coef.cols(err.match);
  gate.each_col() -= arma::vec(gate.col(K - 1));
  err.gate = arma::abs(gate - truth.gate.coef).max();
  return err;
}

}  // namespace moe
