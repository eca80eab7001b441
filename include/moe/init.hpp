#pragma once
/// @file init.hpp
/// Starting responsibilities for EM: k-means on the standardized [X, y], or
/// random soft assignments. Deterministic for a given random stream.

#include <armadillo>
#include <string>

#include "moe/data.hpp"
#include "moe/rng.hpp"

namespace moe {

enum class InitMethod { kmeans, random };

/// "kmeans" / "random"; throws std::invalid_argument otherwise.
InitMethod parse_init(const std::string& name);
std::string to_string(InitMethod method);

/// k-means++ seeding and Lloyd iterations on the standardized non-constant
/// columns of X and y, each observation counted with its weight (seeds drawn
/// ∝ weight × squared distance, weighted means); hard labels softened to
/// (1 − 0.1) on the cluster and 0.1/K spread over all.  Result: n×K, rows sum to 1.
arma::mat kmeans_responsibilities(const Dataset& data, arma::uword K, Rng& rng);

/// r_ik ∝ E_ik with E_ik ~ Exponential(1) (a flat Dirichlet draw per row).
arma::mat random_responsibilities(arma::uword n, arma::uword K, Rng& rng);

arma::mat initial_responsibilities(InitMethod method, const Dataset& data, arma::uword K, Rng& rng);

}  // namespace moe
