#pragma once
/// @file search.hpp
/// The search for the best maximum of ℓ. Mixture likelihoods have many local
/// maxima, and the start decides which one an estimator climbs, so a fit is
/// a search (emEM, Biernacki, Celeux & Govaert 2003, with split-and-merge
/// moves after Ueda, Nakano, Ghahramani & Hinton 2000):
///  1. starts = control.starts starting models, each drawn by its strategy
///     (init.hpp; `mixed` cycles through them) and one M-step. A degenerate one
///     (degeneracy.hpp: coinciding experts, an expert with fewer effective rows
///     than parameters) is redrawn: once more by its strategy, then as random
///     hard partitions, up to 10 draws;
///  2. every start is screened by a short EM run (control.screening_iterations);
///  3. the best finalists_of(control) screened starts, non-degenerate first,
///     and the best screened start of every strategy not among them, are run
///     to the end by the chosen estimator (the Finisher); for t experts also
///     the Gaussian search's fit with every ν at the ceiling (or at the given
///     ν), since the t nests the Gaussian;
///  4. from the best finalist of each of up to five basins (finalists whose
///     most probable experts, relabelled to agree most, differ on more than
///     5 % of the rows), rounds of moves: split-and-merge moves
///     (split_merge.hpp), boundary moves when the gate has one ordered
///     covariate (boundary_moves.hpp) and 24 perturbations (a quarter of the
///     rows, drawn by a seed, given to random experts: init.hpp); every move
///     is screened as a start is, the best three screened (from the best
///     basin; the best one from the others) run to the end, and as many
///     split-and-merge moves whose short runs left the basin, the best of each
///     basin they reached (a short run ranks a move that falls back to the
///     maximum it left above one that climbs out: on ChickWeight, K = 3, the
///     moves to the better maximum screen 4.5 to 52 below). The best of them
///     is kept when it reaches a higher maximum; the rounds end when it
///     does not (at most K rounds), or at a maximum that a round of moves
///     started from before (the rounds of several origins often climb to the
///     same maximum, and from one maximum a round makes the same moves).
///     Moves from a lower basin can end above the best: on the motorcycle
///     data (K = 4, quadratic experts, gate on the time) the best finalist's
///     moves end at −537.53, those from a finalist at −541.03 at −536.08.
/// Starts and moves are drawn on the rows as given; every EM run (screening,
/// to the end) runs on them with repeated rows merged into one with their
/// summed weight (merged_rows.hpp), which has the same likelihood and sums.
/// The best non-degenerate fit is returned, with what the search saw
/// (search_report.hpp). With control.prefer_finite, when that fit is at a
/// boundary of the parameter space, where ℓ has a supremum and no maximum (a
/// boundary warning of diagnostics.hpp, or an expert at the variance floor),
/// the best run to the end that is not is returned instead, if there is one,
/// with a warning that gives both log-likelihoods. Starts and moves run on
/// control.threads threads; each has its own seed and the results are
/// combined in start order, so the fit for a seed does not depend on the
/// number of threads.

#include <functional>

#include "moe/em.hpp"

namespace moe {

/// Runs the chosen estimator to the end for start s on `rows`, the data's rows
/// with repeats merged (merged_rows.hpp: the same likelihood; the data as given
/// when no row repeats), from `initial` (its starting model), given `screened`,
/// the short EM run from it on `rows` (for EM, the first iterations of the same
/// run). With `record_gradient` false the trace
/// leaves ‖∇ℓ‖ out whatever the control says: the search runs every start so,
/// then runs the one it returns again with the control's setting (the runs
/// are deterministic, so that run ends where it did).
using Finisher = std::function<Fit(const Dataset& rows, const Model& initial, const Fit& screened, arma::uword s,
                                   bool record_gradient)>;

/// The search above with the iteration control and M-step of `em`. Validates
/// the data first (std::invalid_argument).
Fit search(const Dataset& data, arma::uword K, Family family, bool common_sigma, const EM& em,
           const Finisher& finish);

/// The starting model that `strategy` (not mixed) draws from `rng`: its
/// responsibilities, then one M-step of `em`.
Model starting_model(const EM& em, const Dataset& data, arma::uword K, Family family, bool common_sigma,
                     InitMethod strategy, Rng& rng);

}  // namespace moe
