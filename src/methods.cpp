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
    "em, gem, squarem, mirror:ETA, gd, gd:STEP, gradient-em:STEP, adam, adam:RATE";

double no_prediction(const LocalRates&) { return arma::datum::nan; }

double number_after_colon(const std::string& spec, double fallback) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos) return fallback;
  const std::string text = spec.substr(colon + 1);
  const std::optional<double> value = finite_number(text);
  require(value.has_value(), "make_method", "'" + text + "' in '" + spec + "' is not a number");
  return *value;
}

// Wraps an estimator object (EM, MirrorDescent, GradientAscent) as a Method.
template <typename Estimator>
Method wrap(const std::string& name, Estimator estimator, std::function<double(const LocalRates&)> local_rate) {
  auto shared = std::make_shared<const Estimator>(std::move(estimator));
  return Method{name,
                [shared](const Dataset& d, arma::uword K, Family f, bool common) {
                  return shared->fit(d, K, f, common);
                },
                [shared](const Dataset& d, const Model& start) { return shared->fit_from(d, start); },
                std::move(local_rate)};
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
    return wrap(spec, EM(em_options(settings, kind == "em")), [](const LocalRates& r) { return r.em(); });
  if (kind == "squarem" && !has_number) {
    EMOptions o = em_options(settings, true);
    o.squarem = true;
    return wrap(spec, EM(o), no_prediction);  // extrapolation: no fixed linear map
  }
  if (kind == "mirror" && has_number) {
    MirrorOptions o;
    o.em = em_options(settings, true);
    o.step = number_after_colon(spec, 0.0);
    return wrap(spec, MirrorDescent(o), [eta = o.step](const LocalRates& r) { return r.mirror(eta); });
  }
  if (kind == "gd" && !has_number)
    return wrap(spec, GradientAscent(gradient_options(settings, StepRule::armijo, 1.0)), no_prediction);
  if ((kind == "gd" || kind == "gradient-em") && has_number) {
    const double step = number_after_colon(spec, 0.0);
    std::function<double(const LocalRates&)> rate = no_prediction;  // mini-batches: a random map
    if (settings.batch_size == 0) rate = [step](const LocalRates& r) { return r.gradient(step); };
    return wrap(spec, GradientAscent(gradient_options(settings, StepRule::fixed, step)), rate);
  }
  if (kind == "adam")
    return wrap(spec, GradientAscent(gradient_options(settings, StepRule::adam,
                                                       number_after_colon(spec, 0.01))), no_prediction);
  throw std::invalid_argument("moe::make_method(): unknown method '" + spec + "' (use " + known + ")");
}

}  // namespace moe
