// `moe simulate`: draw a data set from a given or a random model.

#include <cstdio>

#include "commands.hpp"
#include "moe/error.hpp"
#include "multivariate_fit.hpp"
#include "simulation.hpp"

namespace moe::cli {
namespace {

struct SimulateArgs {
  std::string model, out, truth;
  RandomModelSpec random;
  arma::uword n = 1000, trials = 1, group_size = 1;
  std::uint64_t seed = 1;
};

// The table holds a multinomial response as level numbers 0, 1, ...: says so
// when the levels have other names.
void note_level_numbers(const std::vector<std::string>& levels) {
  std::string names;
  bool numbers = true;
  for (std::size_t c = 0; c < levels.size(); ++c) {
    numbers = numbers && levels[c] == std::to_string(c);
    names += (c ? ", " : "") + levels[c];
  }
  if (!numbers)
    std::fprintf(stderr, "moe: note: the response is written as level numbers 0 to %zu, standing for %s\n",
                 levels.size() - 1, names.c_str());
}

void run_simulate(const SimulateArgs& args) {
  Rng rng(args.seed);
  if (const auto multivariate = args.model.empty() ? std::nullopt : read_multivariate_model(args.model)) {
    require(args.trials == 1 && args.group_size == 1 && args.truth.empty(), "simulate",
            "--trials, --group-size and --truth are for one response (the model has several)");
    return run_multivariate_simulate(*multivariate, args.n, rng, args.out);
  }
  SavedModel saved = args.model.empty() ? random_model(args.random, rng) : read_model_file(args.model);
  if (args.model.empty() && args.trials > 1) {
    require(saved.model.experts.family == Family::binomial, "simulate", "--trials is for the binomial family");
    saved.spec.trials = "m";
  }
  require(args.trials == 1 || !saved.spec.trials.empty(), "simulate",
          "--trials needs a binomial model with a trials column (this model's response is 0/1)");
  require(args.group_size == 1 || !saved.spec.group.empty(), "simulate",
          "--group-size needs a model with a group column (fitted with --group)");
  const Simulated drawn = simulate(saved, args.n, rng, static_cast<double>(args.trials), args.group_size);
  note_level_numbers(saved.spec.levels);
  write_table(args.out, drawn.names, drawn.values, "simulate");
  if (!args.truth.empty()) {
    std::ofstream out = open_output(args.truth, "simulate");
    out << model_json(saved.model, saved.spec) << '\n';
  }
}

}  // namespace

void add_simulate_command(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Draw a data set (columns y, x1.., z1..) from a random model, or from a model "
                  "JSON (--model) with its own column names; covariates (and an offset) are i.i.d. N(0, 1)");
  CLI::Option* model = cmd->add_option("--model,-m", args->model, "Draw from this model instead of a random one");
  cmd->add_option("-n,--rows", args->n, "Number of rows")
      ->check(count_between(1, 1000000000))->capture_default_str();
  add_random_model_options(cmd, args->random, true);
  cmd->add_option("--trials", args->trials, "Binomial trials of every row, written as the model's trials column "
                                            "(a random model's is m)")
      ->check(count_between(1, 1000000))->capture_default_str();
  cmd->add_option("--group-size", args->group_size, "Rows per group for a model fitted with --group: consecutive "
                                                    "rows share their gate covariates and expert (ids 1, 2, ... in "
                                                    "the model's group column)")
      ->check(count_between(1, 1000000000))->capture_default_str();
  for (const char* random_only : {"--experts", "--family", "--p", "--q", "--separation", "--sigma", "--levels", "--gate-scale"})
    model->excludes(cmd->get_option(random_only));  // the model file decides these
  cmd->add_option("--seed", args->seed, "Random seed")->check(seed_number())->capture_default_str();
  cmd->add_option("--out,-o", args->out, "Output CSV (default: standard output)");
  cmd->add_option("--truth", args->truth, "Write the model drawn from as JSON here");
  cmd->callback([args] { run_simulate(*args); });
}

}  // namespace moe::cli
