#pragma once
// The record of a fit that `moe fit --out` writes: the model file (io.hpp)
// with how the fit was made, its search, standard errors, rates and trace.

#include <nlohmann/json.hpp>
#include <string>

#include "moe/estimator.hpp"
#include "moe/io.hpp"
#include "moe/fit_summary.hpp"

namespace moe::cli {

/// How a fit was made, for its JSON record.
struct FitRecord {
  std::string method;
  IterationControl control;
  arma::uword n = 0;
  std::string weights;  // the weights' column, or empty
  double total_weight = 0.0;
  arma::uword groups = 0;  // G with --group, else 0
  FitSummary summary;  // fit_summary.hpp: rates, SNR, ICL, standard errors
};

nlohmann::json fit_to_json(const Fit& fit, const Specification& spec, const FitRecord& record);
nlohmann::json trace_to_json(const Trace& trace);
/// The predicted rates of a summary with standard errors (fit.json "local_rates").
nlohmann::json local_rates_json(const FitSummary& summary);
/// The search's report (fit.json "search") with the settings it ran with.
nlohmann::json search_to_json(const SearchReport& report, const IterationControl& control);

}  // namespace moe::cli
