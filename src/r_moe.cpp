// The R glue: converts between R objects and the library's types, and nothing
// else. R's RNG seeds the fit (the seed is drawn in R), output goes through
// Rcpp::Rcout, and Ctrl-C is honoured after every iteration.
#include <RcppArmadillo.h>

#include "moe/bootstrap.hpp"
#include "moe/diagnostics.hpp"
#include "moe/em.hpp"
#include "moe/family.hpp"
#include "moe/fit_summary.hpp"
#include "moe/io.hpp"
#include "moe/standard_errors.hpp"
#include "moe/methods.hpp"
#include "moe/predictive.hpp"
#include "moe/selection.hpp"
#include "moe/shape_family.hpp"
#include "r_glue.h"

namespace {

moe::Dataset make_data(const arma::vec& y, const Rcpp::NumericMatrix& X, const Rcpp::NumericMatrix& Z) {
  return moe::Dataset{y, Rcpp::as<arma::mat>(X), Rcpp::as<arma::mat>(Z), column_names(X), column_names(Z)};
}

// R's numbers from 1 (`what`: shared expert rows, group numbers) as the core's from 0.
arma::uvec from_one(const Rcpp::IntegerVector& numbers, const char* what) {
  arma::uvec out(numbers.size());
  for (R_xlen_t i = 0; i < numbers.size(); ++i) {
    if (numbers[i] == NA_INTEGER || numbers[i] < 1) Rcpp::stop(std::string(what) + " must be numbers from 1");
    out(i) = static_cast<arma::uword>(numbers[i] - 1);
  }
  return out;
}

// R's numeric(0) (none) or one number.
std::optional<double> optional_number(const Rcpp::NumericVector& v) {
  if (v.size() == 0) return std::nullopt;
  return v[0];
}

// A point mass as R holds it: numeric(0) for none.
Rcpp::NumericVector as_numeric(const std::optional<double>& value) {
  return value ? Rcpp::NumericVector::create(*value) : Rcpp::NumericVector();
}

moe::Model model_from_list(const Rcpp::List& m) {
  moe::Model model;
  model.experts.family = moe::parse_family(Rcpp::as<std::string>(m["family"]));
  model.experts.coef = Rcpp::as<arma::mat>(m["experts"]);
  model.gate.coef = Rcpp::as<arma::mat>(m["gate"]);
  model.experts.common_sigma = Rcpp::as<bool>(m["common_sigma"]);
  if (moe::has_scale(model.experts.family)) model.experts.sigma = Rcpp::as<arma::vec>(m["sigma"]);
  if (moe::shape_family(model.experts.family))  // "theta" or "shape"
    model.experts.shape = Rcpp::as<arma::vec>(m[moe::family_entry(model.experts.family).dispersion]);
  if (model.experts.family == moe::Family::t) {
    model.experts.shape = Rcpp::as<arma::vec>(m["nu"]);
    model.experts.shape_fixed = m.containsElementNamed("nu_fixed") && Rcpp::as<bool>(m["nu_fixed"]);
  }
  if (m.containsElementNamed("shared")) model.experts.shared = from_one(Rcpp::as<Rcpp::IntegerVector>(m["shared"]), "the shared expert rows");
  if (m.containsElementNamed("point_mass")) model.experts.point_mass = optional_number(m["point_mass"]);
  if (m.containsElementNamed("n_levels")) model.experts.levels = Rcpp::as<arma::uword>(m["n_levels"]);
  return model;
}

// `values` (the experts' shapes or their standard errors) when the model is of
// `family`, else an empty vector: R's fit$model$theta and fit$model$shape.
Rcpp::NumericVector when_family(const moe::Model& model, moe::Family family, const arma::vec& values) {
  if (model.experts.family != family) return Rcpp::NumericVector();
  return Rcpp::NumericVector(values.begin(), values.end());
}

Rcpp::List model_to_list(const moe::Model& model) {
  return Rcpp::List::create(
      Rcpp::_["family"] = moe::to_string(model.experts.family), Rcpp::_["experts"] = model.experts.coef,
      Rcpp::_["gate"] = model.gate.coef,
      Rcpp::_["sigma"] = moe::has_scale(model.experts.family)
                             ? Rcpp::NumericVector(model.experts.sigma.begin(), model.experts.sigma.end())
                             : Rcpp::NumericVector(),
      Rcpp::_["theta"] = when_family(model, moe::Family::negbin, model.experts.shape),
      Rcpp::_["shape"] = when_family(model, moe::Family::gamma, model.experts.shape),
      Rcpp::_["nu"] = when_family(model, moe::Family::t, model.experts.shape),
      Rcpp::_["nu_fixed"] = model.experts.shape_fixed,
      Rcpp::_["common_sigma"] = model.experts.common_sigma,
      Rcpp::_["shared"] = Rcpp::IntegerVector(Rcpp::IntegerVector(model.experts.shared.begin(), model.experts.shared.end()) + 1),
      Rcpp::_["point_mass"] = as_numeric(model.experts.point_mass),
      Rcpp::_["n_levels"] = static_cast<int>(model.experts.levels));
}

// The predicted rates of a summary with standard errors as a list (NaN where
// not valid, with a note).
Rcpp::List local_rates_list(const moe::FitSummary& summary) {
  const moe::PredictedLinearRates& p = summary.rates;
  Rcpp::NumericVector slowest;
  Rcpp::CharacterVector blocks;
  for (const moe::DirectionShare& d : p.em_slowest_direction) {
    slowest.push_back(d.share);
    blocks.push_back(d.block);
  }
  slowest.attr("names") = blocks;
  return Rcpp::List::create(
      Rcpp::_["valid"] = summary.rates_valid, Rcpp::_["note"] = summary.rates_note, Rcpp::_["method"] = p.method,
      Rcpp::_["em"] = p.em,
      Rcpp::_["missing_fractions"] = Rcpp::NumericVector(p.missing_fractions.begin(), p.missing_fractions.end()),
      Rcpp::_["em_slowest_direction"] = slowest,
      Rcpp::_["gradient_best_step"] = p.gradient_best_step, Rcpp::_["gradient_best"] = p.gradient_best);
}

// What the search saw (search_report.hpp); NULL for a fit from given parameters.
SEXP search_to_list(const moe::SearchReport& report) {
  if (report.screened == 0) return R_NilValue;
  const std::size_t m = report.maxima.size();
  Rcpp::NumericVector loglik(m);
  Rcpp::IntegerVector starts(m), moves(m);
  Rcpp::LogicalVector degenerate(m);
  for (std::size_t i = 0; i < m; ++i) {
    loglik[i] = report.maxima[i].loglik;
    starts[i] = static_cast<int>(report.maxima[i].starts);
    moves[i] = static_cast<int>(report.maxima[i].moves);
    degenerate[i] = report.maxima[i].degenerate;
  }
  return Rcpp::List::create(
      Rcpp::_["screened"] = static_cast<int>(report.screened), Rcpp::_["redrawn"] = static_cast<int>(report.redrawn),
      Rcpp::_["finalists"] = static_cast<int>(report.finalists),
      Rcpp::_["moves_tried"] = static_cast<int>(report.moves_tried),
      Rcpp::_["moves_kept"] = static_cast<int>(report.moves_kept), Rcpp::_["best_init"] = report.best_init,
      Rcpp::_["maxima"] = Rcpp::DataFrame::create(Rcpp::_["loglik"] = loglik, Rcpp::_["starts"] = starts,
                                                  Rcpp::_["moves"] = moves, Rcpp::_["degenerate"] = degenerate),
      Rcpp::_["warnings"] = report.warnings, Rcpp::_["start"] = model_to_list(report.start));
}

Rcpp::List fit_to_list(const moe::Fit& fit, const moe::Dataset& data, const moe::Method& method, bool se) {
  const moe::FitSummary summary = moe::summarize(fit, data, method, se);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::_["model"] = model_to_list(fit.model), Rcpp::_["loglik"] = fit.loglik,
      Rcpp::_["iterations"] = static_cast<int>(fit.iterations), Rcpp::_["converged"] = fit.converged,
      Rcpp::_["stop_reason"] = moe::to_string(fit.trace.stop_reason), Rcpp::_["message"] = fit.trace.message,
      Rcpp::_["best_start"] = static_cast<int>(fit.best_start + 1), Rcpp::_["start_logliks"] = fit.start_logliks,
      Rcpp::_["df"] = static_cast<int>(fit.model.n_free()), Rcpp::_["trace"] = trace_frame(fit.trace),
      Rcpp::_["linear_rate"] = summary.linear_rate, Rcpp::_["snr"] = summary.snr, Rcpp::_["icl"] = summary.icl,
      Rcpp::_["boundary_warning"] = summary.boundary_warning);
  out["multistart"] = search_to_list(fit.search);
  if (summary.se) {
    const moe::StandardErrors& e = *summary.se;
    out["se"] = Rcpp::List::create(Rcpp::_["experts"] = e.experts, Rcpp::_["gate"] = e.gate,
                                   Rcpp::_["sigma"] = Rcpp::NumericVector(e.sigma.begin(), e.sigma.end()),
                                   Rcpp::_["theta"] = when_family(fit.model, moe::Family::negbin, e.shape),
                                   Rcpp::_["shape"] = when_family(fit.model, moe::Family::gamma, e.shape),
                                   Rcpp::_["nu"] = when_family(fit.model, moe::Family::t, e.shape),
                                   Rcpp::_["valid"] = e.valid, Rcpp::_["note"] = e.note,
                                   Rcpp::_["covariance"] = e.covariance,
                                   Rcpp::_["estimates"] = Rcpp::NumericVector(e.estimates.begin(), e.estimates.end()),
                                   Rcpp::_["parameters"] = e.parameters);
    out["local_rates"] = local_rates_list(summary);
  }
  return out;
}

}  // namespace

