#include "moe/fit_summary.hpp"

#include "moe/diagnostics.hpp"
#include "moe/selection.hpp"

namespace moe {

FitSummary summarize(const Fit& fit, const Dataset& data, const Method& method, bool with_standard_errors) {
  FitSummary s;
  s.linear_rate = diagnose(fit.trace, fit.loglik).linear_rate;
  s.snr = snr_estimate(fit.model, data.X, data.offset, data.weights);
  s.icl = icl(fit, data);
  s.boundary_warning = boundary_warnings(fit.model, data);
  if (!with_standard_errors) return s;
  const arma::mat information = observed_information(fit.model, data);  // for both
  s.se = standard_errors(fit.model, data, information);
  const LocalRates rates(fit.model, data, information);
  s.rates_valid = rates.valid();
  s.rates_note = rates.note();
  s.rates = predicted_linear_rates(rates, method.local_rate(rates));
  return s;
}

}  // namespace moe
