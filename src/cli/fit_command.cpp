// `moe fit`: fit a gated mixture of experts by EM to a CSV file.
#include <algorithm>
#include <cmath>
#include <optional>
#include <cstdio>
#include <fstream>

#include "commands.hpp"
#include "model_json.hpp"
#include "fit_options.hpp"
#include "multivariate_fit.hpp"
#include "progress_line.hpp"
#include "moe/diagnostics.hpp"
#include "moe/error.hpp"

namespace moe::cli {
namespace {

struct FitArgs {
  FitOptions common;
  std::string out, method = "em", start;
  bool quiet = false, no_se = false;
};

// "start s/S  iteration i  loglik l" as a progress line (progress_line.hpp).
void print_progress(ProgressLine& line, arma::uword start, arma::uword starts, const TraceRow& row) {
  if (!line.due()) return;
  char text[160];
  std::snprintf(text, sizeof text, "start %llu/%llu  iteration %llu  loglik %.10g",
                static_cast<unsigned long long>(start + 1), static_cast<unsigned long long>(starts),
                static_cast<unsigned long long>(row.iteration), row.loglik);
  line.print(text);
}

// The names of the rows of the experts' coefficients: the expert design's
// columns, "(fixed)" after a shared one; multinomial experts: "LEVEL:COLUMN"
// for every level but the first (the reference), level by level.
std::vector<std::string> coefficient_names(const Experts& experts, const Dataset& data) {
  std::vector<std::string> rows;
  if (experts.family == Family::multinomial) {
    for (arma::uword c = 1; c < experts.levels; ++c)
      for (arma::uword j = 0; j < data.X.n_cols; ++j) rows.push_back(data.level_name(c) + ":" + data.x_name(j));
    return rows;
  }
  for (arma::uword j = 0; j < data.X.n_cols; ++j) rows.push_back(data.x_name(j));
  for (const arma::uword j : experts.shared) rows[j] += " (fixed)";
  return rows;
}

void print_matrix(const char* title, const std::vector<std::string>& rows, const arma::mat& M,
                  const char* column_prefix) {
  int width = 16;
  for (const std::string& row : rows) width = std::max(width, static_cast<int>(row.size()));
  std::printf("%s\n%-*s", title, width, "");
  for (arma::uword k = 0; k < M.n_cols; ++k) std::printf(" %13s%llu", column_prefix, static_cast<unsigned long long>(k + 1));
  std::printf("\n");
  for (arma::uword r = 0; r < M.n_rows; ++r) {
    std::printf("%-*s", width, rows[r].c_str());
    for (arma::uword k = 0; k < M.n_cols; ++k) std::printf(" %14.6g", M(r, k));
    std::printf("\n");
  }
}

void print_local_rates(const nlohmann::json& rates, const std::string& method, bool converged) {
  if (!rates["valid"].get<bool>()) {
    std::printf("note: no predicted rates: %s\n", rates["note"].get<std::string>().c_str());
    return;
  }
  const auto number = [&](const char* key) { return rates[key].is_number() ? rates[key].get<double>() : arma::datum::nan; };
  std::printf("predicted linear rate at this %s: ", converged ? "maximum" : "last iterate (not converged)");
  if (method != "em") {
    if (std::isnan(number("method")))
      std::printf("%s none (no fixed linear map); ", method.c_str());
    else
      std::printf("%s %.4g; ", method.c_str(), number("method"));
  }
  const nlohmann::json& missing = rates["missing_fractions"];
  std::printf("em %.4g (largest fraction of missing information %.4g); gradient ascent with its best fixed "
              "step (%.4g) %.7g\n",
              number("em"), missing.empty() ? 0.0 : missing[0].get<double>(), number("gradient_best_step"),
              number("gradient_best"));
  std::printf("em's slowest direction, share of its complete-data information by block:");
  for (const nlohmann::json& d : rates["em_slowest_direction"])
    std::printf(" %s %.2f", d["block"].get<std::string>().c_str(), d["share"].get<double>());
  std::printf("\n");
}

// The local maxima the search found and its warnings.
void print_search(const SearchReport& report, arma::uword best_start) {
  std::printf("search: %llu screened (%llu redrawn as degenerate), %llu finalists, split-and-merge %llu of %llu "
              "moves kept; best from start %llu (%s)\n",
              static_cast<unsigned long long>(report.screened), static_cast<unsigned long long>(report.redrawn),
              static_cast<unsigned long long>(report.finalists), static_cast<unsigned long long>(report.moves_kept),
              static_cast<unsigned long long>(report.moves_tried), static_cast<unsigned long long>(best_start + 1),
              report.best_init.c_str());
  std::printf("local maxima (log-likelihood: finalists, moves):");
  for (const LocalMaximum& m : report.maxima)
    std::printf("  %.10g: %llu, %llu%s", m.loglik, static_cast<unsigned long long>(m.starts),
                static_cast<unsigned long long>(m.moves), m.degenerate ? " (degenerate)" : "");
  std::printf("\n");
  for (const std::string& w : report.warnings) std::printf("warning: %s\n", w.c_str());
}

// " (the last a point mass at c)", or "" without one.
std::string point_mass_note(const Experts& experts) {
  if (!experts.point_mass) return "";
  char note[64];
  std::snprintf(note, sizeof note, " (the last a point mass at %g)", *experts.point_mass);
  return note;
}

void print_summary(const Fit& fit, const Dataset& data, const FitArgs& args, const FitSummary& summary) {
  const Model& m = fit.model;
  std::printf("Mixture of %llu %s experts%s, n = %llu, method %s, ", static_cast<unsigned long long>(m.K()),
              to_string(m.experts.family).c_str(), point_mass_note(m.experts).c_str(),
              static_cast<unsigned long long>(data.n()), args.method.c_str());
  std::printf("%s", args.common.data_note(data).c_str());
  if (args.start.empty())
    std::printf("%llu starts (init %s)\n", static_cast<unsigned long long>(fit.search.screened),
                args.common.init.c_str());
  else
    std::printf("started from %s\n", args.start.c_str());
  std::printf("log-likelihood %.10g   df %llu   AIC %.8g   BIC %.8g\n", fit.loglik,
              static_cast<unsigned long long>(m.n_free()), fit.aic, fit.bic);
  if (fit.search.screened > 0) print_search(fit.search, fit.best_start);
  std::printf("iterations %llu, stop: %s, %.3g s\n", static_cast<unsigned long long>(fit.iterations),
              to_string(fit.trace.stop_reason).c_str(), fit.trace.rows.back().seconds);
  if (!fit.trace.message.empty()) std::printf("note: %s\n", fit.trace.message.c_str());
  std::printf("empirical linear rate (median ratio of successive gaps to the final ℓ) %.4g, "
              "SNR estimate %.4g\n",
              summary.linear_rate, summary.snr);
  if (summary.se) print_local_rates(local_rates_json(summary), args.method, fit.converged);
  const auto decreases = fit.trace.decreases();
  if (!decreases.empty())
    std::printf("warning: the log-likelihood decreased at %zu iteration(s)\n", decreases.size());
  if (!summary.boundary_warning.empty()) std::printf("warning: %s\n", summary.boundary_warning.c_str());
  arma::mat experts = m.experts.coef;
  std::vector<std::string> rows = coefficient_names(m.experts, data);
  if (m.experts.has_dispersion()) {
    experts = arma::join_vert(experts, m.experts.dispersion().t());
    rows.push_back(family_entry(m.experts.family).dispersion);
  }
  if (m.experts.family == Family::t) {
    experts = arma::join_vert(experts, m.experts.shape.t());
    rows.push_back(m.experts.shape_fixed ? "nu (fixed)" : "nu");
  }
  const arma::uword regression = m.experts.n_regression();  // a point mass has nothing to print
  print_matrix("Experts:", rows, experts.head_cols(regression), "expert");
  const std::optional<StandardErrors>& se = summary.se;
  if (se) {
    arma::mat expert_se = se->experts.head_cols(regression);
    if (m.experts.has_dispersion())
      expert_se = arma::join_vert(expert_se, se->dispersion().head(regression).t());
    if (m.experts.family == Family::t)  // a fixed ν has no error
      expert_se = arma::join_vert(expert_se, m.experts.shape_fixed ? arma::rowvec(regression, arma::fill::value(arma::datum::nan))
                                                                   : arma::rowvec(se->shape.t()));
    print_matrix("Standard errors of the experts:", rows, expert_se, "expert");
  }
  if (m.K() > 1) {
    print_matrix("Gate (log-odds against the last expert):", data.z_names,
                 m.gate.coef.head_cols(m.K() - 1), "expert");
    if (se)
      print_matrix("Standard errors of the gate:", data.z_names, se->gate.head_cols(m.K() - 1), "expert");
  }
  if (se && !se->valid) std::printf("note: no standard errors: %s\n", se->note.c_str());
  const arma::mat gate = data.weighted(arma::exp(m.gate.log_probs(data.Z)));
  std::printf("mean gate weights:");
  for (double w : arma::rowvec(arma::sum(gate, 0) / data.total_weight())) std::printf(" %.4f", w);
  std::printf("\n");
}

// The parameters of --start: a model file whose covariates, family and K are
// those of this fit.
Model start_model(const FitArgs& args, const Specification& spec) {
  const SavedModel saved = read_model_file(args.start);
  require(saved.spec.x == spec.x && saved.spec.x_fixed == spec.x_fixed && saved.spec.z == spec.z &&
              saved.spec.intercept == spec.intercept && saved.spec.group == spec.group,
          "fit", "--start '" + args.start + "' has other covariates or groups than --x/--x-fixed/--z/--group");
  require(saved.model.K() == args.common.K && saved.model.experts.family == parse_family(args.common.family),
          "fit", "--start '" + args.start + "' has another K or family");
  Model model = saved.model;
  model.experts.common_sigma = args.common.common_sigma;
  return model;
}

void run_fit(const FitArgs& args) {
  if (is_multivariate(args.common)) {
    require(args.start.empty() && !args.no_se, "fit", "--start and --no-se are not available with several responses");
    return run_multivariate_fit(args.common, args.method, args.out, args.quiet);
  }
  const Dataset data = args.common.dataset();
  const Specification spec = args.common.specification(data);
  MethodSettings settings = args.common.settings();
  if (!args.start.empty()) settings.control.starts = 1;
  ProgressLine progress(!args.quiet);
  const arma::uword starts = settings.control.starts;
  settings.control.on_iteration = [&progress, starts](arma::uword s, const TraceRow& row) {
    print_progress(progress, s, starts, row);
  };
  const Method method = make_method(args.method, settings);
  if (!args.out.empty()) require_writable(args.out, "fit");  // fail before the work, not after it
  const Fit fit = args.start.empty()
                      ? method.fit(data, args.common.K, parse_family(args.common.family), args.common.common_sigma)
                      : method.fit_from(data, start_model(args, spec));
  const FitSummary summary = summarize(fit, data, method, !args.no_se);
  if (!args.quiet) print_summary(fit, data, args, summary);
  if (!args.out.empty())
    open_output(args.out, "fit") << fit_to_json(fit, spec, args.common.record(method, settings.control, data, summary))
                                        .dump(2)
                                 << '\n';
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* cmd = app.add_subcommand("fit", "Fit a gated mixture of experts to a CSV file");
  add_fit_options(cmd, args->common, true);
  cmd->add_option("--method", args->method, "The estimator: " + methods_help())->capture_default_str();
  cmd->add_option("--start", args->start,
                  "Start from these parameters (a model JSON, e.g. an earlier --out) instead of --init")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--no-se", args->no_se, "Skip the standard errors and the predicted rates (observed information)");
  cmd->add_option("--out,-o", args->out, "Write the fit as JSON to this file");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
  cmd->callback([args] { run_fit(*args); });
}

}  // namespace moe::cli