Rcpp::DataFrame trace_frame(const moe::Trace& trace) {
  const std::size_t n = trace.rows.size();
  Rcpp::IntegerVector iteration(n);
  Rcpp::NumericVector loglik(n), delta(n), change(n), seconds(n), grad(n), error(n);
  for (std::size_t i = 0; i < n; ++i) {
    const moe::TraceRow& r = trace.rows[i];
    iteration[i] = static_cast<int>(r.iteration);
    loglik[i] = r.loglik;
    delta[i] = r.delta;
    change[i] = r.param_change;
    seconds[i] = r.seconds;
    grad[i] = r.grad_norm;
    error[i] = r.param_error;
  }
  return Rcpp::DataFrame::create(Rcpp::_["iteration"] = iteration, Rcpp::_["loglik"] = loglik,
                                 Rcpp::_["delta"] = delta, Rcpp::_["param_change"] = change,
                                 Rcpp::_["seconds"] = seconds, Rcpp::_["grad_norm"] = grad,
                                 Rcpp::_["param_error"] = error);
}

moe::MethodSettings settings_from(const Rcpp::List& control, double seed, bool verbose) {
  moe::MethodSettings s;
  s.control.max_iter = Rcpp::as<unsigned>(control["max_iter"]);
  s.control.tol = Rcpp::as<double>(control["tol"]);
  s.control.starts = Rcpp::as<unsigned>(control["starts"]);
  s.control.init = moe::parse_init(Rcpp::as<std::string>(control["init"]));
  s.control.screening_iterations = Rcpp::as<unsigned>(control["screening_iterations"]);
  s.control.finalists = Rcpp::as<unsigned>(control["finalists"]);
  s.control.split_merge = Rcpp::as<bool>(control["split_merge"]);
  s.control.prefer_finite = Rcpp::as<bool>(control["prefer_finite"]);
  s.control.threads = Rcpp::as<unsigned>(control["threads"]);
  s.control.seed = static_cast<std::uint64_t>(seed);
  s.relative_variance_floor = Rcpp::as<double>(control["variance_floor"]);
  s.batch_size = Rcpp::as<unsigned>(control["batch_size"]);
  if (control.containsElementNamed("nu")) s.fixed_nu = Rcpp::as<double>(control["nu"]);
  s.control.on_iteration = [verbose](arma::uword start, const moe::TraceRow& row) {
    Rcpp::checkUserInterrupt();
    if (verbose && row.iteration % 10 == 0)
      Rcpp::Rcout << "start " << start + 1 << "  iteration " << row.iteration << "  loglik "
                  << row.loglik << "\n";
  };
  return s;
}

