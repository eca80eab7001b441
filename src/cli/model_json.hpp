#pragma once
// Model files of the command line: the fitted parameters together with the
// specification (response and covariate names) needed to predict on new data.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "moe/csv.hpp"
#include <optional>

#include "moe/estimator.hpp"
#include "moe/standard_errors.hpp"

namespace moe::cli {

struct Specification {
  std::string response = "y";
  std::vector<std::string> x;  // expert covariates (without the intercept)
  std::vector<std::string> z;  // gate covariates (without the intercept)
  bool intercept = true;       // in both designs
  std::string offset;          // the column of the experts' offsets, or empty
};

/// Builds the data set of `spec` from a table; the response is read only when
/// `with_response` is true.
Dataset dataset_from(const Table& table, const Specification& spec, bool with_response);

nlohmann::json model_to_json(const Model& model, const Specification& spec);
/// How a fit was made, for its JSON record.
struct FitRecord {
  std::string method;
  IterationControl control;
  arma::uword n = 0;
  std::string weights;  // the weights' column, or empty
  double total_weight = 0.0;
  std::optional<StandardErrors> se;  // absent: not computed
  double snr = arma::datum::nan;     // snr_estimate of the fit at the data
  nlohmann::json local_rates;        // null: not computed
};

nlohmann::json fit_to_json(const Fit& fit, const Specification& spec, const FitRecord& record);
nlohmann::json trace_to_json(const Trace& trace);
/// The search's report (fit.json "search") with the settings it ran with.
nlohmann::json search_to_json(const SearchReport& report, const IterationControl& control);

struct SavedModel {
  Model model;
  Specification spec;
};

/// Reads what model_to_json (or fit_to_json) wrote; throws std::invalid_argument
/// naming the first missing or inconsistent field.
SavedModel model_from_json(const nlohmann::json& json);
SavedModel read_model_file(const std::string& path);

}  // namespace moe::cli
