#include "model_json.hpp"

#include <filesystem>
#include <fstream>

#include "moe/diagnostics.hpp"
#include "moe/error.hpp"

namespace moe::cli {
namespace {

using nlohmann::json;

json columns_to_json(const arma::mat& M) {
  json out = json::array();
  for (arma::uword k = 0; k < M.n_cols; ++k)
    out.push_back(arma::conv_to<std::vector<double>>::from(M.col(k)));
  return out;
}

arma::mat columns_from_json(const json& j, arma::uword rows, arma::uword cols, const char* what) {
  require(j.is_array() && j.size() == cols, "read_model", std::string(what) + " must list " +
                                                             std::to_string(cols) + " columns");
  arma::mat M(rows, cols);
  for (arma::uword k = 0; k < cols; ++k) {
    const auto values = j[k].get<std::vector<double>>();
    require(values.size() == rows, "read_model",
            std::string(what) + " column " + std::to_string(k + 1) + " must have " +
                std::to_string(rows) + " values");
    M.col(k) = arma::vec(values);
  }
  return M;
}

}  // namespace

Dataset dataset_from(const Table& table, const Specification& spec, bool with_response) {
  Dataset data;
  data.X = make_design(table.columns(spec.x), spec.intercept);
  data.Z = make_design(table.columns(spec.z), spec.intercept);
  data.x_names = design_names(spec.x, spec.intercept);
  data.z_names = design_names(spec.z, spec.intercept);
  data.y = with_response ? table.column(spec.response) : arma::vec(table.n_rows(), arma::fill::zeros);
  if (!spec.offset.empty()) data.offset = table.column(spec.offset);
  return data;
}

json model_to_json(const Model& model, const Specification& spec) {
  json j;
  j["family"] = to_string(model.experts.family);
  j["K"] = model.K();
  j["response"] = spec.response;
  j["x"] = spec.x;
  j["z"] = spec.z;
  j["intercept"] = spec.intercept;
  if (!spec.offset.empty()) j["offset"] = spec.offset;
  j["common_sigma"] = model.experts.common_sigma;
  j["experts"]["names"] = design_names(spec.x, spec.intercept);
  j["experts"]["coef"] = columns_to_json(model.experts.coef);
  if (model.experts.family == Family::gaussian)
    j["experts"]["sigma"] = arma::conv_to<std::vector<double>>::from(model.experts.sigma);
  j["gate"]["names"] = design_names(spec.z, spec.intercept);
  j["gate"]["coef"] = columns_to_json(model.gate.coef);
  j["gate"]["reference"] = model.K();
  return j;
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
          {"moves_tried", report.moves_tried},
          {"moves_kept", report.moves_kept},
          {"best_init", report.best_init},
          {"maxima", maxima},
          {"warnings", report.warnings}};
}

json fit_to_json(const Fit& fit, const Specification& spec, const FitRecord& record) {
  json j = model_to_json(fit.model, spec);
  j["method"] = record.method;
  j["n"] = record.n;
  if (!record.weights.empty()) {
    j["weights"] = record.weights;
    j["total_weight"] = record.total_weight;
  }
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
  j["linear_rate"] = diagnose(fit.trace, fit.loglik).linear_rate;
  j["snr_estimate"] = record.snr;
  if (!record.local_rates.is_null()) j["local_rates"] = record.local_rates;
  if (record.se) {
    j["se"]["valid"] = record.se->valid;
    if (!record.se->valid) j["se"]["note"] = record.se->note;
    j["se"]["experts"] = columns_to_json(record.se->experts);
    j["se"]["gate"] = columns_to_json(record.se->gate);
    if (fit.model.experts.family == Family::gaussian)
      j["se"]["sigma"] = arma::conv_to<std::vector<double>>::from(record.se->sigma);
    j["se"]["parameters"] = record.se->parameters;  // the covariance's rows and columns (log σ, not σ)
    if (record.se->valid) j["se"]["covariance"] = columns_to_json(record.se->covariance);
  }
  j["trace"] = trace_to_json(fit.trace);
  return j;
}

SavedModel model_from_json(const json& j) {
  require(j.is_object(), "read_model", "a model file holds one JSON object");
  try {
    SavedModel saved;
    saved.spec.response = j.value("response", std::string("y"));
    saved.spec.x = j.at("x").get<std::vector<std::string>>();
    saved.spec.z = j.at("z").get<std::vector<std::string>>();
    saved.spec.intercept = j.at("intercept").get<bool>();
    saved.spec.offset = j.value("offset", std::string());
    const arma::uword K = j.at("K").get<arma::uword>();
    const arma::uword p = saved.spec.x.size() + saved.spec.intercept;
    const arma::uword q = saved.spec.z.size() + saved.spec.intercept;
    require(K >= 1 && p >= 1 && q >= 1, "read_model", "K and both designs must be non-empty");
    Model& m = saved.model;
    m.experts.family = parse_family(j.at("family").get<std::string>());
    m.experts.common_sigma = j.value("common_sigma", false);
    m.experts.coef = columns_from_json(j.at("experts").at("coef"), p, K, "experts.coef");
    m.gate.coef = columns_from_json(j.at("gate").at("coef"), q, K, "gate.coef");
    if (m.experts.family == Family::gaussian)
      m.experts.sigma = arma::vec(j.at("experts").at("sigma").get<std::vector<double>>());
    validate_model(m, "read_model");
    return saved;
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("moe::read_model(): ") + e.what());
  }
}

SavedModel read_model_file(const std::string& path) {
  require(!std::filesystem::is_directory(path), "read_model", "'" + path + "' is a directory");
  std::ifstream in(path);
  require(in.good(), "read_model", "cannot open '" + path + "'");
  json parsed;
  try {
    parsed = json::parse(in);
  } catch (const json::exception& e) {
    throw std::invalid_argument("moe::read_model(): '" + path + "' is not valid JSON: " + e.what());
  }
  try {
    return model_from_json(parsed);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("'" + path + "': " + e.what());
  } catch (const json::exception& e) {  // a field of the wrong type, or missing
    throw std::invalid_argument("moe::read_model(): '" + path + "' is not a model written by moe fit --out: " +
                                e.what());
  }
}

}  // namespace moe::cli
