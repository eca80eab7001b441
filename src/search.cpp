#include "moe/search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "moe/boundary_moves.hpp"
#include "moe/diagnostics.hpp"
#include "moe/degeneracy.hpp"
#include "moe/error.hpp"
#include "moe/matching.hpp"
#include "moe/merged_rows.hpp"
#include "moe/multinomial.hpp"
#include "moe/shape_family.hpp"
#include "moe/split_merge.hpp"
#include "moe/student_t.hpp"
#include "parallel.h"

namespace moe {
namespace {

constexpr int max_draws = 10;              // of a start, while they are degenerate
constexpr std::size_t moves_finished_best = 3;   // of a round's screened moves from the best basin, run to the end
constexpr std::size_t moves_finished_other = 1;  // the same from each other basin
constexpr arma::uword perturbations = 24;  // perturbation moves per round
constexpr double perturbed_share = 0.25;   // of the rows, each given to a random expert by a perturbation
constexpr std::size_t move_origins = 5;    // basins of the finalists that rounds of moves start from
constexpr double basin_agreement = 0.95;   // of the rows, given to the same experts by two fits of one basin

// A start after screening.
struct Candidate {
  InitMethod strategy = InitMethod::kmeans;
  Model initial;
  Fit screened;
  bool degenerate = false;
  arma::uword redrawn = 0;
  bool left_basin = false;  // a move's screened run: out of the basin it moved from
};

// How the search came to a run besides its start.
enum class Route { finalist, split_merge, gaussian_fit };

// What SearchReport::best_init adds to the start's strategy for a route.
const char* suffix(Route route) {
  switch (route) {
    case Route::split_merge: return " + split-merge";
    case Route::gaussian_fit: return " + gaussian fit";  // t experts from the Gaussian search's fit
    case Route::finalist: break;
  }
  return "";
}

// A finished run, where it started, whether it is degenerate (and why) and how
// the search came to it.
struct Finished {
  Fit fit;
  Model initial;
  std::string degeneracy;
  Route route = Route::finalist;
};

// EM with the options of `em` but at most `iterations` iterations (the
// screening run), recording ‖∇ℓ‖ as the control says when `record_gradient`.
EM screening_em(const EM& em, arma::uword iterations, bool record_gradient) {
  EMOptions o = em.options();
  o.control.max_iter = std::min(iterations, o.control.max_iter);
  o.control = recording(o.control, record_gradient);
  return EM(o);
}

// One expert of the family fitted to the rows with weights w (n), a point mass set aside.
Model one_expert(const EM& em, const Dataset& data, const arma::vec& w, Family family, bool common_sigma) {
  if (!data.point_mass) return em.model_from(data, arma::mat(w), family, common_sigma);
  Dataset plain = data;
  plain.point_mass.reset();
  return em.model_from(plain, arma::mat(w), family, common_sigma);
}

// One expert's fitted values: its mean or, for multinomial experts, the
// probability-weighted level number (multinomial.hpp); `sd` (if given)
// receives y's standard deviation about them.
arma::vec fitted_values(const Model& one, const Dataset& data, arma::vec* sd = nullptr) {
  const Family family = one.experts.family;
  arma::vec mu, spread;
  if (family == Family::multinomial) {
    level_number_moments(mu, spread, one.experts, data.X, 0);
  } else {
    mu = one.experts.mean(data.X, data.offset, data.trials);
    if (has_scale(family)) spread = arma::vec(data.n(), arma::fill::value(one.experts.sigma(0)));
    else if (family == Family::poisson) spread = arma::sqrt(mu);
    else if (const ShapeFamily* shaped = shape_family(family)) spread = arma::sqrt(shaped->variance(mu, one.experts.shape));
    else if (data.trials.is_empty()) spread = arma::sqrt(mu % (1.0 - mu));
    else spread = arma::sqrt(mu % (1.0 - mu / data.trials));  // m p (1 − p)
  }
  if (sd) *sd = spread;
  return mu;
}

// Pearson residuals (y − μ)/√Var of one expert fitted to all rows.
arma::vec one_expert_residuals(const EM& em, const Dataset& data, Family family, bool common_sigma) {
  arma::vec sd;
  const arma::vec mu = fitted_values(one_expert(em, data, arma::ones(data.n()), family, common_sigma), data, &sd);
  return (data.y - mu) / arma::clamp(sd, 1e-12, arma::datum::inf);
}

arma::mat strategy_responsibilities(const EM& em, const Dataset& data, arma::uword K, Family family,
                                    bool common_sigma, InitMethod strategy, Rng& rng) {
  switch (strategy) {
    case InitMethod::kmeans: return kmeans_responsibilities(data, K, rng, family);
    case InitMethod::random: return random_responsibilities(data.n(), K, rng);
    case InitMethod::hard: return hard_responsibilities(data.n(), K, rng);
    case InitMethod::residual:
      return segment_responsibilities(one_expert_residuals(em, data, family, common_sigma), K, rng);
    case InitMethod::segments: {
      const arma::vec order = ordered_covariate(data);
      require(!order.is_empty(), "search", "init 'segments' needs a single covariate to order the rows by "
                                           "(one non-constant column in the gate, or in the experts without one)");
      return segment_responsibilities(order, K, rng);
    }
    case InitMethod::mixed: break;
  }
  throw std::invalid_argument("moe::starting_model(): 'mixed' is not one strategy");
}

// The strategy's responsibilities; beside a point mass, the strategy's over
// the other experts, and the point mass given a share u ~ U(0, 1) of every row
// at its value.
arma::mat starting_responsibilities(const EM& em, const Dataset& data, arma::uword K, Family family,
                                    bool common_sigma, InitMethod strategy, Rng& rng) {
  if (!data.point_mass) return strategy_responsibilities(em, data, K, family, common_sigma, strategy, rng);
  arma::mat R = strategy_responsibilities(em, data, K - 1, family, common_sigma, strategy, rng);
  const arma::vec share = rng.uniform() * arma::conv_to<arma::vec>::from(data.y == *data.point_mass);
  R.each_col() %= 1.0 - share;
  return arma::join_horiz(R, share);
}

// Start s: drawn by its strategy on the rows of `data`, redrawn while
// degenerate; then screened on `rows` (data's rows, repeats merged).
Candidate screened_start(const EM& em, const EM& screening, const Dataset& data, const Dataset& rows, arma::uword K,
                         Family family, bool common_sigma, arma::uword s) {
  const IterationControl& control = em.options().control;
  Candidate c;
  for (int draw = 0; draw < max_draws; ++draw) {
    c.strategy = draw < 2 ? init_of_start(control.init, data, s) : InitMethod::hard;
    Rng rng(draw == 0 ? start_seed(control.seed, s) : start_seed(start_seed(control.seed, s), draw));
    const arma::mat R = starting_responsibilities(em, data, K, family, common_sigma, c.strategy, rng);
    c.initial = em.model_from(data, R, family, common_sigma);
    if (degeneracy(c.initial, data, R).empty()) break;
    c.redrawn += draw + 1 < max_draws;
  }
  c.screened = screening.fit_from(rows, c.initial);
  c.screened.best_start = s;
  c.degenerate = !degeneracy(c.screened.model, data, responsibilities(c.screened.model, data)).empty();
  return c;
}

// Candidate indices, non-degenerate first, then by screened ℓ (ties by index).
std::vector<arma::uword> ranked(const std::vector<Candidate>& candidates) {
  std::vector<arma::uword> order(candidates.size());
  for (arma::uword i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](arma::uword a, arma::uword b) {
    if (candidates[a].degenerate != candidates[b].degenerate) return !candidates[a].degenerate;
    return candidates[a].screened.loglik > candidates[b].screened.loglik;
  });
  return order;
}

// The best `count` ranked candidates, then the best of every strategy not among
// them (a short run can misjudge a whole strategy's basins).
std::vector<arma::uword> chosen_finalists(const std::vector<Candidate>& candidates, arma::uword count) {
  const std::vector<arma::uword> order = ranked(candidates);
  std::vector<arma::uword> chosen(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count));
  for (arma::uword c : order) {
    const auto same_strategy = [&](arma::uword k) { return candidates[k].strategy == candidates[c].strategy; };
    if (std::none_of(chosen.begin(), chosen.end(), same_strategy)) chosen.push_back(c);
  }
  return chosen;
}

