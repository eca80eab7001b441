// `moe predict`: predictions of a saved model on new data, as CSV.
#include <cstdio>

#include "commands.hpp"
#include "model_json.hpp"
#include "multivariate_fit.hpp"
#include "moe/error.hpp"
#include "moe/predictive.hpp"

namespace moe::cli {
namespace {

struct PredictArgs {
  std::string model, data, out;
  std::vector<double> quantiles;
  std::uint64_t seed = 1;
};

// "q0.05" for 0.05: the column of a predictive quantile.
std::string quantile_name(double p) {
  char name[64];
  std::snprintf(name, sizeof name, "q%g", p);
  return name;
}

// The columns of a prediction without the response, named in `names`:
// prediction, gate_k, expert_k; multinomial experts (whose level names are
// `levels`): prob_LEVEL, gate_k, expert_k_LEVEL.
arma::mat predicted_columns(const Prediction& p, const std::vector<std::string>& levels, std::vector<std::string>& names) {
  const arma::uword K = p.gate.n_cols;
  const auto gate = numbered("gate_", K), experts = numbered("expert_", K);
  if (levels.empty()) {
    names = {"prediction"};
    names.insert(names.end(), gate.begin(), gate.end());
    names.insert(names.end(), experts.begin(), experts.end());
    return arma::join_horiz(p.mean, p.gate, p.experts);
  }
  for (const std::string& level : levels) names.push_back("prob_" + level);
  names.insert(names.end(), gate.begin(), gate.end());
  arma::mat values = arma::join_horiz(p.levels, p.gate);
  for (arma::uword k = 0; k < K; ++k) {
    for (const std::string& level : levels) names.push_back(experts[k] + "_" + level);
    values = arma::join_horiz(values, p.expert_levels.slice(k));
  }
  return values;
}

void run_predict(const PredictArgs& args) {
  if (const auto multivariate = read_multivariate_model(args.model)) {
    require(args.quantiles.empty(), "predict", "--quantiles is for one response (the model has several)");
    return run_multivariate_predict(*multivariate, args.data, args.out);
  }
  const SavedModel saved = read_model_file(args.model);
  const Table table = Table::read(args.data);
  const bool categorical = saved.model.experts.family == Family::multinomial;  // levels named in the model
  const bool has_response = table.has(saved.spec.response) && (categorical || table.is_numeric(saved.spec.response));
  if (table.has(saved.spec.response) && !has_response)
    std::fprintf(stderr, "moe: note: column '%s' has missing or non-numeric cells; "
                         "posterior columns are left out\n", saved.spec.response.c_str());
  const Dataset data = dataset_from(table, saved.spec, has_response);
  const Prediction p = predict(saved.model, data.X, data.Z, data.offset);
  const arma::uword K = saved.model.K();
  std::vector<std::string> names;
  arma::mat values = predicted_columns(p, saved.spec.levels, names);
  if (!args.quantiles.empty()) {  // prediction intervals from the mixture's own law
    for (double q : args.quantiles) names.push_back(quantile_name(q));
    values = arma::join_horiz(values, predictive_quantiles(saved.model, data.X, data.Z, arma::vec(args.quantiles), data.offset,
                                                             data.trials));
  }
  if (has_response) {  // posterior class probabilities given the observed y
    validate_response(data.y, saved.model.experts.family, data.trials);
    const auto more = numbered("posterior_", K);
    names.insert(names.end(), more.begin(), more.end());
    values = arma::join_horiz(values, responsibilities(saved.model, data));
    if (categorical) return write_table(args.out, names, values, "predict");  // no order, so no PIT
    names.emplace_back("pit");  // uniform on (0, 1) when the model is right
    Rng rng(args.seed);
    values = arma::join_horiz(values, randomized_pit(saved.model, data.X, data.Z, data.y, rng, data.offset, data.trials));
    if (saved.model.experts.family == Family::t) {  // small for the rows the experts take as outliers
      names.emplace_back("scale_weight");
      values = arma::join_horiz(values, scale_weights(saved.model, data));
    }
  }
  write_table(args.out, names, values, "predict");
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  CLI::App* cmd = app.add_subcommand(
      "predict", "Predict from a fitted model (JSON from `moe fit --out`) on a CSV file. Writes "
                 "prediction (mixture mean or probability), gate_k, expert_k (multinomial experts: prob_LEVEL, "
                 "gate_k, expert_k_LEVEL: the levels' probabilities), with --quantiles "
                 "the predictive quantiles qP and, when the response column is present, posterior_k and "
                 "pit (the probability integral transform of the response, randomized for counts and 0/1; none for levels), "
                 "and for t "
                 "experts scale_weight (the E-step's weight of the row, sum_k posterior_k (nu_k + 1) / (nu_k + z_k^2): "
                 "near 1 where the experts fit it, small for an outlier). A fit of several responses gives mean_Y per response, "
                 "gate_k and, with every response present, posterior_k");
  cmd->add_option("--model,-m", args->model, "Model JSON written by `moe fit --out`")->required();
  cmd->add_option("--data", args->data, "CSV file with the model's covariate columns")->required();
  cmd->add_option("--out,-o", args->out, "Output CSV (default: standard output)");
  cmd->add_option("--quantiles,-q", args->quantiles,
                  "Comma-separated probabilities: a column qP per P with the P-quantile of the predictive "
                  "mixture (e.g. 0.05,0.95 for a 90% prediction interval)")
      ->delimiter(',')
      ->check(open_probability());
  cmd->add_option("--seed", args->seed, "Seed of the uniforms that randomize pit for binomial and Poisson experts")
      ->check(seed_number())
      ->capture_default_str();
  cmd->callback([args] { run_predict(*args); });
}

}  // namespace moe::cli
