#include "moe/expert_mstep.hpp"

#include <cmath>

#include "moe/error.hpp"
#include "moe/flushed_exp.hpp"
#include "moe/gate_mstep.hpp"
#include "moe/multinomial.hpp"
#include "moe/shape_family.hpp"
#include "ridge.h"

namespace moe {
namespace {

// Solves G_k β_k = b_k for every active expert; inactive ones are left as they
// are in `coef`. Each G_k gets a relative ridge (ridge.h).
void solve_active(arma::mat& coef, arma::cube G, const arma::mat& b, const arma::urowvec& active,
                  double ridge, const Kernels& kernels) {
  for (arma::uword k = 0; k < G.n_slices; ++k)
    G.slice(k) = active(k) ? with_relative_ridge(G.slice(k), ridge) : arma::eye(G.n_rows, G.n_cols);
  arma::mat solution;
  if (!kernels.spd_solve(solution, G, b))
    throw numerical_error("moe::update_experts(): a weighted Gram matrix is not positive definite");
  for (arma::uword k = 0; k < G.n_slices; ++k)
    if (active(k)) coef.col(k) = solution.col(k);
}

// Solves the normal equations of experts that share coefficient rows as one
// system in their free coefficients (Experts::coefficient_slots): expert k adds
// G_k and b_k at its slots. An inactive expert (a point mass too) adds nothing
// but keeps its own rows as they are in `coef`. The system gets a relative
// ridge (ridge.h).
void solve_jointly(arma::mat& coef, const arma::cube& G, const arma::mat& b, const arma::urowvec& active,
                   const Experts& shape, double ridge) {
  const arma::uword p = G.n_rows, n = shape.n_coefficients();
  const arma::uvec slots = shape.coefficient_slots(), is_shared = shape.row_is_shared();
  arma::mat A(n, n, arma::fill::zeros);
  arma::vec rhs(n, arma::fill::zeros);
  for (arma::uword k = 0; k < G.n_slices; ++k) {
    const arma::uvec at = slots.subvec(k * p, (k + 1) * p - 1);
    if (active(k)) {
      A(at, at) += G.slice(k);
      rhs(at) += b.col(k);
      continue;
    }
    for (arma::uword j = 0; j < p; ++j)
      if (!is_shared(j) && at(j) < n) {  // a point mass's own rows are not free (slot n)
        A(at(j), at(j)) = 1.0;
        rhs(at(j)) = coef(j, k);
      }
  }
  arma::vec solution;
  if (!arma::solve(solution, with_relative_ridge(A, ridge), rhs, arma::solve_opts::likely_sympd + arma::solve_opts::no_approx))
    throw numerical_error("moe::update_experts(): the joint normal equations of the shared coefficients are singular");
  for (arma::uword f = 0; f < slots.n_elem; ++f)
    if (slots(f) < n) coef(f) = solution(slots(f));  // a point mass's own rows stay as they are
}

// G_k β_k = b_k for every active expert, one system per expert or, with
// shared rows, one for all (solve_jointly); inactive experts keep `coef`.
void solve_normal_equations(arma::mat& coef, arma::cube G, const arma::mat& b, const arma::urowvec& active,
                            const Experts& shape, double ridge, const Kernels& kernels) {
  if (shape.shared.is_empty())
    solve_active(coef, std::move(G), b, active, ridge, kernels);
  else
    solve_jointly(coef, G, b, active, shape, ridge);
}

// The experts that the M-step moves: regression experts with weight.
arma::urowvec active_experts(const Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options) {
  return (sums.mass() > options.min_weight) && experts.is_regression();
}

// With shared rows, each expert's least squares weighs 1/σ_k² in the joint
// one (a conditional maximum); without, the systems stay as they are.
void weigh_by_precision(arma::cube& G, arma::mat& b, const Experts& experts) {
  if (experts.shared.is_empty()) return;
  const arma::rowvec precision = 1.0 / arma::square(experts.sigma.t());
  for (arma::uword k = 0; k < G.n_slices; ++k) G.slice(k) *= precision(k);
  b.each_row() %= precision;
}

// σ_k² = rss_k / mass_k for the active experts (one pooled σ when common),
// at least `floor`.
void set_variances(Experts& experts, const arma::rowvec& rss, const arma::rowvec& mass, const arma::urowvec& active,
                   double floor) {
  if (experts.common_sigma) {
    experts.sigma.fill(std::sqrt(std::max(arma::accu(rss) / arma::accu(mass), floor)));
    return;
  }
  for (arma::uword k = 0; k < experts.sigma.n_elem; ++k)
    if (active(k)) experts.sigma(k) = std::sqrt(std::max(rss(k) / mass(k), floor));
}

// Weighted least squares for the coefficients, then σ² from their residuals:
// the Gaussian experts' M-step, and with `scaled` the t experts' step, whose
// weights are times the scale weights at the current experts.
void update_least_squares(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options,
                          const Kernels& kernels, bool scaled) {
  const arma::rowvec mass = sums.mass();
  const arma::urowvec active = active_experts(experts, sums, options);
  arma::cube G;
  arma::mat b;
  if (scaled)
    sums.t_normal_equations(G, b, experts);
  else
    sums.normal_equations(G, b, experts);
  weigh_by_precision(G, b, experts);
  arma::mat coef = experts.coef;
  solve_normal_equations(coef, std::move(G), b, active, experts, options.ridge, kernels);
  const arma::rowvec rss = scaled ? sums.t_weighted_rss(experts, coef) : sums.weighted_rss(coef);
  set_variances(experts, rss, mass, active, options.variance_floor);
  experts.coef = coef;
}

// A Newton step raises an expert's objective by about half its Newton decrement
// (score · direction); below this share of the objective that is round-off.
constexpr double kNegligibleGain = 1e-14;

// Which experts' Newton steps have nothing left to gain: decrement 1×K, objective 1×K.
arma::urowvec negligible(const arma::rowvec& decrement, const arma::rowvec& objective) {
  return decrement <= 2.0 * kNegligibleGain * (1.0 + arma::abs(objective));
}

// Σ_i E_w[log f_k] of every expert as a function of its coefficients: the
// canonical families' up to a constant, those with a shape in full.
arma::rowvec coefficient_objective(const Experts& experts, const ExpertSums& sums) {
  if (shape_family(experts.family)) return sums.shape_loglik(experts);
  return sums.canonical_loglik(experts.family, experts.coef);
}

// The experts' objectives as their steps must compare them: as they are or,
// when the experts share coefficients, their sum in every column (one joint
// objective, so that every expert takes the same step and shared rows stay equal).
arma::rowvec pooled(const arma::rowvec& objective, const Experts& experts) {
  if (experts.shared.is_empty()) return objective;
  return arma::rowvec(objective.n_elem, arma::fill::value(arma::accu(objective)));
}

// Per-expert multipliers t_k of a step, from 1, halved until objective_at(t)
// (1×K) is not below `objective` for that expert (0 when 40 halvings do not
// get there); experts already `done` keep 1, unchecked. `objective` becomes
// the objective after the steps.
template <typename ObjectiveAt>
arma::rowvec halved_until_no_loss(arma::urowvec done, arma::rowvec& objective, ObjectiveAt objective_at) {
  arma::rowvec t(done.n_elem, arma::fill::ones);
  for (int halvings = 0; halvings < 40 && !arma::all(done); ++halvings) {
    const arma::rowvec after = objective_at(t);
    for (arma::uword k = 0; k < t.n_elem; ++k) {
      if (done(k)) continue;
      if (std::isfinite(after(k)) && after(k) >= objective(k)) {
        done(k) = 1;
        objective(k) = after(k);
      } else {
        t(k) *= 0.5;
      }
    }
  }
  t.elem(arma::find(done == 0)).zeros();
  return t;
}

// Per-expert step sizes along the Newton directions, halved until the expert's
// objective does not decrease; 1, unchecked, where the step's predicted gain is
// round-off (there the objective cannot tell a better point from a worse one).
// `objective` holds each expert's objective at its coefficients; it becomes the
// objective after its step (so that the next Newton step need not recompute it).
arma::rowvec halving_steps(const Experts& experts, const arma::mat& direction, const arma::rowvec& decrement,
                           const ExpertSums& sums, arma::rowvec& objective) {
  Experts trial = experts;
  return halved_until_no_loss(negligible(decrement, objective), objective, [&](const arma::rowvec& t) {
    trial.coef = experts.coef + direction.each_row() % t;
    return pooled(coefficient_objective(trial, sums), experts);
  });
}

// The terms of a Newton step from `experts` (G, score) and the objective it
// starts from (coefficient_objective, pooled): for the canonical families
// from one pass over the rows.
void newton_terms(arma::cube& G, arma::mat& score, arma::rowvec& objective, const Experts& experts,
                  const ExpertSums& sums) {
  if (shape_family(experts.family)) {
    sums.normal_equations(G, score, experts);
    objective = coefficient_objective(experts, sums);
  } else {
    sums.canonical_newton_terms(G, score, objective, experts);
  }
  objective = pooled(objective, experts);
}

// Newton steps from the experts' coefficients. A full step is checked by the
// next step's own pass (newton_terms at the new coefficients): when it lowers
// an expert's objective, the steps are halved (halving_steps) and the terms
// computed again. Steps whose predicted gain is round-off (negligible) or that
// move no coefficient by more than irls_tol are taken unchecked, and end the
// M-step.
void update_canonical(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options,
                     const Kernels& kernels) {
  const arma::urowvec active = active_experts(experts, sums, options);
  Experts current = experts;
  arma::cube G;
  arma::mat score;
  arma::rowvec objective;
  newton_terms(G, score, objective, current, sums);
  const auto tiny = [&](const arma::mat& step) {
    return arma::abs(step).max() <= options.irls_tol * (1.0 + arma::abs(current.coef).max());
  };
  for (arma::uword it = 0; it < options.irls_max; ++it) {
    arma::mat direction(arma::size(current.coef), arma::fill::zeros);
    solve_normal_equations(direction, std::move(G), score, active, current, options.ridge, kernels);
    const arma::rowvec decrement = pooled(arma::sum(score % direction, 0), current);
    const arma::urowvec gainless = negligible(decrement, objective);
    if (arma::all(gainless) || tiny(direction)) {
      current.coef += direction;
      break;
    }
    Experts trial = current;
    trial.coef += direction;
    arma::rowvec after;
    newton_terms(G, score, after, trial, sums);
    const arma::urowvec kept = gainless || (after >= objective);  // false for a NaN objective too
    if (arma::all(kept)) {
      current = std::move(trial);
      objective = after;
      continue;
    }
    const arma::mat step = direction.each_row() % halving_steps(current, direction, decrement, sums, objective);
    current.coef += step;
    if (tiny(step)) break;
    newton_terms(G, score, objective, current, sums);
  }
  experts = current;
}

// Newton steps in u_k = log s_k at the experts' coefficients, each halved until
// it does not lower that expert's objective; a step where the objective is not
// concave moves u by ±1 in the direction of the score. An expert is done when
// its step's predicted gain is round-off (as the coefficients' steps: near the
// Poisson limit of the negative binomial the objective is flat in u, and its
// noise would otherwise keep the steps going), when its u moves by less than
// 1e-10, or, for the rest of this M-step, once no halving of its step gains
// (else each Newton step of the others would halve it 40 times again); at most
// `max_steps` steps. The shapes of t experts (ν_k, student_t.hpp) take these
// steps with the t's range.
void update_shapes(Experts& experts, const ExpertSums& sums, const arma::urowvec& active, int max_steps) {
  const ShapeParameter range = shape_parameter(experts.family);
  const auto kept_in_range = [&](const arma::vec& s) { return arma::clamp(s, range.min, range.max); };
  arma::rowvec objective = sums.shape_loglik(experts);
  Experts trial = experts;
  arma::urowvec stuck = 1 - active;  // no halving of its step gained: done for this M-step
  for (int it = 0; it < max_steps; ++it) {
    arma::rowvec score, curvature;
    sums.shape_terms(score, curvature, experts);
    arma::rowvec step = -score / curvature;
    for (arma::uword k = 0; k < step.n_elem; ++k)
      if (!(curvature(k) < 0.0)) step(k) = score(k) > 0.0 ? 1.0 : -1.0;
    step = arma::clamp(step, -2.0, 2.0);
    const arma::urowvec done = stuck || (arma::abs(step) <= 1e-10) || negligible(arma::abs(score % step), objective);
    if (arma::all(done)) return;
    const arma::rowvec t = halved_until_no_loss(done, objective, [&](const arma::rowvec& t) {
      trial.shape = kept_in_range(experts.shape % arma::exp((step % t).t()));
      return sums.shape_loglik(trial);
    });
    stuck = stuck || (t == 0.0);
    step %= t;
    step.elem(arma::find(done)).zeros();
    const arma::vec moved = kept_in_range(experts.shape % arma::exp(step.t()));
    if (arma::abs(arma::log(moved / experts.shape)).max() <= 1e-10) return;
    experts.shape = moved;
  }
}

// Newton steps in the coefficients at the shapes, then in the shapes at the new
// coefficients: each raises the objective, so EM's ℓ cannot fall.
void update_shaped(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options,
                   const Kernels& kernels) {
  update_canonical(experts, sums, options, kernels);
  update_shapes(experts, sums, active_experts(experts, sums, options), 100);
}

// The EM step of t experts' scale-mixture representation (student_t.hpp):
// β by least squares with the scale weights at the current experts, σ² from
// the same weights at the new β, then, unless given, one Newton step in log ν
// (a generalized M-step: run to convergence at every iteration, ν's steps took
// half the time of a fit and reached the same maxima, on mcycle with K = 4 and
// on 5 % outliers). Each raises every expert's Σ_i w log f, so EM's ℓ cannot fall.
void update_t(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options, const Kernels& kernels) {
  update_least_squares(experts, sums, options, kernels, true);
  if (!experts.shape_fixed) update_shapes(experts, sums, active_experts(experts, sums, options), 1);
}

// Multinomial experts: each one's weighted multinomial logit by the gate's
// Newton solver, warm-started at its coefficients, at most irls_max steps;
// every step raises that expert's Σ_i w log f, so EM's ℓ cannot fall.
void update_multinomial(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options,
                        const Kernels& kernels) {
  const arma::urowvec active = active_experts(experts, sums, options);
  GateNewtonOptions newton;
  newton.max_iter = options.irls_max;
  for (arma::uword k = 0; k < experts.n_experts(); ++k) {
    if (!active(k)) continue;
    Gate gate = level_gate(experts, k);
    update_gate(gate, *sums.level_sums(k, experts.levels), newton, kernels);
    set_level_gate(experts, k, gate);
  }
}

}  // namespace

ExpertStatistics posterior_statistics(const arma::mat& R, const arma::vec& y, const arma::vec& trials) {
  arma::mat first = R.each_col() % y;
  arma::mat second = first.each_col() % y;
  if (trials.is_empty()) return {R, std::move(first), std::move(second), y};
  return {R.each_col() % trials, std::move(first), std::move(second), y};
}

ExpertStatistics model_statistics(const Experts& experts, const arma::mat& X, const arma::mat& Pi,
                                  const arma::vec& offset, const arma::vec& trials) {
  const arma::mat eta = linear_predictor(X, experts.coef, offset);
  arma::mat mean = eta, variance(arma::size(eta));
  if (experts.family == Family::gaussian) {
    variance.each_row() = arma::square(experts.sigma.t());
  } else if (const ShapeFamily* shaped = shape_family(experts.family)) {
    mean = flushed_exp(eta);
    variance = shaped->variance(mean, experts.shape);
  } else {
    canonical_moments(mean, variance, experts.family, eta);
  }
  if (trials.is_empty()) return {Pi, Pi % mean, Pi % (variance + arma::square(mean)), {}};  // E[y²] = Var[y] + E[y]²
  const arma::mat weight = Pi.each_col() % trials;  // m trials: E[y] = m p, Var[y] = m p(1 − p)
  return {weight, weight % mean, weight % (variance + (mean.each_col() % trials) % mean), {}};
}

ExpertStatistics blend(const ExpertStatistics& a, const ExpertStatistics& b, double eta) {
  if (eta == 1.0) return a;  // keeps a's response (EM's statistics), which the shapes need
  return {eta * a.weight + (1.0 - eta) * b.weight, eta * a.first + (1.0 - eta) * b.first,
          eta * a.second + (1.0 - eta) * b.second, {}};
}

arma::rowvec expert_objectives(const Experts& experts, const arma::mat& X,
                               const ExpertStatistics& stats) {
  return expert_objectives(experts, HostExpertSums(X, arma::vec(), stats, cpu_kernels()));
}

void update_experts(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options,
                    const Kernels& kernels) {
  if (experts.family == Family::gaussian)
    update_least_squares(experts, sums, options, kernels, false);
  else if (experts.family == Family::t)
    update_t(experts, sums, options, kernels);
  else if (experts.family == Family::multinomial)
    update_multinomial(experts, sums, options, kernels);
  else if (shape_family(experts.family))
    update_shaped(experts, sums, options, kernels);
  else
    update_canonical(experts, sums, options, kernels);
}

void update_experts(Experts& experts, const arma::mat& X, const ExpertStatistics& stats,
                    const ExpertMStepOptions& options, const Kernels& kernels) {
  update_experts(experts, HostExpertSums(X, arma::vec(), stats, kernels), options, kernels);
}

}  // namespace moe
