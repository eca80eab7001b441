#include "multivariate_fit.hpp"

#include <cstdio>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "moe/csv.hpp"
#include "moe/error.hpp"
#include "moe/multivariate_bootstrap.hpp"
#include "moe/multivariate_information.hpp"
#include "progress_line.hpp"

namespace moe::cli {
namespace {

// The options that a multivariate fit has no use for, refused by name.
void refuse_univariate_options(const FitOptions& o) {
  const auto refuse = [](bool given, const char* option) {
    require(!given, "fit", std::string(option) + " is not available with several responses (multivariate Gaussian experts)");
  };
  refuse(o.family != "gaussian", "--family other than gaussian");
  refuse(!o.offset.empty(), "--offset");
  refuse(!o.trials.empty(), "--trials");
  refuse(!o.group.empty(), "--group");
  refuse(!o.x_fixed.empty(), "--x-fixed");
  refuse(o.point_mass.has_value(), "--point-mass");
  refuse(o.common_sigma, "--common-sigma (use --covariance EEE, EEI or EII)");
  refuse(o.device != "cpu", "--device cuda");
}

nlohmann::json matrix_rows(const arma::mat& M) {
  nlohmann::json rows = nlohmann::json::array();
  for (arma::uword r = 0; r < M.n_rows; ++r) rows.push_back(arma::conv_to<std::vector<double>>::from(M.row(r)));
  return rows;
}

arma::mat matrix_of(const nlohmann::json& rows) {
  arma::mat M(rows.size(), rows.empty() ? 0 : rows[0].size());
  for (arma::uword r = 0; r < M.n_rows; ++r) {
    require(rows[r].size() == M.n_cols, "predict", "the model's matrices have rows of different lengths");
    for (arma::uword c = 0; c < M.n_cols; ++c) M(r, c) = rows[r][c].get<double>();
  }
  return M;
}

// The model of a multivariate fit.json (fit_json's fields).
MultivariateModel model_of(const nlohmann::json& j) {
  MultivariateModel model;
  model.experts.structure = parse_covariance(j.at("covariance").get<std::string>());
  const nlohmann::json& experts = j.at("experts").at("experts");
  require(!experts.empty(), "predict", "the model has no experts");
  for (arma::uword k = 0; k < experts.size(); ++k) {
    const arma::mat B = matrix_of(experts[k].at("coef")), S = matrix_of(experts[k].at("covariance"));
    if (k == 0) {
      model.experts.coef.set_size(B.n_rows, B.n_cols, experts.size());
      model.experts.covariance.set_size(S.n_rows, S.n_cols, experts.size());
    }
    require(arma::size(B) == arma::size(model.experts.coef.slice(0)) && S.n_rows == B.n_cols && S.n_cols == B.n_cols,
            "predict", "the experts' matrices have different sizes");
    model.experts.coef.slice(k) = B;
    model.experts.covariance.slice(k) = S;
  }
  model.gate.coef = matrix_of(j.at("gate").at("coef"));
  require(model.gate.coef.n_cols == model.K(), "predict", "the gate and the experts disagree on K");
  return model;
}

// The designs of a saved model's covariates, whose values `columns` gives by name.
MultivariateData designs_of(const nlohmann::json& saved, const MultivariateModel& model,
                            const std::function<arma::mat(const std::vector<std::string>&)>& columns) {
  const bool intercept = saved.at("intercept").get<bool>();
  MultivariateData data;
  data.X = make_design(columns(saved.at("x").get<std::vector<std::string>>()), intercept);
  data.Z = make_design(columns(saved.at("z").get<std::vector<std::string>>()), intercept);
  require(data.X.n_cols == model.experts.coef.n_rows && data.Z.n_cols == model.gate.coef.n_rows, "predict",
          "the model's designs do not match its covariates");
  return data;
}

// Every parameter with its observed-information standard error (null when there is none).
nlohmann::json parameters_json(const MultivariateModel& model, const MultivariateData& data, const arma::vec& se) {
  const std::vector<std::string> names = multivariate_parameter_names(model, data);
  const arma::vec estimates = multivariate_parameters(model);
  nlohmann::json out = nlohmann::json::array();
  for (arma::uword j = 0; j < estimates.n_elem; ++j)
    out.push_back({{"name", names[j]}, {"estimate", estimates(j)},
                   {"se", std::isfinite(se(j)) ? nlohmann::json(se(j)) : nlohmann::json(nullptr)}});
  return out;
}

nlohmann::json fit_json(const MultivariateFit& fit, const MultivariateData& data, const FitOptions& o,
                        const MultivariateStandardErrors& se) {
  const MultivariateModel& m = fit.model;
  nlohmann::json experts = nlohmann::json::array();
  for (arma::uword k = 0; k < m.K(); ++k)
    experts.push_back({{"coef", matrix_rows(m.experts.coef.slice(k))}, {"covariance", matrix_rows(m.experts.covariance.slice(k))}});
  std::vector<double> starts;
  for (const double l : fit.start_logliks) starts.push_back(l);  // NaN (a failed start) is written as null
  return {{"family", "gaussian"},
          {"responses", data.y_names},
          {"x", split_names(o.x)},
          {"z", split_names(o.z)},
          {"intercept", !o.no_intercept},
          {"covariance", to_string(m.experts.structure)},
          {"K", m.K()},
          {"n", data.n()},
          {"weights", o.weights.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.weights)},
          {"total_weight", data.total_weight()},
          {"experts", {{"names", data.x_names}, {"experts", experts}}},
          {"gate", {{"names", data.z_names}, {"coef", matrix_rows(m.gate.coef)}, {"reference", m.K()}}},
          {"loglik", fit.loglik},
          {"df", m.n_free()},
          {"aic", fit.aic},
          {"bic", fit.bic},
          {"icl", fit.icl},
          {"iterations", fit.iterations},
          {"converged", fit.converged},
          {"best_start", fit.best_start + 1},
          {"starts_at_best", fit.starts_at_best()},
          {"moves_tried", fit.moves_tried},
          {"moves_kept", fit.moves_kept},
          {"start_logliks", starts},
          {"parameters", parameters_json(m, data, se.se)}};
}

void print_fit(const MultivariateFit& fit, const MultivariateData& data, const FitOptions& o,
               const MultivariateStandardErrors& se) {
  const MultivariateModel& m = fit.model;
  char weights[160] = "";
  if (!o.weights.empty()) std::snprintf(weights, sizeof weights, " (weights %s, total %.10g)", o.weights.c_str(), data.total_weight());
  std::printf("Mixture of %llu multivariate Gaussian experts (%llu responses: %s), covariance %s, n = %llu%s, "
              "method em, %llu starts\n",
              static_cast<unsigned long long>(m.K()), static_cast<unsigned long long>(m.experts.n_responses()),
              o.response.c_str(), to_string(m.experts.structure).c_str(), static_cast<unsigned long long>(data.n()),
              weights, static_cast<unsigned long long>(fit.start_logliks.n_elem));
  std::printf("log-likelihood %.10g   df %llu   AIC %.8g   BIC %.8g   ICL %.8g\n", fit.loglik,
              static_cast<unsigned long long>(m.n_free()), fit.aic, fit.bic, fit.icl);
  const arma::uword failed = fit.start_logliks.n_elem - arma::find_finite(fit.start_logliks).eval().n_elem;
  std::printf("best start %llu, its maximum reached by %llu of %llu starts (%llu failed: an expert collapsed); "
              "replace moves kept %llu of %llu; iterations %llu, %s\n",
              static_cast<unsigned long long>(fit.best_start + 1), static_cast<unsigned long long>(fit.starts_at_best()),
              static_cast<unsigned long long>(fit.start_logliks.n_elem), static_cast<unsigned long long>(failed),
              static_cast<unsigned long long>(fit.moves_kept), static_cast<unsigned long long>(fit.moves_tried),
              static_cast<unsigned long long>(fit.iterations), fit.converged ? "converged" : "not converged (--max-iter)");
  if (fit.starts_at_best() == 1 && fit.moves_kept == 0 && fit.start_logliks.n_elem > 1)
    std::printf("warning: the best maximum was reached by one start only: try more --starts\n");
  const arma::rowvec weight = arma::mean(fit.posterior, 0);
  for (arma::uword k = 0; k < m.K(); ++k) {
    std::printf("Expert %llu (posterior share %.4f)\n%-16s", static_cast<unsigned long long>(k + 1), weight(k), "");
    for (const std::string& y : data.y_names) std::printf(" %14s", y.c_str());
    std::printf("\n");
    for (arma::uword j = 0; j < m.experts.coef.n_rows; ++j) {
      std::printf("%-16s", data.x_names[j].c_str());
      for (arma::uword r = 0; r < m.experts.n_responses(); ++r) std::printf(" %14.6g", m.experts.coef(j, r, k));
      std::printf("\n");
    }
    for (arma::uword r = 0; r < m.experts.n_responses(); ++r) {
      std::printf("%-16s", ("cov " + data.y_names[r]).c_str());
      for (arma::uword c = 0; c < m.experts.n_responses(); ++c) std::printf(" %14.6g", m.experts.covariance(r, c, k));
      std::printf("\n");
    }
  }
  if (se.valid) {
    const std::vector<std::string> names = multivariate_parameter_names(m, data);
    const arma::vec estimates = multivariate_parameters(m);
    std::printf("Parameters with observed-information standard errors:\n");
    for (arma::uword j = 0; j < estimates.n_elem; ++j)
      std::printf("  %-32s %14.6g %14.6g\n", names[j].c_str(), estimates(j), se.se(j));
  } else {
    std::printf("note: no standard errors: %s\n", se.note.c_str());
  }
  if (m.K() > 1) {
    std::printf("Gate (log-odds against the last expert):\n");
    for (arma::uword j = 0; j < m.gate.coef.n_rows; ++j) {
      std::printf("%-16s", data.z_names[j].c_str());
      for (arma::uword k = 0; k + 1 < m.K(); ++k) std::printf(" %14.6g", m.gate.coef(j, k));
      std::printf("\n");
    }
  }
}

void write_json(const std::string& out, const nlohmann::json& j, const char* who) {
  if (!out.empty()) open_output(out, who) << j.dump(2) << '\n';
}

void print_candidates(const MultivariateSelection& s) {
  std::printf("%4s %9s %18s %6s %16s %16s %16s\n", "K", "structure", "loglik", "df", "AIC", "BIC", "ICL");
  for (std::size_t c = 0; c < s.candidates.size(); ++c) {
    const auto& cand = s.candidates[c];
    const MultivariateFit& f = cand.fit;
    std::printf("%4llu %9s ", static_cast<unsigned long long>(cand.K), to_string(cand.structure).c_str());
    if (cand.fitted)
      std::printf("%18.10g %6llu %16.8g %16.8g %16.8g%s\n", f.loglik, static_cast<unsigned long long>(f.model.n_free()),
                  f.aic, f.bic, f.icl, c == s.best ? ("   <- smallest " + to_string(s.criterion)).c_str() : "");
    else
      std::printf("  not fitted: %s\n", cand.note.c_str());
  }
}

// One CSV row per candidate; a candidate that could not be fitted has empty cells.
void write_candidates(std::ostream& out, const MultivariateSelection& s) {
  out << "K,covariance,loglik,df,aic,bic,icl,iterations,chosen\n";
  char line[256];
  for (std::size_t c = 0; c < s.candidates.size(); ++c) {
    const auto& cand = s.candidates[c];
    const MultivariateFit& f = cand.fit;
    out << cand.K << ',' << to_string(cand.structure) << ',';
    if (cand.fitted) {
      std::snprintf(line, sizeof line, "%.17g,%llu,%.17g,%.17g,%.17g,%llu", f.loglik,
                    static_cast<unsigned long long>(f.model.n_free()), f.aic, f.bic, f.icl,
                    static_cast<unsigned long long>(f.iterations));
      out << line;
    } else {
      out << ",,,,,";
    }
    out << ',' << (c == s.best ? 1 : 0) << '\n';
  }
}

// The structures of --covariance: one for fit (default VVV), a list for select (default all).
std::vector<Covariance> structures_of(const FitOptions& o, bool list) {
  if (o.covariance.empty()) return list ? covariance_structures() : std::vector<Covariance>{Covariance::VVV};
  std::vector<Covariance> out;
  for (const std::string& name : split_names(o.covariance)) out.push_back(parse_covariance(name));
  require(list || out.size() == 1, "fit", "--covariance takes one structure for fit (several for select)");
  return out;
}

// The search's settings of the options, without a structure (select sets each).
MultivariateOptions search_options(const FitOptions& o) {
  MultivariateOptions out;
  out.starts = o.starts;
  out.seed = o.seed;
  out.max_iter = o.max_iter;
  out.tol = o.tol;
  out.threads = o.threads;
  out.moves = !o.no_split_merge;
  return out;
}

}  // namespace