// Fits by the named method ("em", "gem", "mirror:0.5", "gd", "gd:0.1", "adam:0.01"):
// from `starts` initializations, or from `start` (a model list), or from
// starting responsibilities `R0` (n×K); `weights`: frequency weights, `offset`:
// the experts' offsets, `trials`: binomial trials (each n, or empty); `shared`:
// the columns of X (from 1) whose coefficient all experts share; `group`: each
// row's group (from 1, or empty) and `group_names` their names; `point_mass`: the
// value of a point-mass last expert, or numeric(0) for none.
// [[Rcpp::export]]
Rcpp::List moe_fit_cpp(const arma::vec& y, const Rcpp::NumericMatrix& X, const Rcpp::NumericMatrix& Z,
                       const arma::vec& weights, const arma::vec& offset, const arma::vec& trials, int K,
                       const std::string& family,
                       const std::string& method,
                       const Rcpp::List& control, double seed, Rcpp::Nullable<Rcpp::List> start,
                       Rcpp::Nullable<Rcpp::NumericMatrix> R0, bool se, bool verbose,
                       const Rcpp::IntegerVector& shared, const Rcpp::IntegerVector& group,
                       const std::vector<std::string>& group_names, const Rcpp::NumericVector& point_mass) {
  moe::Dataset data = make_data(y, X, Z);
  data.point_mass = optional_number(point_mass);
  data.weights = weights;
  data.offset = offset;
  data.trials = trials;
  data.shared_columns = from_one(shared, "the shared columns");
  data.group = from_one(group, "the group numbers");
  data.group_names = group_names;
  const moe::Method m = moe::make_method(method, settings_from(control, seed, verbose));
  m.require_family(moe::parse_family(family));
  const bool common_sigma = Rcpp::as<bool>(control["common_sigma"]);
  moe::Fit fit;
  if (start.isNotNull()) {
    fit = m.fit_from(data, model_from_list(Rcpp::List(start)));
  } else if (R0.isNotNull()) {
    moe::EMOptions init;
    init.relative_variance_floor = Rcpp::as<double>(control["variance_floor"]);
    const arma::mat R = Rcpp::as<arma::mat>(Rcpp::NumericMatrix(R0));
    moe::validate(data, moe::parse_family(family), R.n_cols);
    fit = m.fit_from(data, moe::EM(init).model_from(data, R, moe::parse_family(family), common_sigma));
  } else {
    fit = m.fit(data, static_cast<arma::uword>(K), moe::parse_family(family), common_sigma);
  }
  return fit_to_list(fit, data, m, se);
}

