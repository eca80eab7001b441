#pragma once
/// @file multivariate.hpp
/// Gated mixtures of multivariate Gaussian regressions, MoEClust's model:
/// y_i (m responses) | x_i, expert k ~ N(B_kᵀ x_i, Σ_k), expert k chosen with
/// the gate's softmax π_k(z_i) (gate.hpp), Σ_k in one of mclust's structures
/// (covariance.hpp). With intercept-only experts and gate this is mclust's
/// Gaussian mixture.
///
/// EM's M-step is exact: all m responses share the design X, so B_k =
/// (Xᵀ R_k X)⁻¹ Xᵀ R_k Y maximizes the expected complete log-likelihood over
/// B_k whatever Σ_k is (a seemingly unrelated regression with equal
/// regressors); then Σ_k within its structure from the residual scatters, then
/// the gate by its Newton solver (gate_mstep.hpp). ℓ never decreases.
///
/// Its own starts and moves; the estimators other than EM are in
/// multivariate_methods.hpp, the standard errors in
/// multivariate_information.hpp, the bootstrap in multivariate_bootstrap.hpp.

#include <armadillo>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "moe/covariance.hpp"
#include "moe/gate.hpp"
#include "moe/rng.hpp"
#include "moe/selection.hpp"

namespace moe {

/// Data: m responses, the experts' design and the gate's, rows alike.
struct MultivariateData {
  arma::mat Y;  ///< n×m responses
  arma::mat X;  ///< n×p expert design
  arma::mat Z;  ///< n×q gate design
  std::vector<std::string> y_names, x_names, z_names;  ///< for messages and output (may be empty)
  /// n frequency weights w_i ≥ 0 (as Dataset's: row i counts w_i times in
  /// ℓ and every M-step), or empty: all 1.
  arma::vec weights;

  arma::uword n() const { return Y.n_rows; }
  /// Σ_i w_i: n when unweighted (the n of BIC and of ℓ/n).
  double total_weight() const;
  /// M with row i multiplied by w_i (M itself when unweighted).  M: n×K.
  arma::mat weighted(const arma::mat& M) const;
};

/// Throws std::invalid_argument naming the first problem: sizes that disagree,
/// no response, values not finite or beyond 1e100, weights negative, not
/// finite or all 0, m > n, or fewer rows than the parameters of K experts in
/// `structure` and the gate.
void validate(const MultivariateData& data, arma::uword K, Covariance structure);

struct MultivariateExperts {
  Covariance structure = Covariance::VVV;
  arma::cube coef;        ///< p×m×K: B_k
  arma::cube covariance;  ///< m×m×K: Σ_k

  arma::uword n_experts() const { return coef.n_slices; }
  arma::uword n_responses() const { return coef.n_cols; }
  /// K p m coefficients and the structure's covariance parameters.
  arma::uword n_free() const;
  /// B_kᵀ x_i for every row and expert.  X: n×p;  result: n×m×K.
  arma::cube mean(const arma::mat& X) const;
  /// log N(y_i; B_kᵀ x_i, Σ_k).  Result: n×K.
  arma::mat log_density(const arma::mat& X, const arma::mat& Y) const;
};

struct MultivariateModel {
  Gate gate;
  MultivariateExperts experts;

  arma::uword K() const { return experts.n_experts(); }
  arma::uword n_free() const { return gate.n_free() + experts.n_free(); }
  /// log π_k(z_i) + log f_k(y_i | x_i).  Result: n×K.
  arma::mat log_joint(const MultivariateData& data) const;
  /// Σ_k π_k(z_i) B_kᵀ x_i, the mixture's mean.  Result: n×m.
  arma::mat predict_mean(const MultivariateData& data) const;
};

/// The posterior probabilities r_ik of the experts given y_i.  Result: n×K.
arma::mat responsibilities(const MultivariateModel& model, const MultivariateData& data);

/// The E-step of one model after another on the same data (as posterior.hpp's
/// for one response): ℓ and the responsibilities of the last model given.
class MultivariatePosterior {
 public:
  explicit MultivariatePosterior(const MultivariateData& data) : data_(data) {}
  /// ℓ at `model`; keeps its responsibilities. Throws moe::numerical_error
  /// when ℓ is not finite.
  double update(const MultivariateModel& model);
  /// n×K, of the last model given to update().
  const arma::mat& responsibilities() const { return responsibilities_; }
  /// ℓ of the last model given to update().
  double loglik() const { return loglik_; }

