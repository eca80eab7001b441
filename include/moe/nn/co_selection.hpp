#pragma once
/// @file co_selection.hpp
/// Which expert pairs a router chooses together for the same tokens: how
/// SimSMoE flags the pairs whose representations it compares. `chosen` is a
/// batch's n×E routing indicator (1 where token t went to expert e).
///
/// Two rules:
///  - per batch (moe's first reading of the paper): the pairs chosen together
///    for the most tokens of this batch;
///  - counted across batches (the authors' code, giangdip2410/SimSMoE,
///    custom_gates.py): one counter per pair; every training batch adds the
///    share of its tokens that chose both; a pair is flagged when its counter
///    exceeds a threshold, and its counter then restarts from 0 (no decay).

#include <armadillo>
#include <utility>
#include <vector>

namespace moe::nn {

/// Experts (first < second).
using ExpertPair = std::pair<arma::uword, arma::uword>;

/// The `count` pairs chosen together for the most tokens of `chosen`, most
/// first (ties in storage order); pairs never chosen together are left out.
std::vector<ExpertPair> most_co_selected(const arma::mat& chosen, arma::uword count);

/// The counters of the authors' code. With top-2 routing every token adds to
/// exactly one pair, as there; with k > 2 it adds to each pair of its k experts.
class CoSelectionCounter {
 public:
  explicit CoSelectionCounter(arma::uword experts);

  /// Adds each pair's share of the batch's tokens (tokens that chose both / n).
  void record(const arma::mat& chosen);

  /// The pairs whose counter exceeds `threshold`, in index order; their
  /// counters restart from 0.
  std::vector<ExpertPair> flag(double threshold);

  /// The counters: E×E, pair (i, j) at (i, j) with i < j; 0 elsewhere.
  const arma::mat& counts() const { return counts_; }

 private:
  arma::mat counts_;
};

}  // namespace moe::nn
