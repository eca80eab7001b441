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

/// Whether an assignment `order` (expert k taken from order(k)) moves any
/// expert: false for 0, 1, ..., K − 1.
bool moves_labels(const arma::uvec& order);
/// The expert of `fitted` that stands for expert k of `reference` is
/// match(k): the assignment of least total squared distance between the
/// experts' coefficient vectors. A point mass (the last expert of both) stays
/// matched to itself. The two models must have the same shapes.
arma::uvec matched_experts(const Model& fitted, const Model& reference);

/// `model` with its experts in the order `order` (expert k of the result is
/// expert order(k) of `model`, with its coefficients, dispersion and gate
/// column), the gate's log-odds taken against the new last expert: the same
/// distribution, other labels.
Model relabelled(const Model& model, const arma::uvec& order);

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
