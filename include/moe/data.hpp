#pragma once
/// @file data.hpp
/// A data set for a gated mixture of experts: response y, expert design X and
/// gate design Z (rows are observations), with column names for messages, and
/// optional observation weights and expert offsets.

#include <armadillo>
#include <optional>
#include <string>
#include <vector>

#include "moe/family.hpp"

namespace moe {

/// Name given to an intercept column.
inline const char* const intercept_name = "(Intercept)";

struct Dataset {
  arma::vec y;                       ///< response, n
  arma::mat X;                       ///< expert design, n×p
  arma::mat Z;                       ///< gate design, n×q
  std::vector<std::string> x_names;  ///< p names (may be empty: "x1", ... assumed)
  std::vector<std::string> z_names;  ///< q names (may be empty: "z1", ... assumed)
  /// n frequency (replication) weights w_i ≥ 0, or empty: all 1. Observation i
  /// counts w_i times: ℓ = Σ_i w_i log p(y_i | x_i, z_i), and every sum over
  /// observations is weighted, so that integer weights fit exactly as the
  /// data with each row repeated w_i times (n in BIC is Σ_i w_i).
  arma::vec weights;
  /// n offsets o_i added to every expert's linear predictor, x_i·β_k + o_i (a
  /// known term, such as the log of an exposure for counts), or empty: none.
  arma::vec offset;
  /// n binomial trials m_i (whole numbers ≥ 1), or empty: all 1 (y is 0 or 1).
  /// With trials y_i counts the successes, 0 ≤ y_i ≤ m_i, and
  /// f(y_i) = C(m_i, y_i) p^y_i (1 − p)^(m_i − y_i), as glm's binomial with a
  /// two-column response; binomial experts only.
  arma::vec trials;
  /// Columns of X whose coefficient all experts share (flexmix's FLXMRglmfix
  /// `fixed`), sorted; empty: every coefficient is each expert's own. A fit
  /// gives its experts these shared rows (Experts::shared).
  arma::uvec shared_columns;
  /// n group numbers from 0 to G − 1, each used, or empty: every row its own
  /// group. All rows of a group belong to one expert (a subject, a centre):
  /// the posterior is per group, r_gk ∝ π_k(z_g) ∏_{i∈g} f_k(y_i | x_i), and
  /// the gate's covariates must be constant within a group (grouping.hpp).
  arma::uvec group;
  /// The groups' names for messages (G of them), or empty: "1", "2", ...
  std::vector<std::string> group_names;
  /// A response value c that one expert puts all its mass on (zero inflation:
  /// point_mass.hpp), or none. A fit makes its last expert that point mass
  /// (Experts::point_mass).
  std::optional<double> point_mass;
  /// Multinomial experts: the names of the response's levels 0, 1, ..., C − 1,
  /// or empty: "0", "1", ...
  std::vector<std::string> level_names;

  arma::uword n() const { return y.n_elem; }
  bool grouped() const { return !group.is_empty(); }
  /// G: the number of groups (n when not grouped).
  arma::uword n_groups() const;
  /// The name of group g (group_names, or its number from 1).
  std::string group_name(arma::uword g) const;
  /// The name of level c of the response (level_names, or its number from 0).
  std::string level_name(arma::uword c) const;
  /// The number of rows of every group (grouped data).  Result: G.
  arma::uvec group_sizes() const;
  /// The first row of every group (grouped data).  Result: G.
  arma::uvec group_first_rows() const;
  /// Σ_i w_i: n when unweighted.
  double total_weight() const;
  /// Σ_i w_i v_i.  v: n.
  double weighted_sum(const arma::vec& v) const;
  /// M with row i multiplied by w_i (M itself when unweighted).  M: n×K.
  arma::mat weighted(const arma::mat& M) const;
  /// M with row i multiplied by w_i / n_g, n_g the size of its group (weighted()
  /// when not grouped): summed over rows, a group counts once, as in the gate's
  /// objective Σ_g Σ_k r_gk log π_k(z_g).  M: n×K.
  arma::mat group_weighted(const arma::mat& M) const;
  /// The name of column j of X or of Z: its name, or "x<j+1>" / "z<j+1>" when unnamed.
  std::string x_name(arma::uword j) const;
  std::string z_name(arma::uword j) const;
};

/// The given rows of a data set (names kept).
Dataset rows_of(const Dataset& data, const arma::uvec& rows);

/// The rows of positive weight (all of them when unweighted): what a fit uses.
/// Rows of weight 0 add nothing to any sum, but only while their values are
/// moderate (0·∞ is NaN), and the checks of validate() would count them.
Dataset without_zero_weights(const Dataset& data);

/// Builds a design matrix from covariate columns, with a leading intercept
/// column of ones when `intercept` is true; returns names in the same order.
arma::mat make_design(const arma::mat& covariates, bool intercept);
std::vector<std::string> design_names(const std::vector<std::string>& covariates,
                                      bool intercept);

/// Gate design of a plain mixture of regressions: one intercept column.
arma::mat intercept_only(arma::uword n);

/// Checks that the data can be fitted with K experts of the given family and
/// throws std::invalid_argument naming the first problem: mismatched sizes,
/// non-finite values or values beyond 1e100 in magnitude, y not 0/1 for
/// binomial (or not 0..m_i with trials) or not a count for Poisson, trials not
/// whole numbers ≥ 1 or given for another family, weights negative or not
/// finite (or all zero), offsets not finite, K < 1, fewer rows than the K·p expert and q(K−1) gate
/// parameters, constant or duplicate columns in X or Z, shared columns that X
/// lacks or that leave no column to the experts' own, group numbers that are
/// not 0..G−1, fewer groups than K, groups with weights, gate covariates
/// that vary within a group (the message names the group), and a point mass
/// that validate_point_mass() refuses.
void validate(const Dataset& data, Family family, arma::uword K);

/// The checks of a response that a fitted model evaluates (posterior
/// probabilities on new data): finite, of moderate size, 0 or 1 for the
/// binomial family (a whole number from 0 to m_i with trials m, which must be
/// whole numbers ≥ 1 and are for the binomial family only) and a whole number
/// ≥ 0 for Poisson. Throws std::invalid_argument.
void validate_response(const arma::vec& y, Family family, const arma::vec& trials = {});

}  // namespace moe
