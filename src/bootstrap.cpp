#include "moe/bootstrap.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "moe/error.hpp"
#include "moe/matching.hpp"
#include "moe/standard_errors.hpp"
#include "parallel.h"

namespace moe {
namespace {

// The log dispersions at the end of pack(model): K' σ's, θ's or shapes, one σ
// when common, none for the binomial and Poisson.
arma::uword dispersion_count(const Model& model) {
  return model.n_free() - model.gate.n_free() - model.experts.n_coefficients();
}

// How many times each of the units is drawn when `draws` of them are drawn
// with replacement, unit u with probability ∝ share(u).  Result: units.
arma::vec drawn_counts(const arma::vec& share, arma::uword draws, Rng& rng) {
  const arma::vec cumulative = arma::cumsum(share) / arma::accu(share);
  arma::vec counts(share.n_elem, arma::fill::zeros);
  for (arma::uword d = 0; d < draws; ++d) {
    const double u = rng.uniform();
    const auto at = std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
    counts(std::min<arma::uword>(static_cast<arma::uword>(at), share.n_elem - 1)) += 1.0;
  }
  return counts;
}

// The data with the rows `rows` (repeats allowed), in that order; `group`:
// their group numbers (0 to G − 1), or empty for none.
Dataset rows_of(const Dataset& data, const arma::uvec& rows, const arma::uvec& group) {
  Dataset out = data;
  out.y = data.y.elem(rows);
  out.X = data.X.rows(rows);
  out.Z = data.Z.rows(rows);
  for (auto member : {&Dataset::weights, &Dataset::offset, &Dataset::trials})
    if (!(data.*member).is_empty()) out.*member = (data.*member).elem(rows);
  out.group = group;
  out.group_names.clear();
  return out;
}

// Whole groups resampled: each drawn copy of a group becomes a group of its own.
Dataset resampled_groups(const Dataset& data, Rng& rng) {
  const arma::uword G = data.n_groups();
  std::vector<std::vector<arma::uword>> members(G);
  for (arma::uword i = 0; i < data.n(); ++i) members[data.group(i)].push_back(i);
  const arma::vec copies = drawn_counts(arma::ones(G), G, rng);
  std::vector<arma::uword> rows, group;
  arma::uword next = 0;
  for (arma::uword g = 0; g < G; ++g)
    for (double c = 0; c < copies(g); ++c, ++next)
      for (arma::uword i : members[g]) rows.push_back(i), group.push_back(next);
  return rows_of(data, arma::uvec(rows), arma::uvec(group));
}

// The observations resampled with replacement: as new frequency weights (the
// N = Σ w_i observations that the weights count), or whole groups.
Dataset resampled(const Dataset& data, Rng& rng) {
  if (data.grouped()) return resampled_groups(data, rng);
  const arma::vec w = data.weights.is_empty() ? arma::ones(data.n()) : data.weights;
  Dataset out = data;
  out.weights = drawn_counts(w, static_cast<arma::uword>(std::llround(arma::accu(w))), rng);
  return out;
}

// New responses drawn from the fitted model at the data's covariates.
Dataset redrawn(const Dataset& data, const Model& fitted, Rng& rng) {
  Dataset out = data;
  out.y = sample(fitted, data.X, data.Z, rng, nullptr, data.offset, data.trials, data.group);
  return out;
}

// Quantile p of sorted values, R's type 7: linear between order statistics.
double quantile_of_sorted(const arma::vec& sorted, double p) {
  const double h = (static_cast<double>(sorted.n_elem) - 1.0) * p;
  const auto below = static_cast<arma::uword>(std::floor(h));
  const arma::uword above = std::min<arma::uword>(below + 1, sorted.n_elem - 1);
  return sorted(below) + (h - std::floor(h)) * (sorted(above) - sorted(below));
}

BootstrapReplicate replicate(const Dataset& data, const Model& fitted, const Method& method, BootstrapType type,
                             std::uint64_t seed) {
  Rng rng(seed);
  const Dataset drawn = type == BootstrapType::parametric ? redrawn(data, fitted, rng) : resampled(data, rng);
  const Fit fit = method.fit_from(drawn, fitted);
  const arma::uvec order = matched_experts(fit.model, fitted);
  return {natural_parameters(relabelled(fit.model, order)), fit.loglik, fit.converged, moves_labels(order), ""};
}

}  // namespace

std::string to_string(BootstrapType type) {
  return type == BootstrapType::parametric ? "parametric" : "nonparametric";
}

BootstrapType parse_bootstrap_type(const std::string& name) {
  if (name == "nonparametric") return BootstrapType::nonparametric;
  if (name == "parametric") return BootstrapType::parametric;
  throw std::invalid_argument("moe::parse_bootstrap_type(): unknown bootstrap type '" + name +
                              "' (use nonparametric or parametric)");
}

arma::vec natural_parameters(const Model& model) {
  arma::vec theta = pack(model);
  const arma::uword dispersions = dispersion_count(model);
  if (dispersions > 0) theta.tail(dispersions) = arma::exp(theta.tail(dispersions));
  return theta;
}

arma::vec natural_standard_errors(const Model& model, const StandardErrors& se) {
  if (!se.valid) return arma::vec(model.n_free(), arma::fill::value(arma::datum::nan));
  arma::vec out = arma::sqrt(se.covariance.diag());
  const arma::uword dispersions = dispersion_count(model);
  if (dispersions > 0) out.tail(dispersions) %= arma::exp(se.estimates.tail(dispersions));
  return out;
}

arma::vec Bootstrap::standard_errors() const { return arma::stddev(replicates, 0, 0).t(); }

arma::mat Bootstrap::percentile_intervals(double level) const {
  require(level > 0.0 && level < 1.0, "Bootstrap::percentile_intervals", "the level must lie in (0, 1)");
  arma::mat out(replicates.n_cols, 2);
  for (arma::uword j = 0; j < replicates.n_cols; ++j) {
    const arma::vec sorted = arma::sort(replicates.col(j));
    out(j, 0) = quantile_of_sorted(sorted, (1.0 - level) / 2.0);
    out(j, 1) = quantile_of_sorted(sorted, (1.0 + level) / 2.0);
  }
  return out;
}

std::vector<std::string> natural_parameter_names(const Model& model, const Dataset& data) {
  std::vector<std::string> names = parameter_names(model, data);
  for (std::string& name : names)
    if (name.rfind("log_", 0) == 0) name.erase(0, 4);  // "log_sigma.expert1" → "sigma.expert1"
  return names;
}

void require_replicates(const BootstrapOptions& options) {
  require(options.replicates >= 1, "bootstrap", "at least one replicate is needed");
}

void require_bootstrappable(const Dataset& data, const BootstrapOptions& options) {
  require_replicates(options);
  require(options.type == BootstrapType::parametric || data.weights.is_empty() ||
              arma::all(data.weights == arma::round(data.weights)),
          "bootstrap",
          "the nonparametric bootstrap resamples the observations that the frequency weights count, so the weights "
          "must be whole numbers (or use the parametric bootstrap)");
}

Bootstrap run_bootstrap(const BootstrapOptions& options, arma::vec estimates, std::vector<std::string> names,
                        const std::function<BootstrapReplicate(std::uint64_t seed)>& replicate) {
  require_replicates(options);
  Bootstrap out;
  out.type = options.type;
  out.estimates = std::move(estimates);
  out.names = std::move(names);
  std::vector<BootstrapReplicate> runs(options.replicates);
  std::atomic<arma::uword> done{0};
  parallel_for(options.replicates, thread_count(options.threads), [&](arma::uword b) {
    try {
      runs[b] = replicate(start_seed(options.seed, b));
    } catch (const std::exception& e) {
      runs[b].failure = e.what();
    }
    const arma::uword now = ++done;
    if (options.progress && on_calling_thread()) options.progress(now);
  });
  std::vector<arma::uword> ended;
  for (arma::uword b = 0; b < runs.size(); ++b) {
    if (!runs[b].failure.empty()) {
      if (out.failed++ == 0) out.first_failure = runs[b].failure;
      continue;
    }
    ended.push_back(b);
    out.relabelled += runs[b].relabelled;
    out.not_converged += !runs[b].converged;
  }
  require(!ended.empty(), "bootstrap", "every replicate failed; the first: " + out.first_failure);
  out.replicates.set_size(ended.size(), out.estimates.n_elem);
  out.logliks.set_size(ended.size());
  for (arma::uword r = 0; r < ended.size(); ++r) {
    out.replicates.row(r) = runs[ended[r]].parameters.t();
    out.logliks(r) = runs[ended[r]].loglik;
  }
  return out;
}

Bootstrap bootstrap(const Dataset& data, const Model& fitted, const Method& method, const BootstrapOptions& options) {
  require_bootstrappable(data, options);
  return run_bootstrap(options, natural_parameters(fitted), natural_parameter_names(fitted, data),
                       [&](std::uint64_t seed) { return replicate(data, fitted, method, options.type, seed); });
}

}  // namespace moe
