#include "moe/estimator.hpp"

#include <algorithm>
#include <cmath>

#include "moe/error.hpp"
#include "moe/iteration_loop.hpp"
#include "moe/matching.hpp"
#include "parallel.h"

namespace moe {
namespace {

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
  IterationHooks<Model> hooks;
  hooks.evaluate = [&posterior](const Model& m) { return posterior.update(m); };
  hooks.pack = [](const Model& m) { return pack(m); };
  hooks.annotate = [&](const Model& m, TraceRow& row) {
    if (control.record_gradient) row.grad_norm = arma::norm(posterior.gradient(m));
    if (control.truth) row.param_error = parameter_error(m, *control.truth).experts;
  };
  if (control.on_iteration)
    hooks.on_iteration = [&](const TraceRow& row) {
      if (on_calling_thread()) control.on_iteration(start_index, row);
    };
  Iterated<Model> run = iterate_steps<Model>(std::move(model), step, hooks, control.max_iter, control.tol);
  Fit fit;
  fit.best_start = start_index;
  fit.model = std::move(run.model);
  fit.loglik = run.loglik;
  fit.trace = std::move(run.trace);
  fit.start_logliks = {fit.loglik};
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
