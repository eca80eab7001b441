#pragma once
/// @file multivariate_bootstrap.hpp
/// The bootstrap of multivariate Gaussian experts (multivariate.hpp) on
/// bootstrap.hpp's driver: each replicate's data (rows resampled with
/// replacement, or responses redrawn from the fit at the same covariates) are
/// fitted by EM from the fit's own responsibilities on them, and its experts
/// matched to the fit's by the least total squared distance between their
/// coefficient matrices (matching.hpp's Hungarian assignment).

#include <string>
#include <vector>

#include "moe/bootstrap.hpp"
#include "moe/multivariate.hpp"

namespace moe {

/// The parameters in the bootstrap's order: the gate's q(K − 1) log-odds
/// against the last expert (expert by expert), every B_k (column by column:
/// response by response), then each Σ_k's lower triangle, column by column.
arma::vec multivariate_parameters(const MultivariateModel& model);

/// Their names: "gate.expert1:z", "expert1.y1:x", "sigma.expert1:y2,y1".
std::vector<std::string> multivariate_parameter_names(const MultivariateModel& model, const MultivariateData& data);

/// `model` with its experts in the order `order` (expert k of the result is
/// expert order(k)), the gate's log-odds taken against the new last expert.
MultivariateModel relabelled(const MultivariateModel& model, const arma::uvec& order);

/// Throws std::invalid_argument, before any fit, for what bootstrap() refuses
/// on these data: no replicates, or weights in the nonparametric bootstrap.
void require_bootstrappable(const MultivariateData& data, const BootstrapOptions& options);

/// The bootstrap of `fitted`, a fit of `data`; `fit_options` set the
/// replicates' EM (tolerance, iteration limit). Throws std::invalid_argument
/// as require_bootstrappable() does, or when every replicate fails.
Bootstrap bootstrap(const MultivariateData& data, const MultivariateModel& fitted, const BootstrapOptions& options,
                    MultivariateOptions fit_options = {});

}  // namespace moe