Finished finished(const Fit& fit, const Model& initial, const Dataset& data) {
  return {fit, initial, degeneracy(fit.model, data, responsibilities(fit.model, data)), Route::finalist};
}

// True when a is the worse end point: degenerate first, then lower ℓ.
bool worse(const Finished& a, const Finished& b) {
  if (a.degeneracy.empty() != b.degeneracy.empty()) return !a.degeneracy.empty();
  return a.fit.loglik < b.fit.loglik;
}

// The best run, the first of equals.
const Finished& best_of(const std::vector<Finished>& runs) { return *std::max_element(runs.begin(), runs.end(), worse); }

// Each row's most probable expert under responsibilities R (n×K), one-hot.  Result: n×K.
arma::mat hard_labels(const arma::mat& R) {
  arma::mat H(arma::size(R), arma::fill::zeros);
  const arma::uvec label = arma::index_max(R, 1);
  for (arma::uword i = 0; i < R.n_rows; ++i) H(i, label(i)) = 1.0;
  return H;
}

// The weighted share of the rows that two fits' hard labels (n×K each,
// hard_labels) give to the same expert, under the relabelling that agrees most.
double agreement(const arma::mat& a, const arma::mat& b, const Dataset& data) {
  const arma::mat shared = a.t() * data.weighted(b);  // K×K: Σ_i w_i a_ik b_ij
  const arma::uvec match = min_cost_assignment(-shared);
  double agreed = 0.0;
  for (arma::uword k = 0; k < match.n_elem; ++k) agreed += shared(k, match(k));
  return agreed / data.total_weight();
}

