#include "model_json.hpp"

#include "../json_columns.h"
#include "moe/error.hpp"

namespace moe::cli {

using nlohmann::json;

json local_rates_json(const FitSummary& summary) {
  if (!summary.rates_valid) return {{"valid", false}, {"note", summary.rates_note}};
  const PredictedLinearRates& p = summary.rates;
  json slowest = json::array();
  for (const DirectionShare& d : p.em_slowest_direction) slowest.push_back({{"block", d.block}, {"share", d.share}});
  return {{"valid", true},
          {"method", p.method},
          {"em", p.em},
          {"missing_fractions", arma::conv_to<std::vector<double>>::from(p.missing_fractions)},
          {"em_slowest_direction", slowest},
          {"gradient_best_step", p.gradient_best_step},
          {"gradient_best", p.gradient_best}};
}

json trace_to_json(const Trace& trace) {
  json rows = json::array();
  for (const TraceRow& r : trace.rows)
    rows.push_back({{"iteration", r.iteration}, {"loglik", r.loglik}, {"delta", r.delta},
                    {"param_change", r.param_change}, {"seconds", r.seconds},
                    {"grad_norm", r.grad_norm}, {"param_error", r.param_error}});
  return rows;
}

// What the search saw (search_report.hpp), with its settings.
json search_to_json(const SearchReport& report, const IterationControl& control) {
  json maxima = json::array();
  for (const LocalMaximum& m : report.maxima)
    maxima.push_back({{"loglik", m.loglik}, {"starts", m.starts}, {"moves", m.moves}, {"degenerate", m.degenerate}});
  return {{"screened", report.screened},
          {"screening_iterations", control.screening_iterations},
          {"finalists", report.finalists},
          {"redrawn", report.redrawn},
          {"split_merge", control.split_merge},
          {"prefer_finite", control.prefer_finite},
          {"moves_tried", report.moves_tried},
          {"moves_kept", report.moves_kept},
          {"best_init", report.best_init},
          {"maxima", maxima},
          {"warnings", report.warnings}};
}

json fit_to_json(const Fit& fit, const Specification& spec, const FitRecord& record) {
  json j = json::parse(model_json(fit.model, spec));  // the model file (io.hpp), then the record
  j["method"] = record.method;
  j["n"] = record.n;
  if (!record.weights.empty()) {
    j["weights"] = record.weights;
    j["total_weight"] = record.total_weight;
  }
  if (record.groups > 0) j["n_groups"] = record.groups;
  j["df"] = fit.model.n_free();
  j["loglik"] = fit.loglik;
  j["aic"] = fit.aic;
  j["bic"] = fit.bic;
  j["iterations"] = fit.iterations;
  j["converged"] = fit.converged;
  j["stop_reason"] = to_string(fit.trace.stop_reason);
  if (!fit.trace.message.empty()) j["message"] = fit.trace.message;
  j["tol"] = record.control.tol;
  j["max_iter"] = record.control.max_iter;
  j["seed"] = record.control.seed;
  j["init"] = to_string(record.control.init);
  j["starts"] = record.control.starts;
  j["best_start"] = fit.best_start + 1;
  j["start_logliks"] = fit.start_logliks;
  if (fit.search.screened > 0) j["search"] = search_to_json(fit.search, record.control);
  j["loglik_decreases"] = fit.trace.decreases();
  j["seconds"] = fit.trace.rows.back().seconds;
  const FitSummary& summary = record.summary;
  j["linear_rate"] = summary.linear_rate;
  j["snr_estimate"] = summary.snr;
  j["icl"] = summary.icl;
  j["boundary_warning"] = summary.boundary_warning;  // "" when none
  if (summary.se) j["local_rates"] = local_rates_json(summary);
  if (const auto& se = summary.se) {
    j["se"]["valid"] = se->valid;
    if (!se->valid) j["se"]["note"] = se->note;
    j["se"]["experts"] = columns_to_json(se->experts);
    j["se"]["gate"] = columns_to_json(se->gate);
    if (fit.model.experts.has_dispersion())  // "sigma", "theta" or "shape"
      j["se"][family_entry(fit.model.experts.family).dispersion] = arma::conv_to<std::vector<double>>::from(
          se->dispersion());
    if (fit.model.experts.has_free_nu()) j["se"]["nu"] = arma::conv_to<std::vector<double>>::from(se->shape);
    j["se"]["parameters"] = se->parameters;  // the covariance's rows and columns (log σ, log θ or log ν)
    if (se->valid) j["se"]["covariance"] = columns_to_json(se->covariance);
  }
  j["trace"] = trace_to_json(fit.trace);
  return j;
}

}  // namespace moe::cli
