#pragma once
/// @file kernels.hpp
/// The expert-batched operations that dominate every fit (docs/ARCHITECTURE.md,
/// seam 2), behind one interface so that a backend (CPU, the reference, or CUDA)
/// can be chosen at run time without the estimators knowing which one runs.
///
/// Conventions: outputs first, inputs next; shapes in the comments.

#include <armadillo>
#include <memory>

#include "moe/routing.hpp"

namespace moe {

class Posterior;  // posterior.hpp
struct Dataset;   // data.hpp
namespace nn {
class SparseMoEDevice;    // nn/sparse_moe_device.hpp
struct SparseMoEOptions;  // nn/sparse_moe.hpp
}  // namespace nn

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

  /// The k largest entries of every row, largest first (ties: lower column
  /// first).  index, value: n×k;  A: n×m;  k ≤ m.
  virtual void row_topk(arma::umat& index, arma::mat& value, const arma::mat& A,
                        arma::uword k) const = 0;

  // Sparse (routed) operations; rows "in routing order" are one per assignment
  // of a Routing (routing.hpp), grouped by expert.

  /// out.row(a) = X.row(routing.token(a)).  out: A×d;  X: n×d.
  virtual void gather_rows(arma::mat& out, const arma::mat& X, const Routing& routing) const = 0;

  /// Per expert e, the rows of group e times W.slice(e) (or its transpose):
  /// out.rows(group e) = Xr.rows(group e) · W_e.  out: A×d_out;  Xr: A×d_in in
  /// routing order;  W: d_in×d_out×E (transpose: d_out×d_in×E).
  virtual void grouped_matmul(arma::mat& out, const arma::mat& Xr, const arma::cube& W,
                              const arma::uvec& offsets, bool transpose) const = 0;

  /// Per expert e, out.slice(e) = Ar.rows(group e)ᵀ · Br.rows(group e) (zero for
  /// an expert without tokens): the weight gradient of a grouped matmul, and the
  /// sparse counterpart of weighted_gram.  out: d_a×d_b×E;  Ar: A×d_a;  Br: A×d_b.
  virtual void grouped_cross(arma::cube& out, const arma::mat& Ar, const arma::mat& Br,
                             const arma::uvec& offsets) const = 0;

  /// out.row(token(a)) += w_a · Hr.row(a), in assignment order (deterministic),
  /// w_a = routing.weight(a) when `weighted`, else 1: the gate-weighted combine.
  /// out: n×d (zeroed first);  Hr: A×d in routing order.
  virtual void scatter_add(arma::mat& out, const arma::mat& Hr, const Routing& routing,
                           arma::uword n_tokens, bool weighted) const = 0;

  // Single precision (fp32) twins of the operations the sparse layer uses, same
  // contracts. The defaults convert to fp64, run the fp64 operation and round
  // back (correct on any backend); the CPU backend computes in fp32.
  virtual void row_softmax(arma::fmat& P, arma::fvec& lse, const arma::fmat& A) const;
  virtual void row_topk(arma::umat& index, arma::fmat& value, const arma::fmat& A, arma::uword k) const;
  virtual void gather_rows(arma::fmat& out, const arma::fmat& X, const Routing& routing) const;
  virtual void grouped_matmul(arma::fmat& out, const arma::fmat& Xr, const arma::fcube& W,
                              const arma::uvec& offsets, bool transpose) const;
  virtual void grouped_cross(arma::fcube& out, const arma::fmat& Ar, const arma::fmat& Br,
                             const arma::uvec& offsets) const;
  virtual void scatter_add(arma::fmat& out, const arma::fmat& Hr, const Routing& routing, arma::uword n_tokens,
                           bool weighted) const;

  /// The E-step of the EM-type estimators on `data` (kept by reference). By
  /// default responsibilities on the host (HostPosterior) computed with these
  /// kernels; a device backend keeps the data and the responsibilities on the
  /// device, so that an iteration moves only parameter-sized results.
  virtual std::unique_ptr<Posterior> posterior(const Dataset& data) const;

  /// The fp32 forward and backward of a sparse MoE layer (input width d) on
  /// this backend's device, or null (the default): the layer then runs the
  /// grouped operations above one by one.
  virtual std::unique_ptr<nn::SparseMoEDevice> sparse_moe_device(arma::uword d,
                                                                 const nn::SparseMoEOptions& options) const;

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
