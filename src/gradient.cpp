#include "moe/gradient.hpp"

#include <cmath>
#include <memory>

#include "moe/error.hpp"
#include "moe/search.hpp"

namespace moe {
namespace {

EMOptions initializer_options(const GradientOptions& options) {
  EMOptions em;
  em.control = options.control;
  em.experts.fixed_nu = options.fixed_nu;
  return em;
}

// Armijo's step for a model of one response; the current model when no step
// gives sufficient increase.
Model armijo(const Model& current, const Dataset& data, const arma::mat& R, const GradientOptions& o,
             StepRuleState& s) {
  const Kernels& kernels = *o.control.kernels;
  const double n = data.total_weight();
  const auto f = [&](const arma::vec& theta) { return log_likelihood(unpack(current, theta), data, kernels) / n; };
  const std::optional<arma::vec> next = armijo_ascent(pack(current), gradient_at(current, data, R, kernels) / n,
                                                      log_likelihood(current, data, kernels) / n, f, o, s);
  return next ? unpack(current, *next) : current;
}

}  // namespace

arma::vec ascend(const arma::vec& theta, const arma::vec& g, const GradientOptions& o, StepRuleState& s) {
  if (o.rule != StepRule::adam) return theta + o.step * g;
  if (s.m.n_elem != g.n_elem) s.m.zeros(g.n_elem), s.v.zeros(g.n_elem);
  s.t += 1.0;
  s.m = o.adam_beta1 * s.m + (1.0 - o.adam_beta1) * g;
  s.v = o.adam_beta2 * s.v + (1.0 - o.adam_beta2) * arma::square(g);
  const arma::vec m_hat = s.m / (1.0 - std::pow(o.adam_beta1, s.t));
  const arma::vec v_hat = s.v / (1.0 - std::pow(o.adam_beta2, s.t));
  return theta + o.step * m_hat / (arma::sqrt(v_hat) + o.adam_epsilon);
}

std::optional<arma::vec> armijo_ascent(const arma::vec& theta, const arma::vec& g, double f_theta,
                                       const std::function<double(const arma::vec&)>& f, const GradientOptions& o,
                                       StepRuleState& s) {
  const double slope = arma::dot(g, g);
  for (double t = s.armijo_step > 0.0 ? 2.0 * s.armijo_step : o.step; t >= 1e-12; t *= 0.5) {
    const arma::vec trial = theta + t * g;
    const double after = f(trial);
    if (std::isfinite(after) && after >= f_theta + o.armijo_c * t * slope) {
      s.armijo_step = t;
      return trial;
    }
  }
  return std::nullopt;
}

StepRule parse_step_rule(const std::string& name) {
  if (name == "fixed") return StepRule::fixed;
  if (name == "armijo") return StepRule::armijo;
  if (name == "adam") return StepRule::adam;
  throw std::invalid_argument("moe::parse_step_rule(): unknown step rule '" + name +
                              "' (use fixed, armijo or adam)");
}

std::string to_string(StepRule rule) {
  switch (rule) {
    case StepRule::fixed: return "fixed";
    case StepRule::armijo: return "armijo";
    case StepRule::adam: return "adam";
  }
  return "unknown";
}

GradientAscent::GradientAscent(GradientOptions options)
    : options_(std::move(options)), initializer_(initializer_options(options_)) {
  require(options_.step > 0.0 && std::isfinite(options_.step), "GradientAscent",
          "the step must be positive");
  require(options_.armijo_c > 0.0 && options_.armijo_c < 1.0, "GradientAscent",
          "armijo_c must be in (0, 1)");
}

Step GradientAscent::make_step(const Dataset& data, const HostPosterior& posterior, arma::uword start) const {
  const GradientOptions& o = options_;
  require(!data.grouped() || o.batch_size == 0 || o.batch_size >= data.n(), "GradientAscent",
          "mini-batches would split the groups: use the full batch (batch size 0) with grouped data");
  auto state = std::make_shared<StepRuleState>();
  auto rng = std::make_shared<Rng>(start_seed(options_.control.seed ^ 0x6d696e69ULL, start));
  const Kernels& kernels = *o.control.kernels;
  const double n = data.total_weight();
  return [&data, &posterior, &o, &kernels, n, state, rng](const Model& current) {
    if (o.batch_size == 0 || o.batch_size >= data.n()) {
      const arma::mat& R = posterior.responsibilities();
      if (o.rule == StepRule::armijo) return armijo(current, data, R, o, *state);
      return unpack(current, ascend(pack(current), gradient_at(current, data, R, kernels) / n, o, *state));
    }
    arma::uvec order(data.n());
    for (arma::uword i = 0; i < order.n_elem; ++i) order(i) = i;
    for (arma::uword i = order.n_elem - 1; i > 0; --i) std::swap(order(i), order(rng->index(i + 1)));
    Model model = current;
    for (arma::uword first = 0; first < data.n(); first += o.batch_size) {
      const Dataset batch = rows_of(data, order.subvec(first, std::min(first + o.batch_size, data.n()) - 1));
      if (batch.total_weight() <= 0.0) continue;  // rows of weight 0 only: nothing to step on
      const arma::mat batch_R = responsibilities(model, batch, nullptr, kernels);
      if (o.rule == StepRule::armijo) {
        model = armijo(model, batch, batch_R, o, *state);
      } else {
        const arma::vec g = gradient_at(model, batch, batch_R, kernels) / batch.total_weight();
        model = unpack(model, ascend(pack(model), g, o, *state));
      }
    }
    return model;
  };
}

Fit GradientAscent::run(const Dataset& data, Model start, arma::uword s, bool record_gradient) const {
  HostPosterior posterior(data, *options_.control.kernels);
  return iterate(data, std::move(start), posterior, make_step(data, posterior, s),
                 recording(options_.control, record_gradient), s);
}

Fit GradientAscent::fit(const Dataset& data, arma::uword K, Family family, bool common_sigma) const {
  return search(data, K, family, common_sigma, initializer_,
                [&](const Dataset& rows, const Model& initial, const Fit&, arma::uword s, bool record_gradient) {
                  // mini-batches are drawn from the rows as given: merged rows would change them
                  return run(options_.batch_size == 0 ? rows : data, initial, s, record_gradient);
                });
}

Fit GradientAscent::fit_from(const Dataset& data, const Model& start) const {
  validate_start(data, start, "GradientAscent::fit_from");
  return run(data, start, 0);
}

}  // namespace moe
