// `moe boot`: a fit, then bootstrap standard errors and percentile intervals of its parameters.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>

#include "commands.hpp"
#include "fit_options.hpp"
#include "moe/error.hpp"
#include "moe/multivariate_bootstrap.hpp"
#include "moe/multivariate_information.hpp"
#include "multivariate_fit.hpp"
#include "moe/bootstrap.hpp"
#include "moe/csv.hpp"
#include "progress_line.hpp"

namespace moe::cli {
namespace {

struct BootArgs {
  FitOptions common;
  std::string method = "em", type = "nonparametric", out, replicates_out;
  arma::uword replicates = 200;
  double level = 0.95;
  bool quiet = false;
};

// One row per parameter: estimate, observed-information and bootstrap standard
// errors, the percentile interval.  Result: d×5.
arma::mat parameter_table(const Bootstrap& b, const arma::vec& information, double level) {
  return arma::join_horiz(b.estimates, information, b.standard_errors(), b.percentile_intervals(level));
}

// What the report says of the fit that was bootstrapped.
struct Fitted {
  double loglik = 0.0;
  arma::uword K = 0;
  std::string experts;  ///< the experts' family, "gaussian", or "multivariate gaussian, VVV"
};

void print_boot(const Fitted& fit, const Bootstrap& b, const arma::mat& table, const BootArgs& args, double seconds) {
  std::printf("fit: log-likelihood %.10g, %llu experts (%s), method %s\n", fit.loglik,
              static_cast<unsigned long long>(fit.K), fit.experts.c_str(), args.method.c_str());
  std::printf("bootstrap: %llu %s replicates, each refitted from the fit (%llu failed, %llu relabelled to match the "
              "fit's experts, %llu stopped by --max-iter), %.3g s\n",
              static_cast<unsigned long long>(b.replicates.n_rows + b.failed), to_string(b.type).c_str(),
              static_cast<unsigned long long>(b.failed), static_cast<unsigned long long>(b.relabelled),
              static_cast<unsigned long long>(b.not_converged), seconds);
  if (b.failed > 0) std::printf("note: the first failure: %s\n", b.first_failure.c_str());
  char lower[32], upper[32];
  std::snprintf(lower, sizeof lower, "%g%% lower", 100.0 * args.level);
  std::snprintf(upper, sizeof upper, "%g%% upper", 100.0 * args.level);
  std::printf("%-28s %14s %14s %14s %14s %14s\n", "parameter", "estimate", "se (info.)", "se (boot.)", lower, upper);
  for (arma::uword j = 0; j < table.n_rows; ++j)
    std::printf("%-28s %14.6g %14.6g %14.6g %14.6g %14.6g\n", b.names[j].c_str(), table(j, 0), table(j, 1),
                table(j, 2), table(j, 3), table(j, 4));
}

nlohmann::json boot_to_json(const Fitted& fit, const Bootstrap& b, const arma::mat& table, const BootArgs& args) {
  nlohmann::json parameters = nlohmann::json::array();
  const char* columns[] = {"estimate", "se_information", "se_bootstrap", "lower", "upper"};
  for (arma::uword j = 0; j < table.n_rows; ++j) {
    nlohmann::json row{{"name", b.names[j]}};
    for (arma::uword c = 0; c < 5; ++c) row[columns[c]] = std::isfinite(table(j, c)) ? nlohmann::json(table(j, c)) : nullptr;
    parameters.push_back(row);
  }
  return {{"type", to_string(b.type)}, {"replicates", b.replicates.n_rows + b.failed}, {"level", args.level},
          {"seed", args.common.seed}, {"method", args.method}, {"loglik", fit.loglik}, {"failed", b.failed},
          {"first_failure", b.first_failure}, {"relabelled", b.relabelled}, {"not_converged", b.not_converged},
          {"parameters", parameters}};
}

// The fit, its bootstrap and the observed-information standard errors.
struct Bootstrapped {
  Fitted fit;
  Bootstrap b;
  arma::vec information;
};

Bootstrapped bootstrap_univariate(const BootArgs& args, BootstrapOptions& options,
                                  const std::function<void()>& before_replicates) {
  const Dataset data = args.common.dataset();
  const Method method = make_method(args.method, args.common.settings());
  require_bootstrappable(data, options);  // before the fit, which may take long
  const Fit fit = method.fit(data, args.common.K, parse_family(args.common.family), args.common.common_sigma);
  before_replicates();
  Bootstrap b = bootstrap(data, fit.model, method, options);
  arma::vec information = natural_standard_errors(fit.model, standard_errors(fit.model, data));
  return {{fit.loglik, fit.model.K(), to_string(fit.model.experts.family)}, std::move(b), std::move(information)};
}

Bootstrapped bootstrap_multivariate(const BootArgs& args, BootstrapOptions& options,
                                    const std::function<void()>& before_replicates) {
  require(args.method == "em", "boot", "several responses are fitted by --method em only");
  const MultivariateData data = multivariate_data(args.common);
  require_bootstrappable(data, options);  // before the fit, which may take long
  const MultivariateOptions fit_options = multivariate_options(args.common);
  const MultivariateFit fit = fit_multivariate(data, args.common.K, fit_options);
  before_replicates();
  Bootstrap b = bootstrap(data, fit.model, options, fit_options);
  return {{fit.loglik, fit.model.K(), "multivariate gaussian, " + to_string(fit_options.structure)}, std::move(b),
          standard_errors(fit.model, data).se};
}

void run_boot(const BootArgs& args) {
  for (const std::string& path : {args.out, args.replicates_out})
    if (!path.empty()) require_writable(path, "boot");
  BootstrapOptions options;
  options.replicates = args.replicates;
  options.type = parse_bootstrap_type(args.type);
  options.seed = args.common.seed;
  options.threads = args.common.threads;
  ProgressLine progress(!args.quiet);
  auto started = std::chrono::steady_clock::now();
  const auto before_replicates = [&] {
    options.progress = [&progress, &args](arma::uword done) {
      if (progress.due())
        progress.print("bootstrap replicate " + std::to_string(done) + "/" + std::to_string(args.replicates));
    };
    started = std::chrono::steady_clock::now();
  };
  const Bootstrapped run = is_multivariate(args.common) ? bootstrap_multivariate(args, options, before_replicates)
                                                        : bootstrap_univariate(args, options, before_replicates);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const Bootstrap& b = run.b;
  const arma::mat table = parameter_table(b, run.information, args.level);
  if (!args.quiet) print_boot(run.fit, b, table, args, seconds);
  if (!args.out.empty()) open_output(args.out, "boot") << boot_to_json(run.fit, b, table, args).dump(2) << '\n';
  if (!args.replicates_out.empty()) {
    std::vector<std::string> names = b.names;
    names.emplace_back("loglik");
    write_table(args.replicates_out, names, arma::join_horiz(b.replicates, b.logliks), "boot");
  }
}

}  // namespace

void add_boot_command(CLI::App& app) {
  auto args = std::make_shared<BootArgs>();
  CLI::App* cmd = app.add_subcommand(
      "boot", "Fit, then bootstrap the fit: standard errors and percentile intervals of every parameter. Each "
              "replicate is refitted from the fit and its experts matched to the fit's (label switching)");
  add_fit_options(cmd, args->common, true);
  cmd->add_option("--method", args->method, "The estimator of the fit and the replicates: " + methods_help())
      ->capture_default_str();
  cmd->add_option("--replicates,-B", args->replicates, "Bootstrap replicates")
      ->check(count_between(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--type", args->type,
                  "nonparametric: the rows resampled with replacement (with --weights, the observations they count; "
                  "with --group, whole groups); parametric: responses drawn from the fit at the same covariates")
      ->check(CLI::IsMember({"nonparametric", "parametric"}))
      ->capture_default_str();
  cmd->add_option("--level", args->level, "Coverage of the percentile intervals")
      ->check(open_probability())
      ->capture_default_str();
  cmd->add_option("--out,-o", args->out, "Write the table (and the settings) as JSON to this file");
  cmd->add_option("--replicates-out", args->replicates_out,
                  "Write every replicate's parameters (matched to the fit's experts) and log-likelihood as CSV");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
  cmd->callback([args] { run_boot(*args); });
}

}  // namespace moe::cli
