#pragma once
/// @file estimator.hpp
/// What every iterative estimator (EM, mirror descent, gradient descent) shares:
/// the control options, the fit it returns, and the loop that runs one step of
/// the estimator until ℓ stops changing, recording the Trace.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "moe/data.hpp"
#include "moe/init.hpp"
#include "moe/kernels.hpp"
#include "moe/model.hpp"
#include "moe/posterior.hpp"
#include "moe/search_report.hpp"
#include "moe/trace.hpp"

namespace moe {

struct IterationControl {
  arma::uword max_iter = 500;
  double tol = 1e-8;          ///< stop when |Δℓ| ≤ tol·|ℓ|; 0 runs max_iter iterations
  // The search over starts (search.hpp):
  arma::uword starts = 30;    ///< starting models screened by a short EM run
  std::uint64_t seed = 1;
  InitMethod init = InitMethod::mixed;   ///< how each start's responsibilities are drawn
  arma::uword screening_iterations = 10;  ///< EM iterations of the short run of every start
  /// The best screened starts run to the end (the best final ℓ is kept); 0:
  /// finalists_of()'s automatic count, 15 or half the starts if that is more.
  arma::uword finalists = 0;
  bool split_merge = true;    ///< then try split-and-merge moves from the best fit
  /// Return the best fit the search found at a finite maximum (search.hpp)
  /// when the best of all is at a boundary, where ℓ has only a supremum.
  bool prefer_finite = false;
  unsigned threads = 0;       ///< threads for the starts, and within one run for its row-wise passes (kernels, log-densities): 0 = every core (1 with non-CPU kernels)
  const Kernels* kernels = &cpu_kernels();
  std::optional<Model> truth;  ///< when known (simulations): parameter error per iteration
  bool record_gradient = true;  ///< ‖∇ℓ‖ per iteration (costs about one E-step)
  /// Called after every iteration of every start that runs on the thread that
  /// called the fit (for progress output and interrupts; never concurrently).
  std::function<void(arma::uword start, const TraceRow&)> on_iteration;
};

struct Fit {
  Model model;
  Trace trace;                        ///< trace of the best start
  double loglik = 0.0;
  arma::uword iterations = 0;
  bool converged = false;
  arma::uword best_start = 0;
  std::vector<double> start_logliks;  ///< ℓ of every start: at the end for finalists, else after screening
  SearchReport search;                ///< what the search saw (empty for a fit from given parameters)
  double aic = 0.0;                   ///< −2ℓ + 2d
  double bic = 0.0;                   ///< −2ℓ + d log n
};

/// One iteration of an estimator: the next model from the current one, whose
/// E-step the Posterior that iterate() updates holds.
using Step = std::function<Model(const Model& current)>;

/// Runs `step` from `start` until |Δℓ| ≤ tol·|ℓ| (converged, or diverged when ℓ
/// is then below its start by more than tol·|ℓ|) or max_iter iterations, or a
/// step throws moe::numerical_error or makes a parameter non-finite (the last
/// good model is kept). Before every
/// step `posterior` is updated to the current model. The caller has validated
/// the data, which `posterior` was made for.
Fit iterate(const Dataset& data, Model start, Posterior& posterior, const Step& step,
            const IterationControl& control, arma::uword start_index = 0);

/// The fit `head` continued by `tail`, a run from head's last model: one trace
/// (tail's iterations and seconds counted on from head's), tail's model and stop.
Fit continued(const Fit& head, Fit tail);

/// An independent, reproducible seed for start `start` (SplitMix64).
std::uint64_t start_seed(std::uint64_t seed, arma::uword start);

/// `control` with ‖∇ℓ‖ recorded only where it was and `record_gradient` is true.
IterationControl recording(IterationControl control, bool record_gradient);

/// Checks the control options; `who` names the estimator in the message.
void validate(const IterationControl& control, const char* who);

/// The number of finalists of a search: control.finalists, or when it is 0 the
/// larger of 15 and half the starts (rounded up), so that more starts never
/// send fewer of them on; at most the starts.
arma::uword finalists_of(const IterationControl& control);

}  // namespace moe
