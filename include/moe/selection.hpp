#pragma once
/// @file selection.hpp
/// Choosing the number of experts: one fit for each candidate K, compared by an
/// information criterion, smaller is better:
///   aic  −2ℓ + 2d
///   bic  −2ℓ + d log n
///   icl  BIC − 2 Σ_i log r_i,ĉ(i), ĉ(i) the most likely expert of row i: −2 times
///        the completed log-likelihood with those labels plus d log n (the BIC
///        approximation of the integrated completed likelihood of Biernacki,
///        Celeux and Govaert, 2000, as flexmix's ICL()): BIC penalized for rows
///        that no expert claims clearly, so it favours well separated experts.

#include <string>
#include <vector>

#include "moe/methods.hpp"

namespace moe {

enum class Criterion { aic, bic, icl };

/// "aic", "bic" or "icl"; throws std::invalid_argument for another name.
Criterion parse_criterion(const std::string& name);
std::string to_string(Criterion criterion);

/// ICL of `fit` on `data` (the data it was fitted to).
double icl(const Fit& fit, const Dataset& data);

/// The fits of one method for several K, and the K the criterion prefers.
struct Selection {
  Criterion criterion = Criterion::bic;
  std::vector<arma::uword> K;  ///< the candidates, in the order given
  std::vector<Fit> fits;       ///< one per candidate
  arma::vec aic, bic, icl;     ///< one per candidate
  arma::uword best = 0;        ///< index of the smallest criterion (the first, on ties)

  /// The criterion's values, one per candidate.
  const arma::vec& values() const;
};

/// Fits `method` for every K in `candidates` (distinct, each ≥ 1; at least one).
/// `on_candidate`, when set, is called before each fit with its K.
/// @throws std::invalid_argument for an empty or repeated candidate list, or
///   what the fits throw (e.g. too few rows for the largest K).
Selection select_experts(const Method& method, const Dataset& data, const std::vector<arma::uword>& candidates,
                         Family family, bool common_sigma, Criterion criterion,
                         const std::function<void(arma::uword K)>& on_candidate = {});

}  // namespace moe
