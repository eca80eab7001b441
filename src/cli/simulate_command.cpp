// `moe simulate`: draw a data set from a given or a random model.
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "model_json.hpp"
#include "moe/error.hpp"
#include "moe/model.hpp"

namespace moe::cli {
namespace {

struct SimulateArgs {
  std::string model, out, truth, family = "gaussian";
  arma::uword n = 1000, K = 2, p = 1, q = 1;
  std::uint64_t seed = 1;
  double separation = 3.0, sigma = 1.0, gate_scale = 1.0;
};

// Expert coefficients ~ N(0, separation²), gate coefficients ~ N(0, gate_scale²)
// with the reference column zero, σ_k = sigma.
SavedModel random_model(const SimulateArgs& args, Rng& rng) {
  SavedModel saved;
  saved.spec = Specification{"y", numbered("x", args.p), numbered("z", args.q), true};
  Model& m = saved.model;
  m.experts.family = parse_family(args.family);
  m.experts.coef.set_size(args.p + 1, args.K);
  m.experts.coef.imbue([&] { return args.separation * rng.normal(); });
  if (m.experts.family == Family::gaussian) m.experts.sigma = arma::vec(args.K, arma::fill::value(args.sigma));
  m.gate.coef.set_size(args.q + 1, args.K);
  m.gate.coef.imbue([&] { return args.gate_scale * rng.normal(); });
  m.gate.coef.col(args.K - 1).zeros();
  return saved;
}

void run_simulate(const SimulateArgs& args) {
  Rng rng(args.seed);
  const SavedModel saved = args.model.empty() ? random_model(args, rng) : read_model_file(args.model);
  const Specification& spec = saved.spec;
  // Every distinct covariate is drawn once, i.i.d. N(0, 1).
  std::vector<std::string> covariates = spec.x;
  for (const auto& name : spec.z)
    if (std::find(covariates.begin(), covariates.end(), name) == covariates.end())
      covariates.push_back(name);
  arma::mat values(args.n, covariates.size());
  values.imbue([&] { return rng.normal(); });
  auto pick = [&](const std::vector<std::string>& names) {
    arma::mat M(args.n, names.size());
    for (arma::uword j = 0; j < names.size(); ++j)
      M.col(j) = values.col(std::find(covariates.begin(), covariates.end(), names[j]) - covariates.begin());
    return make_design(M, spec.intercept);
  };
  const arma::vec y = sample(saved.model, pick(spec.x), pick(spec.z), rng);
  std::vector<std::string> names{spec.response};
  names.insert(names.end(), covariates.begin(), covariates.end());
  const arma::mat table = arma::join_horiz(y, values);
  if (args.out.empty()) {
    write_csv(std::cout, names, table);
  } else {
    std::ofstream out(args.out);
    require(out.good(), "simulate", "cannot write '" + args.out + "'");
    write_csv(out, names, table);
  }
  if (!args.truth.empty()) {
    std::ofstream out(args.truth);
    require(out.good(), "simulate", "cannot write '" + args.truth + "'");
    out << model_to_json(saved.model, spec).dump(2) << '\n';
  }
}

}  // namespace

void add_simulate_command(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Draw a data set (columns y, x1.., z1..) from a random model, or from a model "
                  "JSON (--model) with its own column names; covariates are i.i.d. N(0, 1)");
  cmd->add_option("--model,-m", args->model, "Draw from this model instead of a random one");
  cmd->add_option("-n,--rows", args->n, "Number of rows")
      ->check(count_between(1, 1000000000))->capture_default_str();
  cmd->add_option("-K,--experts", args->K, "Experts (random model)")
      ->check(count_between(1, 1000))->capture_default_str();
  cmd->add_option("--family", args->family, "Expert family (random model)")
      ->check(CLI::IsMember({"gaussian", "binomial"}))->capture_default_str();
  cmd->add_option("--p", args->p, "Expert covariates (random model)")
      ->check(count_between(0, 10000))->capture_default_str();
  cmd->add_option("--q", args->q, "Gate covariates (random model)")
      ->check(count_between(0, 10000))->capture_default_str();
  cmd->add_option("--separation", args->separation,
                  "Standard deviation of the expert coefficients (random model)")->capture_default_str();
  cmd->add_option("--sigma", args->sigma, "Noise standard deviation of every expert (random model)")
      ->check(positive_number())->capture_default_str();
  cmd->add_option("--gate-scale", args->gate_scale,
                  "Standard deviation of the gate coefficients (random model)")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  cmd->add_option("--out,-o", args->out, "Output CSV (default: standard output)");
  cmd->add_option("--truth", args->truth, "Write the model drawn from as JSON here");
  cmd->callback([args] { run_simulate(*args); });
}

}  // namespace moe::cli
