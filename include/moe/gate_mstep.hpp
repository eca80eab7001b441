#pragma once
/// @file gate_mstep.hpp
/// The gate's M-step: weighted multinomial logistic regression with soft targets,
/// maximize Q(W) = Σ_i Σ_k r_ik log π_k(z_i; W), by safeguarded Newton steps on
/// the q(K−1) free parameters. Q never decreases: a step that would lower it is
/// halved until it does not.

#include <armadillo>

#include "moe/gate.hpp"
#include "moe/gate_sums.hpp"
#include "moe/kernels.hpp"

namespace moe {

struct GateNewtonOptions {
  arma::uword max_iter = 25;  ///< 1 = one Newton step (generalized EM)
  double tol = 1e-14;         ///< stop after a full step that raised Q by ≤ tol·(1 + |Q|)
  double damping = 1e-12;     ///< Levenberg–Marquardt damping, relative to the Hessian's diagonal
};

struct GateNewtonResult {
  arma::uword iterations = 0;  ///< Newton steps taken
  double objective = 0.0;      ///< Q at the returned gate
  bool converged = false;      ///< last gain below tol, or no step can raise Q
};

/// −∇²Q over the free parameters, carried from one gate M-step to the next.
/// With targets whose rows sum to 1 (EM's responsibilities) it depends on the
/// gate's coefficients only, so while they move little the next M-step can
/// start with chord steps on it instead of a new O(n q² K²) Hessian. It is kept
/// while it predicts the gain of the steps it gives.
struct GateCurvature {
  arma::mat H;              ///< q(K−1) square, or empty
  bool reusable = false;    ///< the next step may use H
};

/// Q(W) for targets R (n×K) at gate design Z (n×q).
double gate_objective(const Gate& gate, const arma::mat& Z, const arma::mat& R,
                      const Kernels& kernels = cpu_kernels());

/// Improves `gate` in place towards the maximizer of Q, from the sums of the
/// data (gate_sums.hpp); `kernels` solve the Newton systems. `curvature`, when
/// given, is used and left for the next call.
GateNewtonResult update_gate(Gate& gate, GateSums& sums, const GateNewtonOptions& options = {},
                             const Kernels& kernels = cpu_kernels(), GateCurvature* curvature = nullptr);

/// The same on the host, for gate design Z (n×q) and targets R (n×K).
GateNewtonResult update_gate(Gate& gate, const arma::mat& Z, const arma::mat& R,
                             const GateNewtonOptions& options = {},
                             const Kernels& kernels = cpu_kernels());

}  // namespace moe
