// The kernels of EM on the device (see em_kernels.hpp): one thread per row or
// per element, grid-stride loops (grid.hpp), fp64, with the formulas of the CPU
// path (model.cpp, experts.cpp, canonical.cpp, expert_sums.cpp, gate_sums.cpp).
#include "em_kernels.hpp"

#include <cmath>

#include "grid.hpp"

namespace moe::cuda::em {
namespace {

using grid::first_index;
using grid::stride;

// b(η), b'(η), b''(η) and c(y) of the binomial (logit) and Poisson (log)
// families, from the one exponential e^{−|η|} as canonical.cpp computes them.
__device__ double log_partition(Family family, double eta) {
  return family == Family::poisson ? exp(eta) : fmax(eta, 0.0) + log1p(exp(-fabs(eta)));
}
__device__ double canonical_mean(Family family, double eta) {
  if (family == Family::poisson) return exp(eta);
  const double e = exp(-fabs(eta));
  return eta >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}
__device__ double canonical_variance(Family family, double eta) {  // p(1 − p) without cancellation
  if (family == Family::poisson) return exp(eta);
  const double e = exp(-fabs(eta));
  return e / ((1.0 + e) * (1.0 + e));
}
// c(y): −log y! or 0.
__device__ double base_measure(Family family, double y) { return family == Family::poisson ? -lgamma(y + 1.0) : 0.0; }

// The largest of row i's K entries of an n-row matrix.
__device__ double row_max(const double* A, std::size_t i, std::size_t n, std::size_t K) {
  double top = A[i];
  for (std::size_t k = 1; k < K; ++k) top = fmax(top, A[i + k * n]);
  return top;
}

// log Σ_k exp(A(i, k)).
__device__ double row_logsumexp(const double* A, std::size_t i, std::size_t n, std::size_t K) {
  const double top = row_max(A, i, n, K);
  double total = 0.0;
  for (std::size_t k = 0; k < K; ++k) total += exp(A[i + k * n] - top);
  return top + log(total);
}

__device__ double row_sum(const double* A, std::size_t i, std::size_t n, std::size_t K) {
  double total = 0.0;
  for (std::size_t k = 0; k < K; ++k) total += A[i + k * n];
  return total;
}

// log f_k(y | x) at linear predictor eta: Gaussian N(eta, sigma[k]²), or y η − b(η) + c(y).
__device__ double expert_log_density(Family family, double y, double eta, const double* sigma, std::size_t k) {
  if (family != Family::gaussian) return y * eta - log_partition(family, eta) + base_measure(family, y);
  const double z = (y - eta) / sigma[k];
  return -0.5 * z * z - (log(sigma[k]) + 0.5 * log(2.0 * M_PI));
}

// R holds the joint log π + log f while it is formed, then its softmax.
__global__ void posterior_rows_kernel(double* R, double* lse, double* Pi, const double* G, const double* E,
                                      const double* y, const double* w, Family family, const double* sigma,
                                      std::size_t n, std::size_t K) {
  for (std::size_t i = first_index(); i < n; i += stride()) {
    const double gate_lse = row_logsumexp(G, i, n, K);
    for (std::size_t k = 0; k < K; ++k) {
      const double log_pi = G[i + k * n] - gate_lse;
      Pi[i + k * n] = exp(log_pi);
      R[i + k * n] = log_pi + expert_log_density(family, y[i], E[i + k * n], sigma, k);
    }
    const double joint_lse = row_logsumexp(R, i, n, K), weight = w != nullptr ? w[i] : 1.0;
    for (std::size_t k = 0; k < K; ++k) R[i + k * n] = weight * exp(R[i + k * n] - joint_lse);
    lse[i] = weight * joint_lse;
  }
}

__device__ double expert_term(Term term, Family family, double w, double y, double eta, double sigma) {
  switch (term) {
    case Term::weighted_y: return w * y;
    case Term::squared_residual: return w * (y - eta) * (y - eta);
    case Term::variance: return w * canonical_variance(family, eta);
    case Term::residual: return w * (y - canonical_mean(family, eta));
    case Term::canonical_loglik: return w * (y * eta - log_partition(family, eta));
    case Term::gaussian_score: return w * (y - eta) / (sigma * sigma);
    case Term::log_sigma_score: {
      const double z = (y - eta) / sigma;
      return w * (z * z - 1.0);
    }
  }
  return 0.0;
}

__global__ void expert_terms_kernel(double* out, Term term, Family family, const double* W, const double* y,
                                    const double* E, const double* sigma, std::size_t n, std::size_t K) {
  for (std::size_t idx = first_index(); idx < n * K; idx += stride()) {
    const std::size_t i = idx % n, k = idx / n;
    out[idx] = expert_term(term, family, W[idx], y[i], E[idx], sigma != nullptr ? sigma[k] : 1.0);
  }
}

__global__ void gate_rows_kernel(double* Pi, double* q, const double* T, const double* A, std::size_t n,
                                 std::size_t K) {
  for (std::size_t i = first_index(); i < n; i += stride()) {
    const double lse = row_logsumexp(A, i, n, K);
    double linear = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      linear += T[i + k * n] * A[i + k * n];
      Pi[i + k * n] = exp(A[i + k * n] - lse);
    }
    q[i] = linear - row_sum(T, i, n, K) * lse;
  }
}

__global__ void gate_score_kernel(double* D, const double* T, const double* Pi, std::size_t n, std::size_t K) {
  for (std::size_t i = first_index(); i < n; i += stride()) {
    const double s = row_sum(T, i, n, K);
    for (std::size_t k = 0; k < K; ++k) D[i + k * n] = T[i + k * n] - s * Pi[i + k * n];
  }
}

__global__ void gate_hessian_weights_kernel(double* H, const double* T, const double* Pi, std::size_t n,
                                            std::size_t K, std::size_t first, std::size_t rows) {
  for (std::size_t r = first_index(); r < rows; r += stride()) {
    const std::size_t i = first + r;
    const double s = row_sum(T, i, n, K);
    std::size_t j = 0;
    for (std::size_t k = 0; k + 1 < K; ++k)
      for (std::size_t l = k; l + 1 < K; ++l, ++j)
        H[r + j * rows] = s * Pi[i + k * n] * ((k == l ? 1.0 : 0.0) - Pi[i + l * n]);
  }
}

}  // namespace

