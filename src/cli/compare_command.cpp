// `moe compare`: several estimators from one initialization, with their
// convergence side by side: a table, trace.csv, summary.json and a plot.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "fit_options.hpp"
#include "moe/diagnostics.hpp"
#include "moe/em.hpp"
#include "moe/local_rates.hpp"
#include "moe/multivariate_information.hpp"
#include "moe/multivariate_methods.hpp"
#include "moe/error.hpp"
#include "multivariate_fit.hpp"
#include "simulation.hpp"

namespace moe::cli {
namespace {

struct CompareArgs {
  FitOptions common;
  std::string methods = "em,gd,adam", out_dir, truth;
  bool simulate = false, quiet = false;
  arma::uword n = 2000;
  RandomModelSpec random;
};

struct Problem {
  Dataset data;
  std::optional<SavedModel> truth;
  std::string source;
};

Problem load_problem(const CompareArgs& args) {
  Problem problem;
  if (args.simulate) {
    require(args.common.data.empty(), "compare", "use either --data or --simulate");
    require(args.common.weights.empty(), "compare", "--weights needs --data (simulated rows are unweighted)");
    Rng rng(args.common.seed);
    RandomModelSpec random = args.random;
    random.K = args.common.K;
    random.family = args.common.family;
    random.point_mass = args.common.point_mass;
    problem.truth = args.truth.empty() ? random_model(random, rng) : read_model_file(args.truth);
    problem.data = simulate(*problem.truth, args.n, rng).data;
    problem.source = "simulated, n = " + std::to_string(args.n);
    return problem;
  }
  require(!args.common.data.empty() && !args.common.response.empty(), "compare",
          "give --data and --response, or --simulate");
  problem.data = args.common.dataset();
  if (!args.truth.empty()) problem.truth = read_model_file(args.truth);
  problem.source = args.common.data;
  return problem;
}

// The truth's parameters are compared with every fit's: it must be a model of
// the fitted family and size.
void check_truth(const Problem& problem, const CompareArgs& args) {
  if (!problem.truth) return;
  const Model& truth = problem.truth->model;
  require(truth.K() == args.common.K && to_string(truth.experts.family) == args.common.family &&
              truth.experts.n_inputs() == problem.data.X.n_cols && truth.gate.coef.n_rows == problem.data.Z.n_cols,
          "compare",
          "--truth is a model of " + std::to_string(truth.K()) + " " + to_string(truth.experts.family) +
              " experts with " + std::to_string(truth.experts.n_inputs()) + " expert and " +
              std::to_string(truth.gate.coef.n_rows) + " gate coefficients; the fits have K = " +
              std::to_string(args.common.K) + ", " + args.common.family + ", " +
              std::to_string(problem.data.X.n_cols) + " and " + std::to_string(problem.data.Z.n_cols));
}

// One estimator's run, whatever the experts.
struct Run {
  std::string method;
  Trace trace;
  double loglik = 0.0;
  double snr = arma::datum::nan;             // the fit's snr_estimate (one response)
  Diagnostics diagnostics;
  double predicted_rate = arma::datum::nan;  // the ratio of successive gaps predicted at the best fit