MultivariateData multivariate_data(const FitOptions& o) {
  refuse_univariate_options(o);
  const Table table = Table::read(o.data);
  MultivariateData data;
  data.y_names = split_names(o.response);
  for (std::size_t a = 0; a < data.y_names.size(); ++a)
    for (std::size_t b = a + 1; b < data.y_names.size(); ++b)
      require(data.y_names[a] != data.y_names[b], "fit", "the response '" + data.y_names[a] + "' is named twice");
  data.Y = table.columns(data.y_names);
  data.X = make_design(table.columns(split_names(o.x)), !o.no_intercept);
  data.Z = make_design(table.columns(split_names(o.z)), !o.no_intercept);
  data.x_names = design_names(split_names(o.x), !o.no_intercept);
  data.z_names = design_names(split_names(o.z), !o.no_intercept);
  if (!o.weights.empty()) data.weights = table.column(o.weights);
  return data;
}

MultivariateOptions multivariate_options(const FitOptions& o) {
  MultivariateOptions out = search_options(o);
  out.structure = structures_of(o, false).front();
  return out;
}

bool is_multivariate(const FitOptions& options) { return split_names(options.response).size() > 1; }

void run_multivariate_fit(const FitOptions& o, const std::string& method, const std::string& out, bool quiet) {
  require(method == "em", "fit", "several responses are fitted by --method em only");
  const MultivariateData data = multivariate_data(o);
  if (!out.empty()) require_writable(out, "fit");
  MultivariateOptions options = multivariate_options(o);
  ProgressLine progress(!quiet);
  options.progress = [&progress, &o](const std::string& stage, arma::uword done) {
    if (progress.due())
      progress.print(stage == "starts" ? "start " + std::to_string(done) + "/" + std::to_string(o.starts)
                                       : "replace move " + std::to_string(done));
  };
  const MultivariateFit fit = fit_multivariate(data, o.K, options);
  const MultivariateStandardErrors se = standard_errors(fit.model, data);
  if (!quiet) print_fit(fit, data, o, se);
  write_json(out, fit_json(fit, data, o, se), "fit");
}

