#pragma once
/// @file routing.hpp
/// Sparse assignments of tokens (rows) to experts, sorted by expert: the layout
/// the grouped kernels of layer_kernels.hpp work on (docs/ARCHITECTURE.md, the layer seam). Assignment
/// a sends token `token(a)` to expert e for offsets(e) ≤ a < offsets(e+1), with
/// gate weight `weight(a)`; within an expert, assignments keep token order.

#include <armadillo>

namespace moe::nn {

struct Routing {
  arma::uvec token;    ///< A: the token of each assignment, grouped by expert
  arma::uvec offsets;  ///< E+1: group boundaries, offsets(0) = 0, offsets(E) = A
  arma::vec weight;    ///< A: gate weight of each assignment

  arma::uword n_experts() const { return offsets.n_elem - 1; }
  arma::uword n_assignments() const { return token.n_elem; }
  /// Tokens routed to expert e.
  arma::uword count(arma::uword e) const { return offsets(e + 1) - offsets(e); }
};

/// Routing from per-token choices: token t goes to experts expert_of(t, j) with
/// weights weight(t, j), j < k (a stable counting sort by expert).
/// expert_of: n×k (values < n_experts);  weight: n×k.
Routing make_routing(const arma::umat& expert_of, const arma::mat& weight, arma::uword n_experts);

/// Routing from a dense gate matrix: every nonzero gate(t, e) sends token t to
/// expert e with that weight.  gate: n×E (eT: double or float).
template <class eT>
Routing make_routing(const arma::Mat<eT>& gate);

}  // namespace moe::nn
