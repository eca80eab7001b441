#include "moe/local_rates.hpp"

#include <cmath>

#include "moe/diagnostics.hpp"
#include "moe/gate_sums.hpp"
#include "moe/mirror.hpp"
#include "moe/multinomial.hpp"
#include "moe/shape_family.hpp"
#include "moe/standard_errors.hpp"

namespace moe {
namespace {

// Lower Cholesky factor of A into L; false when A is not positive definite.
bool lower_cholesky(arma::mat& L, const arma::mat& A) {
  return A.is_finite() && arma::chol(L, A, "lower");
}

// max_i |1 − c λ_i|: the spectral radius of I − c diag(λ).
double radius(const arma::vec& lambda, double c) {
  return lambda.is_empty() ? arma::datum::nan : arma::max(arma::abs(1.0 - c * lambda));
}

// The blocks of pack(model) that I_c does not couple: the gate, each expert
// (its own coefficients and log σ or log θ), the shared coefficients, a common log σ.
void parameter_blocks(const Model& model, std::vector<std::string>& names, arma::uvec& block_of) {
  const arma::uword K = model.K(), p = model.experts.coef.n_rows, gate_free = model.gate.n_free();
  const bool gaussian = model.experts.family == Family::gaussian, common = gaussian && model.experts.common_sigma;
  if (K > 1) names.emplace_back("gate");
  const arma::uword first_expert = names.size();
  for (arma::uword k = 0; k < model.experts.n_regression(); ++k) names.push_back("expert" + std::to_string(k + 1));
  const arma::uword shared = names.size();
  if (!model.experts.shared.is_empty()) names.emplace_back("shared");
  if (common) names.emplace_back("sigma");
  const arma::uvec index = free_index(model);
  arma::uvec full(index.n_elem, arma::fill::zeros);  // free_index()'s full layout; the gate is block 0
  const arma::uvec is_shared = model.experts.row_is_shared();
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword j = 0; j < p; ++j) full(gate_free + k * p + j) = is_shared(j) ? shared : first_expert + k;
  if (model.experts.has_dispersion())
    for (arma::uword k = 0; k < K; ++k) full(gate_free + K * p + k) = common ? names.size() - 1 : first_expert + k;
  if (model.experts.has_free_nu())
    for (arma::uword k = 0; k < K; ++k) full(gate_free + K * p + K + k) = first_expert + k;
  block_of.set_size(model.n_free() + 1);  // the last takes what is not a parameter (a point mass's)
  block_of.elem(index) = full;
  block_of.shed_row(model.n_free());
}

// H in pack()'s order from H in free_index()'s full layout: shared entries summed.
arma::mat in_free_layout(const Model& model, const arma::mat& full) {
  const arma::uvec index = free_index(model);
  const arma::uword n = model.n_free();
  arma::mat H(n + 1, n + 1, arma::fill::zeros);  // the last row and column take what is not a parameter
  for (arma::uword b = 0; b < index.n_elem; ++b)
    for (arma::uword a = 0; a < index.n_elem; ++a) H(index(a), index(b)) += full(a, b);
  return H.head_rows(n).eval().head_cols(n);
}

// Experts with a shape: the blocks of −∇²Q that involve u_k = log s_k, in
// free_index()'s full layout (β_k's rows from gate_free + k p, u_k's at
// gate_free + K p + k). Needs EM's statistics, whose response is the data's y.
void add_shape_blocks(arma::mat& H, const Model& model, const Dataset& data, const ExpertStatistics& stats,
                            const ExpertSums& sums, arma::uword gate_free) {
  const arma::uword K = model.K(), p = model.experts.coef.n_rows;
  arma::rowvec score, curvature;
  sums.shape_terms(score, curvature, model.experts);
  const arma::mat eta = linear_predictor(data.X, model.experts.coef, data.offset);
  const arma::mat cross =
      data.X.t() * shape_family(model.experts.family)->cross_terms(stats.weight, stats.first, eta, model.experts.shape);
  for (arma::uword k = 0; k < K; ++k) {
    const arma::uword at = gate_free + k * p, u = gate_free + K * p + k;
    H.submat(at, u, at + p - 1, u) = -cross.col(k);
    H.submat(u, at, u, at + p - 1) = -cross.col(k).t();
    H(u, u) = -curvature(k);
  }
}

// Multinomial experts: expert k's block of −∇²Q, the negative Hessian of its
// weighted multinomial logit (the gate's, multinomial.hpp), at gate_free + k p(C − 1).
void add_level_blocks(arma::mat& H, const Experts& experts, const ExpertSums& sums, arma::uword gate_free) {
  const arma::uword size = experts.coef.n_rows;
  for (arma::uword k = 0; k < experts.n_experts(); ++k) {
    const std::unique_ptr<GateSums> level = sums.level_sums(k, experts.levels);
    level->objective(level_gate(experts, k).coef);
    const arma::uword at = gate_free + k * size;
    H.submat(at, at, at + size - 1, at + size - 1) = level->negative_hessian();
  }
}

}  // namespace