 private:
  const MultivariateData& data_;
  arma::mat responsibilities_;
  double loglik_ = 0.0;
};

/// Responses drawn from the model at the designs: each row's expert from the
/// gate, then y_i ~ N(B_kᵀ x_i, Σ_k).  X: n×p;  Z: n×q;  result: n×m.
arma::mat simulate_responses(const MultivariateModel& model, const arma::mat& X, const arma::mat& Z, Rng& rng);

/// ℓ = Σ_i w_i log Σ_k π_k(z_i) f_k(y_i | x_i).
double loglik(const MultivariateModel& model, const MultivariateData& data);

/// The M-step from responsibilities R (n×K, each row counted w_i times): B_k, then Σ_k in `structure`,
/// then the gate from `gate` by Newton steps. Throws moe::numerical_error
/// when an expert's weighted design or its covariance is singular (an expert
/// with too few rows for its parameters).
MultivariateModel maximize(const MultivariateData& data, const arma::mat& R, Covariance structure, Gate gate);

struct MultivariateOptions {
  Covariance structure = Covariance::VVV;
  arma::uword starts = 10;   ///< each run to convergence; the best ℓ is kept
  std::uint64_t seed = 1;
  arma::uword max_iter = 1000;
  double tol = 1e-10;        ///< stop when |Δℓ| ≤ tol·|ℓ|
  unsigned threads = 0;      ///< threads for the starts (0: every core); the fit does not depend on it
  /// After the starts, replace moves (K ≥ 2): expert j replaced by a tight
  /// copy of expert k (its mean, a quarter of its covariance, its gate
  /// weight shared), then EM; the best move of a round is kept when ℓ rises,
  /// and rounds go on until none does. They find the dense expert nested in a
  /// broad one that partitions of the rows rarely start from.
  bool moves = true;
  /// Responsibilities to start from (n×K), instead of the starts: one run, no moves.
  arma::mat start;
  /// Called on the calling thread with the starts done so far (not after
  /// every start when they run in parallel), then with the moves tried.
  std::function<void(const std::string& stage, arma::uword done)> progress;
};

struct MultivariateFit {
  MultivariateModel model;
  double loglik = -arma::datum::inf;
  arma::uword iterations = 0;
  bool converged = false;
  arma::vec trace;         ///< ℓ at every iteration of the best start
  arma::vec start_logliks; ///< each start's final ℓ (NaN: the start failed, an expert collapsed)
  arma::uword best_start = 0;
  arma::uword moves_tried = 0, moves_kept = 0;  ///< the replace moves (MultivariateOptions::moves)
  arma::mat posterior;     ///< n×K responsibilities at the fit
  MultivariateModel start; ///< where the run that made the fit started (the first M-step of its start or move)
  double aic = 0.0, bic = 0.0, icl = 0.0;

  /// The starts whose ℓ is within 1e-6 (relative) of the best.
  arma::uword starts_at_best() const;
};

/// Fits K experts by EM from the starts (cycling k-means on the standardized
/// [X, Y], random centres, random hard partitions and random centres again,
/// each seeded by start_seed(seed, s)), then the replace moves; or from
/// options.start. Random centres: K distinct rows' responses as the means,
/// with the responses' covariance, give the rows' responsibilities. Throws
/// std::invalid_argument for bad data (validate) and when every start fails,
/// naming the structure the data cannot support.
MultivariateFit fit_multivariate(const MultivariateData& data, arma::uword K, const MultivariateOptions& options = {});

/// One fit per K and structure, compared by a criterion (smaller is better).
struct MultivariateSelection {
  Criterion criterion = Criterion::bic;
  struct Candidate {
    arma::uword K = 0;
    Covariance structure = Covariance::VVV;
    bool fitted = false;        ///< false: the data cannot support it (see `note`)
    std::string note;
    MultivariateFit fit;        ///< when fitted
    double value = arma::datum::inf;  ///< the criterion (inf when not fitted)
  };
  std::vector<Candidate> candidates;  ///< K by K, the structures in the order given within each
  arma::uword best = 0;               ///< index of the smallest value (the first, on ties)
};

/// Fits every K in `Ks` with every structure in `structures` (each list
/// non-empty, without repeats). Candidates that every start fails are kept
/// with fitted = false; throws std::invalid_argument when none can be fitted.
MultivariateSelection select_multivariate(const MultivariateData& data, const std::vector<arma::uword>& Ks,
                                          const std::vector<Covariance>& structures, Criterion criterion,
                                          MultivariateOptions options = {});

}  // namespace moe
