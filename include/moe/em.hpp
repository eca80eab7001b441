#pragma once
/// @file em.hpp
/// The EM estimator for gated mixtures of experts, a policy object configured by
/// EMOptions. E-step: responsibilities from the log-space joint. M-step: experts
/// (expert_mstep.hpp) and gate (gate_mstep.hpp). ℓ never decreases; the Trace
/// records every iteration and flags any decrease beyond round-off.

#include <cstdint>
#include <functional>
#include <vector>

#include "moe/data.hpp"
#include "moe/expert_mstep.hpp"
#include "moe/gate_mstep.hpp"
#include "moe/init.hpp"
#include "moe/kernels.hpp"
#include "moe/model.hpp"
#include "moe/trace.hpp"

namespace moe {

struct EMOptions {
  arma::uword max_iter = 500;
  double tol = 1e-8;                  ///< stop when |Δℓ| ≤ tol·|ℓ|; 0 runs max_iter iterations
  bool exact_gate = true;             ///< Newton to convergence; false: one step (generalized EM)
  GateNewtonOptions gate;             ///< gate M-step (max_iter forced to 1 when !exact_gate)
  ExpertMStepOptions experts;         ///< expert M-step (variance_floor set from the next field)
  double relative_variance_floor = 1e-4;  ///< σ_k² ≥ this · var(y) (Gaussian experts)
  InitMethod init = InitMethod::kmeans;
  arma::uword starts = 1;             ///< random restarts; the best final ℓ is kept
  std::uint64_t seed = 1;
  const Kernels* kernels = &cpu_kernels();
  /// Called after every iteration of every start (for progress output).
  std::function<void(arma::uword start, const TraceRow&)> on_iteration;
};

struct Fit {
  Model model;
  Trace trace;                      ///< trace of the best start
  double loglik = 0.0;
  arma::uword iterations = 0;
  bool converged = false;
  arma::uword best_start = 0;
  std::vector<double> start_logliks;  ///< final ℓ of every start
  double aic = 0.0;                 ///< −2ℓ + 2d
  double bic = 0.0;                 ///< −2ℓ + d log n
};

class EM {
 public:
  explicit EM(EMOptions options = {});

  /// Fits K experts of `family` from `options.starts` initializations.
  /// Validates the data first (std::invalid_argument on bad input).
  Fit fit(const Dataset& data, arma::uword K, Family family, bool common_sigma = false) const;

  /// One EM run from given parameters.
  Fit fit_from(const Dataset& data, const Model& start) const;

  /// One M-step: the parameters maximizing the expected complete-data
  /// log-likelihood for responsibilities R, starting the inner solvers at
  /// `current`.
  Model m_step(const Dataset& data, const arma::mat& R, const Model& current) const;

  const EMOptions& options() const { return options_; }

 private:
  Fit run(const Dataset& data, Model model, arma::uword start) const;
  Model model_from_responsibilities(const Dataset& data, const arma::mat& R, Family family,
                                    bool common_sigma) const;
  ExpertMStepOptions expert_options(const Dataset& data) const;

  EMOptions options_;
};

}  // namespace moe
