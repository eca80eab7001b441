#pragma once
// `moe fit` and `moe select` with several responses (--response y1,y2):
// multivariate Gaussian experts (moe/multivariate.hpp).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fit_options.hpp"
#include "moe/multivariate.hpp"

namespace moe::cli {

/// True when --response names more than one column.
bool is_multivariate(const FitOptions& options);

/// The data of several responses (--response y1,y2) with the designs of
/// --x, --z; refuses by name the options that do not apply to them.
MultivariateData multivariate_data(const FitOptions& options);

/// The fit's settings of the options (starts, seed, --covariance's one
/// structure, default VVV, ...).
MultivariateOptions multivariate_options(const FitOptions& options);

/// `moe fit` with several responses: prints the fit unless `quiet`, writes
/// its JSON to `out` when given. `method` must be em.
void run_multivariate_fit(const FitOptions& options, const std::string& method, const std::string& out, bool quiet);

/// `moe select` with several responses: every K with every structure of
/// --covariance (default all six), printed, as CSV to `table` ("-": standard
/// output) and the chosen fit's JSON to `out`.
void run_multivariate_select(const FitOptions& options, const std::vector<arma::uword>& Ks, Criterion criterion,
                             const std::string& table, const std::string& out, bool quiet);

/// The JSON of the model file at `path` when it is a multivariate fit's (it
/// names its "responses"); nothing for any other file (read_model_file
/// reports what is wrong with it).
std::optional<nlohmann::json> read_multivariate_model(const std::string& path);

/// `moe predict` of a multivariate fit on the CSV at `data`: mean_Y for every
/// response (the mixture's mean), gate_k, and posterior_k when the data hold
/// every response; to `out` (standard output when empty).
void run_multivariate_predict(const nlohmann::json& model, const std::string& data, const std::string& out);

/// `moe simulate --model` of a multivariate fit: n rows of the model's
/// covariates, i.i.d. N(0, 1), and responses drawn from it; to `out`.
void run_multivariate_simulate(const nlohmann::json& model, arma::uword n, Rng& rng, const std::string& out);

}  // namespace moe::cli
