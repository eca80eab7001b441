#include "moe/nn/co_selection.hpp"

#include "moe/error.hpp"

namespace moe::nn {
namespace {

// Tokens that chose both experts of each pair, upper triangle (i < j).
arma::mat chosen_together(const arma::mat& chosen) { return arma::trimatu(chosen.t() * chosen, 1); }

}  // namespace

std::vector<ExpertPair> most_co_selected(const arma::mat& chosen, arma::uword count) {
  arma::mat together = chosen_together(chosen);
  std::vector<ExpertPair> pairs;
  while (pairs.size() < count && together.max() > 0.0) {
    const arma::uword at = together.index_max();
    pairs.emplace_back(at % together.n_rows, at / together.n_rows);
    together(at) = 0.0;
  }
  return pairs;
}

CoSelectionCounter::CoSelectionCounter(arma::uword experts) : counts_(experts, experts, arma::fill::zeros) {}

void CoSelectionCounter::record(const arma::mat& chosen) {
  require(chosen.n_cols == counts_.n_cols, "CoSelectionCounter", "a routing of a different number of experts");
  if (chosen.n_rows > 0) counts_ += chosen_together(chosen) / static_cast<double>(chosen.n_rows);
}

std::vector<ExpertPair> CoSelectionCounter::flag(double threshold) {
  std::vector<ExpertPair> pairs;
  for (arma::uword i = 0; i < counts_.n_rows; ++i)
    for (arma::uword j = i + 1; j < counts_.n_cols; ++j)
      if (counts_(i, j) > threshold) {
        pairs.emplace_back(i, j);
        counts_(i, j) = 0.0;
      }
  return pairs;
}

}  // namespace moe::nn
