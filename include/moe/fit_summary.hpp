#pragma once
/// @file fit_summary.hpp
/// What every door reports about a fit beyond its parameters, computed once
/// here so that the command line and R say the same: the observed linear rate
/// of its trace, the SNR estimate, ICL, the boundary warning, and, when asked
/// (they cost the observed information, one Hessian by differences), the
/// standard errors and the predicted rates of the method and of EM at the fit.

#include <optional>
#include <string>

#include "moe/local_rates.hpp"
#include "moe/methods.hpp"
#include "moe/standard_errors.hpp"

namespace moe {

struct FitSummary {
  double linear_rate = arma::datum::nan;  ///< diagnose(): the median ratio of successive gaps
  double snr = arma::datum::nan;          ///< snr_estimate() at the data
  double icl = arma::datum::nan;          ///< selection.hpp's icl()
  std::string boundary_warning;           ///< diagnostics.hpp's, the experts' and the gate's, "; " between (empty: none)
  /// With standard errors: those, and the predicted rates (valid or with a note why not).
  std::optional<StandardErrors> se;
  bool rates_valid = false;
  std::string rates_note;
  PredictedLinearRates rates;
};

/// The summary of `fit` of `data` made by `method`; with_standard_errors
/// adds the standard errors and the predicted rates.
FitSummary summarize(const Fit& fit, const Dataset& data, const Method& method, bool with_standard_errors);

}  // namespace moe
