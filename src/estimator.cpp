#include "moe/estimator.hpp"

#include <algorithm>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "moe/error.hpp"
#include "moe/matching.hpp"
#include "parallel.h"

namespace moe {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TraceRow row_for(arma::uword iteration, const Model& model, const Posterior& posterior, double loglik,
                 const IterationControl& control) {
  TraceRow row;
  row.iteration = iteration;
  row.loglik = loglik;
  row.grad_norm = control.record_gradient ? arma::norm(posterior.gradient(model)) : arma::datum::nan;
  if (control.truth) row.param_error = parameter_error(model, *control.truth).experts;
  return row;
}

void finish(Fit& fit, const Dataset& data) {
  fit.iterations = fit.trace.rows.back().iteration;
  fit.converged = fit.trace.stop_reason == StopReason::converged;
  const double d = static_cast<double>(fit.model.n_free());
  fit.aic = -2.0 * fit.loglik + 2.0 * d;
  fit.bic = -2.0 * fit.loglik + d * std::log(data.total_weight());
}

}  // namespace

std::uint64_t start_seed(std::uint64_t seed, arma::uword start) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (start + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

IterationControl recording(IterationControl control, bool record_gradient) {
  control.record_gradient = control.record_gradient && record_gradient;
  return control;
}

void validate(const IterationControl& control, const char* who) {
  require(control.kernels != nullptr, who, "kernels must not be null");
  require(control.starts >= 1, who, "starts must be at least 1");
  require(control.tol >= 0.0, who, "tol must be non-negative");
}

arma::uword finalists_of(const IterationControl& control) {
  constexpr arma::uword kLeastAutomatic = 15;
  const arma::uword automatic = std::max(kLeastAutomatic, (control.starts + 1) / 2);
  return std::min(control.finalists == 0 ? automatic : control.finalists, control.starts);
}

Fit iterate(const Dataset& data, Model model, Posterior& posterior, const Step& step,
            const IterationControl& control, arma::uword start_index) {
  const KernelThreads row_threads(control.threads);  // one thread inside the search's parallel runs
  const auto t0 = Clock::now();
  Fit fit;
  fit.best_start = start_index;
  double loglik = posterior.update(model);
  fit.trace.rows.push_back(row_for(0, model, posterior, loglik, control));
  fit.trace.rows.back().seconds = seconds_since(t0);
  fit.trace.stop_reason = StopReason::max_iter;
  for (arma::uword it = 1; it <= control.max_iter; ++it) {
    Model next;
    double next_loglik = 0.0;
    try {
      next = step(model);
      if (!pack(next).is_finite()) throw numerical_error("a parameter is not finite after the step");
      next_loglik = posterior.update(next);
      if (!std::isfinite(next_loglik))
        throw numerical_error("the log-likelihood is not finite after the step");
    } catch (const numerical_error& e) {
      fit.trace.stop_reason = StopReason::numerical_error;
      fit.trace.message = e.what();
      break;
    }
    const arma::vec before = pack(model);
    TraceRow row = row_for(it, next, posterior, next_loglik, control);
    row.delta = next_loglik - loglik;
    row.param_change = arma::norm(pack(next) - before) / (1.0 + arma::norm(before));
    row.seconds = seconds_since(t0);
    const double previous = loglik;
    model = std::move(next);
    loglik = next_loglik;
    fit.trace.rows.push_back(row);
    if (control.on_iteration && on_calling_thread()) control.on_iteration(start_index, row);
    if (control.tol > 0.0 && std::abs(row.delta) <= control.tol * std::abs(previous)) {
      const double start = fit.trace.rows.front().loglik;
      const bool below_start = loglik < start - control.tol * std::abs(start);
      fit.trace.stop_reason = below_start ? StopReason::diverged : StopReason::converged;
      break;
    }
  }
  const double start = fit.trace.rows.front().loglik;
  if (fit.trace.stop_reason == StopReason::max_iter && loglik < start - std::max(control.tol, 1e-8) * std::abs(start)) {
    fit.trace.stop_reason = StopReason::diverged;  // not a maximum, whatever the iteration limit
    char message[160];
    std::snprintf(message, sizeof message,
                  "the log-likelihood ended below where it started (%.10g, from %.10g): the steps are too long",
                  loglik, start);
    fit.trace.message = message;
  }
  fit.model = std::move(model);
  fit.loglik = loglik;
  fit.start_logliks = {loglik};
  finish(fit, data);
  return fit;
}

Fit continued(const Fit& head, Fit tail) {
  const TraceRow& last = head.trace.rows.back();
  std::vector<TraceRow> rows = head.trace.rows;
  for (auto row = tail.trace.rows.begin() + 1; row != tail.trace.rows.end(); ++row) {
    rows.push_back(*row);
    rows.back().iteration += last.iteration;
    rows.back().seconds += last.seconds;
  }
  tail.trace.rows = std::move(rows);
  tail.iterations = tail.trace.rows.back().iteration;
  tail.best_start = head.best_start;
  return tail;
}

}  // namespace moe