arma::mat complete_information(const Model& model, const Dataset& data, const arma::mat& targets,
                               const ExpertStatistics& stats, const Kernels& kernels) {
  const arma::uword K = model.K(), p = model.experts.coef.n_rows, gate_free = model.gate.n_free();
  const bool gaussian = model.experts.family == Family::gaussian;
  const arma::uword d = free_index(model).n_elem;  // its full layout
  arma::mat H(d, d, arma::fill::zeros);
  if (K > 1) {
    HostGateSums gate(data.Z, targets, kernels);
    gate.objective(model.gate.coef);
    H.submat(0, 0, gate_free - 1, gate_free - 1) = gate.negative_hessian();
  }
  const HostExpertSums sums(data.X, data.offset, stats, kernels);
  if (model.experts.family == Family::multinomial) {
    add_level_blocks(H, model.experts, sums, gate_free);
    return in_free_layout(model, H);
  }
  arma::cube G;  // Gaussian: Xᵀ W X, and b − G β = Xᵀ W (E[y] − μ); canonical: Xᵀ W b''(η) X
  arma::mat b;
  sums.normal_equations(G, b, model.experts);
  const arma::rowvec var = gaussian ? arma::rowvec(arma::square(model.experts.sigma.t())) : arma::ones<arma::rowvec>(K);
  const arma::rowvec rss = gaussian ? sums.weighted_rss(model.experts.coef) : arma::rowvec();
  if (shape_family(model.experts.family)) add_shape_blocks(H, model, data, stats, sums, gate_free);
  for (arma::uword k = 0; k < K; ++k) {
    const arma::uword at = gate_free + k * p;
    H.submat(at, at, at + p - 1, at + p - 1) = G.slice(k) / var(k);
    if (!gaussian) continue;
    // F_k = Σ w (−log σ − e² / 2σ²): ∂²/∂β∂log σ = −2 Xᵀ W e / σ², ∂²/∂(log σ)² = −2 Σ w e² / σ².
    const arma::uword s = gate_free + K * p + k;
    const arma::vec cross = 2.0 * (b.col(k) - G.slice(k) * model.experts.coef.col(k)) / var(k);
    H.submat(at, s, at + p - 1, s) = cross;
    H.submat(s, at, s, at + p - 1) = cross.t();
    H(s, s) = 2.0 * rss(k) / var(k);
  }
  return in_free_layout(model, H);
}

LocalRates::LocalRates(const Model& fit, const Dataset& data, const Kernels& kernels)
    : LocalRates(fit, data, observed_information(fit, data, kernels), kernels) {}

LocalRates::LocalRates(const Model& fit, const Dataset& data, const arma::mat& observed, const Kernels& kernels)
    : observed_(observed), total_weight_(data.total_weight()) {
  parameter_blocks(fit, block_names_, block_of_);
  if (!boundary_warnings(fit, data).empty()) {
    note_ = at_boundary_note;
    return;
  }
  if (fit.experts.family == Family::t) {
    note_ = "t experts have none yet: their EM also completes the data with scale weights, whose information moe "
            "does not compute";
    return;
  }
  const arma::mat R = responsibilities(fit, data, nullptr, kernels);
  const MirrorObjective em = mirror_objective(data, fit, R, 1.0, kernels);
  posterior_ = complete_information(fit, data, em.targets, em.stats, kernels);
  if (MirrorDescent::takes(fit.experts.family)) {  // the model's own statistics determine the M-step
    const MirrorObjective own = mirror_objective(data, fit, R, 0.0, kernels);
    model_ = complete_information(fit, data, own.targets, own.stats, kernels);
  }
  decompose();
}

