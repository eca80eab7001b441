#include "simulation.hpp"

#include <algorithm>

#include "commands.hpp"

namespace moe::cli {

void add_random_model_options(CLI::App* cmd, RandomModelSpec& spec, bool standalone) {
  if (standalone) {
    cmd->add_option("-K,--experts", spec.K, "Experts (random model)")
        ->check(count_between(1, 1000))->capture_default_str();
    cmd->add_option("--family", spec.family, "Expert family: " + families_help())
        ->check(family_name())->capture_default_str();
    cmd->add_option("--point-mass", spec.point_mass,
                    "Make the last expert a point mass at this value (random model; e.g. 0 with a count family: "
                    "zero inflation)");
  }
  cmd->add_option("--p", spec.p, "Expert covariates (random model)")
      ->check(count_between(0, 10000))->capture_default_str();
  cmd->add_option("--q", spec.q, "Gate covariates (random model)")
      ->check(count_between(0, 10000))->capture_default_str();
  cmd->add_option("--separation", spec.separation,
                  "Standard deviation of the expert coefficients (random model; for poisson they act on "
                  "log-means: about 0.5 keeps counts moderate)")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--sigma", spec.sigma, "Noise standard deviation of every expert, the scale of t experts (random model)")
      ->check(positive_number())->capture_default_str();
  cmd->add_option("--shape,--theta", spec.shape,
                  "Shape of every negbin expert (its size theta, Var = mu + mu^2/theta) or gamma expert "
                  "(Var = mu^2/shape), or the degrees of freedom nu of every t expert (random model)")
      ->check(positive_number())->capture_default_str();
  cmd->add_option("--levels", spec.levels, "Levels of the response of multinomial experts, named 0, 1, ... (random model)")
      ->check(count_between(2, 1000))->capture_default_str();
  cmd->add_option("--gate-scale", spec.gate_scale,
                  "Standard deviation of the gate coefficients (random model)")
      ->check(positive_number(true))->capture_default_str();
}

SavedModel random_model(const RandomModelSpec& spec, Rng& rng) {
  SavedModel saved;
  saved.spec = Specification{"y", numbered("x", spec.p), numbered("z", spec.q), true, {}, {}, {}, {}, spec.point_mass, {}};
  Model& m = saved.model;
  m.experts.family = parse_family(spec.family);
  if (m.experts.family == Family::multinomial) {
    m.experts.levels = spec.levels;
    for (arma::uword c = 0; c < spec.levels; ++c) saved.spec.levels.push_back(std::to_string(c));
  }
  m.experts.coef.set_size((spec.p + 1) * (m.experts.levels > 1 ? m.experts.levels - 1 : 1), spec.K);
  m.experts.coef.imbue([&] { return spec.separation * rng.normal(); });
  if (has_scale(m.experts.family)) m.experts.sigma = arma::vec(spec.K, arma::fill::value(spec.sigma));
  if (has_shape(m.experts.family)) m.experts.shape = arma::vec(spec.K, arma::fill::value(spec.shape));
  m.gate.coef.set_size(spec.q + 1, spec.K);
  m.gate.coef.imbue([&] { return spec.gate_scale * rng.normal(); });
  m.gate.coef.col(spec.K - 1).zeros();
  m.experts.point_mass = spec.point_mass;
  if (spec.point_mass) m.experts.coef.col(spec.K - 1).zeros();  // not parameters
  validate_model(m, "random model");
  return saved;
}

Simulated simulate(const SavedModel& saved, arma::uword n, Rng& rng, double trials, arma::uword group_size) {
  const Specification& spec = saved.spec;
  std::vector<std::string> covariates = expert_covariates(spec);
  std::vector<std::string> more = spec.z;
  if (!spec.offset.empty()) more.push_back(spec.offset);  // offsets are drawn like the covariates
  for (const auto& name : more)
    if (std::find(covariates.begin(), covariates.end(), name) == covariates.end())
      covariates.push_back(name);
  arma::mat values(n, covariates.size());
  values.imbue([&] { return rng.normal(); });
  Simulated out;
  if (!spec.group.empty()) {
    out.data.group = arma::regspace<arma::uvec>(0, n - 1) / group_size;
    for (const auto& name : spec.z) {  // the gate's covariates: the group's first row's
      const arma::uword j = std::find(covariates.begin(), covariates.end(), name) - covariates.begin();
      for (arma::uword i = 0; i < n; ++i) values(i, j) = values(out.data.group(i) * group_size, j);
    }
  }
  out.names = {spec.response};
  out.names.insert(out.names.end(), covariates.begin(), covariates.end());
  auto pick = [&](const std::vector<std::string>& names) {
    arma::mat M(n, names.size());
    for (arma::uword j = 0; j < names.size(); ++j)
      M.col(j) = values.col(std::find(covariates.begin(), covariates.end(), names[j]) - covariates.begin());
    return M;
  };
  out.data.X = make_design(pick(expert_covariates(spec)), spec.intercept);
  out.data.Z = make_design(pick(spec.z), spec.intercept);
  out.data.x_names = design_names(expert_covariates(spec), spec.intercept);
  out.data.z_names = design_names(spec.z, spec.intercept);
  if (!spec.offset.empty()) out.data.offset = pick({spec.offset});
  out.data.point_mass = spec.point_mass;
  if (!spec.trials.empty()) {
    out.data.trials = arma::vec(n, arma::fill::value(trials));
    out.names.push_back(spec.trials);
  }
  out.data.y =
      sample(saved.model, out.data.X, out.data.Z, rng, nullptr, out.data.offset, out.data.trials, out.data.group);
  out.values = arma::join_horiz(out.data.y, values);
  if (!out.data.trials.is_empty()) out.values = arma::join_horiz(out.values, out.data.trials);
  if (out.data.grouped()) {
    out.names.push_back(spec.group);
    out.values = arma::join_horiz(out.values, arma::conv_to<arma::vec>::from(out.data.group) + 1.0);
  }
  return out;
}

}  // namespace moe::cli
