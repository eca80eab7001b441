#pragma once
/// @file expert_sums.hpp
/// The sums over observations that the experts' M-step needs (expert_mstep.hpp),
/// behind one interface so that they are computed where the data are: on the
/// host from ExpertStatistics (HostExpertSums), or on a device that holds X, y
/// and the responsibilities (a backend's Posterior, posterior.hpp). Every result
/// is parameter-sized: the n-sized data never have to move.

#include <armadillo>

#include <memory>

#include "moe/experts.hpp"
#include "moe/gate_sums.hpp"
#include "moe/kernels.hpp"

namespace moe {

/// Expected sufficient statistics of the experts. For observation i and expert
/// k: a weight w_ik and the weighted first and second moments of y,
/// s1_ik = w_ik E[y], s2_ik = w_ik E[y²].
struct ExpertStatistics {
  arma::mat weight;  ///< n×K: w_ik
  arma::mat first;   ///< n×K: s1_ik = w_ik E[y]
  arma::mat second;  ///< n×K: s2_ik = w_ik E[y²]
  /// n: the observed y behind EM's statistics (posterior_statistics), which the
  /// shapes of the negative binomial and gamma need; empty for statistics that
  /// are expectations under a model (mirror descent's).
  arma::vec response;
};

class ExpertSums {
 public:
  virtual ~ExpertSums() = default;

  /// Σ_i w_ik.  1×K.
  virtual arma::rowvec mass() const = 0;

  /// The normal equations G_k d_k = b_k of every expert's (Newton) step from
  /// `experts`, with the linear predictors η_k = X β_k + o (o: the offsets, if
  /// any). Gaussian: G_k = Xᵀ diag(w_k) X, b_k = Xᵀ (s1_k − w_k o) (then d_k is
  /// the least-squares solution). Logistic and Poisson, with the family's mean
  /// μ_k = b'(η_k) and variance v_k = b''(η_k) (canonical.hpp):
  /// G_k = Xᵀ diag(w_k v_k) X, b_k = Xᵀ (s1_k − w_k μ_k). Negative binomial
  /// and gamma: the score and curvature of their eta_terms (shape_family.hpp)
  /// in place of s1_k − w_k μ_k and w_k v_k.
  /// G: p×p×K;  b: p×K.
  virtual void normal_equations(arma::cube& G, arma::mat& b, const Experts& experts) const = 0;

  /// Gaussian: Σ_i (s2 − 2 s1 μ + w μ²) with μ = x_i·β_k + o_i, the weighted residual
  /// sum of squares of every expert.  coef: p×K;  result 1×K.
  virtual arma::rowvec weighted_rss(const arma::mat& coef) const = 0;

  /// Logistic and Poisson: Σ_i s1 η − w b(η) with η = x_i·β_k + o_i, the expected
  /// log-likelihood of every expert up to Σ_i w c(y), which β does not change
  /// (canonical.hpp).  coef: p×K;  result 1×K.
  virtual arma::rowvec canonical_loglik(Family family, const arma::mat& coef) const = 0;

  /// Logistic and Poisson: normal_equations() and canonical_loglik() at the
  /// same coefficients, the terms of a Newton step and the objective it starts
  /// from (the host computes both in one pass over the rows; by default, two
  /// calls).  G: p×p×K;  b: p×K;  objective: 1×K.
  virtual void canonical_newton_terms(arma::cube& G, arma::mat& b, arma::rowvec& objective,
                                      const Experts& experts) const;

  /// A family with a shape (shape_family.hpp): Σ_i w log f_k(y_i | x_i) of
  /// every expert, in full (0 for a point mass, which has no parameters).
  /// Needs the statistics' response (std::invalid_argument without).  1×K.
  virtual arma::rowvec shape_loglik(const Experts& experts) const = 0;

  /// The score and curvature of shape_loglik in u_k = log s_k: Σ_i w times
  /// the family's log_shape_terms (0 for a point mass); t experts: in log ν_k
  /// (student_t.hpp's t_log_nu_terms).  Each 1×K.
  virtual void shape_terms(arma::rowvec& score, arma::rowvec& curvature, const Experts& experts) const = 0;

  /// Student-t experts (student_t.hpp): the normal equations of the EM step
  /// for β from `experts`, least squares for y − o with weights w_ik u_ik, u
  /// the scale weights at `experts`; their solution is the step's β.  Needs
  /// the statistics' response.  G: p×p×K;  b: p×K.
  virtual void t_normal_equations(arma::cube& G, arma::mat& b, const Experts& experts) const = 0;

  /// Σ_i w_ik u_ik (y_i − x_i·β'_k − o_i)² with u the scale weights at
  /// `experts` and β' = coef: the step's σ_k² times Σ_i w_ik.  1×K.
  virtual arma::rowvec t_weighted_rss(const Experts& experts, const arma::mat& coef) const = 0;
  /// Multinomial experts (multinomial.hpp): the sums of expert k's weighted
  /// multinomial logit over `levels` levels, for the gate's Newton solver
  /// (gate_mstep.hpp): design X, targets w_ik 1{y_i = c} in the columns of
  /// level_gate(). Needs the statistics' response.
  virtual std::unique_ptr<GateSums> level_sums(arma::uword k, arma::uword levels) const = 0;
};

/// The sums computed on the host from X (n×p), the experts' offsets (n, or
/// empty) and the statistics (n×K each), with `kernels` for the Gram
/// matrices. Keeps references to all four.
class HostExpertSums final : public ExpertSums {
 public:
  HostExpertSums(const arma::mat& X, const arma::vec& offset, const ExpertStatistics& stats, const Kernels& kernels);

  arma::rowvec mass() const override;
  void normal_equations(arma::cube& G, arma::mat& b, const Experts& experts) const override;
  arma::rowvec weighted_rss(const arma::mat& coef) const override;
  arma::rowvec canonical_loglik(Family family, const arma::mat& coef) const override;
  void canonical_newton_terms(arma::cube& G, arma::mat& b, arma::rowvec& objective,
                              const Experts& experts) const override;
  arma::rowvec shape_loglik(const Experts& experts) const override;
  void shape_terms(arma::rowvec& score, arma::rowvec& curvature, const Experts& experts) const override;
  void t_normal_equations(arma::cube& G, arma::mat& b, const Experts& experts) const override;
  arma::rowvec t_weighted_rss(const Experts& experts, const arma::mat& coef) const override;
  std::unique_ptr<GateSums> level_sums(arma::uword k, arma::uword levels) const override;

 private:
  // The statistics' response, or std::invalid_argument naming `who`.
  const arma::vec& response(const char* who) const;
  // w_ik u_ik: the weights times the scale weights of t experts at `experts`.  n×K.
  arma::mat t_weights(const Experts& experts) const;

  const arma::mat& X_;
  const arma::vec& offset_;
  const ExpertStatistics& stats_;
  const Kernels& kernels_;
};

/// Σ_i E_w[log f_k(y | x_i)] for every expert, from the sums (binomial and
/// Poisson: up to the constant Σ_i w c(y), see canonical_loglik; negbin,
/// gamma and t in full, from shape_loglik; multinomial in full, from
/// level_sums).  Result: 1×K.
arma::rowvec expert_objectives(const Experts& experts, const ExpertSums& sums);

}  // namespace moe