// True when hard labels `labels` agree with those of any of `reached` on
// basin_agreement of the rows: a fit in a basin already reached.
bool in_reached_basin(const arma::mat& labels, const std::vector<arma::mat>& reached, const Dataset& data) {
  return std::any_of(reached.begin(), reached.end(),
                     [&](const arma::mat& T) { return agreement(labels, T, data) >= basin_agreement; });
}

// The best non-degenerate runs of at most `count` different basins, best
// first: a run joins when no run before it gives the same expert to
// basin_agreement of the rows (ℓ alone would count the stops of one slow
// climb as different maxima). The best run when all are degenerate.
std::vector<Finished> best_of_basins(const std::vector<Finished>& runs, std::size_t count, const Dataset& data) {
  std::vector<Finished> sorted = runs;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Finished& a, const Finished& b) { return worse(b, a); });
  std::vector<Finished> out;
  std::vector<arma::mat> taken;  // the hard labels of the runs in `out`
  for (const Finished& r : sorted) {
    if (out.size() == count) break;
    if (!r.degeneracy.empty()) continue;
    const arma::mat R = hard_labels(responsibilities(r.fit.model, data));
    if (in_reached_basin(R, taken, data)) continue;
    out.push_back(r);
    taken.push_back(R);
  }
  if (out.empty()) out.push_back(sorted.front());
  return out;
}

// Adds the end points of `runs` (finalists, or split-and-merge moves) to `maxima`, best first.
void add_maxima(std::vector<LocalMaximum>& maxima, const std::vector<Finished>& runs, bool moves) {
  for (const Finished& r : runs) {
    const bool degenerate = !r.degeneracy.empty();
    auto at = std::find_if(maxima.begin(), maxima.end(), [&](const LocalMaximum& m) {
      return m.degenerate == degenerate && same_maximum(m.loglik, r.fit.loglik);
    });
    if (at == maxima.end()) at = maxima.insert(maxima.end(), LocalMaximum{r.fit.loglik, 0, 0, degenerate});
    at->loglik = std::max(at->loglik, r.fit.loglik);
    ++(moves ? at->moves : at->starts);
  }
  std::stable_sort(maxima.begin(), maxima.end(),
                   [](const LocalMaximum& a, const LocalMaximum& b) { return a.loglik > b.loglik; });
}

// The starting model of a split-and-merge move from responsibilities R.
Model moved_start(const EM& em, const Dataset& data, const arma::mat& R, const SplitMergeMove& move, Family family,
                  bool common_sigma) {
  arma::mat moved = merged(R, move);
  const arma::vec w = moved.col(move.split);
  const Model one = one_expert(em, data, w, family, common_sigma);  // one expert on the rows split
  const arma::mat halves = split_rows(w, data.y, fitted_values(one, data), move.rule);
  moved.col(move.split) = halves.col(0);
  moved.col(move.from) = halves.col(1);
  return em.model_from(data, moved, family, common_sigma);
}

