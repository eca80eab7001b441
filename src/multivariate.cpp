#include "moe/multivariate.hpp"

#include <atomic>
#include <cmath>

#include "moe/error.hpp"
#include "moe/estimator.hpp"
#include "moe/gate_mstep.hpp"
#include "moe/init.hpp"
#include "moe/multivariate_methods.hpp"
#include "moe/rng.hpp"
#include "parallel.h"

namespace moe {
namespace {

// Every entry finite and at most 1e100 in magnitude.
void require_moderate(const arma::mat& M, const char* what) {
  require(M.is_finite() && (M.is_empty() || arma::abs(M).max() <= 1e100), "fit_multivariate",
          std::string(what) + " has values that are not finite or beyond 1e100 in magnitude");
}

// log Σ_k exp(L_ik) of every row.  L: n×K.
arma::vec row_log_sum_exp(const arma::mat& L) {
  const arma::vec top = arma::max(L, 1);
  return top + arma::log(arma::sum(arma::exp(L.each_col() - top), 1));
}

// exp(L_ik) / Σ_k exp(L_ik): each row of L (log joint densities) normalized
// by its log-sum-exp `lse` (row_log_sum_exp).
arma::mat normalized_rows(const arma::mat& L, const arma::vec& lse) { return arma::exp(L.each_col() - lse); }

// Whether Σ (m×m) is too close to singular to be a maximum: not positive
// definite, a variance below 1e-10 of the response's own, or correlations
// so close to ±1 that the correlation matrix's reciprocal condition number is
// below 1e-10 (the likelihood grows without bound as such an expert
// collapses onto too few rows).
bool near_singular(const arma::mat& sigma, const arma::rowvec& response_variance) {
  const arma::vec variance = sigma.diag();
  if (arma::any(variance <= 1e-10 * response_variance.t()) || !arma::all(variance > 0.0)) return true;
  const arma::vec scale = 1.0 / arma::sqrt(variance);
  const arma::mat correlation = sigma % (scale * scale.t());
  arma::mat L;
  return !arma::chol(L, correlation) || arma::rcond(correlation) < 1e-10;
}

// Responsibilities of K distinct rows' responses taken as the means of
// Gaussians with the responses' own covariance (equal weights).  Result: n×K.
arma::mat random_centre_responsibilities(const MultivariateData& data, arma::uword K, Rng& rng) {
  const arma::uword n = data.n();
  arma::uvec centre(K);
  for (arma::uword k = 0; k < K; ++k) {
    do centre(k) = rng.index(n);
    while (arma::any(centre.head(k) == centre(k)) && n >= K);
  }
  const arma::mat covariance = arma::cov(data.Y, 1) + 1e-12 * arma::eye(data.Y.n_cols, data.Y.n_cols);
  arma::cube means(n, data.Y.n_cols, K), sigma(covariance.n_rows, covariance.n_cols, K);
  for (arma::uword k = 0; k < K; ++k) {
    means.slice(k) = arma::repmat(data.Y.row(centre(k)), n, 1);
    sigma.slice(k) = covariance;
  }
  const arma::mat L = mvn_log_density(data.Y, means, sigma);
  return normalized_rows(L, row_log_sum_exp(L));
}

// The start's responsibilities: k-means on [X, Y], random centres, a random
// hard partition, random centres, in turn.
arma::mat start_responsibilities(const MultivariateData& data, arma::uword K, arma::uword s, Rng& rng) {
  switch (s % 4) {
    case 0: return kmeans_responsibilities(arma::join_horiz(data.X, data.Y), K, rng);
    case 2: return hard_responsibilities(data.n(), K, rng);
    default: break;
  }
  return random_centre_responsibilities(data, K, rng);
}

// EM from responsibilities R until |Δℓ| ≤ tol·|ℓ|; throws moe::numerical_error
// when an expert collapses on the way.
MultivariateFit run_em(const MultivariateData& data, const arma::mat& R, const MultivariateOptions& options) {
  IterationControl control;
  control.max_iter = options.max_iter;
  control.tol = options.tol;
  control.record_gradient = false;
  MultivariateFit fit;
  fit.start = maximize(data, R, options.structure, Gate::uniform(data.Z.n_cols, R.n_cols));
  MultivariateRun run = em_multivariate(data, fit.start, control);
  if (run.trace.stop_reason == StopReason::numerical_error) throw numerical_error(run.trace.message);
  fit.model = std::move(run.model);
  fit.loglik = run.loglik;
  fit.iterations = run.iterations();
  fit.converged = run.converged();
  fit.trace.set_size(run.trace.rows.size());
  for (arma::uword t = 0; t < fit.trace.n_elem; ++t) fit.trace(t) = run.trace.rows[t].loglik;
  MultivariatePosterior posterior(data);
  posterior.update(fit.model);
  fit.posterior = posterior.responsibilities();
  return fit;
}

// The model with expert j replaced by a tight copy of expert k: its
// coefficients, a quarter of its covariance and its gate column.
MultivariateModel tight_copy(MultivariateModel model, arma::uword j, arma::uword k) {
  model.experts.coef.slice(j) = model.experts.coef.slice(k);
  model.experts.covariance.slice(j) = model.experts.covariance.slice(k) / 4.0;
  model.gate.coef.col(j) = model.gate.coef.col(k);
  return model;
}

// Rounds of replace moves (MultivariateOptions::moves) from `fit`.
void improve_by_moves(MultivariateFit& fit, const MultivariateData& data, const MultivariateOptions& options) {
  const arma::uword K = fit.model.K();
  for (bool improved = K > 1; improved;) {
    improved = false;
    MultivariateFit best = fit;
    for (arma::uword j = 0; j < K; ++j)
      for (arma::uword k = 0; k < K; ++k) {
        if (j == k) continue;
        ++fit.moves_tried;
        if (options.progress) options.progress("moves", fit.moves_tried);
        try {
          MultivariateFit moved = run_em(data, responsibilities(tight_copy(fit.model, j, k), data), options);
          if (moved.loglik > best.loglik + 1e-8 * (1.0 + std::abs(best.loglik))) best = std::move(moved);
        } catch (const numerical_error&) {  // an expert collapsed: not a move
        }
      }
    if (best.loglik > fit.loglik) {
      best.moves_tried = fit.moves_tried;
      best.moves_kept = fit.moves_kept + 1;
      fit = std::move(best);
      improved = true;
    }
  }
}

// AIC, BIC (n the rows, as mclust's) and ICL of a fit.
void add_criteria(MultivariateFit& fit, const MultivariateData& data) {
  const double d = static_cast<double>(fit.model.n_free());
  fit.aic = -2.0 * fit.loglik + 2.0 * d;
  fit.bic = -2.0 * fit.loglik + d * std::log(data.total_weight());
  fit.icl = fit.bic - 2.0 * arma::accu(data.weighted(arma::log(arma::max(fit.posterior, 1))));
}

void validate_start(const arma::mat& start, const MultivariateData& data, arma::uword K) {
  require(start.n_rows == data.n() && start.n_cols == K, "fit_multivariate",
          "the starting responsibilities must be n x K (" + std::to_string(data.n()) + " x " + std::to_string(K) + ")");
  require(start.is_finite() && arma::all(arma::vectorise(start) >= 0.0) && arma::all(arma::sum(start, 1) > 0.0),
          "fit_multivariate", "the starting responsibilities must be finite, >= 0, with a positive sum in every row");
}

}  // namespace

void validate(const MultivariateData& data, arma::uword K, Covariance structure) {
  const arma::uword n = data.n(), m = data.Y.n_cols;
  require(K >= 1, "fit_multivariate", "K must be at least 1");
  require(n >= 1 && m >= 1, "fit_multivariate", "the response has no rows or no columns");
  require(data.X.n_rows == n && data.Z.n_rows == n, "fit_multivariate",
          "the response, the expert design and the gate design must have the same rows");
  require(data.X.n_cols >= 1 && data.Z.n_cols >= 1, "fit_multivariate",
          "the expert and gate designs need at least one column (an intercept)");
  require_moderate(data.Y, "the response");
  require_moderate(data.X, "the expert design");
  require_moderate(data.Z, "the gate design");
  if (!data.weights.is_empty()) {
    require(data.weights.n_elem == n, "fit_multivariate", "the weights must have one value per row");
    require(data.weights.is_finite() && arma::all(data.weights >= 0.0) && arma::accu(data.weights) > 0.0,
            "fit_multivariate", "the weights must be finite and non-negative, and not all 0");
  }
  require(m <= n, "fit_multivariate",
          "the response has " + std::to_string(m) + " columns but only " + std::to_string(n) + " rows (m > n)");
  MultivariateModel shape;
  shape.gate = Gate::uniform(data.Z.n_cols, K);
  shape.experts.structure = structure;
  shape.experts.coef.set_size(data.X.n_cols, m, K);
  require(n * m >= shape.n_free(), "fit_multivariate",
          "too few rows: " + std::to_string(n) + " rows of " + std::to_string(m) + " responses for the " +
              std::to_string(shape.n_free()) + " parameters of " + std::to_string(K) + " experts with covariance " +
              to_string(structure));
}

double MultivariateData::total_weight() const {
  return weights.is_empty() ? static_cast<double>(n()) : arma::accu(weights);
}

arma::mat MultivariateData::weighted(const arma::mat& M) const {
  return weights.is_empty() ? M : arma::mat(M.each_col() % weights);
}

arma::uword MultivariateExperts::n_free() const {
  return coef.n_elem + covariance_parameters(structure, n_responses(), n_experts());
}

arma::cube MultivariateExperts::mean(const arma::mat& X) const {
  arma::cube out(X.n_rows, n_responses(), n_experts());
  for (arma::uword k = 0; k < n_experts(); ++k) out.slice(k) = X * coef.slice(k);
  return out;
}

arma::mat MultivariateExperts::log_density(const arma::mat& X, const arma::mat& Y) const {
  return mvn_log_density(Y, mean(X), covariance);
}

arma::mat MultivariateModel::log_joint(const MultivariateData& data) const {
  return gate.log_probs(data.Z) + experts.log_density(data.X, data.Y);
}

arma::mat MultivariateModel::predict_mean(const MultivariateData& data) const {
  const arma::mat pi = arma::exp(gate.log_probs(data.Z));
  const arma::cube means = experts.mean(data.X);
  arma::mat out(data.X.n_rows, experts.n_responses(), arma::fill::zeros);
  for (arma::uword k = 0; k < K(); ++k) out += means.slice(k).each_col() % pi.col(k);
  return out;
}

arma::mat responsibilities(const MultivariateModel& model, const MultivariateData& data) {
  const arma::mat L = model.log_joint(data);
  return normalized_rows(L, row_log_sum_exp(L));
}

double MultivariatePosterior::update(const MultivariateModel& model) {
  const arma::mat L = model.log_joint(data_);
  const arma::vec lse = row_log_sum_exp(L);
  const double out = arma::accu(data_.weighted(lse));
  if (!std::isfinite(out)) throw numerical_error("moe::fit_multivariate(): the log-likelihood is not finite");
  responsibilities_ = normalized_rows(L, lse);
  loglik_ = out;
  return out;
}

arma::mat simulate_responses(const MultivariateModel& model, const arma::mat& X, const arma::mat& Z, Rng& rng) {
  const arma::mat pi = arma::exp(model.gate.log_probs(Z));
  const arma::uword K = model.K(), m = model.experts.n_responses();
  arma::cube factor(m, m, K);
  for (arma::uword k = 0; k < K; ++k) factor.slice(k) = arma::chol(model.experts.covariance.slice(k), "lower");
  arma::mat Y(X.n_rows, m);
  arma::vec noise(m);
  for (arma::uword i = 0; i < X.n_rows; ++i) {
    const double u = rng.uniform();
    arma::uword k = 0;
    for (double cumulative = pi(i, 0); k + 1 < K && u >= cumulative; cumulative += pi(i, ++k)) {}
    noise.imbue([&] { return rng.normal(); });
    Y.row(i) = X.row(i) * model.experts.coef.slice(k) + (factor.slice(k) * noise).t();
  }
  return Y;
}

double loglik(const MultivariateModel& model, const MultivariateData& data) {
  return arma::accu(data.weighted(row_log_sum_exp(model.log_joint(data))));
}

MultivariateModel maximize(const MultivariateData& data, const arma::mat& responsibilities, Covariance structure,
                           Gate gate) {
  const arma::mat R = data.weighted(responsibilities);
  const arma::uword K = R.n_cols, m = data.Y.n_cols;
  const arma::vec weight = arma::sum(R, 0).t();
  MultivariateModel model;
  model.experts.structure = structure;
  model.experts.coef.set_size(data.X.n_cols, m, K);
  arma::cube scatter(m, m, K);
  for (arma::uword k = 0; k < K; ++k) {
    const arma::mat WX = data.X.each_col() % R.col(k);
    arma::mat B;
    if (!(weight(k) > 0.0) || !arma::solve(B, WX.t() * data.X, WX.t() * data.Y,
                                           arma::solve_opts::likely_sympd + arma::solve_opts::no_approx))
      throw numerical_error("moe::fit_multivariate(): the weighted design of expert " + std::to_string(k + 1) +
                            " is singular (too few rows)");
    model.experts.coef.slice(k) = B;
    const arma::mat residual = data.Y - data.X * B;
    scatter.slice(k) = residual.t() * (residual.each_col() % R.col(k));
  }
  model.experts.covariance = covariance_step(structure, scatter, weight);
  const arma::rowvec response_variance = arma::var(data.Y, 1, 0);
  for (arma::uword k = 0; k < K; ++k)
    if (near_singular(model.experts.covariance.slice(k), response_variance))
      throw numerical_error("moe::fit_multivariate(): the covariance of expert " + std::to_string(k + 1) +
                            " is singular (too few rows for its structure)");
  update_gate(gate, data.Z, R);
  model.gate = std::move(gate);
  return model;
}

arma::uword MultivariateFit::starts_at_best() const {
  const arma::uvec finite = arma::find_finite(start_logliks);
  return arma::accu(arma::abs(start_logliks(finite) - loglik) <= 1e-6 * (1.0 + std::abs(loglik)));
}

MultivariateFit fit_multivariate(const MultivariateData& data, arma::uword K, const MultivariateOptions& options) {
  validate(data, K, options.structure);
  require(options.starts >= 1, "fit_multivariate", "starts must be at least 1");
  if (!options.start.is_empty()) validate_start(options.start, data, K);
  const arma::uword starts = options.start.is_empty() ? options.starts : 1;
  std::vector<MultivariateFit> fits(starts);
  arma::vec logliks(starts);
  std::atomic<arma::uword> done{0};
  parallel_for(starts, thread_count(options.threads), [&](arma::uword s) {
    Rng rng(start_seed(options.seed, s));
    const arma::mat R = options.start.is_empty() ? start_responsibilities(data, K, s, rng) : options.start;
    try {
      fits[s] = run_em(data, R, options);
      logliks(s) = fits[s].loglik;
    } catch (const numerical_error&) {
      logliks(s) = arma::datum::nan;
    }
    const arma::uword now = ++done;
    if (options.progress && on_calling_thread()) options.progress("starts", now);
  });
  const arma::uvec finite = arma::find_finite(logliks);
  require(!finite.is_empty(), "fit_multivariate",
          "the data cannot support " + std::to_string(K) + " experts with covariance structure " +
              to_string(options.structure) + ": every start left an expert with a singular covariance or too few "
              "rows (try fewer experts, or a structure with fewer parameters such as EEE, VII or EII)");
  const arma::uword best = finite(arma::index_max(logliks(finite)));  // the first of equal maxima
  MultivariateFit fit = std::move(fits[best]);
  if (options.moves && options.start.is_empty()) improve_by_moves(fit, data, options);
  fit.start_logliks = logliks;
  fit.best_start = best;
  add_criteria(fit, data);
  return fit;
}

MultivariateSelection select_multivariate(const MultivariateData& data, const std::vector<arma::uword>& Ks,
                                          const std::vector<Covariance>& structures, Criterion criterion,
                                          MultivariateOptions options) {
  require(!Ks.empty() && !structures.empty(), "select_multivariate", "give at least one K and one structure");
  validate(data, 1, Covariance::EII);
  MultivariateSelection out;
  out.criterion = criterion;
  for (const arma::uword K : Ks)
    for (const Covariance structure : structures) {
      for (const auto& c : out.candidates)
        require(c.K != K || c.structure != structure, "select_multivariate", "repeated candidate");
      MultivariateSelection::Candidate candidate;
      candidate.K = K;
      candidate.structure = structure;
      options.structure = structure;
      try {
        candidate.fit = fit_multivariate(data, K, options);
        candidate.fitted = true;
        const MultivariateFit& f = candidate.fit;
        candidate.value = criterion == Criterion::aic ? f.aic : criterion == Criterion::icl ? f.icl : f.bic;
      } catch (const std::invalid_argument& e) {
        candidate.note = e.what();
      }
      out.candidates.push_back(std::move(candidate));
    }
  arma::vec values(out.candidates.size());
  for (arma::uword c = 0; c < values.n_elem; ++c) values(c) = out.candidates[c].value;
  require(arma::any(values < arma::datum::inf), "select_multivariate",
          "no candidate could be fitted: " + out.candidates.front().note);
  out.best = values.index_min();
  return out;
}

}  // namespace moe
