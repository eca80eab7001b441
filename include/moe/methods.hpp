#pragma once
/// @file methods.hpp
/// The registry of estimators, by the names that the command line and R use:
/// a name alone ("em") or with its one number after a colon ("mirror:0.5").
/// method_registry() lists them with their parameter, its default and a help
/// line; `moe fit --help`, `moe compare --help`, R's moe_methods() and the
/// checks of every door derive from it. A new estimator is one entry in
/// src/methods.cpp (see docs/ARCHITECTURE.md, "Adding an estimator").

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "moe/estimator.hpp"
#include "moe/local_rates.hpp"

namespace moe {

struct MultivariateData;   // multivariate.hpp
struct MultivariateModel;  // multivariate.hpp
struct MultivariateRun;    // multivariate_methods.hpp

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
  /// Throws std::invalid_argument when it cannot fit experts of this family
  /// (mirror descent and negbin), so that a door can refuse before any fit runs.
  std::function<void(Family)> require_family;
  /// From a start for experts of several responses (multivariate_methods.hpp);
  /// empty where the estimator does not take them (require_several_responses).
  std::function<MultivariateRun(const MultivariateData&, const MultivariateModel& start)> fit_multivariate_from;
};

/// Throws std::invalid_argument, naming the estimators that do, unless
/// `method` fits experts of several responses.
void require_several_responses(const Method& method);

/// What every named estimator is built with.
struct MethodSettings {
  IterationControl control;
  double relative_variance_floor = 1e-5;
  arma::uword batch_size = 0;  // gradient methods: 0 = full batch
  double fixed_nu = 0.0;       // t experts: every ν_k held at this value; 0: estimated
};

/// The one number an estimator may take after its name.
struct MethodParameter {
  enum class Need { none, optional, required };
  Need need = Need::none;
  std::string name;                     ///< as help shows it, e.g. "ETA"
  std::optional<double> default_value;  ///< taken when the name comes alone (Need::optional)
  std::string help;                     ///< what it is, e.g. "the step, in (0, 1]"
};

/// One estimator of the registry.
struct MethodEntry {
  std::string name;  ///< "mirror"
  MethodParameter parameter;
  std::string help;  ///< one line
  /// Builds it from its parameter (the default filled in; nothing where the
  /// entry takes none or an optional one without default was left out).
  std::function<Method(const std::string& spec, std::optional<double> parameter, const MethodSettings&)> make;
};

/// Every estimator, in the order that help lists them.
const std::vector<MethodEntry>& method_registry();

/// How an entry is written: "em", "mirror:ETA", "gd[:STEP]".
std::string method_usage(const MethodEntry& entry);

/// The usages of the registry, comma-separated: for errors.
std::string method_usages();

/// One line on an entry for help texts: "mirror[:ETA]: mirror descent ...
/// (ETA: the step, in (0, 1]; mirror:1 is EM; default 0.5)".
std::string method_description(const MethodEntry& entry);

/// Builds the estimator that `spec` ("NAME" or "NAME:NUMBER") names; throws
/// std::invalid_argument ("moe::make_method(): ...") for an unknown name, a
/// missing or unwanted number, or text that is not a number.
Method make_method(const std::string& spec, const MethodSettings& settings);

}  // namespace moe