// The starting model of perturbation move m of a round from responsibilities R,
// seeded by the round and m.
Model perturbed_start(const EM& em, const Dataset& data, const arma::mat& R, arma::uword round, arma::uword m,
                      Family family, bool common_sigma) {
  Rng rng(start_seed(start_seed(em.options().control.seed, em.options().control.starts + round), m));
  return em.model_from(data, perturbed_responsibilities(R, perturbed_share, rng), family, common_sigma);
}

// The screened moves to run to the end: the best `count` ranked, then as many
// split-and-merge moves (the first `split_merge` candidates) that left the
// basin they moved from, the best of each basin that no move chosen before
// reached. A short run ranks the moves that fall back to the maximum they left
// above those that climb out of its basin: on ChickWeight (K = 3, weight ~
// Time) the moves to the better maximum screen 4.5 to 52 below the one they left.
std::vector<arma::uword> finished_moves(const std::vector<Candidate>& screened, std::size_t count,
                                        arma::uword split_merge, const Dataset& data) {
  const std::vector<arma::uword> order = ranked(screened);
  std::vector<arma::uword> chosen(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(std::min(count, order.size())));
  std::vector<arma::mat> reached;  // the hard labels of the chosen moves' screened runs
  for (arma::uword m : chosen) reached.push_back(hard_labels(responsibilities(screened[m].screened.model, data)));
  std::size_t extra = 0;
  for (arma::uword m : order) {
    if (extra == count) break;
    const Candidate& c = screened[m];
    if (m >= split_merge || !c.left_basin || c.degenerate || std::find(chosen.begin(), chosen.end(), m) != chosen.end())
      continue;
    const arma::mat labels = hard_labels(responsibilities(c.screened.model, data));
    if (in_reached_basin(labels, reached, data)) continue;
    chosen.push_back(m);
    reached.push_back(labels);
    ++extra;
  }
  return chosen;
}

// The boundary moves of `model` (boundary_moves.hpp) when the data have an
// ordered covariate in the gate; else none.
std::vector<BoundaryMove> gate_boundary_moves(const Model& model, const Dataset& data) {
  const arma::vec order = ordered_covariate(data);
  if (order.is_empty() || data.Z.n_cols < 2) return {};
  return boundary_moves(order, arma::index_max(model.gate.log_probs(data.Z), 1));
}

// A maximum that a round of moves started from: its ℓ and hard labels.
struct Visited {
  double loglik;
  arma::mat labels;
};

// False when a round of moves started before from the maximum at `loglik`
// with hard labels `labels` (the same ℓ, and the same experts for
// basin_agreement of the rows): from one maximum a round makes the same
// split-and-merge and boundary moves, so rounds from several origins that
// climb to one maximum go on from it once. Else records it and returns true.
bool first_visit(std::vector<Visited>& visited, double loglik, const arma::mat& labels, const Dataset& data) {
  const bool seen = std::any_of(visited.begin(), visited.end(), [&](const Visited& v) {
    return same_maximum(v.loglik, loglik) && agreement(labels, v.labels, data) >= basin_agreement;
  });
  if (!seen) visited.push_back(Visited{loglik, labels});
  return !seen;
}

