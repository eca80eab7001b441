// `moe fit`: fit a gated mixture of experts by EM to a CSV file.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "commands.hpp"
#include "model_json.hpp"
#include "moe/em.hpp"
#include "moe/error.hpp"

namespace moe::cli {
namespace {

struct FitArgs {
  std::string data, response, x, z, out, family = "gaussian", method = "em", init = "kmeans";
  arma::uword K = 0, starts = 5, max_iter = 500;
  std::uint64_t seed = 1;
  double tol = 1e-8, variance_floor = 1e-4;
  bool no_intercept = false, common_sigma = false, quiet = false;
};

// Prints "start s/S  iteration i  loglik l" to stderr at most once a second,
// once a fit has run for a second; overwrites the line on a terminal.
class Progress {
 public:
  Progress(bool enabled, arma::uword starts) : enabled_(enabled), starts_(starts) {}
  ~Progress() {
    if (printed_ && tty_) std::fputc('\n', stderr);
  }
  void operator()(arma::uword start, const TraceRow& row) {
    const auto now = std::chrono::steady_clock::now();
    if (!enabled_ || now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    std::fprintf(stderr, "%sstart %llu/%llu  iteration %llu  loglik %.10g%s", tty_ ? "\r" : "",
                 static_cast<unsigned long long>(start + 1), static_cast<unsigned long long>(starts_),
                 static_cast<unsigned long long>(row.iteration), row.loglik, tty_ ? "   " : "\n");
    printed_ = true;
  }

 private:
  bool enabled_;
  arma::uword starts_;
  bool tty_ = isatty(fileno(stderr)) != 0;
  bool printed_ = false;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

void print_matrix(const char* title, const std::vector<std::string>& rows, const arma::mat& M,
                  const char* column_prefix) {
  std::printf("%s\n%-16s", title, "");
  for (arma::uword k = 0; k < M.n_cols; ++k) std::printf(" %13s%llu", column_prefix, static_cast<unsigned long long>(k + 1));
  std::printf("\n");
  for (arma::uword r = 0; r < M.n_rows; ++r) {
    std::printf("%-16s", rows[r].c_str());
    for (arma::uword k = 0; k < M.n_cols; ++k) std::printf(" %14.6g", M(r, k));
    std::printf("\n");
  }
}

void print_summary(const Fit& fit, const Dataset& data, const FitArgs& args) {
  const Model& m = fit.model;
  std::printf("Mixture of %llu %s experts, n = %llu, method %s, %llu start(s) (best: %llu)\n",
              static_cast<unsigned long long>(m.K()), to_string(m.experts.family).c_str(),
              static_cast<unsigned long long>(data.n()), args.method.c_str(),
              static_cast<unsigned long long>(args.starts), static_cast<unsigned long long>(fit.best_start + 1));
  std::printf("log-likelihood %.10g   df %llu   AIC %.8g   BIC %.8g\n", fit.loglik,
              static_cast<unsigned long long>(m.n_free()), fit.aic, fit.bic);
  std::printf("iterations %llu, stop: %s, %.3g s\n", static_cast<unsigned long long>(fit.iterations),
              to_string(fit.trace.stop_reason).c_str(), fit.trace.rows.back().seconds);
  if (!fit.trace.message.empty()) std::printf("note: %s\n", fit.trace.message.c_str());
  const auto decreases = fit.trace.decreases();
  if (!decreases.empty())
    std::printf("warning: the log-likelihood decreased at %zu iteration(s)\n", decreases.size());
  arma::mat experts = m.experts.coef;
  std::vector<std::string> rows = data.x_names;
  if (m.experts.family == Family::gaussian) {
    experts = arma::join_vert(experts, m.experts.sigma.t());
    rows.emplace_back("sigma");
  }
  print_matrix("Experts:", rows, experts, "expert");
  if (m.K() > 1)
    print_matrix("Gate (log-odds against the last expert):", data.z_names,
                 m.gate.coef.head_cols(m.K() - 1), "expert");
  const arma::rowvec weights = arma::mean(arma::exp(m.gate.log_probs(data.Z)), 0);
  std::printf("mean gate weights:");
  for (double w : weights) std::printf(" %.4f", w);
  std::printf("\n");
}

void run_fit(const FitArgs& args) {
  require(args.K >= 1, "fit", "K must be at least 1");
  Specification spec{args.response, split_names(args.x), split_names(args.z), !args.no_intercept};
  const Table table = Table::read(args.data);
  const Dataset data = dataset_from(table, spec, true);
  EMOptions options;
  options.control.max_iter = args.max_iter;
  options.control.tol = args.tol;
  options.exact_gate = args.method == "em";
  options.relative_variance_floor = args.variance_floor;
  options.control.init = parse_init(args.init);
  options.control.starts = args.starts;
  options.control.seed = args.seed;
  Progress progress(!args.quiet, args.starts);
  options.control.on_iteration = [&progress](arma::uword s, const TraceRow& row) { progress(s, row); };
  std::ofstream out;
  if (!args.out.empty()) {  // fail before the work, not after it
    out.open(args.out);
    require(out.good(), "fit", "cannot write '" + args.out + "'");
  }
  const Fit fit = EM(options).fit(data, args.K, parse_family(args.family), args.common_sigma);
  if (!args.quiet) print_summary(fit, data, args);
  if (out.is_open()) out << fit_to_json(fit, spec, options, data.n()).dump(2) << '\n';
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* cmd = app.add_subcommand("fit", "Fit a gated mixture of experts to a CSV file");
  cmd->add_option("--data", args->data, "CSV file with a header row")->required();
  cmd->add_option("--response,-y", args->response, "Response column")->required();
  cmd->add_option("--x", args->x, "Expert covariates, comma-separated (default: intercept only)");
  cmd->add_option("--z", args->z, "Gate covariates, comma-separated (default: intercept only = "
                                  "constant mixing weights)");
  cmd->add_option("-K,--experts", args->K, "Number of experts")->required()->check(count_between(1, 1000));
  cmd->add_option("--family", args->family, "Expert family")
      ->check(CLI::IsMember({"gaussian", "binomial"}))->capture_default_str();
  cmd->add_option("--method", args->method, "em: gate M-step by Newton to convergence; "
                                            "gem: one Newton step (generalized EM)")
      ->check(CLI::IsMember({"em", "gem"}))->capture_default_str();
  cmd->add_option("--init", args->init, "Starting responsibilities")
      ->check(CLI::IsMember({"kmeans", "random"}))->capture_default_str();
  cmd->add_option("--starts", args->starts, "Random restarts; the best log-likelihood is kept")
      ->check(count_between(1, 100000))->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  cmd->add_option("--max-iter", args->max_iter, "Iteration limit per start")
      ->check(count_between(0, 1000000000))->capture_default_str();
  cmd->add_option("--tol", args->tol, "Stop when the relative log-likelihood change is at most "
                                      "this; 0 runs exactly --max-iter iterations")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--variance-floor", args->variance_floor,
                  "Lower bound on each expert variance, relative to var(y)")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_flag("--no-intercept", args->no_intercept, "No intercept column in either design");
  cmd->add_flag("--common-sigma", args->common_sigma, "One noise level shared by all experts");
  cmd->add_option("--out,-o", args->out, "Write the fit as JSON to this file");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
  cmd->callback([args] { run_fit(*args); });
}

}  // namespace moe::cli