LocalRates::LocalRates(arma::mat observed, arma::mat complete, double total_weight, std::vector<std::string> block_names,
                       arma::uvec block_of)
    : observed_(std::move(observed)),
      posterior_(std::move(complete)),
      block_names_(std::move(block_names)),
      block_of_(std::move(block_of)),
      total_weight_(total_weight) {
  decompose();
}

void LocalRates::decompose() {
  arma::mat L;
  if (!lower_cholesky(L, observed_)) {
    note_ = "the observed information is not positive definite (not a strict maximum of the log-likelihood)";
    return;
  }
  em_values_ = relative_eigenvalues(posterior_, &em_vectors_);
  if (em_values_.is_empty()) {
    note_ = "the complete-data information is not positive definite (an expert without responsibility)";
    return;
  }
  gradient_values_ = arma::eig_sym(observed_ / total_weight_);
}

arma::vec LocalRates::relative_eigenvalues(const arma::mat& B, arma::mat* vectors) const {
  arma::mat L;
  if (!lower_cholesky(L, B)) return {};
  const arma::mat half = arma::solve(arma::trimatl(L), observed_);  // L⁻¹ I_obs
  const arma::mat C = arma::solve(arma::trimatl(L), half.t());      // L⁻¹ I_obs L⁻ᵀ
  arma::vec values;
  arma::mat U;
  arma::eig_sym(values, U, 0.5 * (C + C.t()));
  if (vectors) *vectors = arma::solve(arma::trimatu(L.t()), U);  // v = L⁻ᵀ u: vᵀ B v = uᵀ u
  return values;
}

double LocalRates::mirror(double eta) const {
  if (eta == 1.0) return em();
  if (!valid() || model_.is_empty()) return arma::datum::nan;
  return radius(relative_eigenvalues(eta * posterior_ + (1.0 - eta) * model_), eta);
}

double LocalRates::em() const { return radius(em_values_, 1.0); }

arma::vec LocalRates::missing_fractions() const {
  return 1.0 - em_values_;  // ascending eigenvalues: fractions largest first
}

std::vector<DirectionShare> LocalRates::slowest_direction() const {
  if (em_vectors_.is_empty()) return {};
  const arma::vec v = em_vectors_.col(0);  // smallest eigenvalue of I_c⁻¹ I_obs: largest missing fraction
  arma::vec mass(block_names_.size(), arma::fill::zeros);
  for (arma::uword b = 0; b < mass.n_elem; ++b) {
    const arma::uvec in = arma::find(block_of_ == b);
    mass(b) = arma::as_scalar(v(in).t() * posterior_(in, in) * v(in));
  }
  std::vector<DirectionShare> shares;
  for (arma::uword b = 0; b < mass.n_elem; ++b) shares.push_back({block_names_[b], mass(b) / arma::accu(mass)});
  return shares;
}

double LocalRates::gradient(double step) const { return radius(gradient_values_, step); }

double LocalRates::best_gradient_step() const {
  const arma::vec& lambda = gradient_values_;
  return lambda.is_empty() ? arma::datum::nan : 2.0 / (lambda.front() + lambda.back());
}

PredictedLinearRates predicted_linear_rates(const LocalRates& rates, double method_rate) {
  PredictedLinearRates out;
  if (!rates.valid()) return out;
  const double step = rates.best_gradient_step();
  out.method = method_rate * method_rate;
  out.em = std::pow(rates.em(), 2);
  out.missing_fractions = rates.missing_fractions();
  out.em_slowest_direction = rates.slowest_direction();
  out.gradient_best_step = step;
  out.gradient_best = std::pow(rates.gradient(step), 2);
  return out;
}

}  // namespace moe
