#include "moe/expert_mstep.hpp"

#include "moe/error.hpp"

namespace moe {
namespace {

// Solves G_k β_k = b_k for every active expert; inactive ones are left as they
// are in `coef`. Each G_k gets a relative ridge on its diagonal.
void solve_active(arma::mat& coef, arma::cube G, const arma::mat& b, const arma::urowvec& active,
                  double ridge, const Kernels& kernels) {
  const arma::mat identity = arma::eye(G.n_rows, G.n_cols);
  for (arma::uword k = 0; k < G.n_slices; ++k) {
    if (!active(k)) {
      G.slice(k) = identity;
      continue;
    }
    const double scale = std::max(arma::trace(G.slice(k)) / G.n_rows, 1e-300);
    G.slice(k) += ridge * scale * identity;
  }
  arma::mat solution;
  if (!kernels.spd_solve(solution, G, b))
    throw numerical_error("moe::update_experts(): a weighted Gram matrix is not positive definite");
  for (arma::uword k = 0; k < G.n_slices; ++k)
    if (active(k)) coef.col(k) = solution.col(k);
}

void update_gaussian(Experts& experts, const Dataset& data, const arma::mat& R,
                     const ExpertMStepOptions& options, const Kernels& kernels) {
  const arma::rowvec mass = arma::sum(R, 0);
  const arma::urowvec active = mass > options.min_weight;
  arma::cube G;
  arma::mat b;
  kernels.weighted_gram(G, data.X, R);
  kernels.cross(b, data.X, R.each_col() % data.y);
  arma::mat coef = experts.coef;
  solve_active(coef, std::move(G), b, active, options.ridge, kernels);
  const arma::mat resid = residuals(data.y, data.X * coef);
  const arma::rowvec ss = arma::sum(R % arma::square(resid), 0);
  arma::vec var = arma::square(experts.sigma);
  if (experts.common_sigma) {
    var.fill(std::max(arma::accu(ss) / arma::accu(mass), options.variance_floor));
  } else {
    for (arma::uword k = 0; k < var.n_elem; ++k)
      if (active(k)) var(k) = std::max(ss(k) / mass(k), options.variance_floor);
  }
  experts.coef = coef;
  experts.sigma = arma::sqrt(var);
}

// Per-expert step sizes, halved until no expert's objective decreases.
arma::rowvec halving_steps(const Experts& experts, const arma::mat& direction,
                           const Dataset& data, const arma::mat& R) {
  const arma::rowvec before = expert_objectives(experts, data, R);
  arma::rowvec t(experts.n_experts(), arma::fill::ones);
  arma::urowvec done(experts.n_experts(), arma::fill::zeros);
  Experts trial = experts;
  for (int halvings = 0; halvings < 40 && !arma::all(done); ++halvings) {
    trial.coef = experts.coef + direction.each_row() % t;
    const arma::rowvec after = expert_objectives(trial, data, R);
    for (arma::uword k = 0; k < t.n_elem; ++k) {
      if (done(k)) continue;
      if (std::isfinite(after(k)) && after(k) >= before(k)) done(k) = 1;
      else t(k) *= 0.5;
    }
  }
  t.elem(arma::find(done == 0)).zeros();
  return t;
}

void update_logistic(Experts& experts, const Dataset& data, const arma::mat& R,
                     const ExpertMStepOptions& options, const Kernels& kernels) {
  const arma::urowvec active = arma::sum(R, 0) > options.min_weight;
  Experts current = experts;
  for (arma::uword it = 0; it < options.irls_max; ++it) {
    const arma::mat P = current.mean(data.X);
    arma::cube G;
    arma::mat grad;
    kernels.weighted_gram(G, data.X, R % P % (1.0 - P));
    kernels.cross(grad, data.X, R % residuals(data.y, P));
    arma::mat direction(arma::size(current.coef), arma::fill::zeros);
    solve_active(direction, std::move(G), grad, active, options.ridge, kernels);
    const arma::mat step = direction.each_row() % halving_steps(current, direction, data, R);
    current.coef += step;
    if (arma::abs(step).max() <= options.irls_tol * (1.0 + arma::abs(current.coef).max())) break;
  }
  experts = current;
}

}  // namespace

arma::rowvec expert_objectives(const Experts& experts, const Dataset& data, const arma::mat& R) {
  return arma::sum(R % experts.log_density(data.X, data.y), 0);
}

void update_experts(Experts& experts, const Dataset& data, const arma::mat& R,
                    const ExpertMStepOptions& options, const Kernels& kernels) {
  if (experts.family == Family::gaussian)
    update_gaussian(experts, data, R, options, kernels);
  else
    update_logistic(experts, data, R, options, kernels);
}

}  // namespace moe
