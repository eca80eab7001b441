#include "moe/em.hpp"

#include <chrono>
#include <cmath>

#include "moe/error.hpp"

namespace moe {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Independent, reproducible seed for each start (SplitMix64 finalizer).
std::uint64_t start_seed(std::uint64_t seed, arma::uword start) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (start + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void set_criteria(Fit& fit, arma::uword n) {
  const double d = static_cast<double>(fit.model.n_free());
  fit.aic = -2.0 * fit.loglik + 2.0 * d;
  fit.bic = -2.0 * fit.loglik + d * std::log(static_cast<double>(n));
}

}  // namespace

EM::EM(EMOptions options) : options_(std::move(options)) {
  require(options_.kernels != nullptr, "EM", "kernels must not be null");
  require(options_.starts >= 1, "EM", "starts must be at least 1");
  require(options_.tol >= 0.0, "EM", "tol must be non-negative");
  if (!options_.exact_gate) options_.gate.max_iter = 1;
}

ExpertMStepOptions EM::expert_options(const Dataset& data) const {
  ExpertMStepOptions experts = options_.experts;
  const double var_y = data.n() > 1 ? arma::var(data.y) : 1.0;
  experts.variance_floor = options_.relative_variance_floor * (var_y > 0.0 ? var_y : 1.0);
  return experts;
}

Model EM::m_step(const Dataset& data, const arma::mat& R, const Model& current) const {
  Model next = current;
  update_experts(next.experts, data, R, expert_options(data), *options_.kernels);
  update_gate(next.gate, data.Z, R, options_.gate, *options_.kernels);
  return next;
}

Model EM::model_from_responsibilities(const Dataset& data, const arma::mat& R, Family family,
                                      bool common_sigma) const {
  const arma::uword K = R.n_cols;
  Model shape{Gate::uniform(data.Z.n_cols, K),
              Experts{family, arma::zeros(data.X.n_cols, K), arma::vec(), common_sigma}};
  if (family == Family::gaussian)
    shape.experts.sigma = arma::vec(K, arma::fill::value(std::max(arma::stddev(data.y), 1e-8)));
  return m_step(data, R, shape);
}

Fit EM::fit(const Dataset& data, arma::uword K, Family family, bool common_sigma) const {
  validate(data, family, K);
  Fit best;
  std::vector<double> logliks;
  for (arma::uword s = 0; s < options_.starts; ++s) {
    Rng rng(start_seed(options_.seed, s));
    const arma::mat R0 = initial_responsibilities(options_.init, data, K, rng);
    Fit fit = run(data, model_from_responsibilities(data, R0, family, common_sigma), s);
    logliks.push_back(fit.loglik);
    if (s == 0 || fit.loglik > best.loglik) best = std::move(fit);
  }
  best.start_logliks = logliks;
  return best;
}

Fit EM::fit_from(const Dataset& data, const Model& start) const {
  validate(data, start.experts.family, start.K());
  require(start.experts.coef.n_rows == data.X.n_cols && start.gate.coef.n_rows == data.Z.n_cols,
          "EM::fit_from", "the starting model does not match the data's designs");
  Fit fit = run(data, start, 0);
  fit.start_logliks = {fit.loglik};
  return fit;
}

Fit EM::run(const Dataset& data, Model model, arma::uword start) const {
  const Kernels& kernels = *options_.kernels;
  const auto t0 = Clock::now();
  Fit fit;
  fit.best_start = start;
  double loglik = 0.0;
  arma::mat R = responsibilities(model, data, &loglik, kernels);
  fit.trace.rows.push_back({0, loglik, arma::datum::nan, arma::datum::nan, seconds_since(t0)});
  fit.trace.stop_reason = StopReason::max_iter;
  for (arma::uword it = 1; it <= options_.max_iter; ++it) {
    Model next;
    double next_loglik = 0.0;
    arma::mat next_R;
    try {
      next = m_step(data, R, model);
      next_R = responsibilities(next, data, &next_loglik, kernels);
      if (!std::isfinite(next_loglik))
        throw numerical_error("the log-likelihood is not finite after the M-step");
    } catch (const numerical_error& e) {
      fit.trace.stop_reason = StopReason::numerical_error;
      fit.trace.message = e.what();
      break;
    }
    const arma::vec before = pack(model);
    const double change = arma::norm(pack(next) - before) / (1.0 + arma::norm(before));
    const double delta = next_loglik - loglik;
    const double previous = loglik;
    model = std::move(next);
    R = std::move(next_R);
    loglik = next_loglik;
    fit.trace.rows.push_back({it, loglik, delta, change, seconds_since(t0)});
    if (options_.on_iteration) options_.on_iteration(start, fit.trace.rows.back());
    if (options_.tol > 0.0 && std::abs(delta) <= options_.tol * std::abs(previous)) {
      fit.trace.stop_reason = StopReason::converged;
      break;
    }
  }
  fit.model = std::move(model);
  fit.loglik = loglik;
  fit.iterations = fit.trace.rows.back().iteration;
  fit.converged = fit.trace.stop_reason == StopReason::converged;
  set_criteria(fit, data.n());
  return fit;
}

}  // namespace moe
