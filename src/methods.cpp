#include "moe/methods.hpp"

#include <cmath>
#include <memory>

#include "finite_number.h"
#include "moe/error.hpp"
#include "moe/gradient.hpp"
#include "moe/mirror.hpp"

namespace moe {
namespace {

const char* const known =
    "em, gem, mirror:ETA, gd, gd:STEP, gradient-em:STEP, adam, adam:RATE";

double number_after_colon(const std::string& spec, double fallback) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos) return fallback;
  const std::string text = spec.substr(colon + 1);
  const std::optional<double> value = finite_number(text);
  require(value.has_value(), "make_method", "'" + text + "' in '" + spec + "' is not a number");
  return *value;
}

// Wraps an estimator object (EM, MirrorDescent, GradientDescent) as a Method.
template <typename Estimator>
Method wrap(const std::string& name, Estimator estimator) {
  auto shared = std::make_shared<const Estimator>(std::move(estimator));
  return Method{name,
                [shared](const Dataset& d, arma::uword K, Family f, bool common) {
                  return shared->fit(d, K, f, common);
                },
                [shared](const Dataset& d, const Model& start) { return shared->fit_from(d, start); }};
}

EMOptions em_options(const MethodSettings& s, bool exact_gate) {
  EMOptions o;
  o.control = s.control;
  o.exact_gate = exact_gate;
  o.relative_variance_floor = s.relative_variance_floor;
  return o;
}

GradientOptions gradient_options(const MethodSettings& s, StepRule rule, double step) {
  GradientOptions o;
  o.control = s.control;
  o.rule = rule;
  o.step = step;
  o.batch_size = s.batch_size;
  return o;
}

}  // namespace

Method make_method(const std::string& spec, const MethodSettings& settings) {
  const std::string kind = spec.substr(0, spec.find(':'));
  const bool has_number = spec.find(':') != std::string::npos;
  if ((kind == "em" || kind == "gem") && !has_number)
    return wrap(spec, EM(em_options(settings, kind == "em")));
  if (kind == "mirror" && has_number) {
    MirrorOptions o;
    o.em = em_options(settings, true);
    o.step = number_after_colon(spec, 0.0);
    return wrap(spec, MirrorDescent(o));
  }
  if (kind == "gd" && !has_number)
    return wrap(spec, GradientDescent(gradient_options(settings, StepRule::armijo, 1.0)));
  if ((kind == "gd" || kind == "gradient-em") && has_number)
    return wrap(spec, GradientDescent(gradient_options(settings, StepRule::fixed,
                                                       number_after_colon(spec, 0.0))));
  if (kind == "adam")
    return wrap(spec, GradientDescent(gradient_options(settings, StepRule::adam,
                                                       number_after_colon(spec, 0.01))));
  throw std::invalid_argument("moe::make_method(): unknown method '" + spec + "' (use " + known + ")");
}

}  // namespace moe
