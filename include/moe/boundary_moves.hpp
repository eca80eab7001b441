#pragma once
/// @file boundary_moves.hpp
/// Boundary moves: when the gate has one ordered covariate t, a fit's gate cuts
/// the range of t into segments, one expert the most probable in each. Near-equal
/// maxima often differ only in where a boundary lies, in which few rows fall on
/// which side of it, and EM does not carry a steep boundary across rows: on the
/// motorcycle data (K = 4 quadratic experts, gate on the time) the maxima at
/// −537.39 and −536.08 differ by one boundary, five rows apart. A move shifts one
/// boundary by s distinct values of t, giving the rows at those values to the
/// expert on the other side (r_ik = 1), for s in {1, 2, 3, 5, 8, 13} either way
/// while the segment it eats into keeps at least one value. The search
/// (search.hpp) screens them beside its other moves.

#include <armadillo>
#include <vector>

namespace moe {

struct BoundaryMove {
  arma::uvec rows;     ///< the rows that change side
  arma::uword expert;  ///< the expert that receives them
};

/// Every move for the gate's most probable expert `label` (n) of each row,
/// along `order` (n): boundaries lie between neighbouring distinct values of
/// `order` whose labels differ (rows that share a value share their label, as
/// the gate gives them the same probabilities).
std::vector<BoundaryMove> boundary_moves(const arma::vec& order, const arma::uvec& label);

/// R (n×K) with the move's rows given wholly to its expert.  Result: n×K.
arma::mat moved(const arma::mat& R, const BoundaryMove& move);

}  // namespace moe
