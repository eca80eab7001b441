#pragma once
/// @file methods.hpp
/// Estimators by name, as the command line and R name them:
///   em              EM, gate M-step by Newton to convergence
///   gem             generalized EM, one safeguarded Newton step for the gate
///   squarem         EM accelerated by SQUAREM (squarem.hpp)
///   mirror:ETA      mirror descent with step ETA in (0, 1] (mirror:1 is EM)
///   gd              gradient ascent with Armijo backtracking
///   gd:STEP         gradient ascent with a fixed step (on ℓ/n)
///   gradient-em:STEP  one gradient step on Q(· | θ_t): the same iteration as gd:STEP
///   adam[:RATE]     Adam (default rate 0.01)

#include <functional>
#include <string>

#include "moe/estimator.hpp"
#include "moe/local_rates.hpp"

namespace moe {

/// An estimator chosen at run time.
struct Method {
  std::string name;
  std::function<Fit(const Dataset&, arma::uword K, Family, bool common_sigma)> fit;
  std::function<Fit(const Dataset&, const Model& start)> fit_from;
  /// The factor by which its error shrinks per iteration near a maximum, from
  /// the rates there (local_rates.hpp): EM's for em and gem, mirror(η), the
  /// fixed-step gradient rate for full-batch gd:STEP; NaN where no fixed linear
  /// map exists (Armijo steps, Adam, mini-batches, SQUAREM).
  std::function<double(const LocalRates&)> local_rate;
};

/// What every named estimator is built with.
struct MethodSettings {
  IterationControl control;
  double relative_variance_floor = 1e-5;
  arma::uword batch_size = 0;  // gradient methods: 0 = full batch
};

/// Builds the estimator a name stands for; throws std::invalid_argument with the
/// list above for an unknown name or a bad number.
Method make_method(const std::string& spec, const MethodSettings& settings);

}  // namespace moe
