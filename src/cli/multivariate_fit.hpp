#pragma once
// `moe fit` and `moe select` with several responses (--response y1,y2):
// multivariate Gaussian experts (moe/multivariate.hpp).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fit_options.hpp"
#include "moe/multivariate.hpp"

namespace moe::cli {

/// True when --response names more than one column.
bool is_multivariate(const FitOptions& options);

/// `moe fit` with several responses: prints the fit unless `quiet`, writes
/// its JSON to `out` when given. `method` must be em.
void run_multivariate_fit(const FitOptions& options, const std::string& method, const std::string& out, bool quiet);

/// `moe select` with several responses: every K with every structure of
/// --covariance (default all six), printed, as CSV to `table` ("-": standard
/// output) and the chosen fit's JSON to `out`.
void run_multivariate_select(const FitOptions& options, const std::vector<arma::uword>& Ks, Criterion criterion,
                             const std::string& table, const std::string& out, bool quiet);

/// True for the JSON of a multivariate fit (it names its "responses").
bool is_multivariate_model(const nlohmann::json& model);

/// `moe predict` of a multivariate fit on the CSV at `data`: mean_Y for every
/// response (the mixture's mean), gate_k, and posterior_k when the data hold
/// every response; to `out` (standard output when empty).
void run_multivariate_predict(const nlohmann::json& model, const std::string& data, const std::string& out);

}  // namespace moe::cli
