#include "moe/diagnostics.hpp"

#include <cmath>

#include "moe/shape_family.hpp"

namespace moe {

Diagnostics diagnose(const Trace& trace, double best_loglik, double rel) {
  Diagnostics d;
  const TraceRow& last = trace.rows.back();
  d.iterations = last.iteration;
  d.seconds = last.seconds;
  d.final_loglik = last.loglik;
  d.decreases = trace.decreases().size();
  for (const TraceRow& row : trace.rows)
    if (row.loglik >= best_loglik - rel * std::abs(best_loglik)) {
      d.reached_target = true;
      d.iterations_to_target = row.iteration;
      d.seconds_to_target = row.seconds;
      break;
    }
  std::vector<double> ratios;
  const double floor = 1e-9 * std::abs(best_loglik);
  for (std::size_t t = 0; t + 1 < trace.rows.size(); ++t) {
    const double gap = best_loglik - trace.rows[t].loglik, next = best_loglik - trace.rows[t + 1].loglik;
    if (gap > floor && next > floor) ratios.push_back(next / gap);
  }
  if (!ratios.empty()) d.linear_rate = arma::median(arma::vec(ratios));
  return d;
}

namespace {

// The mean of v over the rows, each counted `weights` times (once when empty).
double row_mean(const arma::vec& v, const arma::vec& weights) {
  return weights.is_empty() ? arma::mean(v) : arma::dot(weights, v) / arma::accu(weights);
}

// The SNR of experts k and j from the linear predictors eta (n×K): the root
// mean square of η_k − η_j over a noise scale (see diagnostics.hpp).
double pair_snr(const Model& model, const arma::mat& eta, const arma::vec& weights, arma::uword k, arma::uword j) {
  const arma::vec difference = eta.col(k) - eta.col(j);
  if (const ShapeFamily* shaped = shape_family(model.experts.family)) {  // Var(log y) ≈ Var(y)/μ², the delta method
    const arma::uvec pair = {k, j};
    const arma::mat mu = arma::exp(eta.cols(pair));
    const arma::mat relative = shaped->variance(mu, model.experts.shape.elem(pair)) / arma::square(mu);
    return std::sqrt(row_mean(arma::square(difference) / arma::mean(relative, 1), weights));
  }
  switch (model.experts.family) {
    case Family::gaussian: {
      const arma::vec& sigma = model.experts.sigma;
      return std::sqrt(row_mean(arma::square(difference), weights) / (0.5 * (sigma(k) * sigma(k) + sigma(j) * sigma(j))));
    }
    case Family::binomial:
      return std::sqrt(row_mean(arma::square(difference), weights)) / (arma::datum::pi / std::sqrt(3.0));
    case Family::poisson: {  // 1/√μ: the standard deviation of log y, observation by observation
      const arma::vec mean_count = 0.5 * (arma::exp(eta.col(k)) + arma::exp(eta.col(j)));
      return std::sqrt(row_mean(arma::square(difference) % mean_count, weights));
    }
    default:
      return arma::datum::nan;
  }
}

}  // namespace

double snr_estimate(const Model& model, const arma::mat& X, const arma::vec& offset, const arma::vec& weights) {
  const arma::mat eta = linear_predictor(X, model.experts.coef, offset);
  double snr = arma::datum::inf;
  for (arma::uword k = 0; k < model.K(); ++k)
    for (arma::uword j = k + 1; j < model.K(); ++j) snr = std::min(snr, pair_snr(model, eta, weights, k, j));
  return snr;
}

std::string boundary_warning(const Model& model, const arma::mat& X, const arma::vec& offset) {
  constexpr double kLogTenEpsilon = 33.7;  // −log(10 ε), ε = 2.2e-16
  constexpr double kLogZeroRate = -30.0;   // a rate below 1e-13: no count but 0 is expected
  const Family family = model.experts.family;
  if (family == Family::gaussian || X.n_rows == 0) return "";
  const arma::mat eta = linear_predictor(X, model.experts.coef, offset);
  if (family == Family::binomial && arma::abs(eta).max() > kLogTenEpsilon)
    return "fitted probabilities numerically 0 or 1 occurred: an expert's classes may be perfectly separated "
           "(its coefficients then grow without bound)";
  if ((family == Family::poisson || family == Family::negbin) && eta.min() < kLogZeroRate)
    return "fitted rates numerically 0 occurred: an expert's counts may all be 0 where it is chosen "
           "(its coefficients then grow without bound)";
  return "";
}

std::string gate_separation_warning(const Model& model, const arma::mat& Z) {
  constexpr double kSaturatedLogOdds = 15.0;  // π within 3e-7 of 0 or 1
  const arma::uword K = model.K();
  if (K < 2 || Z.n_cols < 2 || Z.n_rows == 0) return "";
  const GateEvaluation gate(Z, model.gate.coef, cpu_kernels());
  const arma::mat log_odds_of_all = gate.log_probs() - arma::log1p(-gate.probs);  // log π/(1 − π); ±∞ when exact
  std::string separated;
  for (arma::uword k = 0; k < K; ++k) {
    const arma::vec log_odds = log_odds_of_all.col(k);
    if (arma::all(arma::abs(log_odds) > kSaturatedLogOdds) && arma::any(log_odds > 0.0) && arma::any(log_odds < 0.0))
      separated += (separated.empty() ? "" : ", ") + std::to_string(k + 1);
  }
  if (separated.empty()) return "";
  const bool one = separated.find(',') == std::string::npos;
  return "the gate's probability of expert " + separated + " is numerically 0 or 1 at every row: a hard boundary "
         "separates " + (one ? "its" : "their") + " rows from the others' (the gate's coefficients then grow without "
         "bound, and the log-likelihood approaches a supremum that no finite gate attains)";
}

std::string boundary_warnings(const Model& model, const Dataset& data) {
  const std::string experts = boundary_warning(model, data.X, data.offset);
  const std::string gate = gate_separation_warning(model, data.Z);
  return experts + (experts.empty() || gate.empty() ? "" : "; ") + gate;
}

}  // namespace moe
