#pragma once
/// @file layer_kernels.hpp
/// The operations that dominate a neural layer's forward and backward: the
/// router's row softmax and top-k, and the routed (grouped) products of the
/// sparse MoE layer, behind one interface (docs/ARCHITECTURE.md, the layer
/// seam), so that a backend (CPU, the reference, or CUDA) is chosen at run
/// time. The classical models use the dense Kernels of kernels.hpp instead.
///
/// Conventions: outputs first, inputs next; shapes in the comments. Rows "in
/// routing order" are one per assignment of a Routing (routing.hpp), grouped
/// by expert.

#include <armadillo>
#include <memory>
#include <string>

#include "moe/nn/routing.hpp"

namespace moe::nn {

class SparseMoEDevice;    // sparse_moe_device.hpp
struct SparseMoEOptions;  // sparse_moe.hpp

class LayerKernels {
 public:
  virtual ~LayerKernels() = default;

  /// Row-wise softmax and log-sum-exp, as Kernels::row_softmax (kernels.hpp).
  virtual void row_softmax(arma::mat& P, arma::vec& lse, const arma::mat& A) const = 0;

  /// The k largest entries of every row, largest first (ties: lower column
  /// first).  index, value: n×k;  A: n×m;  k ≤ m.
  virtual void row_topk(arma::umat& index, arma::mat& value, const arma::mat& A, arma::uword k) const = 0;

  /// out.row(a) = X.row(routing.token(a)).  out: A×d;  X: n×d.
  virtual void gather_rows(arma::mat& out, const arma::mat& X, const Routing& routing) const = 0;

  /// Per expert e, the rows of group e times W.slice(e) (or its transpose):
  /// out.rows(group e) = Xr.rows(group e) · W_e.  out: A×d_out;  Xr: A×d_in in
  /// routing order;  W: d_in×d_out×E (transpose: d_out×d_in×E).
  virtual void grouped_matmul(arma::mat& out, const arma::mat& Xr, const arma::cube& W, const arma::uvec& offsets,
                              bool transpose) const = 0;

  /// Per expert e, out.slice(e) = Ar.rows(group e)ᵀ · Br.rows(group e) (zero for
  /// an expert without tokens): the weight gradient of a grouped matmul.
  /// out: d_a×d_b×E;  Ar: A×d_a;  Br: A×d_b.
  virtual void grouped_cross(arma::cube& out, const arma::mat& Ar, const arma::mat& Br,
                             const arma::uvec& offsets) const = 0;

  /// out.row(token(a)) += w_a · Hr.row(a), in assignment order (deterministic),
  /// w_a = routing.weight(a) when `weighted`, else 1: the gate-weighted combine.
  /// out: n×d (zeroed first);  Hr: A×d in routing order.
  virtual void scatter_add(arma::mat& out, const arma::mat& Hr, const Routing& routing, arma::uword n_tokens,
                           bool weighted) const = 0;

  // Single precision (fp32) twins, same contracts. The defaults convert to
  // fp64, run the fp64 operation and round back (correct on any backend); the
  // CPU backend computes in fp32.
  virtual void row_softmax(arma::fmat& P, arma::fvec& lse, const arma::fmat& A) const;
  virtual void row_topk(arma::umat& index, arma::fmat& value, const arma::fmat& A, arma::uword k) const;
  virtual void gather_rows(arma::fmat& out, const arma::fmat& X, const Routing& routing) const;
  virtual void grouped_matmul(arma::fmat& out, const arma::fmat& Xr, const arma::fcube& W, const arma::uvec& offsets,
                              bool transpose) const;
  virtual void grouped_cross(arma::fcube& out, const arma::fmat& Ar, const arma::fmat& Br,
                             const arma::uvec& offsets) const;
  virtual void scatter_add(arma::fmat& out, const arma::fmat& Hr, const Routing& routing, arma::uword n_tokens,
                           bool weighted) const;

  /// The fp32 forward and backward of a sparse MoE layer (input width d) on
  /// this backend's device, or null (the default): the layer then runs the
  /// grouped operations above one by one.
  virtual std::unique_ptr<SparseMoEDevice> sparse_moe_device(arma::uword d, const SparseMoEOptions& options) const;

  /// Short name of the backend ("cpu", "cuda").
  virtual const char* name() const = 0;
};

/// The reference implementation on Armadillo + OpenBLAS.
const LayerKernels& cpu_layer_kernels();

/// The layer kernels of `device`, "cpu" or "cuda", as moe::kernels_for
/// (backend.hpp) chooses the dense ones, with the same errors.
const LayerKernels& layer_kernels_for(const std::string& device);

}  // namespace moe::nn