void run_multivariate_select(const FitOptions& o, const std::vector<arma::uword>& Ks, Criterion criterion,
                             const std::string& table, const std::string& out, bool quiet) {
  const MultivariateData data = multivariate_data(o);
  if (!out.empty()) require_writable(out, "select");
  if (!table.empty() && table != "-") require_writable(table, "select");
  const MultivariateSelection s = select_multivariate(data, Ks, structures_of(o, true), criterion, search_options(o));
  if (!quiet) {
    std::printf("Experts and covariance structures for %s (responses %s), n = %llu, %llu starts each\n", o.data.c_str(),
                o.response.c_str(), static_cast<unsigned long long>(data.n()), static_cast<unsigned long long>(o.starts));
    print_candidates(s);
  }
  if (table == "-") write_candidates(std::cout, s);
  if (!table.empty() && table != "-") {
    std::ofstream file = open_output(table, "select");
    write_candidates(file, s);
  }
  const MultivariateFit& best = s.candidates[s.best].fit;
  if (!out.empty()) write_json(out, fit_json(best, data, o, standard_errors(best.model, data)), "select");
}

std::optional<nlohmann::json> read_multivariate_model(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) return std::nullopt;
  std::ifstream in(path);
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);  // not JSON: read_model_file says so
  if (j.is_object() && j.contains("responses")) return j;
  return std::nullopt;
}

