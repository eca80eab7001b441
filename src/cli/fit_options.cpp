#include "fit_options.hpp"

#include <cstdio>

#include "commands.hpp"
#include "moe/backend.hpp"
#include "moe/diagnostics.hpp"
#include "moe/error.hpp"

namespace moe::cli {

Specification FitOptions::specification(const Dataset& data) const {
  return Specification{response, split_names(x), split_names(z), !no_intercept, offset, trials,
                       split_names(x_fixed), group, point_mass, data.level_names};
}

Dataset FitOptions::dataset() const {
  require(covariance.empty(), "fit", "--covariance needs several responses (--response y1,y2: multivariate Gaussian experts)");
  require(split_names(response).size() <= 1, "fit",
          "several responses (--response " + response + ") are fitted by moe fit, select, boot and compare only");
  const Table table = Table::read(data);
  Specification spec = specification(Dataset{});
  if (parse_family(family) == Family::multinomial) spec.levels = levels_of(table, response);
  Dataset out = dataset_from(table, spec, true);
  if (!weights.empty()) out.weights = table.column(weights);
  return without_zero_weights(out);
}

std::string FitOptions::data_note(const Dataset& data) const {
  std::string note;
  if (!weights.empty()) {
    char total[32];
    std::snprintf(total, sizeof total, "%.10g", data.total_weight());
    note += "weights " + weights + " (total " + total + "), ";
  }
  if (data.grouped()) note += std::to_string(data.n_groups()) + " groups (" + group + "), ";
  return note;
}

FitRecord FitOptions::record(const Method& method, const IterationControl& control, const Dataset& data,
                             FitSummary summary) const {
  return FitRecord{method.name, control, data.n(), weights, data.total_weight(), data.grouped() ? data.n_groups() : 0,
                   std::move(summary)};
}

MethodSettings FitOptions::settings() const {
  MethodSettings s;
  s.control.max_iter = max_iter;
  s.control.tol = tol;
  s.control.seed = seed;
  s.control.init = parse_init(init);
  s.control.starts = starts;
  s.control.screening_iterations = screening_iterations;
  s.control.finalists = finalists;
  s.control.split_merge = !no_split_merge;
  s.control.prefer_finite = prefer_finite;
  s.control.threads = threads;
  s.control.kernels = &kernels_for(device);
  s.relative_variance_floor = variance_floor;
  s.batch_size = batch_size;
  s.fixed_nu = nu;
  return s;
}

void add_fit_options(CLI::App* cmd, FitOptions& o, bool data_required, bool with_experts) {
  cmd->add_option("--data", o.data, "CSV file with a header row")->required(data_required);
  cmd->add_option("--response,-y", o.response, "Response column; several, comma-separated, for multivariate Gaussian "
                                              "experts (fit, select)")->required(data_required);
  cmd->add_option("--x", o.x, "Expert covariates, comma-separated (default: intercept only)");
  cmd->add_option("--x-fixed", o.x_fixed, "Expert covariates whose coefficient all experts share, comma-separated "
                                        "(flexmix's FLXMRglmfix fixed; each expert keeps its own intercept)");
  cmd->add_option("--z", o.z, "Gate covariates, comma-separated (default: intercept only = "
                              "constant mixing weights)");
  cmd->add_option("--group", o.group, "Column of numeric group ids: all rows of a group (a subject, a centre) "
                                      "belong to one expert, and the gate's covariates must be constant within a "
                                      "group (saved with the model; BIC's n stays the number of rows, as flexmix's)");
  cmd->add_option("--weights,-w", o.weights, "Column of frequency weights (>= 0): row i counts w_i times "
                                             "(default: every row once)");
  cmd->add_option("--offset", o.offset, "Column added to every expert's linear predictor with coefficient 1, "
                                        "e.g. log(exposure) for counts (saved with the model for predict)");
  cmd->add_option("--trials", o.trials, "Column of binomial trials m_i (whole numbers >= 1): the response counts "
                                        "successes out of m_i, as glm's cbind(successes, failures) (binomial family; "
                                        "saved with the model for predict)");
  cmd->add_option("--point-mass", o.point_mass,
                  "Make the last expert a point mass at this response value, with no parameters: with --point-mass "
                  "0 and a count family, K = 2 is a zero-inflated model whose inflation follows the gate (pscl's "
                  "zeroinfl(y ~ x | z)); families binomial, poisson, negbin (saved with the model)");
  if (with_experts)
    cmd->add_option("-K,--experts", o.K, "Number of experts")->required()->check(count_between(1, 1000));
  cmd->add_option("--family", o.family, "Expert family: " + families_help())
      ->check(family_name())->capture_default_str();
  cmd->add_option("--covariance", o.covariance, "Several responses: the experts' covariance structure, mclust's EII, "
                                                "VII, EEI, VVI, EEE or VVV (fit: one, default VVV; select: a "
                                                "comma-separated list, default all)");
  cmd->add_option("--nu", o.nu, "t experts: hold every expert's degrees of freedom at this value (> 0) instead of "
                                "estimating them (e.g. 4 for robust regressions; a large value gives Gaussian experts)")
      ->check(positive_number());
  cmd->add_option("--init", o.init, "How each start's responsibilities are drawn: kmeans (on the standardized "
                                    "[X, y]), random (soft), hard (random partition), residual (segments of the rows "
                                    "ordered by their residual under one expert), segments (along the one covariate), "
                                    "mixed (each in turn)")
      ->check(CLI::IsMember({"kmeans", "random", "hard", "residual", "segments", "mixed"}))->capture_default_str();
  cmd->add_option("--starts", o.starts, "Starts, each screened by a short EM run (the search)")
      ->check(count_between(1, 100000))->capture_default_str();
  cmd->add_option("--screening-iterations", o.screening_iterations, "EM iterations of each start's short run")
      ->check(count_between(0, 1000000))->capture_default_str();
  cmd->add_option("--finalists", o.finalists, "The best screened starts run to the end; the best is kept (0: "
                                              "15, or half of --starts if that is more)")
      ->check(count_between(0, 100000))->capture_default_str();
  cmd->add_flag("--no-split-merge", o.no_split_merge, "Skip the split-and-merge moves after the finalists (several responses: the replace moves after the starts)");
  cmd->add_flag("--prefer-finite", o.prefer_finite,
                "When the best fit found is at a boundary (separated classes or gate, an expert at the variance floor: "
                "the log-likelihood has a supremum there, no maximum), return the best finite maximum found instead");
  cmd->add_option("--threads", o.threads, "Threads for the starts, and within a run for its passes over the rows (0: every core); the fit does not depend on it")
      ->check(count_between(0, 4096))->capture_default_str();
  cmd->add_option("--seed", o.seed, "Random seed")->check(seed_number())->capture_default_str();
  cmd->add_option("--device", o.device, "Where the kernels run: cpu, or cuda (a build with the CUDA "
                                        "backend and a GPU)")
      ->check(CLI::IsMember({"cpu", "cuda"}))->capture_default_str();
  cmd->add_option("--max-iter", o.max_iter, "Iteration limit per start")
      ->check(count_between(0, 1000000000))->capture_default_str();
  cmd->add_option("--tol", o.tol, "Stop when the relative log-likelihood change is at most "
                                  "this; 0 runs exactly --max-iter iterations")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--variance-floor", o.variance_floor,
                  "Lower bound on each expert variance, relative to var(y) (EM, mirror)")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--batch-size", o.batch_size,
                  "Mini-batch size of gradient methods (0: full batch; an iteration is one pass)")
      ->check(count_between(0, 1000000000))->capture_default_str();
  cmd->add_flag("--no-intercept", o.no_intercept, "No intercept column in either design");
  cmd->add_flag("--common-sigma", o.common_sigma, "One noise level shared by all experts");
}

}  // namespace moe::cli
