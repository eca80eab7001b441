#include "moe/gate_mstep.hpp"

#include <cmath>

#include "moe/error.hpp"
#include "ridge.h"

namespace moe {
namespace {

// Solves (H + λ diag(H)) d = g (ridge.h), raising λ until the factorization succeeds.
arma::vec damped_newton_direction(const arma::mat& H, const arma::vec& g, double damping,
                                  const Kernels& kernels) {
  arma::cube A(H.n_rows, H.n_cols, 1);
  arma::mat d;
  for (double lambda = damping; lambda < 1e12; lambda *= 100.0) {
    A.slice(0) = with_relative_ridge(H, lambda);
    if (kernels.spd_solve(d, A, arma::mat(g))) return d.col(0);
  }
  throw numerical_error("moe::update_gate(): the gate Hessian cannot be factorized");
}

// After a full step with decrement gᵀd that gained `gain`: whether the
// quadratic model of the Hessian it used predicted the gain, gᵀd/2, to within a
// quarter (or the prediction is below round-off). When it did not, the
// curvature changes along the steps, as it does far from the optimum.
bool model_predicted(double gain, double decrement, double objective) {
  const double predicted = 0.5 * decrement;
  return predicted <= 1e-10 * (1.0 + std::abs(objective)) || std::abs(gain / predicted - 1.0) <= 0.25;
}

}  // namespace

double gate_objective(const Gate& gate, const arma::mat& Z, const arma::mat& R,
                      const Kernels& kernels) {
  return arma::accu(R % gate.log_probs(Z, kernels));
}

GateNewtonResult update_gate(Gate& gate, const arma::mat& Z, const arma::mat& R,
                             const GateNewtonOptions& options, const Kernels& kernels) {
  HostGateSums sums(Z, R, kernels);
  return update_gate(gate, sums, options, kernels);
}

GateNewtonResult update_gate(Gate& gate, GateSums& sums, const GateNewtonOptions& options,
                             const Kernels& kernels, GateCurvature* curvature) {
  GateNewtonResult result;
  const arma::uword q = gate.coef.n_rows, K = gate.n_classes();
  result.objective = sums.objective(gate.coef);
  result.converged = K == 1;
  // The Hessian costs O(n q² K²), a gradient O(n q K): while a full step gains
  // what the quadratic model predicted, the next steps reuse the Hessian (chord
  // steps), within this call and, with `curvature`, the next.
  GateCurvature local;
  GateCurvature& c = curvature ? *curvature : local;
  while (!result.converged && result.iterations < options.max_iter) {
    const arma::vec g = arma::vectorise(sums.gradient().head_cols(K - 1));
    const bool fresh = !c.reusable || c.H.n_rows != g.n_elem;
    if (fresh) c.H = sums.negative_hessian();
    const arma::mat d = arma::reshape(damped_newton_direction(c.H, g, options.damping, kernels), q, K - 1);
    // Q can rise by about the Newton decrement gᵀd / 2; below round-off, stop.
    const double negligible = options.tol * (1.0 + std::abs(result.objective));
    const double decrement = arma::dot(g, arma::vectorise(d));
    Gate trial = gate;
    double t = 1.0, trial_objective = -arma::datum::inf;
    for (; t * decrement > 2.0 * negligible; t *= 0.5) {  // halve until Q does not fall
      trial.coef.head_cols(K - 1) = gate.coef.head_cols(K - 1) + t * d;
      trial_objective = sums.objective(trial.coef);
      if (std::isfinite(trial_objective) && trial_objective >= result.objective) break;
    }
    if (t * decrement <= 2.0 * negligible) {  // nothing left to gain along the direction
      const bool direction_failed = decrement > 2.0 * negligible;  // every trial lowered Q
      if (direction_failed) c.reusable = false;
      if (fresh || !direction_failed) {
        result.converged = true;
        break;
      }
      sums.objective(gate.coef);  // an old Hessian's direction failed: again with a new one
      continue;
    }
    const double gain = trial_objective - result.objective;
    gate = std::move(trial);
    result.objective = trial_objective;
    ++result.iterations;
    // Newton converges quadratically: after a full step that gained a relative
    // ε, the next one would gain about ε², negligible once ε ≤ √tol. Chord
    // steps converge linearly and stop only at round-off.
    const double scale = 1.0 + std::abs(result.objective);
    result.converged = t == 1.0 && gain <= (fresh ? std::sqrt(options.tol) : options.tol) * scale;
    // The Hessian serves the next step after a full step it predicted; within
    // this call, only once the gains are small (before that, Newton steps take
    // fewer gradients than chord steps); the next call has new targets anyway.
    const bool last = result.converged || result.iterations == options.max_iter;
    c.reusable = t == 1.0 && model_predicted(gain, decrement, result.objective) && (last || gain <= 1e-4 * scale);
  }
  return result;
}

}  // namespace moe
