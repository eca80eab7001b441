#include "moe/methods.hpp"

#include <cmath>
#include <cstdio>
#include <memory>

#include "finite_number.h"
#include "moe/error.hpp"
#include "moe/gradient.hpp"
#include "moe/mirror.hpp"
#include "moe/multivariate_methods.hpp"

namespace moe {
namespace {

double no_prediction(const LocalRates&) { return arma::datum::nan; }

// Wraps an estimator object (EM, MirrorDescent, GradientAscent) as a Method.
template <typename Estimator>
Method wrap(const std::string& name, Estimator estimator, std::function<double(const LocalRates&)> local_rate,
            std::function<void(Family)> require_family = [](Family) {}) {
  auto shared = std::make_shared<const Estimator>(std::move(estimator));
  return Method{name,
                [shared](const Dataset& d, arma::uword K, Family f, bool common) {
                  return shared->fit(d, K, f, common);
                },
                [shared](const Dataset& d, const Model& start) { return shared->fit_from(d, start); },
                std::move(local_rate), std::move(require_family), {}};
}

EMOptions em_options(const MethodSettings& s, bool exact_gate) {
  EMOptions o;
  o.control = s.control;
  o.exact_gate = exact_gate;
  o.relative_variance_floor = s.relative_variance_floor;
  o.experts.fixed_nu = s.fixed_nu;
  return o;
}

GradientOptions gradient_options(const MethodSettings& s, StepRule rule, double step) {
  GradientOptions o;
  o.control = s.control;
  o.rule = rule;
  o.step = step;
  o.batch_size = s.batch_size;
  o.fixed_nu = s.fixed_nu;
  return o;
}

using Need = MethodParameter::Need;

// `method` that also fits several responses with `fit`.
Method with_several_responses(Method method, std::function<MultivariateRun(const MultivariateData&, const MultivariateModel&)> fit) {
  method.fit_multivariate_from = std::move(fit);
  return method;
}

Method make_em(const std::string& spec, std::optional<double>, const MethodSettings& s) {
  return with_several_responses(wrap(spec, EM(em_options(s, true)), [](const LocalRates& r) { return r.em(); }),
                                [control = s.control](const MultivariateData& d, const MultivariateModel& start) {
                                  return em_multivariate(d, start, control);
                                });
}

Method make_gem(const std::string& spec, std::optional<double>, const MethodSettings& s) {
  return wrap(spec, EM(em_options(s, false)), [](const LocalRates& r) { return r.em(); });
}

Method make_squarem(const std::string& spec, std::optional<double>, const MethodSettings& s) {
  EMOptions o = em_options(s, true);
  o.squarem = true;
  return with_several_responses(wrap(spec, EM(o), no_prediction),  // extrapolation: no fixed linear map
                                [control = s.control](const MultivariateData& d, const MultivariateModel& start) {
                                  return em_multivariate(d, start, control, true);
                                });
}

// Gradient ascent with `o` for several responses.
std::function<MultivariateRun(const MultivariateData&, const MultivariateModel&)> gradient_for_several(GradientOptions o) {
  return [o](const MultivariateData& d, const MultivariateModel& start) { return gradient_multivariate(d, start, o); };
}

Method make_mirror(const std::string& spec, std::optional<double> eta, const MethodSettings& s) {
  MirrorOptions o;
  o.em = em_options(s, true);
  o.step = *eta;
  return wrap(spec, MirrorDescent(o), [eta = o.step](const LocalRates& r) { return r.mirror(eta); },
              MirrorDescent::require_family);
}

// gd alone: Armijo backtracking; gd:STEP and gradient-em:STEP: a fixed step.
Method make_gradient(const std::string& spec, std::optional<double> step, const MethodSettings& s) {
  const GradientOptions o = step ? gradient_options(s, StepRule::fixed, *step) : gradient_options(s, StepRule::armijo, 1.0);
  std::function<double(const LocalRates&)> rate = no_prediction;  // Armijo, mini-batches: no fixed linear map
  if (step && s.batch_size == 0) rate = [step = *step](const LocalRates& r) { return r.gradient(step); };
  return with_several_responses(wrap(spec, GradientAscent(o), rate), gradient_for_several(o));
}

Method make_adam(const std::string& spec, std::optional<double> rate, const MethodSettings& s) {
  const GradientOptions o = gradient_options(s, StepRule::adam, *rate);
  return with_several_responses(wrap(spec, GradientAscent(o), no_prediction), gradient_for_several(o));
}

// The number after the colon of `spec`, checked against what `entry` takes.
std::optional<double> parameter_of(const std::string& spec, const MethodEntry& entry) {
  const auto colon = spec.find(':');
  const MethodParameter& p = entry.parameter;
  if (colon == std::string::npos) {
    require(p.need != Need::required, "make_method",
            "'" + spec + "' needs a number: " + method_usage(entry) + " (" + p.help + ")");
    return p.default_value;
  }
  require(p.need != Need::none, "make_method", "'" + entry.name + "' takes no number (use " + entry.name + ")");
  const std::string text = spec.substr(colon + 1);
  const std::optional<double> value = finite_number(text);
  require(value.has_value(), "make_method", "'" + text + "' in '" + spec + "' is not a number");
  return value;
}

}  // namespace

const std::vector<MethodEntry>& method_registry() {
  static const std::vector<MethodEntry> registry{
      {"em", {}, "EM: the gate's M-step by Newton to convergence (mirror descent with unit step)", make_em},
      {"gem", {}, "generalized EM: one safeguarded Newton step for the gate per iteration", make_gem},
      {"squarem", {}, "EM accelerated by SQUAREM extrapolation (never lowers the log-likelihood)", make_squarem},
      {"mirror", {Need::optional, "ETA", 0.5, "the step, in (0, 1]; mirror:1 is EM"},
       "mirror descent with the complete-data KL divergence", make_mirror},
      {"gd", {Need::optional, "STEP", std::nullopt, "a fixed step on l/n; without it, Armijo backtracking"},
       "gradient ascent on the log-likelihood", make_gradient},
      {"gradient-em", {Need::required, "STEP", std::nullopt, "the step on Q/n"},
       "one gradient step on Q(. | theta_t) per iteration: the same iteration as gd:STEP", make_gradient},
      {"adam", {Need::optional, "RATE", 0.01, "the learning rate"}, "Adam on the log-likelihood", make_adam},
  };
  return registry;
}

void require_several_responses(const Method& method) {
  if (method.fit_multivariate_from) return;
  std::string takers;
  for (const MethodEntry& entry : method_registry()) {
    const std::optional<double> parameter = entry.parameter.need == Need::required ? std::optional<double>(1.0) : std::nullopt;
    if (entry.make(entry.name, parameter, MethodSettings{}).fit_multivariate_from)
      takers += (takers.empty() ? "" : ", ") + method_usage(entry);
  }
  throw std::invalid_argument("moe::make_method(): '" + method.name +
                              "' does not fit experts of several responses (those take " + takers + ")");
}

std::string method_usage(const MethodEntry& entry) {
  switch (entry.parameter.need) {
    case Need::none:
      return entry.name;
    case Need::optional:
      return entry.name + "[:" + entry.parameter.name + "]";
    case Need::required:
      break;
  }
  return entry.name + ":" + entry.parameter.name;
}

std::string method_usages() {
  std::string out;
  for (const MethodEntry& entry : method_registry()) out += (out.empty() ? "" : ", ") + method_usage(entry);
  return out;
}

std::string method_description(const MethodEntry& entry) {
  std::string out = method_usage(entry) + ": " + entry.help;
  const MethodParameter& p = entry.parameter;
  if (p.need == Need::none) return out;
  out += " (" + p.name + ": " + p.help;
  if (p.default_value) {
    char number[32];
    std::snprintf(number, sizeof number, "%.10g", *p.default_value);
    out += std::string("; default ") + number;
  }
  return out + ")";
}

Method make_method(const std::string& spec, const MethodSettings& settings) {
  const std::string name = spec.substr(0, spec.find(':'));
  for (const MethodEntry& entry : method_registry())
    if (entry.name == name) return entry.make(spec, parameter_of(spec, entry), settings);
  throw std::invalid_argument("moe::make_method(): unknown method '" + spec + "' (use " + method_usages() + ")");
}

}  // namespace moe
