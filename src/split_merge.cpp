#include "moe/split_merge.hpp"

#include <algorithm>

namespace moe {
namespace {

struct Scored {
  double score;
  arma::uword a, b;
};

// Pairs a < b of columns by the correlation of their responsibilities, highest first.
std::vector<Scored> merge_pairs(const arma::mat& R) {
  const arma::rowvec norms = arma::sqrt(arma::sum(arma::square(R), 0));
  const arma::mat inner = R.t() * R;
  std::vector<Scored> pairs;
  for (arma::uword b = 1; b < R.n_cols; ++b)
    for (arma::uword a = 0; a < b; ++a) pairs.push_back({inner(a, b) / std::max(norms(a) * norms(b), 1e-300), a, b});
  std::stable_sort(pairs.begin(), pairs.end(), [](const Scored& x, const Scored& y) { return x.score > y.score; });
  return pairs;
}

}  // namespace

arma::mat split_rows(const arma::vec& w, const arma::vec& y, const arma::vec& mu, SplitRule rule) {
  arma::vec side;
  if (rule == SplitRule::residual_sign) {
    side = arma::conv_to<arma::vec>::from(y > mu);
  } else {  // the weighted median of mu: half the weight on each side
    const arma::uvec order = arma::stable_sort_index(mu);
    const arma::vec cumulative = arma::cumsum(w(order));
    side.zeros(mu.n_elem);
    for (arma::uword i = 0; i < order.n_elem; ++i) side(order(i)) = cumulative(i) > 0.5 * cumulative.back();
  }
  return arma::join_horiz(w % (0.05 + 0.9 * side), w % (0.95 - 0.9 * side));
}

arma::mat merged(const arma::mat& R, const SplitMergeMove& move) {
  arma::mat out = R;
  out.col(move.into) += out.col(move.from);
  out.col(move.from).zeros();
  return out;
}

std::vector<SplitMergeMove> split_merge_moves(const arma::mat& R, const arma::vec& w, arma::uword limit) {
  std::vector<SplitMergeMove> moves;
  for (const Scored& pair : merge_pairs(R)) {
    SplitMergeMove move{pair.a, pair.b, 0};
    const arma::mat after = merged(R, move);
    const arma::rowvec rows = w.is_empty() ? arma::rowvec(arma::sum(after, 0)) : arma::rowvec(w.t() * after);
    const arma::uvec by_rows = arma::stable_sort_index(rows, "descend");
    for (arma::uword k : by_rows) {
      if (k == move.from) continue;
      move.split = k;
      for (SplitRule rule : {SplitRule::residual_sign, SplitRule::fitted_median}) {
        move.rule = rule;
        moves.push_back(move);
        if (moves.size() >= limit) return moves;
      }
    }
  }
  return moves;
}

}  // namespace moe