void posterior_rows(double* R, double* lse, double* Pi, const double* G, const double* E, const double* y,
                    const double* w, Family family, const double* sigma, std::size_t n, std::size_t K) {
  if (n == 0 || K == 0) return;
  MOE_LAUNCH_OVER(n, posterior_rows_kernel, R, lse, Pi, G, E, y, w, family, sigma, n, K);
}

void expert_terms(double* out, Term term, Family family, const double* W, const double* y, const double* E,
                  const double* sigma, std::size_t n, std::size_t K) {
  if (n == 0 || K == 0) return;
  MOE_LAUNCH_OVER(n * K, expert_terms_kernel, out, term, family, W, y, E, sigma, n, K);
}

void gate_rows(double* Pi, double* q, const double* T, const double* A, std::size_t n, std::size_t K) {
  if (n == 0 || K == 0) return;
  MOE_LAUNCH_OVER(n, gate_rows_kernel, Pi, q, T, A, n, K);
}

void gate_score(double* D, const double* T, const double* Pi, std::size_t n, std::size_t K) {
  if (n == 0 || K == 0) return;
  MOE_LAUNCH_OVER(n, gate_score_kernel, D, T, Pi, n, K);
}

void gate_hessian_weights(double* H, const double* T, const double* Pi, std::size_t n, std::size_t K,
                          std::size_t first, std::size_t rows) {
  if (rows == 0 || K < 2) return;
  MOE_LAUNCH_OVER(rows, gate_hessian_weights_kernel, H, T, Pi, n, K, first, rows);
}

}  // namespace moe::cuda::em
