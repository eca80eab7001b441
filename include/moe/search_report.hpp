#pragma once
/// @file search_report.hpp
/// What the search for the best maximum (search.hpp) saw: how many starts it
/// screened and redrew, the distinct local maxima its finalists reached and
/// how many reached each, the split-and-merge moves, and warnings for the user.

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <string>
#include <vector>

#include "moe/model.hpp"

namespace moe {

struct LocalMaximum {
  double loglik = 0.0;      ///< ℓ at the end (the best of the runs within 1e-6 relative: same_maximum)
  arma::uword starts = 0;   ///< finalists that ended there
  arma::uword moves = 0;    ///< split-and-merge moves run to the end that ended there
  bool degenerate = false;  ///< coinciding experts or too few effective rows (degeneracy.hpp)
};

/// True when two runs ended at the same maximum: |a − b| ≤ 1e-6 max(|a|, |b|).
inline bool same_maximum(double a, double b) {
  return std::abs(a - b) <= 1e-6 * std::max(std::abs(a), std::abs(b));
}

struct SearchReport {
  arma::uword screened = 0;   ///< starts screened by a short EM run
  arma::uword redrawn = 0;    ///< degenerate starting models replaced by new draws
  arma::uword finalists = 0;  ///< screened starts run to the end
  std::vector<LocalMaximum> maxima;  ///< the distinct end points of finalists and moves, best first
  arma::uword moves_tried = 0;  ///< split-and-merge moves screened
  arma::uword moves_kept = 0;   ///< moves that raised ℓ (the best screened move of a round runs to the end)
  std::string best_init;        ///< the strategy (init.hpp) of the start the fit came from
  Model start;                  ///< that start's initial model (where moe compare starts)
  std::vector<std::string> warnings;
};

}  // namespace moe
