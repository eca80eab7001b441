#include "moe/nn/layer_kernels.hpp"

#include <algorithm>

#include "../softmax_rows.h"
#include "moe/nn/sparse_moe_device.hpp"

namespace moe::nn {
namespace {

// The element-type-generic reference implementations (double and float).

template <class eT>
void topk(arma::umat& index, arma::Mat<eT>& value, const arma::Mat<eT>& A, arma::uword k) {
  index.set_size(A.n_rows, k);
  value.set_size(A.n_rows, k);
  for (arma::uword i = 0; i < A.n_rows; ++i) {
    const arma::uvec order = arma::stable_sort_index(A.row(i).t(), "descend");
    index.row(i) = order.head(k).t();
    for (arma::uword j = 0; j < k; ++j) value(i, j) = A(i, order(j));
  }
}

template <class eT>
void matmul_by_group(arma::Mat<eT>& out, const arma::Mat<eT>& Xr, const arma::Cube<eT>& W, const arma::uvec& offsets,
                     bool transpose) {
  out.zeros(Xr.n_rows, transpose ? W.n_rows : W.n_cols);
  for (arma::uword e = 0; e + 1 < offsets.n_elem; ++e) {
    if (offsets(e + 1) == offsets(e)) continue;
    const auto rows = Xr.rows(offsets(e), offsets(e + 1) - 1);
    if (transpose)
      out.rows(offsets(e), offsets(e + 1) - 1) = rows * W.slice(e).t();
    else
      out.rows(offsets(e), offsets(e + 1) - 1) = rows * W.slice(e);
  }
}

template <class eT>
void cross_by_group(arma::Cube<eT>& out, const arma::Mat<eT>& Ar, const arma::Mat<eT>& Br, const arma::uvec& offsets) {
  out.zeros(Ar.n_cols, Br.n_cols, offsets.n_elem - 1);
  for (arma::uword e = 0; e + 1 < offsets.n_elem; ++e)
    if (offsets(e + 1) > offsets(e))
      out.slice(e) = Ar.rows(offsets(e), offsets(e + 1) - 1).t() * Br.rows(offsets(e), offsets(e + 1) - 1);
}

template <class eT>
void scatter(arma::Mat<eT>& out, const arma::Mat<eT>& Hr, const Routing& routing, arma::uword n_tokens,
             bool weighted) {
  out.zeros(n_tokens, Hr.n_cols);
  const arma::Col<eT> w = weighted ? arma::conv_to<arma::Col<eT>>::from(routing.weight)
                                   : arma::Col<eT>(routing.n_assignments(), arma::fill::ones);
  // Column by column (contiguous in column-major storage); within an element
  // the sum runs in assignment order, as the contract says.
  for (arma::uword j = 0; j < Hr.n_cols; ++j) {
    eT* to = out.colptr(j);
    const eT* from = Hr.colptr(j);
    for (arma::uword a = 0; a < routing.n_assignments(); ++a) to[routing.token(a)] += w(a) * from[a];
  }
}

class CpuLayerKernels final : public LayerKernels {
 public:
  void row_softmax(arma::mat& P, arma::vec& lse, const arma::mat& A) const override { row_softmax_of(P, lse, A); }
  void row_topk(arma::umat& index, arma::mat& value, const arma::mat& A, arma::uword k) const override {
    topk(index, value, A, k);
  }
  void gather_rows(arma::mat& out, const arma::mat& X, const Routing& routing) const override {
    out = X.rows(routing.token);
  }
  void grouped_matmul(arma::mat& out, const arma::mat& Xr, const arma::cube& W, const arma::uvec& offsets,
                      bool transpose) const override {
    matmul_by_group(out, Xr, W, offsets, transpose);
  }
  void grouped_cross(arma::cube& out, const arma::mat& Ar, const arma::mat& Br,
                     const arma::uvec& offsets) const override {
    cross_by_group(out, Ar, Br, offsets);
  }
  void scatter_add(arma::mat& out, const arma::mat& Hr, const Routing& routing, arma::uword n_tokens,
                   bool weighted) const override {
    scatter(out, Hr, routing, n_tokens, weighted);
  }

