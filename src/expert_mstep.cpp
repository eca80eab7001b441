#include "moe/expert_mstep.hpp"

#include <cmath>

#include "moe/error.hpp"
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

void update_gaussian(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options,
                     const Kernels& kernels) {
  const arma::rowvec mass = sums.mass();
  const arma::urowvec active = mass > options.min_weight;
  arma::cube G;
  arma::mat b;
  sums.normal_equations(G, b, experts);
  arma::mat coef = experts.coef;
  solve_active(coef, std::move(G), b, active, options.ridge, kernels);
  const arma::rowvec rss = sums.weighted_rss(coef);
  arma::vec var = arma::square(experts.sigma);
  if (experts.common_sigma) {
    var.fill(std::max(arma::accu(rss) / arma::accu(mass), options.variance_floor));
  } else {
    for (arma::uword k = 0; k < var.n_elem; ++k)
      if (active(k)) var(k) = std::max(rss(k) / mass(k), options.variance_floor);
  }
  experts.coef = coef;
  experts.sigma = arma::sqrt(var);
}

// A Newton step raises an expert's objective by about half its Newton decrement
// (score · direction); below this share of the objective that is round-off.
constexpr double kNegligibleGain = 1e-14;

// Which experts' Newton steps have nothing left to gain: decrement 1×K, objective 1×K.
arma::urowvec negligible(const arma::rowvec& decrement, const arma::rowvec& objective) {
  return decrement <= 2.0 * kNegligibleGain * (1.0 + arma::abs(objective));
}

// Per-expert step sizes along the Newton directions, halved until the expert's
// objective does not decrease (0 when it always does); 1, unchecked, where the
// step's predicted gain is round-off (there the objective cannot tell a better
// point from a worse one). `objective` holds each expert's objective at its
// coefficients; it becomes the objective after its step (so that the next
// Newton step need not recompute it).
arma::rowvec halving_steps(const Experts& experts, const arma::mat& direction, const arma::rowvec& decrement,
                           const ExpertSums& sums, arma::rowvec& objective) {
  arma::rowvec t(experts.n_experts(), arma::fill::ones);
  arma::urowvec done = negligible(decrement, objective);
  for (int halvings = 0; halvings < 40 && !arma::all(done); ++halvings) {
    const arma::rowvec after = sums.canonical_loglik(experts.family, experts.coef + direction.each_row() % t);
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

void update_canonical(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options,
                     const Kernels& kernels) {
  const arma::urowvec active = sums.mass() > options.min_weight;
  Experts current = experts;
  arma::rowvec objective = sums.canonical_loglik(current.family, current.coef);
  for (arma::uword it = 0; it < options.irls_max; ++it) {
    arma::cube G;
    arma::mat score;
    sums.normal_equations(G, score, current);
    arma::mat direction(arma::size(current.coef), arma::fill::zeros);
    solve_active(direction, std::move(G), score, active, options.ridge, kernels);
    const arma::rowvec decrement = arma::sum(score % direction, 0);
    const arma::mat step = direction.each_row() % halving_steps(current, direction, decrement, sums, objective);
    current.coef += step;
    if (arma::all(negligible(decrement, objective)) ||
        arma::abs(step).max() <= options.irls_tol * (1.0 + arma::abs(current.coef).max()))
      break;
  }
  experts = current;
}

}  // namespace

ExpertStatistics posterior_statistics(const arma::mat& R, const arma::vec& y, const arma::vec& trials) {
  arma::mat first = R.each_col() % y;
  arma::mat second = first.each_col() % y;
  if (trials.is_empty()) return {R, std::move(first), std::move(second)};
  return {R.each_col() % trials, std::move(first), std::move(second)};
}

ExpertStatistics model_statistics(const Experts& experts, const arma::mat& X, const arma::mat& Pi,
                                  const arma::vec& offset, const arma::vec& trials) {
  const arma::mat eta = linear_predictor(X, experts.coef, offset);
  arma::mat mean = eta, variance(arma::size(eta));
  if (experts.family == Family::gaussian) {
    variance.each_row() = arma::square(experts.sigma.t());
  } else {
    canonical_moments(mean, variance, experts.family, eta);
  }
  if (trials.is_empty()) return {Pi, Pi % mean, Pi % (variance + arma::square(mean))};  // E[y²] = Var[y] + E[y]²
  const arma::mat weight = Pi.each_col() % trials;  // m trials: E[y] = m p, Var[y] = m p(1 − p)
  return {weight, weight % mean, weight % (variance + (mean.each_col() % trials) % mean)};
}

ExpertStatistics blend(const ExpertStatistics& a, const ExpertStatistics& b, double eta) {
  return {eta * a.weight + (1.0 - eta) * b.weight, eta * a.first + (1.0 - eta) * b.first,
          eta * a.second + (1.0 - eta) * b.second};
}

arma::rowvec expert_objectives(const Experts& experts, const arma::mat& X,
                               const ExpertStatistics& stats) {
  return expert_objectives(experts, HostExpertSums(X, arma::vec(), stats, cpu_kernels()));
}

void update_experts(Experts& experts, const ExpertSums& sums, const ExpertMStepOptions& options,
                    const Kernels& kernels) {
  if (experts.family == Family::gaussian)
    update_gaussian(experts, sums, options, kernels);
  else
    update_canonical(experts, sums, options, kernels);
}

void update_experts(Experts& experts, const arma::mat& X, const ExpertStatistics& stats,
                    const ExpertMStepOptions& options, const Kernels& kernels) {
  update_experts(experts, HostExpertSums(X, arma::vec(), stats, kernels), options, kernels);
}

}  // namespace moe