// The bootstrap of a fit (bootstrap.hpp): `model` (list as returned above)
// fitted by `method` with `control` to the rows y, X, Z with their weights,
// offsets, trials and groups (from 1) (each n, or empty); B replicates of
// `type` drawn from `seed`. The parameters' names, the fit's values, their
// observed-information standard errors (NaN when not valid), the bootstrap's
// and its `level` percentile intervals, the replicates' parameters (one row
// each) and log-likelihoods, and what went wrong.
// [[Rcpp::export]]
Rcpp::List moe_boot_cpp(const Rcpp::List& model, const arma::vec& y, const Rcpp::NumericMatrix& X,
                        const Rcpp::NumericMatrix& Z, const arma::vec& weights, const arma::vec& offset,
                        const arma::vec& trials, const Rcpp::IntegerVector& group, const std::string& method,
                        const Rcpp::List& control, int B, const std::string& type, double seed, double level,
                        bool verbose) {
  const moe::Model fitted = model_from_list(model);
  moe::Dataset data = make_data(y, X, Z);
  data.weights = weights;
  data.offset = offset;
  data.trials = trials;
  data.group = from_one(group, "the group numbers");
  data.shared_columns = fitted.experts.shared;
  data.point_mass = fitted.experts.point_mass;
  moe::BootstrapOptions options;
  options.replicates = static_cast<arma::uword>(B);
  options.type = moe::parse_bootstrap_type(type);
  options.seed = static_cast<std::uint64_t>(seed);
  options.threads = Rcpp::as<unsigned>(control["threads"]);
  options.progress = [verbose, B](arma::uword done) {
    Rcpp::checkUserInterrupt();
    if (verbose && done % 10 == 0) Rcpp::Rcout << "bootstrap replicate " << done << "/" << B << "\n";
  };
  const moe::Method m = moe::make_method(method, settings_from(control, seed, false));
  const moe::Bootstrap b = moe::bootstrap(data, fitted, m, options);
  return bootstrap_list(b, level, moe::natural_standard_errors(fitted, moe::standard_errors(fitted, data)));
}

