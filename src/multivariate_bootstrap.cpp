#include "moe/multivariate_bootstrap.hpp"

#include "moe/error.hpp"
#include "moe/matching.hpp"

namespace moe {
namespace {

std::string name_or(const std::vector<std::string>& names, arma::uword j, const char* prefix) {
  return j < names.size() ? names[j] : prefix + std::to_string(j + 1);
}

// Each replicate's data: rows drawn with replacement, or responses redrawn from the fit.
MultivariateData drawn_data(const MultivariateData& data, const MultivariateModel& fitted, BootstrapType type, Rng& rng) {
  MultivariateData out = data;
  if (type == BootstrapType::parametric) {
    out.Y = simulate_responses(fitted, data.X, data.Z, rng);
    return out;
  }
  arma::uvec rows(data.n());
  for (arma::uword i = 0; i < rows.n_elem; ++i) rows(i) = rng.index(data.n());
  out.Y = data.Y.rows(rows);
  out.X = data.X.rows(rows);
  out.Z = data.Z.rows(rows);
  return out;
}

// The expert of `fitted` that stands for expert k of `reference` is match(k).
arma::uvec matched(const MultivariateModel& fitted, const MultivariateModel& reference) {
  const arma::uword K = reference.K();
  arma::mat cost(K, K);
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword j = 0; j < K; ++j)
      cost(k, j) = arma::accu(arma::square(reference.experts.coef.slice(k) - fitted.experts.coef.slice(j)));
  return min_cost_assignment(cost);
}

BootstrapReplicate replicate(const MultivariateData& data, const MultivariateModel& fitted, BootstrapType type,
                             MultivariateOptions options, std::uint64_t seed) {
  Rng rng(seed);
  const MultivariateData drawn = drawn_data(data, fitted, type, rng);
  options.structure = fitted.experts.structure;
  options.start = responsibilities(fitted, drawn);
  const MultivariateFit fit = fit_multivariate(drawn, fitted.K(), options);
  const arma::uvec order = matched(fit.model, fitted);
  return {multivariate_parameters(relabelled(fit.model, order)), fit.loglik, fit.converged, moves_labels(order), ""};
}

}  // namespace

arma::vec multivariate_parameters(const MultivariateModel& model) {
  const arma::uword K = model.K(), m = model.experts.n_responses();
  const arma::uvec lower = arma::trimatl_ind(arma::size(m, m));
  arma::vec out = arma::vectorise(model.gate.coef.head_cols(K - 1));
  out = arma::join_vert(out, arma::vectorise(model.experts.coef));
  for (arma::uword k = 0; k < K; ++k)
    out = arma::join_vert(out, arma::vec(model.experts.covariance.slice(k).elem(lower)));
  return out;
}

std::vector<std::string> multivariate_parameter_names(const MultivariateModel& model, const MultivariateData& data) {
  const arma::uword K = model.K(), m = model.experts.n_responses();
  const auto expert = [](arma::uword k) { return "expert" + std::to_string(k + 1); };
  std::vector<std::string> names;
  for (arma::uword k = 0; k + 1 < K; ++k)
    for (arma::uword j = 0; j < model.gate.coef.n_rows; ++j)
      names.push_back("gate." + expert(k) + ":" + name_or(data.z_names, j, "z"));
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword r = 0; r < m; ++r)
      for (arma::uword j = 0; j < model.experts.coef.n_rows; ++j)
        names.push_back(expert(k) + "." + name_or(data.y_names, r, "y") + ":" + name_or(data.x_names, j, "x"));
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword c = 0; c < m; ++c)
      for (arma::uword r = c; r < m; ++r)
        names.push_back("sigma." + expert(k) + ":" + name_or(data.y_names, r, "y") + "," + name_or(data.y_names, c, "y"));
  return names;
}

MultivariateModel relabelled(const MultivariateModel& model, const arma::uvec& order) {
  MultivariateModel out = model;
  for (arma::uword k = 0; k < order.n_elem; ++k) {
    out.experts.coef.slice(k) = model.experts.coef.slice(order(k));
    out.experts.covariance.slice(k) = model.experts.covariance.slice(order(k));
  }
  out.gate.coef = model.gate.coef.cols(order);
  out.gate.coef.each_col() -= arma::vec(out.gate.coef.col(order.n_elem - 1));
  return out;
}

void require_bootstrappable(const MultivariateData& data, const BootstrapOptions& options) {
  require_replicates(options);
  require(options.type == BootstrapType::parametric || data.weights.is_empty(), "bootstrap",
          "the nonparametric bootstrap of several responses takes no weights (use the parametric bootstrap)");
}

Bootstrap bootstrap(const MultivariateData& data, const MultivariateModel& fitted, const BootstrapOptions& options,
                    MultivariateOptions fit_options) {
  require_bootstrappable(data, options);
  fit_options.threads = 1;  // the replicates run in parallel, each on one thread
  return run_bootstrap(options, multivariate_parameters(fitted), multivariate_parameter_names(fitted, data),
                       [&](std::uint64_t seed) { return replicate(data, fitted, options.type, fit_options, seed); });
}

}  // namespace moe
