#include "moe/mirror.hpp"

#include "moe/error.hpp"
#include "moe/search.hpp"

namespace moe {

MirrorDescent::MirrorDescent(MirrorOptions options) : options_(std::move(options)), em_(options_.em) {
  require(options_.step > 0.0 && options_.step <= 1.0, "MirrorDescent",
          "the step η must be in (0, 1]");
}

MirrorObjective mirror_objective(const Dataset& data, const Model& current, const arma::mat& R, double eta,
                                 const Kernels& kernels) {
  const ExpertStatistics posterior = posterior_statistics(data.weighted(R), data.y, data.trials);
  if (eta == 1.0) return {data.group_weighted(R), posterior};  // EM's: the model's own statistics do not enter
  const arma::mat Pi = arma::exp(current.gate.log_probs(data.Z, kernels));
  return {data.group_weighted(eta * R + (1.0 - eta) * Pi),
          blend(posterior, model_statistics(current.experts, data.X, data.weighted(Pi), data.offset, data.trials), eta)};
}

Model MirrorDescent::step(const Dataset& data, const Model& current, const arma::mat& R,
                          GateCurvature* curvature) const {
  const MirrorObjective objective = mirror_objective(data, current, R, options_.step, *options_.em.control.kernels);
  return em_.m_step(data, objective.stats, objective.targets, current, curvature);
}

bool MirrorDescent::takes(Family family) { return !has_shape(family) && family != Family::multinomial; }

void MirrorDescent::require_family(Family family) {
  const std::string what = family == Family::t             ? "scale weights"
                           : family == Family::multinomial ? "level probabilities"
                                                           : family_entry(family).dispersion;
  require(takes(family), "MirrorDescent",
          "mirror descent blends the data's statistics with the model's own, which do not determine a " +
              to_string(family) + " expert's " + what + ": use em, gem, squarem or a gradient method");
}

Fit MirrorDescent::run(const Dataset& data, Model start, arma::uword s, bool record_gradient) const {
  require_family(start.experts.family);
  HostPosterior posterior(data, *options_.em.control.kernels);
  GateCurvature curvature;  // as EM's run does
  const Step next = [&](const Model& current) {
    return step(data, current, posterior.responsibilities(), &curvature);
  };
  return iterate(data, std::move(start), posterior, next, recording(options_.em.control, record_gradient), s);
}

Fit MirrorDescent::fit(const Dataset& data, arma::uword K, Family family, bool common_sigma) const {
  return search(data, K, family, common_sigma, em_,
                [&](const Dataset& rows, const Model& initial, const Fit&, arma::uword s, bool record_gradient) {
                  return run(rows, initial, s, record_gradient);
                });
}

Fit MirrorDescent::fit_from(const Dataset& data, const Model& start) const {
  validate_start(data, start, "MirrorDescent::fit_from");
  return run(data, start, 0);
}

}  // namespace moe