Rcpp::List bootstrap_list(const moe::Bootstrap& b, double level, const arma::vec& se_information) {
  return Rcpp::List::create(
      Rcpp::_["names"] = b.names, Rcpp::_["estimates"] = b.estimates, Rcpp::_["se_information"] = se_information,
      Rcpp::_["se_bootstrap"] = b.standard_errors(), Rcpp::_["interval"] = b.percentile_intervals(level),
      Rcpp::_["replicates"] = b.replicates, Rcpp::_["logliks"] = b.logliks,
      Rcpp::_["relabelled"] = static_cast<double>(b.relabelled),
      Rcpp::_["not_converged"] = static_cast<double>(b.not_converged), Rcpp::_["failed"] = static_cast<double>(b.failed),
      Rcpp::_["first_failure"] = b.first_failure);
}

// ℓ, responsibilities and predictions of a model (list as returned above), with
// the experts' offsets, binomial trials and groups (from 1) (each n, or empty).
// [[Rcpp::export]]
Rcpp::List moe_evaluate_cpp(const Rcpp::List& model, const arma::vec& y, const Rcpp::NumericMatrix& X,
                            const Rcpp::NumericMatrix& Z, const arma::vec& offset, const arma::vec& trials,
                            bool with_y, const Rcpp::IntegerVector& group) {
  const moe::Model m = model_from_list(model);
  moe::Dataset data = make_data(y, X, Z);
  data.offset = offset;
  data.trials = trials;
  data.group = from_one(group, "the group numbers");
  const moe::Prediction p = moe::predict(m, data.X, data.Z, data.offset);
  Rcpp::List out = Rcpp::List::create(Rcpp::_["mean"] = Rcpp::NumericVector(p.mean.begin(), p.mean.end()),
                                      Rcpp::_["gate"] = p.gate, Rcpp::_["experts"] = p.experts,
                                      Rcpp::_["levels"] = p.levels, Rcpp::_["expert_levels"] = p.expert_levels);
  if (with_y) {
    double loglik = 0.0;
    out["posterior"] = moe::responsibilities(m, data, &loglik);
    out["loglik"] = loglik;
  }
  return out;
}

// Draws of y from a model (list as returned above) at the designs X and Z and
// the experts' offsets, binomial trials and groups (from 1; one expert per
// group) (each n, or empty), one column per draw, from one generator
// seeded with `seed`; `labels` (same shape) holds the expert of each draw,
// numbered from 1.
// [[Rcpp::export]]
Rcpp::List moe_sample_cpp(const Rcpp::List& model, const Rcpp::NumericMatrix& X, const Rcpp::NumericMatrix& Z,
                          const arma::vec& offset, const arma::vec& trials, int draws, double seed,
                          const Rcpp::IntegerVector& group) {
  const arma::uvec groups = from_one(group, "the group numbers");
  const moe::Model m = model_from_list(model);
  const arma::mat x = Rcpp::as<arma::mat>(X), z = Rcpp::as<arma::mat>(Z);
  moe::Rng rng(static_cast<std::uint64_t>(seed));
  arma::mat y(x.n_rows, static_cast<arma::uword>(draws));
  arma::umat labels(x.n_rows, static_cast<arma::uword>(draws));
  for (int d = 0; d < draws; ++d) {
    arma::uvec expert;
    y.col(d) = moe::sample(m, x, z, rng, &expert, offset, trials, groups);
    labels.col(d) = expert + 1;
  }
  return Rcpp::List::create(Rcpp::_["y"] = y, Rcpp::_["labels"] = arma::conv_to<arma::mat>::from(labels));
}

