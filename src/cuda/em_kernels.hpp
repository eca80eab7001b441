#pragma once
// Internal to the CUDA backend: the launchers of the row-wise and elementwise
// kernels of EM on the device (em_kernels.cu), for ResidentPosterior. Every
// pointer is device memory; matrices are column-major n×K (element (i, k) at
// [i + k·n]) unless a leading dimension is given. Each launcher queues its
// kernel on the default stream and throws std::runtime_error when the launch
// fails; an empty problem launches nothing. fp64 throughout.

#include <cstddef>

#include "moe/family.hpp"

namespace moe::cuda::em {

/// The E-step, per row i: log π_i = log-softmax of the gate's linear predictors
/// G(i, ·); log f_ik of the family from the experts' linear predictors
/// E(i, k) = x_i·β_k (Gaussian with standard deviations sigma[k]; sigma is
/// unused otherwise); R(i, ·) = softmax of log π_i + log f_i, lse[i] = its
/// log-sum-exp (the row's log-likelihood), Pi(i, ·) = π_i; with weights w
/// (n, or null for none), R(i, ·) and lse[i] are multiplied by w[i].  y: n.
void posterior_rows(double* R, double* lse, double* Pi, const double* G, const double* E, const double* y,
                    const double* w, Family family, const double* sigma, std::size_t n, std::size_t K);

/// The per-observation terms of the experts' sums and of ∇ℓ, from the weights
/// W (n×K), y (n), the linear predictors E = X·β (n×K) and sigma (K,
/// Gaussian terms only); with μ = E(i, k) (Gaussian) and, for the binomial and
/// Poisson families, b, b' and b'' of canonical.hpp at η = E(i, k):
enum class Term {
  weighted_y,        ///< w·y
  squared_residual,  ///< w·(y − μ)²
  variance,          ///< w·b''(η), the IRLS weight
  residual,          ///< w·(y − b'(η)), the score of η
  canonical_loglik,  ///< w·(y η − b(η))
  gaussian_score,    ///< w·(y − μ)/σ²
  log_sigma_score,   ///< w·((y − μ)²/σ² − 1)
};
void expert_terms(double* out, Term term, Family family, const double* W, const double* y, const double* E,
                  const double* sigma, std::size_t n, std::size_t K);

/// The gate's objective per row i, for targets T and linear predictors A
/// (n×K): Pi(i, ·) = softmax(A(i, ·)), q[i] = Σ_k T(i, k) A(i, k) − s_i lse_i
/// with s_i = Σ_k T(i, k).
void gate_rows(double* Pi, double* q, const double* T, const double* A, std::size_t n, std::size_t K);

/// D(i, k) = T(i, k) − s_i Pi(i, k): the weights of the gate's gradient.
void gate_score(double* D, const double* T, const double* Pi, std::size_t n, std::size_t K);

/// For rows [first, first + rows): H(i − first, j) = s_i Pi(i, k) (δ_kl − Pi(i, l))
/// for the pairs (k, l), 0 ≤ k ≤ l < K − 1, numbered j in that order: the weights
/// of the gate's Hessian blocks.  H: rows × (K−1)K/2 (leading dimension rows).
void gate_hessian_weights(double* H, const double* T, const double* Pi, std::size_t n, std::size_t K,
                          std::size_t first, std::size_t rows);

}  // namespace moe::cuda::em
