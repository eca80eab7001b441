#pragma once
/// @file matching.hpp
/// Label switching: experts of two fits are matched by the assignment of
/// minimum total cost (Hungarian algorithm), and parameter errors are measured
/// after matching.

#include <armadillo>

#include "moe/model.hpp"

namespace moe {

/// The permutation `match` minimizing Σ_i cost(i, match(i)) over a square cost
/// matrix (Hungarian algorithm, O(K³)).
arma::uvec min_cost_assignment(const arma::mat& cost);

struct ParameterError {
  arma::uvec match;      ///< fitted expert matched to true expert k is match(k)
  double experts = 0.0;  ///< max |β̂ − β| over matched experts
  double sigma = 0.0;    ///< max |σ̂ − σ| (Gaussian experts; 0 otherwise)
  double gate = 0.0;     ///< max error of the gate's log-odds against true expert K
};

/// Errors of `fitted` against `truth` after matching experts by the squared
/// distance between their coefficient vectors.
ParameterError parameter_error(const Model& fitted, const Model& truth);

}  // namespace moe
