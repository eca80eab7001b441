#include "moe/boundary_moves.hpp"

#include <array>

namespace moe {
namespace {

constexpr std::array<arma::uword, 6> shifts{1, 2, 3, 5, 8, 13};  // distinct values of t a boundary moves by

// The rows at each distinct value of `order`, in increasing order of the value.
std::vector<arma::uvec> rows_by_value(const arma::vec& order) {
  const arma::uvec sorted = arma::stable_sort_index(order);
  std::vector<arma::uvec> groups;
  for (arma::uword from = 0, to = 0; from < sorted.n_elem; from = to) {
    while (to < sorted.n_elem && order(sorted(to)) == order(sorted(from))) ++to;
    groups.push_back(sorted.subvec(from, to - 1));
  }
  return groups;
}

// The rows of groups [first, last).
arma::uvec rows_in_groups(const std::vector<arma::uvec>& groups, arma::uword first, arma::uword last) {
  arma::uvec rows;
  for (arma::uword g = first; g < last; ++g) rows = arma::join_cols(rows, groups[g]);
  return rows;
}

}  // namespace

std::vector<BoundaryMove> boundary_moves(const arma::vec& order, const arma::uvec& label) {
  const std::vector<arma::uvec> groups = rows_by_value(order);
  std::vector<arma::uword> value_label(groups.size()), segment_start;  // segment_start: first value of each run
  for (arma::uword g = 0; g < groups.size(); ++g) {
    value_label[g] = label(groups[g](0));
    if (g == 0 || value_label[g] != value_label[g - 1]) segment_start.push_back(g);
  }
  segment_start.push_back(groups.size());
  std::vector<BoundaryMove> out;
  for (arma::uword b = 1; b + 1 < segment_start.size(); ++b) {  // the boundary before value segment_start[b]
    const arma::uword at = segment_start[b], left = at - segment_start[b - 1], right = segment_start[b + 1] - at;
    for (arma::uword s : shifts) {
      if (s < right) out.push_back({rows_in_groups(groups, at, at + s), value_label[at - 1]});
      if (s < left) out.push_back({rows_in_groups(groups, at - s, at), value_label[at]});
    }
  }
  return out;
}

arma::mat moved(const arma::mat& R, const BoundaryMove& move) {
  arma::mat out = R;
  out.rows(move.rows).zeros();
  for (arma::uword i : move.rows) out(i, move.expert) = 1.0;
  return out;
}

}  // namespace moe