// The predicted ratio of successive gaps ℓ* − ℓ_t (ρ², local_rates.hpp) of each
// named method at `model` on the data, NaN for methods without a fixed rate, and
// the best fixed gradient step with its rate; `note` says why all are NaN when
// the model is not a strict maximum.
// [[Rcpp::export]]
Rcpp::List moe_predicted_rates_cpp(const Rcpp::List& model, const arma::vec& y, const Rcpp::NumericMatrix& X,
                                   const Rcpp::NumericMatrix& Z, const arma::vec& weights, const arma::vec& offset,
                                   const arma::vec& trials, const Rcpp::IntegerVector& group,
                                   const std::vector<std::string>& methods, const Rcpp::List& control) {
  moe::Dataset data = make_data(y, X, Z);
  data.weights = weights;
  data.offset = offset;
  data.trials = trials;
  data.group = from_one(group, "the group numbers");
  const moe::LocalRates rates(model_from_list(model), data);
  const moe::MethodSettings settings = settings_from(control, 0.0, false);
  Rcpp::NumericVector predicted(methods.size());
  for (std::size_t i = 0; i < methods.size(); ++i)
    predicted[i] = std::pow(moe::make_method(methods[i], settings).local_rate(rates), 2);
  const moe::PredictedLinearRates at_best = moe::predicted_linear_rates(rates, arma::datum::nan);
  return Rcpp::List::create(Rcpp::_["predicted"] = predicted, Rcpp::_["note"] = rates.note(),
                            Rcpp::_["gradient_best_step"] = at_best.gradient_best_step,
                            Rcpp::_["gradient_best"] = at_best.gradient_best);
}

// The `probs` quantiles of the predictive mixture at every row (n × probs), with
// the experts' offsets and binomial trials (each n, or empty).
// [[Rcpp::export]]
arma::mat moe_quantiles_cpp(const Rcpp::List& model, const Rcpp::NumericMatrix& X, const Rcpp::NumericMatrix& Z,
                            const arma::vec& offset, const arma::vec& trials, const arma::vec& probs) {
  return moe::predictive_quantiles(model_from_list(model), Rcpp::as<arma::mat>(X), Rcpp::as<arma::mat>(Z), probs, offset,
                                   trials);
}

// t experts: each row's scale weight (predictive.hpp's scale_weights) at y, with
// the experts' offsets (n, or empty).
// [[Rcpp::export]]
arma::vec moe_scale_weights_cpp(const Rcpp::List& model, const arma::vec& y, const Rcpp::NumericMatrix& X,
                                const Rcpp::NumericMatrix& Z, const arma::vec& offset) {
  moe::Dataset data = make_data(y, X, Z);
  data.offset = offset;
  return moe::scale_weights(model_from_list(model), data);
}

// The randomized probability integral transform of y at every row
// (predictive.hpp), uniforms drawn from a generator seeded with `seed`, with
// the experts' offsets and binomial trials (each n, or empty).
// [[Rcpp::export]]
arma::vec moe_pit_cpp(const Rcpp::List& model, const arma::vec& y, const Rcpp::NumericMatrix& X,
                      const Rcpp::NumericMatrix& Z, const arma::vec& offset, const arma::vec& trials, double seed) {
  moe::Rng rng(static_cast<std::uint64_t>(seed));
  return moe::randomized_pit(model_from_list(model), Rcpp::as<arma::mat>(X), Rcpp::as<arma::mat>(Z), y, rng, offset,
                             trials);
}

// Writes the model file (io.hpp) of `model` with the names its designs are
// built from.
// [[Rcpp::export]]
void moe_write_cpp(const Rcpp::List& model, const std::string& response, const std::vector<std::string>& x,
                   const std::vector<std::string>& x_fixed, const std::vector<std::string>& z, bool intercept,
                   const std::string& offset, const std::string& group, const std::vector<std::string>& levels,
                   const std::string& path) {
  const moe::Model m = model_from_list(model);
  moe::write_model_file(path, m,
                        moe::Specification{response, x, z, intercept, offset, "", x_fixed, group, m.experts.point_mass, levels});
}