void run_multivariate_predict(const nlohmann::json& saved, const std::string& data_path, const std::string& out) {
  const MultivariateModel model = model_of(saved);
  const Table table = Table::read(data_path);
  const auto responses = saved.at("responses").get<std::vector<std::string>>();
  MultivariateData data =
      designs_of(saved, model, [&](const std::vector<std::string>& names) { return table.columns(names); });
  bool with_responses = true;
  for (const std::string& y : responses) with_responses = with_responses && table.has(y) && table.is_numeric(y);
  data.Y = with_responses ? table.columns(responses) : arma::mat(table.n_rows(), responses.size(), arma::fill::zeros);
  std::vector<std::string> names;
  for (const std::string& y : responses) names.push_back("mean_" + y);
  const auto gate = numbered("gate_", model.K());
  names.insert(names.end(), gate.begin(), gate.end());
  arma::mat values = arma::join_horiz(model.predict_mean(data), arma::exp(model.gate.log_probs(data.Z)));
  if (with_responses) {  // the experts' posterior probabilities given the responses
    const auto posterior = numbered("posterior_", model.K());
    names.insert(names.end(), posterior.begin(), posterior.end());
    values = arma::join_horiz(values, responsibilities(model, data));
  }
  write_table(out, names, values, "predict");
}

void run_multivariate_simulate(const nlohmann::json& saved, arma::uword n, Rng& rng, const std::string& out) {
  const MultivariateModel model = model_of(saved);
  std::vector<std::string> names = saved.at("responses").get<std::vector<std::string>>(), covariates;
  for (const char* part : {"x", "z"})
    for (const std::string& c : saved.at(part).get<std::vector<std::string>>())
      if (std::find(covariates.begin(), covariates.end(), c) == covariates.end()) covariates.push_back(c);
  arma::mat values(n, covariates.size());
  values.imbue([&] { return rng.normal(); });
  const MultivariateData data = designs_of(saved, model, [&](const std::vector<std::string>& wanted) {
    arma::uvec at(wanted.size());
    for (std::size_t j = 0; j < wanted.size(); ++j)
      at(j) = std::find(covariates.begin(), covariates.end(), wanted[j]) - covariates.begin();
    return arma::mat(values.cols(at));
  });
  names.insert(names.end(), covariates.begin(), covariates.end());
  write_table(out, names, arma::join_horiz(simulate_responses(model, data.X, data.Z, rng), values), "simulate");
}

}  // namespace moe::cli
