#pragma once
/// @file init.hpp
/// Starting responsibilities for EM, each strategy deterministic for a given
/// random stream:
///   kmeans    k-means++ and Lloyd on the standardized [X, y], softened;
///   random    random soft responsibilities (a flat Dirichlet draw per row);
///   hard      a random hard partition: each row to a uniformly drawn expert
///             (flexmix's start);
///   residual  contiguous segments of the rows ordered by their Pearson residual
///             under one expert fitted to all rows, at jittered cut points (the
///             split follows the response, not the covariates);
///   segments  contiguous segments of the rows ordered by one covariate, at
///             jittered cut points;
///   mixed     the others in turn, start after start (init_cycle()).
/// The search (search.hpp) makes the starting models from them.

#include <armadillo>
#include <string>
#include <vector>

#include "moe/data.hpp"
#include "moe/rng.hpp"

namespace moe {

enum class InitMethod { kmeans, random, hard, residual, segments, mixed };

/// "kmeans", "random", "hard", "residual", "segments", "mixed"; throws
/// std::invalid_argument otherwise.
InitMethod parse_init(const std::string& name);
std::string to_string(InitMethod method);
/// The names above, comma-separated (for help texts and messages).
const char* init_names();

/// The strategies `mixed` cycles through on these data: kmeans, hard, random,
/// residual, hard, random, and segments when ordered_covariate() finds one.
std::vector<InitMethod> init_cycle(const Dataset& data);

/// The strategy of start s: `method` itself, or init_cycle()[s mod its length]
/// for mixed.
InitMethod init_of_start(InitMethod method, const Dataset& data, arma::uword s);

/// The column that orders the rows for `segments`: the gate's only non-constant
/// column, or else the experts' only one; empty when there is no such single
/// covariate.  Result: n, or empty.
arma::vec ordered_covariate(const Dataset& data);

/// k-means++ seeding and Lloyd iterations on the standardized non-constant
/// columns of X and y (for multinomial experts the indicators of y's levels,
/// which have no order), each observation counted with its weight (seeds drawn
/// ∝ weight × squared distance, weighted means); hard labels softened to
/// (1 − 0.1) on the cluster and 0.1/K spread over all.  Result: n×K, rows sum to 1.
arma::mat kmeans_responsibilities(const Dataset& data, arma::uword K, Rng& rng, Family family = Family::gaussian);

/// The same for the rows of a feature matrix (n×d, every row counted once):
/// k-means on its standardized non-constant columns.  Result: n×K.
arma::mat kmeans_responsibilities(const arma::mat& features, arma::uword K, Rng& rng);

/// r_ik ∝ E_ik with E_ik ~ Exponential(1) (a flat Dirichlet draw per row).
arma::mat random_responsibilities(arma::uword n, arma::uword K, Rng& rng);

/// r_ik = 1 for one uniformly drawn k per row.  Result: n×K.
arma::mat hard_responsibilities(arma::uword n, arma::uword K, Rng& rng);

/// R with each row, with probability `share`, given to one uniformly drawn
/// expert (r_ik = 1): a fit's responsibilities shaken, to leave its maximum
/// (the search's perturbation moves).  Result: n×K.
arma::mat perturbed_responsibilities(const arma::mat& R, double share, Rng& rng);

/// K contiguous segments of the rows sorted by `order` (n), the k-th ending
/// at the fraction (k + 0.8(u_k − 1/2))/K of the rows, u_k ~ U(0, 1), softened
/// as kmeans_responsibilities'.  Result: n×K.
arma::mat segment_responsibilities(const arma::vec& order, arma::uword K, Rng& rng);

}  // namespace moe