// Reads a model file (io.hpp): the model and its specification.
// [[Rcpp::export]]
Rcpp::List moe_read_cpp(const std::string& path) {
  const moe::SavedModel saved = moe::read_model_file(path);
  return Rcpp::List::create(Rcpp::_["model"] = model_to_list(saved.model), Rcpp::_["response"] = saved.spec.response,
                            Rcpp::_["x"] = saved.spec.x, Rcpp::_["x_fixed"] = saved.spec.x_fixed,
                            Rcpp::_["z"] = saved.spec.z,
                            Rcpp::_["intercept"] = saved.spec.intercept, Rcpp::_["offset"] = saved.spec.offset,
                            Rcpp::_["group"] = saved.spec.group, Rcpp::_["levels"] = saved.spec.levels,
                            Rcpp::_["df"] = static_cast<double>(saved.model.n_free()));
}

// The registry of estimators (methods.hpp): one row per method.
// [[Rcpp::export]]
Rcpp::DataFrame moe_methods_cpp() {
  std::vector<std::string> name, usage, parameter, need, parameter_help, help;
  std::vector<double> default_value;
  for (const moe::MethodEntry& e : moe::method_registry()) {
    name.push_back(e.name);
    usage.push_back(moe::method_usage(e));
    parameter.push_back(e.parameter.name);
    const auto n = e.parameter.need;
    using Need = moe::MethodParameter::Need;
    need.push_back(n == Need::none ? "none" : n == Need::optional ? "optional" : "required");
    default_value.push_back(e.parameter.default_value.value_or(NA_REAL));
    parameter_help.push_back(e.parameter.help);
    help.push_back(e.help);
  }
  return Rcpp::DataFrame::create(Rcpp::_["name"] = name, Rcpp::_["usage"] = usage, Rcpp::_["step"] = need,
                                 Rcpp::_["step_default"] = default_value, Rcpp::_["step_help"] = parameter_help,
                                 Rcpp::_["help"] = help, Rcpp::_["stringsAsFactors"] = false);
}

// Throws, with the reason, when the estimator `method` ("mirror:0.5") cannot fit
// experts of `family`: moe_compare() asks before its first fit.
// [[Rcpp::export]]
void moe_check_method_cpp(const std::string& method, const std::string& family) {
  moe::make_method(method, moe::MethodSettings{}).require_family(moe::parse_family(family));
}

// The registry of families (family.hpp): one row per family.
// [[Rcpp::export]]
Rcpp::DataFrame moe_families_cpp() {
  std::vector<std::string> name, link, response, dispersion, help;
  std::vector<bool> scale;
  for (const moe::FamilyEntry& e : moe::family_registry()) {
    name.push_back(e.name);
    link.push_back(e.link);
    response.push_back(e.response);
    scale.push_back(e.has_scale);
    dispersion.push_back(e.dispersion);
    help.push_back(e.help);
  }
  return Rcpp::DataFrame::create(Rcpp::_["name"] = name, Rcpp::_["link"] = link, Rcpp::_["response"] = response,
                                 Rcpp::_["scale"] = scale, Rcpp::_["dispersion"] = dispersion, Rcpp::_["help"] = help,
                                 Rcpp::_["stringsAsFactors"] = false);
}

// The core's defaults of the iteration control and the search (estimator.hpp,
// methods.hpp), which moe() and moe_control() must repeat.
// [[Rcpp::export]]
Rcpp::List moe_defaults_cpp() {
  const moe::MethodSettings s;
  const moe::IterationControl& c = s.control;
  return Rcpp::List::create(
      Rcpp::_["max_iter"] = static_cast<double>(c.max_iter), Rcpp::_["tol"] = c.tol,
      Rcpp::_["init"] = moe::to_string(c.init), Rcpp::_["screening_iterations"] = static_cast<double>(c.screening_iterations),
      Rcpp::_["finalists"] = static_cast<double>(c.finalists), Rcpp::_["split_merge"] = c.split_merge,
      Rcpp::_["prefer_finite"] = c.prefer_finite,
      Rcpp::_["variance_floor"] = s.relative_variance_floor, Rcpp::_["batch_size"] = static_cast<double>(s.batch_size),
      Rcpp::_["starts"] = static_cast<double>(c.starts));
}
