#include "moe/merged_rows.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace moe {
namespace {

// The values of row i that a fit reads, in a fixed order.
std::vector<double> values_of(const Dataset& data, arma::uword i) {
  std::vector<double> v{data.y(i)};
  for (arma::uword j = 0; j < data.X.n_cols; ++j) v.push_back(data.X(i, j));
  for (arma::uword j = 0; j < data.Z.n_cols; ++j) v.push_back(data.Z(i, j));
  if (!data.offset.is_empty()) v.push_back(data.offset(i));
  if (!data.trials.is_empty()) v.push_back(data.trials(i));
  return v;
}

}  // namespace

std::optional<MergedRows> merged_rows(const Dataset& data) {
  const arma::uword n = data.n();
  if (data.grouped() || n < 2) return std::nullopt;
  const arma::vec y = arma::sort(data.y);  // rows with distinct responses never repeat: a quick way out for most continuous y
  if (arma::all(arma::diff(y) != 0.0)) return std::nullopt;
  std::vector<std::vector<double>> values(n);
  for (arma::uword i = 0; i < n; ++i) values[i] = values_of(data, i);
  std::vector<arma::uword> order(n);
  std::iota(order.begin(), order.end(), arma::uword{0});
  std::stable_sort(order.begin(), order.end(), [&](arma::uword a, arma::uword b) { return values[a] < values[b]; });
  // first[i]: the first copy of row i's values (the lowest index: the sort is stable)
  arma::uvec first(n);
  for (arma::uword r = 0; r < n; ++r)
    first(order[r]) = r > 0 && values[order[r]] == values[order[r - 1]] ? first(order[r - 1]) : order[r];
  const arma::uvec distinct = arma::find(first == arma::regspace<arma::uvec>(0, n - 1));
  if (distinct.n_elem == n) return std::nullopt;
  arma::uvec position(n);  // of each first copy among the distinct rows
  position.elem(distinct) = arma::regspace<arma::uvec>(0, distinct.n_elem - 1);
  MergedRows out{rows_of(data, distinct), position.elem(first)};
  out.data.weights.zeros(distinct.n_elem);
  for (arma::uword i = 0; i < n; ++i) out.data.weights(out.row_of(i)) += data.weights.is_empty() ? 1.0 : data.weights(i);
  return out;
}

}  // namespace moe