  void row_softmax(arma::fmat& P, arma::fvec& lse, const arma::fmat& A) const override { row_softmax_of(P, lse, A); }
  void row_topk(arma::umat& index, arma::fmat& value, const arma::fmat& A, arma::uword k) const override {
    topk(index, value, A, k);
  }
  void gather_rows(arma::fmat& out, const arma::fmat& X, const Routing& routing) const override {
    out = X.rows(routing.token);
  }
  void grouped_matmul(arma::fmat& out, const arma::fmat& Xr, const arma::fcube& W, const arma::uvec& offsets,
                      bool transpose) const override {
    matmul_by_group(out, Xr, W, offsets, transpose);
  }
  void grouped_cross(arma::fcube& out, const arma::fmat& Ar, const arma::fmat& Br,
                     const arma::uvec& offsets) const override {
    cross_by_group(out, Ar, Br, offsets);
  }
  void scatter_add(arma::fmat& out, const arma::fmat& Hr, const Routing& routing, arma::uword n_tokens,
                   bool weighted) const override {
    scatter(out, Hr, routing, n_tokens, weighted);
  }

  const char* name() const override { return "cpu"; }
};

}  // namespace

const LayerKernels& cpu_layer_kernels() {
  static const CpuLayerKernels kernels;
  return kernels;
}

// The fp32 defaults: through the fp64 operation.

void LayerKernels::row_softmax(arma::fmat& P, arma::fvec& lse, const arma::fmat& A) const {
  arma::mat P64;
  arma::vec lse64;
  row_softmax(P64, lse64, arma::conv_to<arma::mat>::from(A));
  P = arma::conv_to<arma::fmat>::from(P64);
  lse = arma::conv_to<arma::fvec>::from(lse64);
}

void LayerKernels::row_topk(arma::umat& index, arma::fmat& value, const arma::fmat& A, arma::uword k) const {
  arma::mat value64;
  row_topk(index, value64, arma::conv_to<arma::mat>::from(A), k);
  value = arma::conv_to<arma::fmat>::from(value64);
}

void LayerKernels::gather_rows(arma::fmat& out, const arma::fmat& X, const Routing& routing) const {
  arma::mat out64;
  gather_rows(out64, arma::conv_to<arma::mat>::from(X), routing);
  out = arma::conv_to<arma::fmat>::from(out64);
}

void LayerKernels::grouped_matmul(arma::fmat& out, const arma::fmat& Xr, const arma::fcube& W, const arma::uvec& offsets,
                             bool transpose) const {
  arma::mat out64;
  grouped_matmul(out64, arma::conv_to<arma::mat>::from(Xr), arma::conv_to<arma::cube>::from(W), offsets, transpose);
  out = arma::conv_to<arma::fmat>::from(out64);
}

void LayerKernels::grouped_cross(arma::fcube& out, const arma::fmat& Ar, const arma::fmat& Br,
                            const arma::uvec& offsets) const {
  arma::cube out64;
  grouped_cross(out64, arma::conv_to<arma::mat>::from(Ar), arma::conv_to<arma::mat>::from(Br), offsets);
  out = arma::conv_to<arma::fcube>::from(out64);
}

void LayerKernels::scatter_add(arma::fmat& out, const arma::fmat& Hr, const Routing& routing, arma::uword n_tokens,
                          bool weighted) const {
  arma::mat out64;
  scatter_add(out64, arma::conv_to<arma::mat>::from(Hr), routing, n_tokens, weighted);
  out = arma::conv_to<arma::fmat>::from(out64);
}

// No device path by default: SparseMoE then runs the grouped kernels one by one.
std::unique_ptr<SparseMoEDevice> LayerKernels::sparse_moe_device(arma::uword, const SparseMoEOptions&) const {
  return nullptr;
}

}  // namespace moe::nn
