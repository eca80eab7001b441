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

bool moves_labels(const arma::uvec& order) {
  return arma::any(order != arma::regspace<arma::uvec>(0, order.n_elem - 1));
}

arma::uvec matched_experts(const Model& fitted, const Model& reference) {
  require(fitted.K() == reference.K() && arma::size(fitted.experts.coef) == arma::size(reference.experts.coef) &&
              fitted.gate.coef.n_rows == reference.gate.coef.n_rows &&
              fitted.experts.point_mass.has_value() == reference.experts.point_mass.has_value(),
          "matched_experts", "the two models have different shapes");
  const arma::uword K = reference.K(), regression = reference.experts.n_regression();
  arma::mat cost(regression, regression);
  for (arma::uword k = 0; k < regression; ++k)
    for (arma::uword j = 0; j < regression; ++j)
      cost(k, j) = arma::accu(arma::square(reference.experts.coef.col(k) - fitted.experts.coef.col(j)));
  arma::uvec match = arma::regspace<arma::uvec>(0, K - 1);
  match.head(regression) = min_cost_assignment(cost);
  return match;
}

Model relabelled(const Model& model, const arma::uvec& order) {
  Model out = model;
  out.experts.coef = model.experts.coef.cols(order);
  if (!model.experts.sigma.is_empty()) out.experts.sigma = model.experts.sigma.elem(order);
  if (!model.experts.shape.is_empty()) out.experts.shape = model.experts.shape.elem(order);
  out.gate.coef = model.gate.coef.cols(order);
  out.gate.coef.each_col() -= arma::vec(out.gate.coef.tail_cols(1));
  return out;
}

ParameterError parameter_error(const Model& fitted, const Model& truth) {
  ParameterError err;
  err.match = matched_experts(fitted, truth);
  const Model matched = relabelled(fitted, err.match);
  err.experts = arma::abs(matched.experts.coef - truth.experts.coef).max();
  if (has_scale(truth.experts.family))
    err.sigma = arma::abs(matched.experts.sigma - truth.experts.sigma).max();
  err.gate = arma::abs(matched.gate.coef - truth.gate.coef).max();  // log-odds against expert K: label-free
  return err;
}

}  // namespace moe
