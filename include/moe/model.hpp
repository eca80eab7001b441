#pragma once
/// @file model.hpp
/// A gated mixture of experts, p(y | x, z) = Σ_k π_k(z) f_k(y | x), and what can
/// be computed from it: log-likelihood, responsibilities, predictions, samples,
/// and the gradient of the log-likelihood. Everything in log space.

#include <armadillo>

#include "moe/data.hpp"
#include "moe/experts.hpp"
#include "moe/gate.hpp"
#include "moe/kernels.hpp"
#include "moe/rng.hpp"

namespace moe {

struct Model {
  Gate gate;
  Experts experts;

  arma::uword K() const { return gate.n_classes(); }
  /// Number of free parameters (for AIC/BIC): q(K−1) + the free expert
  /// coefficients (Kp, a shared row counted once) + σ's.
  arma::uword n_free() const { return gate.n_free() + experts.n_free(); }
};

/// Checks that `model` is one: K ≥ 1 experts in both coefficient matrices (K ≥ 2
/// and a family of counts with a point mass), the
/// gate's last column (the reference) zero, finite coefficients, shared
/// expert rows that exist and are equal in every column (at least one row the
/// experts' own) and, for Gaussian experts, K positive finite σ's (all equal
/// with common_sigma).
/// @throws std::invalid_argument naming `who` and what is wrong.
void validate_model(const Model& model, const char* who);

/// log π_ik + log f_k(y_i | x_i).  Result: n×K.
arma::mat log_joint(const Model& model, const Dataset& data,
                    const Kernels& kernels = cpu_kernels());

/// ℓ(θ) = Σ_i w_i log Σ_k π_ik f_ik (w_i = 1 without weights).
double log_likelihood(const Model& model, const Dataset& data,
                      const Kernels& kernels = cpu_kernels());

/// Posterior class probabilities r_ik (rows sum to 1, whatever the weights);
/// optionally returns ℓ.
arma::mat responsibilities(const Model& model, const Dataset& data, double* loglik = nullptr,
                           const Kernels& kernels = cpu_kernels());

struct Prediction {
  arma::vec mean;     ///< n: Σ_k π_k(z) E[y | x, k] (mixture mean or probability); multinomial: empty
  arma::mat gate;     ///< n×K: π_k(z)
  arma::mat experts;  ///< n×K: E[y | x, k]; multinomial: empty
  /// Multinomial experts (multinomial.hpp): n×C, P(y = c | x, z) = Σ_k π_k(z)
  /// P(y = c | x, k), levels in order; else empty.
  arma::mat levels;
  /// Multinomial experts: P(y = c | x, k), slice k expert k's n×C; else empty.
  arma::cube expert_levels;
};

/// Predictions for new designs X (n×p) and Z (n×q), with the experts' offsets
/// (n, or empty: none).
Prediction predict(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& offset = {});

/// Draws y from the model at the given designs, offsets and binomial trials
/// (each n, or empty); `labels` (if given) receives the expert each draw came
/// from. With `group` (Dataset::group, or empty) all rows of a group come from
/// one expert, drawn from the gate of the group's first row.
arma::vec sample(const Model& model, const arma::mat& X, const arma::mat& Z, Rng& rng,
                 arma::uvec* labels = nullptr, const arma::vec& offset = {}, const arma::vec& trials = {},
                 const arma::uvec& group = {});

/// All free parameters as one vector: gate columns 0..K−2, then the free
/// expert coefficients (Experts::coefficient_slots: each expert's own rows,
/// expert by expert, then the shared rows), then the log dispersions (Gaussian
/// experts: log σ, K of them or one when common; negative binomial: log θ_k;
/// t experts: log σ_k, then log ν_k unless ν is fixed).
arma::vec pack(const Model& model);

/// The full layout of the parameters is gate columns 0..K−2, vectorise(expert
/// coefficients) and, for families with a dispersion, log σ_1, ..., log σ_K
/// (or log θ_1, ..., log θ_K; t experts: log σ_k, then log ν_k when estimated): every
/// parameter as if nothing were shared. This gives, for each entry of the
/// full layout, its index in pack(): shared rows and a common σ send several
/// entries to one. Derivatives in the full layout sum into pack()'s order.
/// A point mass's own coefficients and dispersion are not parameters: their
/// index is n_free(), one past the last.
arma::uvec free_index(const Model& model);

/// A vector in pack()'s order (n_free()) laid out in free_index()'s full
/// layout: shared entries repeated, and `not_free` where a point mass's own
/// coefficients and dispersion sit.
arma::vec in_full_layout(const Model& model, const arma::vec& packed, double not_free);

/// The inverse of pack: `shape` gives family, sizes and options (a point
/// mass's own coefficients become 0, its dispersion 1).
Model unpack(const Model& shape, const arma::vec& theta);

/// ∇ℓ with respect to pack(model), analytic.
arma::vec gradient(const Model& model, const Dataset& data,
                   const Kernels& kernels = cpu_kernels());

/// ∇ℓ when the responsibilities R of `model` on `data` are already known
/// (unweighted, as responsibilities() returns them).
arma::vec gradient_at(const Model& model, const Dataset& data, const arma::mat& R,
                      const Kernels& kernels = cpu_kernels());

/// ∇ℓ in pack()'s order from its parts: the gate's Zᵀ(R − Π) (q×K), the
/// experts' Xᵀ ∂ℓ/∂η (p×K, as if no row were shared) and, for families with
/// a dispersion, ∂ℓ/∂log σ_k or ∂ℓ/∂log θ_k (1×K, as if σ were not common;
/// t experts with ν estimated: ∂ℓ/∂log σ_k, then ∂ℓ/∂log ν_k, 1×2K).
arma::vec pack_gradient(const Model& model, const arma::mat& gate, const arma::mat& experts,
                        const arma::rowvec& log_sigma);

}  // namespace moe
