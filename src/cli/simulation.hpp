#pragma once
// Simulated data for `moe simulate` and `moe compare --simulate`: a random
// model, and draws from a model with i.i.d. N(0, 1) covariates.

#include <CLI/CLI.hpp>
#include <optional>

#include "model_json.hpp"

namespace moe::cli {

struct RandomModelSpec {
  std::string family = "gaussian";
  arma::uword K = 2, p = 1, q = 1, levels = 3;
  double separation = 3.0, sigma = 1.0, shape = 2.0, gate_scale = 1.0;
  std::optional<double> point_mass;  ///< the last expert's value (point_mass.hpp), or none
};

/// Registers --p --q --separation --sigma --shape --gate-scale on a command, and -K,
/// --family and --point-mass when `standalone` (not shared with the fit options).
void add_random_model_options(CLI::App* cmd, RandomModelSpec& spec, bool standalone);

/// Expert coefficients ~ N(0, separation²), gate coefficients ~ N(0,
/// gate_scale²) with the reference column zero, σ_k = sigma (Gaussian, t),
/// the shapes = shape (negbin, gamma; t: ν), `levels` levels named 0, 1, ...
/// (multinomial), the last expert a point mass when
/// asked (its coefficients 0); columns y, x1..,
/// z1.. with intercepts.
SavedModel random_model(const RandomModelSpec& spec, Rng& rng);

struct Simulated {
  std::vector<std::string> names;  // response, then every distinct covariate
  arma::mat values;                // n × names
  Dataset data;                    // the designs of the model's specification
};

/// n rows drawn from `saved`: each distinct covariate once, i.i.d. N(0, 1);
/// when the specification has a trials column (binomial), every row has
/// `trials` trials and the column comes last; when it has a group column, the
/// rows come in groups of `group_size` consecutive rows (ids 1, 2, ...; the
/// column comes last), the gate's covariates drawn once per group and the
/// expert once per group.
Simulated simulate(const SavedModel& saved, arma::uword n, Rng& rng, double trials = 1.0,
                   arma::uword group_size = 1);

}  // namespace moe::cli
