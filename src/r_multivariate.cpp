// The R glue of multivariate Gaussian experts (multivariate.hpp): converts
// between R objects and the library's types, and nothing else.
#include <RcppArmadillo.h>

#include <cmath>

#include "moe/diagnostics.hpp"
#include "moe/multivariate_bootstrap.hpp"
#include "moe/multivariate_information.hpp"
#include "moe/multivariate_methods.hpp"
#include "r_glue.h"

namespace {

moe::MultivariateData multivariate_data(const arma::mat& Y, const arma::mat& X, const arma::mat& Z) {
  return moe::MultivariateData{Y, X, Z, {}, {}, {}};
}

// The data of R matrices, with their column names, and frequency weights (empty: none).
moe::MultivariateData named_data(const Rcpp::NumericMatrix& Y, const Rcpp::NumericMatrix& X, const Rcpp::NumericMatrix& Z,
                                 const arma::vec& weights) {
  return moe::MultivariateData{Rcpp::as<arma::mat>(Y), Rcpp::as<arma::mat>(X), Rcpp::as<arma::mat>(Z),
                               column_names(Y), column_names(X), column_names(Z), weights};
}

Rcpp::List fit_to_list(const moe::MultivariateFit& fit, const moe::MultivariateData& data) {
  const moe::MultivariateModel& m = fit.model;
  const moe::MultivariateStandardErrors se = moe::standard_errors(m, data);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("coef") = m.experts.coef, Rcpp::Named("covariance") = m.experts.covariance,
      Rcpp::Named("gate") = m.gate.coef, Rcpp::Named("structure") = moe::to_string(m.experts.structure),
      Rcpp::Named("loglik") = fit.loglik, Rcpp::Named("df") = static_cast<double>(m.n_free()),
      Rcpp::Named("aic") = fit.aic, Rcpp::Named("bic") = fit.bic, Rcpp::Named("icl") = fit.icl,
      Rcpp::Named("iterations") = static_cast<double>(fit.iterations), Rcpp::Named("converged") = fit.converged,
      Rcpp::Named("trace") = fit.trace, Rcpp::Named("start_logliks") = fit.start_logliks,
      Rcpp::Named("best_start") = static_cast<double>(fit.best_start + 1),
      Rcpp::Named("starts_at_best") = static_cast<double>(fit.starts_at_best()),
      Rcpp::Named("moves") = Rcpp::NumericVector::create(Rcpp::_["tried"] = static_cast<double>(fit.moves_tried),
                                                         Rcpp::_["kept"] = static_cast<double>(fit.moves_kept)),
      Rcpp::Named("posterior") = fit.posterior);
  out["start"] = Rcpp::List::create(Rcpp::Named("coef") = fit.start.experts.coef,
                                    Rcpp::Named("covariance") = fit.start.experts.covariance,
                                    Rcpp::Named("gate") = fit.start.gate.coef);
  out["parameters"] = Rcpp::List::create(Rcpp::Named("names") = moe::multivariate_parameter_names(m, data),
                                         Rcpp::Named("estimates") = moe::multivariate_parameters(m),
                                         Rcpp::Named("se") = se.se, Rcpp::Named("vcov") = se.covariance,
                                         Rcpp::Named("note") = se.note);
  return out;
}

moe::MultivariateModel model_from(const arma::cube& coef, const arma::cube& covariance, const arma::mat& gate,
                                  const std::string& structure) {
  moe::MultivariateModel model;
  model.experts.structure = moe::parse_covariance(structure);
  model.experts.coef = coef;
  model.experts.covariance = covariance;
  model.gate.coef = gate;
  return model;
}

}  // namespace

// Fits K multivariate Gaussian experts with covariance `structure` to the
// responses Y (n×m), expert design X and gate design Z, with frequency
// `weights` (n, or empty); from `R0` (responsibilities, n×K) when given, else
// from `starts` seeded starts.
// [[Rcpp::export]]
Rcpp::List moe_fit_multivariate_cpp(const Rcpp::NumericMatrix& Y, const Rcpp::NumericMatrix& X, const Rcpp::NumericMatrix& Z,
                                    const arma::vec& weights, int K,
                                    const std::string& structure, int starts, double seed, int max_iter, double tol,
                                    int threads, bool moves, Rcpp::Nullable<Rcpp::NumericMatrix> R0) {
  moe::MultivariateOptions options;
  options.structure = moe::parse_covariance(structure);
  options.starts = static_cast<arma::uword>(starts);
  options.seed = static_cast<std::uint64_t>(seed);
  options.max_iter = static_cast<arma::uword>(max_iter);
  options.tol = tol;
  options.threads = static_cast<unsigned>(threads);
  options.moves = moves;
  if (R0.isNotNull()) options.start = Rcpp::as<arma::mat>(Rcpp::NumericMatrix(R0));
  options.progress = [](const std::string&, arma::uword) { Rcpp::checkUserInterrupt(); };
  const moe::MultivariateData data = named_data(Y, X, Z, weights);
  return fit_to_list(moe::fit_multivariate(data, static_cast<arma::uword>(K), options), data);
}

