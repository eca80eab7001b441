#pragma once
/// @file multivariate_methods.hpp
/// Estimators of experts with several responses (multivariate.hpp), each run
/// from a given model by iteration_loop.hpp's loop, as `moe compare` runs the
/// estimators of one response: EM, EM with SQUAREM (on pack()'s θ), and
/// gradient ascent on ℓ/n in multivariate_information.hpp's unconstrained θ
/// (log-Cholesky covariances) with Armijo steps, a fixed step (= gradient EM)
/// or Adam. The registry (methods.hpp) builds them by name; it has no
/// mirror descent for them (the blend of the model's own complete-data
/// statistics with the data's is not written for covariance structures),
/// no GEM (EM's gate step is its only Newton solve, as for one response) and
/// no mini-batches.

#include <functional>

#include "moe/estimator.hpp"
#include "moe/gradient.hpp"
#include "moe/multivariate.hpp"

namespace moe {

/// A run from one start.
struct MultivariateRun {
  MultivariateModel model;
  double loglik = 0.0;
  Trace trace;

  bool converged() const { return trace.stop_reason == StopReason::converged; }
  arma::uword iterations() const { return trace.rows.back().iteration; }
};

/// One iteration of an estimator: the next model from the current one.
using MultivariateStep = std::function<MultivariateModel(const MultivariateModel&)>;

/// Runs `step` from `start` (iterate_steps) with control.max_iter and
/// control.tol; ‖∇ℓ‖ in every row when control.record_gradient. The steps
/// that `posterior` serves (EM's) read the responsibilities of their input
/// from it, which the loop updates before every step.
MultivariateRun iterate(const MultivariateData& data, const MultivariateModel& start, MultivariatePosterior& posterior,
                        const MultivariateStep& step, const IterationControl& control);

/// EM from `start` (with SQUAREM's extrapolation when `accelerated`).
MultivariateRun em_multivariate(const MultivariateData& data, const MultivariateModel& start,
                                const IterationControl& control, bool accelerated = false);

/// Gradient ascent from `start` under options' rule and step; throws
/// std::invalid_argument for mini-batches (options.batch_size > 0).
MultivariateRun gradient_multivariate(const MultivariateData& data, const MultivariateModel& start,
                                      const GradientOptions& options);

}  // namespace moe
