#include "moe/multivariate_methods.hpp"

#include <memory>
#include <stdexcept>
#include <string>

#include "moe/error.hpp"
#include "moe/iteration_loop.hpp"
#include "moe/multivariate_information.hpp"
#include "moe/squarem.hpp"

namespace moe {
namespace {

MultivariateModel unpack_into(const MultivariateModel& shape, const arma::vec& theta) { return unpack(theta, shape); }

// `f()`, with Armadillo's failed factorizations (a covariance that a long step
// left not positive definite) thrown as moe::numerical_error, which ends a run
// with its last good model.
template <typename F>
auto numerically(F f) -> decltype(f()) {
  try {
    return f();
  } catch (const numerical_error&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw numerical_error(std::string("a covariance is not positive definite: ") + e.what());
  }
}

arma::vec packed(const MultivariateModel& m) {
  return numerically([&] { return pack(m); });
}

}  // namespace

MultivariateRun iterate(const MultivariateData& data, const MultivariateModel& start, MultivariatePosterior& posterior,
                        const MultivariateStep& step, const IterationControl& control) {
  IterationHooks<MultivariateModel> hooks;
  hooks.evaluate = [&posterior](const MultivariateModel& m) { return posterior.update(m); };
  hooks.pack = packed;
  if (control.record_gradient)
    hooks.annotate = [&data](const MultivariateModel& m, TraceRow& row) {
      try {
        row.grad_norm = arma::norm(gradient(m, data));
      } catch (const std::runtime_error&) {  // a covariance not positive definite: the row says NaN
      }
    };
  if (control.on_iteration)
    hooks.on_iteration = [&control](const TraceRow& row) { control.on_iteration(0, row); };
  Iterated<MultivariateModel> run = iterate_steps<MultivariateModel>(start, step, hooks, control.max_iter, control.tol);
  return MultivariateRun{std::move(run.model), run.loglik, std::move(run.trace)};
}

MultivariateRun em_multivariate(const MultivariateData& data, const MultivariateModel& start,
                                const IterationControl& control, bool accelerated) {
  MultivariatePosterior posterior(data);
  MultivariateStep step = [&data, &posterior](const MultivariateModel& current) {
    return maximize(data, posterior.responsibilities(), current.experts.structure, current.gate);
  };
  if (accelerated)
    step = squarem<MultivariateModel>(
        std::move(step), [&posterior](const MultivariateModel& m) { return posterior.update(m); },
        packed, unpack_into);
  return iterate(data, start, posterior, step, control);
}

MultivariateRun gradient_multivariate(const MultivariateData& data, const MultivariateModel& start,
                                      const GradientOptions& options) {
  require(options.batch_size == 0 || options.batch_size >= data.n(), "gradient_multivariate",
          "mini-batches are not available for several responses: use the full batch (batch size 0)");
  const double n = data.total_weight();
  auto state = std::make_shared<StepRuleState>();
  auto posterior = std::make_shared<MultivariatePosterior>(data);
  // The loop has just evaluated `current` in `posterior`: its responsibilities
  // give ∇ℓ (Fisher's identity) and its ℓ the line search's start, without
  // another E-step.
  const MultivariateStep step = [&data, &options, n, state, posterior](const MultivariateModel& current) {
    const arma::vec theta = packed(current);
    const arma::vec g = numerically([&] { return complete_gradient(current, data, posterior->responsibilities()); }) / n;
    if (options.rule != StepRule::armijo) return unpack(ascend(theta, g, options, *state), current);
    const auto f = [&](const arma::vec& trial) {
      try {
        return loglik(unpack(trial, current), data) / n;
      } catch (const std::runtime_error&) {  // not positive definite: no increase there
        return -arma::datum::inf;
      }
    };
    const std::optional<arma::vec> next = armijo_ascent(theta, g, posterior->loglik() / n, f, options, *state);
    return next ? unpack(*next, current) : current;
  };
  return iterate(data, start, *posterior, step, options.control);
}

}  // namespace moe