// A fitted model's values on data: the mixture mean (n×m), the gate's
// probabilities (n×K), and, with the responses Y, the posterior (n×K) and ℓ.
// [[Rcpp::export]]
Rcpp::List moe_evaluate_multivariate_cpp(const arma::cube& coef, const arma::cube& covariance, const arma::mat& gate,
                                         const std::string& structure, const arma::mat& Y, const arma::mat& X,
                                         const arma::mat& Z) {
  const moe::MultivariateModel model = model_from(coef, covariance, gate, structure);
  const moe::MultivariateData data = multivariate_data(Y.is_empty() ? arma::mat(X.n_rows, coef.n_cols) : Y, X, Z);
  Rcpp::List out = Rcpp::List::create(Rcpp::Named("mean") = model.predict_mean(data),
                                      Rcpp::Named("gate") = arma::mat(arma::exp(model.gate.log_probs(Z))));
  if (!Y.is_empty()) {
    out["posterior"] = moe::responsibilities(model, data);
    out["loglik"] = moe::loglik(model, data);
  }
  return out;
}

// Draws nsim response matrices from a fitted model at the designs X, Z.  Result: n×m×nsim.
// [[Rcpp::export]]
arma::cube moe_simulate_multivariate_cpp(const arma::cube& coef, const arma::cube& covariance, const arma::mat& gate,
                                         const std::string& structure, const arma::mat& X, const arma::mat& Z, int nsim,
                                         double seed) {
  const moe::MultivariateModel model = model_from(coef, covariance, gate, structure);
  moe::Rng rng(static_cast<std::uint64_t>(seed));
  arma::cube out(X.n_rows, coef.n_cols, static_cast<arma::uword>(nsim));
  for (arma::uword s = 0; s < out.n_slices; ++s) out.slice(s) = moe::simulate_responses(model, X, Z, rng);
  return out;
}

// The bootstrap of a fitted model (multivariate_bootstrap.hpp) on its data Y, X, Z
// and weights (column names kept for the parameters' names); moe_boot()'s list.
// [[Rcpp::export]]
Rcpp::List moe_boot_multivariate_cpp(const arma::cube& coef, const arma::cube& covariance, const arma::mat& gate,
                                     const std::string& structure, const Rcpp::NumericMatrix& Y,
                                     const Rcpp::NumericMatrix& X, const Rcpp::NumericMatrix& Z,
                                     const arma::vec& weights, int B,
                                     const std::string& type, double seed, double level, int threads, double tol,
                                     int max_iter) {
  const moe::MultivariateModel fitted = model_from(coef, covariance, gate, structure);
  const moe::MultivariateData data = named_data(Y, X, Z, weights);
  moe::BootstrapOptions options;
  options.replicates = static_cast<arma::uword>(B);
  options.type = moe::parse_bootstrap_type(type);
  options.seed = static_cast<std::uint64_t>(seed);
  options.threads = static_cast<unsigned>(threads);
  options.progress = [](arma::uword) { Rcpp::checkUserInterrupt(); };
  moe::MultivariateOptions fit_options;
  fit_options.tol = tol;
  fit_options.max_iter = static_cast<arma::uword>(max_iter);
  const moe::Bootstrap b = moe::bootstrap(data, fitted, options, fit_options);
  return bootstrap_list(b, level, moe::standard_errors(fitted, data).se);
}

// Every estimator of `methods` (as moe_methods() names them, each checked
// before any runs) from the model (coef, covariance, gate, structure) on Y,
// X, Z and weights: each run's trace, final ℓ and observed linear rate, and
// the rates predicted at the best fit (NaN with a note where there are none).
// [[Rcpp::export]]
Rcpp::List moe_compare_multivariate_cpp(const arma::mat& Y, const arma::mat& X, const arma::mat& Z, const arma::vec& weights,
                                        const arma::cube& coef, const arma::cube& covariance, const arma::mat& gate,
                                        const std::string& structure, const std::vector<std::string>& methods,
                                        const Rcpp::List& control) {
  moe::MultivariateData data = multivariate_data(Y, X, Z);
  data.weights = weights;
  const moe::MultivariateModel start = model_from(coef, covariance, gate, structure);
  moe::validate(data, start.K(), start.experts.structure);
  std::vector<moe::Method> estimators;
  for (const std::string& name : methods) {
    estimators.push_back(moe::make_method(name, settings_from(control, 0.0, false)));
    moe::require_several_responses(estimators.back());
  }
  std::vector<moe::MultivariateRun> runs;
  for (const moe::Method& method : estimators) runs.push_back(method.fit_multivariate_from(data, start));
  std::size_t best = 0;
  for (std::size_t i = 1; i < runs.size(); ++i)
    if (runs[i].loglik > runs[best].loglik) best = i;
  const moe::LocalRates rates = moe::local_rates(runs[best].model, data);
  Rcpp::List traces(runs.size());
  Rcpp::NumericVector loglik(runs.size()), observed(runs.size()), predicted(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    traces[i] = trace_frame(runs[i].trace);
    loglik[i] = runs[i].loglik;
    observed[i] = moe::diagnose(runs[i].trace, runs[best].loglik).linear_rate;
    predicted[i] = std::pow(estimators[i].local_rate(rates), 2);
  }
  const moe::PredictedLinearRates at_best = moe::predicted_linear_rates(rates, arma::datum::nan);
  return Rcpp::List::create(Rcpp::_["traces"] = traces, Rcpp::_["loglik"] = loglik, Rcpp::_["linear_rate"] = observed,
                            Rcpp::_["predicted"] = predicted, Rcpp::_["note"] = rates.note(),
                            Rcpp::_["gradient_best_step"] = at_best.gradient_best_step,
                            Rcpp::_["gradient_best"] = at_best.gradient_best);
}
