#pragma once
/// @file kernels.hpp
/// The expert-batched operations that dominate every fit (docs/ARCHITECTURE.md,
/// seam 2), behind one interface so that a backend (CPU, the reference, or CUDA)
/// can be chosen at run time without the estimators knowing which one runs.
/// The neural layers' routed operations have a seam of their own
/// (nn/layer_kernels.hpp).
///
/// Conventions: outputs first, inputs next; shapes in the comments.

#include <armadillo>
#include <memory>

namespace moe {

class Posterior;  // posterior.hpp
struct Dataset;   // data.hpp

class Kernels {
 public:
  virtual ~Kernels() = default;

  /// out.slice(j) = Xᵀ diag(W.col(j)) X for every column j of W.
  /// out: p×p×m;  X: n×p;  W: n×m (weights may be negative).
  virtual void weighted_gram(arma::cube& out, const arma::mat& X, const arma::mat& W) const = 0;

  /// out = Xᵀ W: column j is Xᵀ diag(W.col(j)) 1, the weighted sum of the rows
  /// of X (with W.col(j) = r_j ∘ y it is the right-hand side Xᵀ diag(r_j) y).
  /// out: p×m;  X: n×p;  W: n×m.
  virtual void cross(arma::mat& out, const arma::mat& X, const arma::mat& W) const = 0;

  /// Solves A.slice(j) · out.col(j) = B.col(j) for symmetric positive definite
  /// A.slice(j) by Cholesky. Returns false (out unspecified) when a slice is not
  /// numerically positive definite.
  /// out: p×m;  A: p×p×m;  B: p×m.
  virtual bool spd_solve(arma::mat& out, const arma::cube& A, const arma::mat& B) const = 0;

  /// Row-wise softmax and log-sum-exp in one pass, without overflow:
  /// lse(i) = log Σ_j exp(A(i, j)),  P(i, j) = exp(A(i, j) − lse(i)).
  /// P: n×m;  lse: n;  A: n×m (every row needs a finite entry).
  virtual void row_softmax(arma::mat& P, arma::vec& lse, const arma::mat& A) const = 0;

  /// The E-step of the EM-type estimators on `data` (kept by reference). By
  /// default responsibilities on the host (HostPosterior) computed with these
  /// kernels; a device backend keeps the data and the responsibilities on the
  /// device, so that an iteration moves only parameter-sized results.
  virtual std::unique_ptr<Posterior> posterior(const Dataset& data) const;

  /// Short name of the backend ("cpu", "cuda").
  virtual const char* name() const = 0;
};

/// The reference implementation on Armadillo + OpenBLAS.
const Kernels& cpu_kernels();

/// Row-wise log-softmax: out(i, j) = A(i, j) − log Σ_l exp(A(i, l)).
arma::mat log_softmax_rows(const Kernels& kernels, const arma::mat& A);

/// Row-wise log-sum-exp: out(i) = log Σ_j exp(A(i, j)).
arma::vec row_logsumexp(const Kernels& kernels, const arma::mat& A);

}  // namespace moe
