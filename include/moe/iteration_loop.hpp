#pragma once
/// @file iteration_loop.hpp
/// The loop of every iterative estimator, whatever its model: the experts of
/// one response (estimator.hpp's iterate) and those of several
/// (multivariate_methods.hpp). It runs one step at a time until ℓ stops
/// changing, records a Trace row per iteration and says why it stopped.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include <armadillo>

#include "moe/error.hpp"
#include "moe/trace.hpp"

namespace moe {

/// What the loop needs to know of a model type M besides its step.
template <typename M>
struct IterationHooks {
  /// ℓ at a model, after which the step may read whatever it needs of that
  /// model's E-step; may throw moe::numerical_error.
  std::function<double(const M&)> evaluate;
  /// The parameters as one vector (for ‖Δθ‖ and the check that all are finite).
  std::function<arma::vec(const M&)> pack;
  /// Fills in what a row records beyond ℓ, Δℓ, ‖Δθ‖ and time (‖∇ℓ‖, the
  /// parameter error), right after evaluate() at that model; may be empty.
  std::function<void(const M&, TraceRow&)> annotate;
  /// Called after every iteration with its row; may be empty.
  std::function<void(const TraceRow&)> on_iteration;
};

template <typename M>
struct Iterated {
  M model;
  double loglik = 0.0;
  Trace trace;
};

/// Runs `step` from `model` until |Δℓ| ≤ tol·|ℓ| (converged; diverged when
/// ℓ then ends below its start by more than tol·|ℓ|) or max_iter iterations
/// (diverged too when ℓ ends below its start), or a step throws
/// moe::numerical_error or leaves a parameter or ℓ non-finite (the last good
/// model is kept). `hooks.evaluate` is called on every model before its step.
template <typename M>
Iterated<M> iterate_steps(M model, const std::function<M(const M&)>& step, const IterationHooks<M>& hooks,
                          arma::uword max_iter, double tol) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const auto row_at = [&](arma::uword iteration, const M& at, double loglik) {
    TraceRow row;
    row.iteration = iteration;
    row.loglik = loglik;
    if (hooks.annotate) hooks.annotate(at, row);
    row.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return row;
  };
  Iterated<M> out;
  double loglik = hooks.evaluate(model);
  out.trace.rows.push_back(row_at(0, model, loglik));
  out.trace.stop_reason = StopReason::max_iter;
  arma::vec theta = hooks.pack(model);
  for (arma::uword it = 1; it <= max_iter; ++it) {
    M next;
    arma::vec next_theta;
    double next_loglik = 0.0;
    try {
      next = step(model);
      next_theta = hooks.pack(next);
      if (!next_theta.is_finite()) throw numerical_error("a parameter is not finite after the step");
      next_loglik = hooks.evaluate(next);
      if (!std::isfinite(next_loglik)) throw numerical_error("the log-likelihood is not finite after the step");
    } catch (const numerical_error& e) {
      out.trace.stop_reason = StopReason::numerical_error;
      out.trace.message = e.what();
      break;
    }
    TraceRow row = row_at(it, next, next_loglik);
    row.delta = next_loglik - loglik;
    row.param_change = arma::norm(next_theta - theta) / (1.0 + arma::norm(theta));
    const double previous = loglik;
    model = std::move(next);
    theta = std::move(next_theta);
    loglik = next_loglik;
    out.trace.rows.push_back(row);
    if (hooks.on_iteration) hooks.on_iteration(row);
    if (tol > 0.0 && std::abs(row.delta) <= tol * std::abs(previous)) {
      const double start = out.trace.rows.front().loglik;
      out.trace.stop_reason = loglik < start - tol * std::abs(start) ? StopReason::diverged : StopReason::converged;
      break;
    }
  }
  const double start = out.trace.rows.front().loglik;
  if (out.trace.stop_reason == StopReason::max_iter && loglik < start - std::max(tol, 1e-8) * std::abs(start)) {
    out.trace.stop_reason = StopReason::diverged;  // not a maximum, whatever the iteration limit
    char message[160];
    std::snprintf(message, sizeof message,
                  "the log-likelihood ended below where it started (%.10g, from %.10g): the steps are too long",
                  loglik, start);
    out.trace.message = message;
  }
  out.model = std::move(model);
  out.loglik = loglik;
  return out;
}

}  // namespace moe
