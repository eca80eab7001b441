#pragma once
/// @file experts.hpp
/// K regression experts of one family: Gaussian, y | x, k ~ N(x·β_k, σ_k²);
/// logistic, P(y = 1 | x, k) = sigmoid(x·β_k); Poisson, y | x, k ~
/// Poisson(exp(x·β_k)); negative binomial with mean exp(x·β_k) and size θ_k;
/// gamma with mean exp(x·β_k) and shape ν_k (family.hpp, shape_family.hpp);
/// Student's t, y = x·β_k + σ_k ε with ε ~ t(ν_k) (student_t.hpp); or a
/// multinomial logit over C levels (multinomial.hpp).

#include <armadillo>
#include <optional>

#include "moe/canonical.hpp"

namespace moe {

struct Experts {
  Family family = Family::gaussian;
  arma::mat coef;             ///< p×K regression coefficients β_k in columns (multinomial: p(C−1)×K)
  arma::vec sigma;            ///< K noise standard deviations (Gaussian), scales (t); else empty
  bool common_sigma = false;  ///< Gaussian: one σ shared by all experts
  /// Rows of `coef` whose coefficient all experts share (flexmix's
  /// FLXMRglmfix `fixed`): such a row holds one value in every column. Sorted,
  /// or empty: every coefficient is the expert's own.
  arma::uvec shared;
  /// K shapes of a family with one (shape_family.hpp): the negative binomial's
  /// sizes θ_k, the gamma's shapes ν_k; the t's degrees of freedom ν_k; else empty.
  arma::vec shape;
  /// When set, the last expert is a point mass at this value (point_mass.hpp):
  /// f_K(y) = 1{y = c}. Its column of `coef` and its dispersion are not
  /// parameters: the estimators keep them as they are (its own coefficients 0,
  /// its dispersion 1 after unpack).
  std::optional<double> point_mass;
  /// t experts: their ν_k are given (ExpertMStepOptions::fixed_nu), not
  /// estimated, and so not parameters.
  bool shape_fixed = false;
  /// Multinomial experts: C ≥ 2, the levels of y; coef's column k holds
  /// vec(B_k), B_k p×(C−1) (multinomial.hpp). 0 for the other families.
  arma::uword levels = 0;

  /// The family's per-expert positive parameter (FamilyEntry::dispersion):
  /// `sigma` (Gaussian), `shape` (negbin, gamma), or an empty vector.
  const arma::vec& dispersion() const;
  arma::vec& dispersion();
  bool has_dispersion() const { return !family_entry(family).dispersion.empty(); }
  /// t experts whose ν_k are estimated: pack() carries log ν_k after the dispersions.
  bool has_free_nu() const { return family == Family::t && !shape_fixed; }
  /// The per-expert positive parameters that pack() carries as logs: the
  /// dispersions (K), then for has_free_nu() the ν_k (K); or empty.
  arma::vec positive_parameters() const;
  /// Sets them from values laid out as positive_parameters().
  void set_positive_parameters(const arma::vec& values);

  arma::uword n_experts() const { return coef.n_cols; }
  /// p, the columns of X that the experts read: coef's rows (over C − 1 for
  /// multinomial experts).
  arma::uword n_inputs() const { return levels > 1 ? coef.n_rows / (levels - 1) : coef.n_rows; }
  /// The regression experts: all K, or the first K − 1 beside a point mass.
  arma::uword n_regression() const { return coef.n_cols - (point_mass ? 1 : 0); }
  /// 1 for each regression expert, 0 for a point mass.  Result: 1×K.
  arma::urowvec is_regression() const;
  /// The regression experts alone: these experts without a point mass.
  Experts regression_experts() const;
  /// 1 for each row of `coef` that is shared, else 0.  Result: p.
  arma::uvec row_is_shared() const;
  /// Free coefficients: K'·p, less (K' − 1) for each shared row, with K' =
  /// n_regression().
  arma::uword n_coefficients() const;
  /// Free parameters: the free coefficients plus K' σ's (one when common) or
  /// K' shapes, and K' ν's for has_free_nu().
  arma::uword n_free() const;
  /// Where coefficient (j, k) sits among the free coefficients, for every
  /// entry of vectorise(coef) (column-major, p·K): each regression expert's own
  /// rows, expert by expert, then the shared rows once. Without shared rows or
  /// a point mass this is 0, 1, ..., p·K − 1. A point mass's own rows are not
  /// free: they get n_coefficients(), one past the last slot.
  arma::uvec coefficient_slots() const;

  /// log f_k(y_i | x_i) for every observation and expert (a point mass: 0 or
  /// −∞); `trials`: the binomial trials m_i (data.hpp), or empty.  Result: n×K.
  arma::mat log_density(const arma::mat& X, const arma::vec& y, const arma::vec& offset = {},
                        const arma::vec& trials = {}) const;

  /// Per-expert mean of y: η (Gaussian, t), sigmoid(η) or exp(η) (Poisson, negbin, gamma) with η = x_i·β_k + o_i,
  /// times m_i with binomial trials (so a probability without); a point mass's
  /// value c. Multinomial experts have none (std::invalid_argument): their
  /// levels' probabilities are level_probabilities() (multinomial.hpp).  Result: n×K.
  arma::mat mean(const arma::mat& X, const arma::vec& offset = {}, const arma::vec& trials = {}) const;

 private:
  // log_density of rows that one thread computes: log_density splits larger
  // data into fixed blocks of rows on the kernel threads (src/parallel.h).
  arma::mat log_density_of_rows(const arma::mat& X, const arma::vec& y, const arma::vec& offset,
                                const arma::vec& trials) const;
};

/// True when `shared` names distinct rows below p, in order, and leaves at
/// least one row to each expert's own coefficients (Experts::shared,
/// Dataset::shared_columns).
bool is_valid_shared_set(const arma::uvec& shared, arma::uword p);

/// η_ik = x_i·β_k + o_i: X (n×p) times coef (p×K), plus the offsets o (n, or
/// empty: none) in every column.  Result: n×K.
arma::mat linear_predictor(const arma::mat& X, const arma::mat& coef, const arma::vec& offset);

/// y − M.col(k) for every column k.  Result: n×K;  y: n;  M: n×K.
arma::mat residuals(const arma::vec& y, const arma::mat& M);

}  // namespace moe