// Rounds of moves from `best` (at most K): split-and-merge moves, boundary
// moves and perturbations of its responsibilities, each screened by a short EM
// run; the best few screened run to the end, and the best of them is kept when
// it raises ℓ; otherwise, or at a maximum `visited` before, the search ends.
// Every run to the end joins `ends`.
void split_and_merge(Finished& best, SearchReport& report, std::vector<Visited>& visited, std::vector<Finished>& ends,
                     const EM& em, const EM& screening, const Dataset& data, const Dataset& rows, Family family,
                     bool common_sigma, const Finisher& finish, unsigned threads, std::size_t finished_per_round) {
  const arma::uword K = best.fit.model.K();
  for (arma::uword round = 0; round < K; ++round) {
    const arma::mat R = responsibilities(best.fit.model, data);
    const arma::mat origin = hard_labels(R);
    if (!first_visit(visited, best.fit.loglik, origin, data)) return;
    const arma::uword regression = best.fit.model.experts.n_regression();  // a point mass is neither split nor merged
    const std::vector<SplitMergeMove> moves =
        split_merge_moves(R.head_cols(regression), data.weights, std::min<arma::uword>(4 * regression, 24));
    if (moves.empty()) return;
    const std::vector<BoundaryMove> shifts = gate_boundary_moves(best.fit.model, data);
    const arma::uword first_perturbation = moves.size() + shifts.size();
    std::vector<Candidate> screened(first_perturbation + perturbations);
    parallel_for(screened.size(), threads, [&](arma::uword m) {
      Candidate& c = screened[m];
      if (m < moves.size())
        c.initial = moved_start(em, data, R, moves[m], family, common_sigma);
      else if (m < first_perturbation)
        c.initial = em.model_from(data, moved(R, shifts[m - moves.size()]), family, common_sigma);
      else
        c.initial = perturbed_start(em, data, R, round, m - first_perturbation, family, common_sigma);
      c.screened = screening.fit_from(rows, c.initial);
      c.screened.best_start = best.fit.best_start;
      const arma::mat after = responsibilities(c.screened.model, data);
      c.degenerate = !degeneracy(c.screened.model, data, after).empty();
      c.left_basin = agreement(hard_labels(after), origin, data) < basin_agreement;
    });
    report.moves_tried += screened.size();
    const std::vector<arma::uword> order = finished_moves(screened, finished_per_round, moves.size(), data);
    std::vector<Finished> runs(order.size());
    parallel_for(runs.size(), threads, [&](arma::uword f) {
      const Candidate& c = screened[order[f]];
      runs[f] = finished(finish(rows, c.initial, c.screened, best.fit.best_start, false), c.initial, data);
      runs[f].route = Route::split_merge;
    });
    add_maxima(report.maxima, runs, true);
    ends.insert(ends.end(), runs.begin(), runs.end());
    const Finished& top = best_of(runs);
    if (!top.degeneracy.empty() || top.fit.loglik <= best.fit.loglik || same_maximum(top.fit.loglik, best.fit.loglik))
      return;
    ++report.moves_kept;
    best = top;
  }
}

// The Gaussian or t experts whose variance the floor holds up ("" when none):
// there ℓ would rise without bound as σ_k shrinks, on tied or very few rows.
std::string experts_at_floor(const Experts& experts, double variance_floor) {
  if (!has_scale(experts.family) || variance_floor <= 0.0) return "";
  std::string at;
  for (arma::uword k = 0; k < experts.n_regression(); ++k)
    if (experts.sigma(k) * experts.sigma(k) <= variance_floor * (1.0 + 1e-9))
      at += (at.empty() ? "" : ", ") + std::to_string(k + 1);
  return at;
}

// The experts whose shape (negbin θ, gamma ν, an estimated t ν) is held at its ceiling, "2, 3"; empty if none.
std::string experts_at_shape_ceiling(const Experts& experts) {
  const ShapeFamily* shaped = shape_family(experts.family);
  if (!shaped && !experts.has_free_nu()) return "";
  const double ceiling = shaped ? shaped->max_shape : kMaxNu;
  std::string at;
  for (arma::uword k = 0; k < experts.n_regression(); ++k)
    if (experts.shape(k) >= ceiling * (1.0 - 1e-9)) at += (at.empty() ? "" : ", ") + std::to_string(k + 1);
  return at;
}

// What a shape at its ceiling means: for the negative binomial the Poisson,
// for the t (an estimated ν) the Gaussian, for the gamma a spike on (nearly)
// equal responses.
std::string shape_ceiling_warning(Family family, const std::string& at) {
  char number[32];
  std::snprintf(number, sizeof number, "%g", family == Family::t ? kMaxNu : shape_family(family)->max_shape);
  const std::string ceiling = std::string("its ceiling (") + number + ")";
  if (family == Family::t)
    return "nu of expert " + at + " is at " + ceiling + ": that expert is a Gaussian expert (no heavy tails)";
  if (family == Family::negbin)
    return "theta of expert " + at + " is at " + ceiling + ": that expert is a Poisson expert (no overdispersion)";
  return "the shape of expert " + at + " is at " + ceiling + ": its rows' responses are (nearly) equal, where the "
         "log-likelihood grows without bound as the shape does (tied or rounded values), as a Gaussian expert on the "
         "variance floor";
}

