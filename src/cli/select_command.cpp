// `moe select`: fits for several numbers of experts, compared by AIC, BIC or ICL.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "fit_options.hpp"
#include "multivariate_fit.hpp"
#include "moe/csv.hpp"
#include "moe/error.hpp"
#include "moe/diagnostics.hpp"
#include "moe/standard_errors.hpp"
#include "moe/selection.hpp"

namespace moe::cli {
namespace {

struct SelectArgs {
  FitOptions common;
  std::vector<arma::uword> experts{1, 2, 3, 4};
  std::string method = "em", criterion = "bic", table, out;
  bool quiet = false, no_se = false;
};

// How many of a fit's finalists ended at its best maximum (the search's report).
arma::uword starts_at_best(const Fit& fit) {
  const std::vector<LocalMaximum>& maxima = fit.search.maxima;
  return maxima.empty() || !same_maximum(maxima.front().loglik, fit.loglik) ? 0 : maxima.front().starts;
}

void print_selection(const Selection& s) {
  std::printf("%4s %18s %6s %16s %16s %16s %10s %-16s %s\n", "K", "loglik", "df", "AIC", "BIC", "ICL", "iterations",
              "stop", "finalists at best");
  for (std::size_t i = 0; i < s.K.size(); ++i) {
    const Fit& f = s.fits[i];
    std::printf("%4llu %18.10g %6llu %16.8g %16.8g %16.8g %10llu %-16s %llu of %zu%s\n",
                static_cast<unsigned long long>(s.K[i]), f.loglik,
                static_cast<unsigned long long>(f.model.n_free()), s.aic(i), s.bic(i), s.icl(i),
                static_cast<unsigned long long>(f.iterations), to_string(f.trace.stop_reason).c_str(),
                static_cast<unsigned long long>(starts_at_best(f)), static_cast<std::size_t>(f.search.finalists),
                i == s.best ? ("   <- smallest " + to_string(s.criterion)).c_str() : "");
  }
}

void write_selection_table(std::ostream& out, const Selection& s) {
  arma::mat values(s.K.size(), 8);
  for (std::size_t i = 0; i < s.K.size(); ++i) {
    const Fit& f = s.fits[i];
    values.row(i) = arma::rowvec{static_cast<double>(s.K[i]), f.loglik, static_cast<double>(f.model.n_free()),
                                 s.aic(i), s.bic(i), s.icl(i), static_cast<double>(f.iterations),
                                 static_cast<double>(i == s.best)};
  }
  write_csv(out, {"K", "loglik", "df", "aic", "bic", "icl", "iterations", "chosen"}, values);
}

void run_select(const SelectArgs& args) {
  if (is_multivariate(args.common)) {
    require(args.method == "em", "select", "several responses are fitted by --method em only");
    return run_multivariate_select(args.common, args.experts, parse_criterion(args.criterion), args.table, args.out,
                                   args.quiet);
  }
  const Dataset data = args.common.dataset();
  const Specification spec = args.common.specification(data);
  MethodSettings settings = args.common.settings();
  const Method method = make_method(args.method, settings);
  const Criterion criterion = parse_criterion(args.criterion);
  const bool table_file = !args.table.empty() && args.table != "-";
  if (!args.out.empty()) require_writable(args.out, "select");  // a bad path fails before the work
  if (table_file) require_writable(args.table, "select");
  const Selection s = select_experts(method, data, args.experts, parse_family(args.common.family),
                                     args.common.common_sigma, criterion, [&](arma::uword K) {
                                       if (!args.quiet) std::fprintf(stderr, "fitting K = %llu\n",
                                                                     static_cast<unsigned long long>(K));
                                     });
  if (!args.quiet) {
    std::printf("Number of experts for %s, n = %llu, %smethod %s, %llu start(s) each\n", args.common.data.c_str(),
                static_cast<unsigned long long>(data.n()), args.common.data_note(data).c_str(), method.name.c_str(),
                static_cast<unsigned long long>(settings.control.starts));
    print_selection(s);
  }
  if (table_file) {
    std::ofstream table = open_output(args.table, "select");
    write_selection_table(table, s);
  }
  if (args.table == "-") write_selection_table(std::cout, s);
  if (!args.out.empty()) {
    const Fit& best = s.fits[s.best];
    const FitRecord record = args.common.record(method, settings.control, data,
                                                summarize(best, data, method, !args.no_se));
    open_output(args.out, "select") << fit_to_json(best, spec, record).dump(2) << '\n';
  }
}

}  // namespace

void add_select_command(CLI::App& app) {
  auto args = std::make_shared<SelectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "select", "Choose the number of experts: fit each K, compare AIC, BIC and ICL (smaller is better)");
  add_fit_options(cmd, args->common, true, false);
  cmd->add_option("-K,--experts", args->experts, "The numbers of experts to try, comma-separated")
      ->delimiter(',')
      ->check(count_between(1, 1000))
      ->capture_default_str();
  cmd->add_option("--criterion", args->criterion,
                  "What chooses K: aic, bic, or icl (BIC minus twice the sum of the log of each row's largest "
                  "responsibility: favours well separated experts)")
      ->check(CLI::IsMember({"aic", "bic", "icl"}))
      ->capture_default_str();
  cmd->add_option("--method", args->method, "The estimator, as for moe fit")->capture_default_str();
  cmd->add_option("--table", args->table, "Write the comparison as CSV to this file (- for standard output)");
  cmd->add_option("--out,-o", args->out, "Write the chosen fit as JSON to this file (as moe fit --out)");
  cmd->add_flag("--no-se", args->no_se, "Skip the chosen fit's standard errors");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors (and --table -)");
  cmd->callback([args] { run_select(*args); });
}

}  // namespace moe::cli