  bool converged() const { return trace.stop_reason == StopReason::converged; }
  double final_param_error() const { return trace.rows.back().param_error; }
};

// A method's run before its diagnostics (diagnose_runs fills them in).
Run run_of(std::string method, Trace trace, double loglik, double snr = arma::datum::nan) {
  Run run;
  run.method = std::move(method);
  run.trace = std::move(trace);
  run.loglik = loglik;
  run.snr = snr;
  return run;
}

// The fit of the highest ℓ (Fit or MultivariateRun).
template <class F>
const F& highest(const std::vector<F>& fits) {
  return *std::max_element(fits.begin(), fits.end(), [](const F& a, const F& b) { return a.loglik < b.loglik; });
}

// The diagnostics of every run against the best ℓ of all; returns that ℓ.
double diagnose_runs(std::vector<Run>& runs) {
  double best = -arma::datum::inf;
  for (const Run& run : runs) best = std::max(best, run.loglik);
  for (Run& run : runs) run.diagnostics = diagnose(run.trace, best);
  return best;
}

void write_traces(const std::string& path, const std::vector<Run>& runs, double best) {
  std::ofstream out = open_output(path, "compare");
  out << "method,iteration,seconds,loglik,gap,grad_norm,param_error\n";
  char line[256];
  for (const Run& run : runs)
    for (const TraceRow& r : run.trace.rows) {
      std::snprintf(line, sizeof line, "%s,%llu,%.9g,%.17g,%.6g,%.6g,%.6g\n", run.method.c_str(),
                    static_cast<unsigned long long>(r.iteration), r.seconds, r.loglik,
                    (best - r.loglik) / std::abs(best), r.grad_norm, r.param_error);
      out << line;
    }
}

// What summary.json says of the data and model of one response.
nlohmann::json problem_json(const CompareArgs& args, const Problem& problem) {
  nlohmann::json j;
  j["data"] = problem.source;
  j["n"] = problem.data.n();
  if (!args.common.weights.empty()) {
    j["weights"] = args.common.weights;
    j["total_weight"] = problem.data.total_weight();
  }
  if (!args.common.offset.empty()) j["offset"] = args.common.offset;
  j["K"] = args.common.K;
  j["family"] = args.common.family;
  if (problem.truth) {
    j["truth_snr"] = snr_estimate(problem.truth->model, problem.data.X, problem.data.offset, problem.data.weights);
    j["truth_loglik"] = log_likelihood(problem.truth->model, problem.data);
  }
  return j;
}

// `problem` (problem_json's) with the runs and the rates predicted at the best fit.
nlohmann::json summary_json(nlohmann::json j, const std::vector<Run>& runs, double best,
                            const PredictedLinearRates& predicted_at_best) {
  j["best_loglik"] = best;
  j["target"] = "within 1e-6 relative of the best loglik";
  j["predicted_gradient_best_step"] = predicted_at_best.gradient_best_step;
  j["predicted_gradient_best"] = predicted_at_best.gradient_best;
  for (const Run& run : runs) {
    const Diagnostics& d = run.diagnostics;
    nlohmann::json m = {{"method", run.method}, {"iterations", d.iterations}, {"seconds", d.seconds},
                        {"final_loglik", d.final_loglik}, {"converged", run.converged()},
                        {"stop_reason", to_string(run.trace.stop_reason)},
                        {"reached_target", d.reached_target}, {"linear_rate", d.linear_rate},
                        {"predicted_linear_rate", run.predicted_rate},
                        {"loglik_decreases", d.decreases},
                        {"snr_estimate", run.snr},
                        {"final_param_error", run.final_param_error()}};
    if (d.reached_target) {
      m["iterations_to_target"] = d.iterations_to_target;
      m["seconds_to_target"] = d.seconds_to_target;
    }
    j["methods"].push_back(m);
  }
  return j;
}

// One row per method: the numbers of the printed table, for tools.
void write_summary_csv(const std::string& path, const std::vector<Run>& runs) {
  std::ofstream out = open_output(path, "compare");
  out << "method,iterations,seconds,final_loglik,reached_target,iterations_to_target,"
         "seconds_to_target,linear_rate,predicted_linear_rate,converged,stop_reason,final_param_error\n";
  char line[512];
  for (const Run& r : runs) {
    const Diagnostics& d = r.diagnostics;
    std::snprintf(line, sizeof line, "%s,%llu,%.6g,%.17g,%d,%lld,%.6g,%.6g,%.6g,%d,%s,%.6g\n", r.method.c_str(),
                  static_cast<unsigned long long>(d.iterations), d.seconds, d.final_loglik,
                  d.reached_target ? 1 : 0,
                  d.reached_target ? static_cast<long long>(d.iterations_to_target) : -1LL,
                  d.seconds_to_target, d.linear_rate, r.predicted_rate, r.converged() ? 1 : 0,
                  to_string(r.trace.stop_reason).c_str(), r.final_param_error());
    out << line;
  }
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The dashed line of a run's predicted rate ρ² on the gap-per-iteration plot:
// through its last gap above 1e-12 (relative), back to where it reaches 1.
// Only for runs that reached the best fit's neighbourhood, where it applies.
struct PredictedLine {
  double from = 0.0, to = 0.0, gap = 0.0, rate = 0.0;  // iterations [from, to], the gap at `to`
};

std::optional<PredictedLine> predicted_line(const Run& run, double best) {
  const double rate = run.predicted_rate;
  if (!(rate > 0.0 && rate < 1.0) || !run.diagnostics.reached_target) return std::nullopt;
  std::optional<PredictedLine> line;
  for (const TraceRow& row : run.trace.rows) {
    const double gap = (best - row.loglik) / std::abs(best);
    if (gap > 1e-12) line = PredictedLine{0.0, static_cast<double>(row.iteration), gap, rate};
  }
  if (line) line->from = std::max(0.0, line->to - std::log(1.0 / line->gap) / std::log(1.0 / rate));
  return line;
}

// gnuplot draws the relative gap to the best ℓ against iterations and seconds,
// one line per method, straight from trace.csv, and on the iterations' side
// each predicted rate as a dashed line of slope ρ² through the run's end.
std::string plot_script(const std::vector<Run>& runs, const std::string& dir, double best) {
  std::string names, predicted;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    names += (names.empty() ? "" : " ") + runs[i].method;
    if (const std::optional<PredictedLine> l = predicted_line(runs[i], best)) {
      char term[256];
      std::snprintf(term, sizeof term, ", (x >= %.17g && x <= %.17g ? %.17g * %.17g**(x - %.17g) : 1/0) lt %zu dt 2 lw 1 "
                    "title '%s predicted'", l->from, l->to, l->gap, l->rate, l->to, i + 1, runs[i].method.c_str());
      predicted += term;
    }
  }
  std::ostringstream gp;
  gp << "set terminal pngcairo size 1300,520 font ',11'\n"
     << "set output '" << dir << "/convergence.png'\n"
     << "set datafile separator ','\n"
     << "set multiplot layout 1,2 title 'Relative gap to the best log-likelihood (" << best
     << "); floor 1e-16; dashed: the rate predicted at the best fit'\n"
     << "set logscale y\nset format y '10^{%L}'\nset grid\nset key top right\nset samples 400\n"
     << "methods = '" << names << "'\n"
     << "gap(m) = strcol(1) eq m ? ($5 > 1e-16 ? $5 : 1e-16) : 1/0\n"
     << "set xlabel 'iteration'\nset ylabel '(best - loglik) / |best|'\n"
     << "plot for [i = 1:words(methods)] '" << dir
     << "/trace.csv' using 2:(gap(word(methods, i))) with lines lt i lw 2 title word(methods, i)" << predicted << "\n"
     << "set xlabel 'seconds'\nunset ylabel\n"
     << "plot for [i = 1:words(methods)] '" << dir
     << "/trace.csv' using 3:(gap(word(methods, i))) with lines lt i lw 2 title word(methods, i)\n"
     << "unset multiplot\n";
  return gp.str();
}

void draw_plot(const std::string& dir, const std::vector<Run>& runs, double best, bool quiet) {
  const std::string script = dir + "/convergence.gp";
  open_output(script, "compare") << plot_script(runs, dir, best);
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    std::fprintf(stderr, "moe: note: gnuplot not found (apt-get install gnuplot-nox); the plot "
                         "script is %s\n", script.c_str());
    return;
  }
  const int status = std::system(("gnuplot " + shell_quote(script)).c_str());
  require(status == 0, "compare", "gnuplot failed on " + script);
  if (!quiet) std::printf("plot: %s/convergence.png\n", dir.c_str());
}

void print_table(const std::vector<Run>& runs, double best, const PredictedLinearRates& predicted_at_best) {
  std::printf("best log-likelihood %.10g; target: within 1e-6 relative of it\n", best);
  std::printf("%-14s %6s %9s %17s %8s %9s %7s %9s %5s %s\n", "method", "iter", "seconds", "final loglik",
              "iter@1e-6", "sec@1e-6", "rate", "predicted", "conv", "stop");
  for (const Run& r : runs) {
    const Diagnostics& d = r.diagnostics;
    char at_iter[32] = "-", at_sec[32] = "-", predicted[32] = "-";
    if (!std::isnan(r.predicted_rate)) std::snprintf(predicted, sizeof predicted, "%.7f", r.predicted_rate);
    if (d.reached_target) {
      std::snprintf(at_iter, sizeof at_iter, "%llu", static_cast<unsigned long long>(d.iterations_to_target));
      std::snprintf(at_sec, sizeof at_sec, "%.3g", d.seconds_to_target);
    }
    std::printf("%-14s %6llu %9.3g %17.10g %8s %9s %7.3f %9s %5s %s\n", r.method.c_str(),
                static_cast<unsigned long long>(d.iterations), d.seconds, d.final_loglik, at_iter, at_sec,
                d.linear_rate, predicted, r.converged() ? "yes" : "no",
                to_string(r.trace.stop_reason).c_str());
  }
  if (!std::isnan(predicted_at_best.gradient_best_step))
    std::printf("predicted at the best fit: the best fixed gradient step, gd:%.4g, at rate %.7f\n",
                predicted_at_best.gradient_best_step, predicted_at_best.gradient_best);
}

// Every method's predicted ratio of successive gaps (ρ², local_rates.hpp) at
// the fit with the best ℓ, into its Run; returns the rates there (for the best
// fixed gradient step); a note when it is not a strict maximum.
PredictedLinearRates predict_rates(std::vector<Run>& runs, const std::vector<Method>& methods, const LocalRates& rates,
                                   bool quiet) {
  if (!rates.valid() && !quiet) std::fprintf(stderr, "moe: note: no predicted rates: %s\n", rates.note().c_str());
  for (std::size_t i = 0; i < runs.size(); ++i) runs[i].predicted_rate = std::pow(methods[i].local_rate(rates), 2);
  return predicted_linear_rates(rates, arma::datum::nan);
}

// The estimators of --methods, every name checked (by `check`) before any fit runs.
std::vector<Method> methods_of(const CompareArgs& args, const MethodSettings& settings,
                               const std::function<void(const Method&)>& check) {
  std::vector<Method> methods;
  for (const std::string& name : split_names(args.methods)) {
    methods.push_back(make_method(name, settings));
    check(methods.back());
  }
  require(!methods.empty(), "compare", "--methods lists no method");
  return methods;
}

// The outputs of a comparison: the files, the table and the plot.
void report(const CompareArgs& args, const nlohmann::json& problem, const std::vector<Run>& runs, double best,
            const PredictedLinearRates& at_best) {
  write_traces(args.out_dir + "/trace.csv", runs, best);
  open_output(args.out_dir + "/summary.json", "compare") << summary_json(problem, runs, best, at_best).dump(2) << '\n';
  write_summary_csv(args.out_dir + "/summary.csv", runs);
  if (!args.quiet) print_table(runs, best, at_best);
  draw_plot(args.out_dir, runs, best, args.quiet);
}

// Several responses: every method from where the EM search's best run started.
void run_multivariate_compare(const CompareArgs& args) {
  require(!args.simulate && args.truth.empty(), "compare", "--simulate and --truth are not available with several responses");
  const MultivariateData data = multivariate_data(args.common);
  const MultivariateOptions options = multivariate_options(args.common);
  validate(data, args.common.K, options.structure);
  const std::vector<Method> methods = methods_of(args, args.common.settings(), require_several_responses);
  std::filesystem::create_directories(args.out_dir);
  const MultivariateFit searched = fit_multivariate(data, args.common.K, options);
  if (!args.quiet)
    std::fprintf(stderr, "every method starts from where the search's best run started (em reached %.10g there)\n",
                 searched.loglik);
  std::vector<Run> runs;
  std::vector<MultivariateRun> fits;
  for (const Method& method : methods) {
    if (!args.quiet) std::fprintf(stderr, "running %s\n", method.name.c_str());
    fits.push_back(method.fit_multivariate_from(data, searched.start));
    runs.push_back(run_of(method.name, fits.back().trace, fits.back().loglik));
  }
  const double best = diagnose_runs(runs);
  const PredictedLinearRates at_best =
      predict_rates(runs, methods, local_rates(highest(fits).model, data), args.quiet);
  nlohmann::json problem = {{"data", args.common.data}, {"n", data.n()}, {"K", args.common.K}, {"family", "gaussian"},
                            {"responses", data.y_names}, {"covariance", to_string(options.structure)}};
  if (!args.common.weights.empty()) {
    problem["weights"] = args.common.weights;
    problem["total_weight"] = data.total_weight();
  }
  report(args, problem, runs, best, at_best);
}

void run_compare(const CompareArgs& args) {
  if (is_multivariate(args.common)) return run_multivariate_compare(args);
  const Problem problem = load_problem(args);
  check_truth(problem, args);
  const Family family = parse_family(args.common.family);
  validate(problem.data, family, args.common.K);
  MethodSettings settings = args.common.settings();
  if (problem.truth) settings.control.truth = problem.truth->model;
  const std::vector<Method> methods = methods_of(args, settings, [family](const Method& m) { m.require_family(family); });
  std::filesystem::create_directories(args.out_dir);
  // every method starts where the search's best fit started (search.hpp)
  MethodSettings search_settings = settings;
  search_settings.control.truth.reset();
  const Fit searched = make_method("em", search_settings).fit(problem.data, args.common.K, family,
                                                              args.common.common_sigma);
  const Model& start = searched.search.start;
  if (!args.quiet)
    std::fprintf(stderr, "every method starts from the search's best start (%s), where em reached %.10g\n",
                 searched.search.best_init.c_str(), searched.loglik);
  std::vector<Run> runs;
  std::vector<Fit> fits;
  for (const Method& method : methods) {
    if (!args.quiet) std::fprintf(stderr, "running %s\n", method.name.c_str());
    fits.push_back(method.fit_from(problem.data, start));
    const Fit& fit = fits.back();
    runs.push_back(run_of(method.name, fit.trace, fit.loglik,
                          snr_estimate(fit.model, problem.data.X, problem.data.offset, problem.data.weights)));
  }
  const double best = diagnose_runs(runs);
  const PredictedLinearRates at_best =
      predict_rates(runs, methods, LocalRates(highest(fits).model, problem.data), args.quiet);
  report(args, problem_json(args, problem), runs, best, at_best);
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Run several estimators from the same initialization and compare their "
                 "convergence: a table, DIR/trace.csv, DIR/summary.csv, DIR/summary.json and "
                 "DIR/convergence.png");
  add_fit_options(cmd, args->common, false);
  cmd->add_option("--methods", args->methods,
                  "Comma-separated estimators, as --method of moe fit: " + method_usages())
      ->capture_default_str();
  cmd->add_option("--out-dir", args->out_dir, "Directory for the outputs")->required();
  cmd->add_flag("--simulate", args->simulate,
                "Draw the data from a random model (or from --truth), so parameter errors are known");
  cmd->add_option("-n,--rows", args->n, "Rows to simulate")
      ->check(count_between(1, 1000000000))->capture_default_str();
  add_random_model_options(cmd, args->random, false);
  cmd->add_option("--truth", args->truth, "The true model (JSON): parameter errors per iteration");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
  cmd->callback([args] { run_compare(*args); });
}

}  // namespace moe::cli