// True when `run` is at a boundary of the parameter space, where ℓ has a
// supremum and no maximum: a boundary warning (diagnostics.hpp) or an expert
// at the variance floor.
bool at_boundary(const Finished& run, const Dataset& data, double variance_floor) {
  return !boundary_warnings(run.fit.model, data).empty() || !experts_at_floor(run.fit.model.experts, variance_floor).empty();
}

// control.prefer_finite: when `best` is at a boundary, the best non-degenerate
// run of `ends` that is not, with a warning that says which was left; else
// `best`, with a warning when it is at a boundary for want of another.
Finished preferred_finite(const Finished& best, const std::vector<Finished>& ends, SearchReport& report,
                          const Dataset& data, double variance_floor) {
  if (!best.degeneracy.empty() || !at_boundary(best, data, variance_floor)) return best;
  const Finished* finite = nullptr;
  for (const Finished& r : ends)
    if (r.degeneracy.empty() && !at_boundary(r, data, variance_floor) && (!finite || worse(*finite, r))) finite = &r;
  char line[256];
  if (!finite) {
    std::snprintf(line, sizeof line, "prefer_finite: every fit the search found is at a boundary; the best (%.10g) is returned",
                  best.fit.loglik);
    report.warnings.push_back(line);
    return best;
  }
  std::snprintf(line, sizeof line, "prefer_finite: the best fit found (%.10g) is at a boundary; the best finite maximum "
                "found (%.10g) is returned", best.fit.loglik, finite->fit.loglik);
  report.warnings.push_back(line);
  return *finite;
}

void add_warnings(SearchReport& report, const Finished& best, double variance_floor) {
  if (!best.degeneracy.empty())
    report.warnings.push_back("every fit the search found is degenerate: " + best.degeneracy);
  else if (const std::string close = coinciding_experts(best.fit.model.experts, 1e-3); !close.empty())
    report.warnings.push_back(close + " within 1e-3 (relative): fewer experts may do");
  if (const std::string at = experts_at_floor(best.fit.model.experts, variance_floor); !at.empty())
    report.warnings.push_back("the variance of expert " + at + " is held at the variance floor: the log-likelihood grows without "
                              "bound as it shrinks (tied or very few rows); a lower floor follows it further");
  if (const std::string at = experts_at_shape_ceiling(best.fit.model.experts); !at.empty())
    report.warnings.push_back(shape_ceiling_warning(best.fit.model.experts.family, at));
  const auto at = std::find_if(report.maxima.begin(), report.maxima.end(), [&](const LocalMaximum& m) {
    return same_maximum(m.loglik, best.fit.loglik) && m.degenerate == !best.degeneracy.empty();
  });
  if (report.finalists > 1 && at != report.maxima.end() && at->starts + at->moves == 1)
    report.warnings.push_back("the best maximum was reached by one run only: more starts may find a higher one");
}

// The returned run again, from its start, with ‖∇ℓ‖ recorded as the control
// says (every run of the search leaves it out: it costs about an E-step per
// iteration). The runs are deterministic, so it ends where it did.
Fit recorded(const Finished& best, const EM& em, arma::uword screening_iterations, const Dataset& rows,
             const Finisher& finish) {
  Fit screened = screening_em(em, screening_iterations, true).fit_from(rows, best.initial);
  screened.best_start = best.fit.best_start;
  return finish(rows, best.initial, screened, best.fit.best_start, true);
}

// t experts nest the Gaussian ones (ν → ∞), so their search also runs from
// the Gaussian search's fit with every ν at the ceiling (or at the given ν):
// from there EM cannot end below the Gaussian fit but for the ceiling's
// O(1/ν) per row. (Without it the t fit ended below the Gaussian one on
// faithful, K = 3, by 0.005, and below its supremum on Cars93 by 14.)
Finished from_gaussian_fit(const Dataset& data, const Dataset& rows, arma::uword K, bool common_sigma, const EM& em,
                           const EM& screening, const Finisher& finish) {
  EMOptions gaussian_options = em.options();
  gaussian_options.experts.fixed_nu = 0.0;
  const Fit gaussian = search(data, K, Family::gaussian, common_sigma, EM(gaussian_options), finish);
  Model initial = gaussian.model;
  const double fixed_nu = em.options().experts.fixed_nu;
  initial.experts.family = Family::t;
  initial.experts.shape = arma::vec(K, arma::fill::value(fixed_nu > 0.0 ? fixed_nu : kMaxNu));
  initial.experts.shape_fixed = fixed_nu > 0.0;
  Fit screened = screening.fit_from(rows, initial);
  screened.best_start = gaussian.best_start;
  Finished out = finished(finish(rows, initial, screened, gaussian.best_start, false), initial, data);
  out.route = Route::gaussian_fit;
  return out;
}

// The rows that EM runs on: `data`'s with repeats merged (merged_rows.hpp),
// unless no row repeats or the distinct rows are too few for validate(),
// which counts rows rather than their weights.
std::optional<MergedRows> rows_to_fit(const Dataset& data, Family family, arma::uword K) {
  std::optional<MergedRows> merged = merged_rows(data);
  if (merged) try {
      validate(merged->data, family, K);
    } catch (const std::invalid_argument&) {
      merged.reset();
    }
  return merged;
}

}  // namespace

Model starting_model(const EM& em, const Dataset& data, arma::uword K, Family family, bool common_sigma,
                     InitMethod strategy, Rng& rng) {
  return em.model_from(data, starting_responsibilities(em, data, K, family, common_sigma, strategy, rng), family,
                       common_sigma);
}

Fit search(const Dataset& data, arma::uword K, Family family, bool common_sigma, const EM& em,
           const Finisher& finish) {
  validate(data, family, K);
  const IterationControl& control = em.options().control;
  const KernelThreads row_threads(control.threads);  // the passes outside the parallel runs
  const unsigned threads = control.kernels == &cpu_kernels() ? thread_count(control.threads) : 1;
  const arma::uword finalists = finalists_of(control);
  const arma::uword screening_iterations = control.starts > finalists ? control.screening_iterations : 0;
  const EM screening = screening_em(em, screening_iterations, false);
  const std::optional<MergedRows> merged = rows_to_fit(data, family, K);
  const Dataset& rows = merged ? merged->data : data;
  std::vector<Candidate> candidates(control.starts);
  parallel_for(control.starts, threads, [&](arma::uword s) {
    candidates[s] = screened_start(em, screening, data, rows, K, family, common_sigma, s);
  });
  const std::vector<arma::uword> chosen = chosen_finalists(candidates, finalists);
  std::vector<Finished> runs(chosen.size());
  parallel_for(chosen.size(), threads, [&](arma::uword f) {
    const Candidate& c = candidates[chosen[f]];
    runs[f] = finished(finish(rows, c.initial, c.screened, chosen[f], false), c.initial, data);
  });
  SearchReport report;
  report.screened = control.starts;
  report.finalists = chosen.size();
  for (const Candidate& c : candidates) report.redrawn += c.redrawn;
  add_maxima(report.maxima, runs, false);
  if (family == Family::t) {
    runs.push_back(from_gaussian_fit(data, rows, K, common_sigma, em, screening, finish));
    add_maxima(report.maxima, {runs.back()}, true);
  }
  Finished best = best_of(runs);  // of equals, the best screened
  std::vector<Finished> ends = runs;  // every run to the end
  if (control.split_merge && best.fit.model.experts.n_regression() >= 2) {
    std::vector<Finished> origins = best_of_basins(runs, move_origins, data);
    std::vector<Visited> visited;
    for (std::size_t o = 0; o < origins.size(); ++o) {
      split_and_merge(origins[o], report, visited, ends, em, screening, data, rows, family, common_sigma, finish,
                      threads, o == 0 ? moves_finished_best : moves_finished_other);
      if (worse(best, origins[o])) best = origins[o];
    }
  }
  const double variance_floor = em.expert_options(data).variance_floor;
  if (control.prefer_finite) best = preferred_finite(best, ends, report, data, variance_floor);
  report.best_init = to_string(candidates[best.fit.best_start].strategy) + suffix(best.route);
  report.start = best.initial;
  add_warnings(report, best, variance_floor);
  if (control.record_gradient) best.fit = recorded(best, em, screening_iterations, rows, finish);
  std::vector<double> logliks;
  for (const Candidate& c : candidates) logliks.push_back(c.screened.loglik);
  for (const Finished& r : runs)
    if (r.route == Route::finalist) logliks[r.fit.best_start] = r.fit.loglik;
  best.fit.start_logliks = std::move(logliks);
  best.fit.search = std::move(report);
  return best.fit;
}

}  // namespace moe
