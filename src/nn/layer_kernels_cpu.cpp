#include "moe/nn/layer_kernels.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <vector>

#include "../parallel.h"
#include "../softmax_rows.h"
#include "moe/error.hpp"
#include "moe/nn/sparse_moe_device.hpp"

namespace moe::nn {
namespace {

// The element-type-generic reference implementations (double and float).
// The grouped products, the gather and the combine write disjoint parts of
// their output (an expert's rows or slice, a block of columns), so they may
// run on several threads (layer_threads), each part computed as with one
// thread: the results do not depend on the number of threads.

// The threads of a loop over `assignments` rows in `groups` experts' groups,
// of `work` multiply-adds or entries: OpenBLAS's (OPENBLAS_NUM_THREADS, else
// every core) when the groups are small (fewer than 128 rows each on average:
// hundreds of small products, which OpenBLAS splits poorly; the experts then
// run side by side, one BLAS thread each) and the loop big enough to pay for
// starting threads. Else 1, and the products use BLAS's own threads, as the
// dense layers around them do: OpenMP threads started between BLAS-threaded
// calls would compete with BLAS's waiting threads for the cores (a training
// step at 256 rows per expert ran 1.25× slower so).
unsigned layer_threads(arma::uword assignments, arma::uword groups, arma::uword work) {
  constexpr arma::uword small_group = 128, parallel_work = arma::uword{1} << 20;
  if (!openblas_get_num_threads || work < parallel_work || assignments >= small_group * groups) return 1;
  return static_cast<unsigned>(std::max(1, openblas_get_num_threads()));
}

unsigned layer_threads(const Routing& routing, arma::uword work) {
  return layer_threads(routing.n_assignments(), routing.n_experts(), work);
}

// task(first, last) over blocks of `block` items that cover 0..n−1, on `threads`.
void for_blocks(arma::uword n, arma::uword block, unsigned threads,
                const std::function<void(arma::uword, arma::uword)>& task) {
  parallel_for((n + block - 1) / block, threads, [&](arma::uword b) {
    task(b * block, std::min(n, (b + 1) * block) - 1);
  });
}

constexpr arma::uword columns_per_task = 32;  // of a gather or combine

template <class eT>
void topk(arma::umat& index, arma::Mat<eT>& value, const arma::Mat<eT>& A, arma::uword k) {
  require(!A.has_nan(), "row_topk", "the scores hold NaN (a step that diverged?)");
  index.set_size(A.n_rows, k);
  value.set_size(A.n_rows, k);
  std::vector<arma::uword> order(A.n_cols);
  for (arma::uword i = 0; i < A.n_rows; ++i) {
    std::iota(order.begin(), order.end(), arma::uword{0});
    // larger first, ties by lower column: a total order, so the k chosen are those of a stable sort
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](arma::uword a, arma::uword b) { return A(i, a) > A(i, b) || (A(i, a) == A(i, b) && a < b); });
    for (arma::uword j = 0; j < k; ++j) {
      index(i, j) = order[j];
      value(i, j) = A(i, order[j]);
    }
  }
}

// C = op(A)·op(B) by BLAS on column-major blocks given by their first element
// and leading dimension (rows of an expert's group inside a matrix of all
// assignments, without copying them out).
template <class eT>
void gemm(bool transpose_a, bool transpose_b, arma::uword m, arma::uword n, arma::uword inner, const eT* a,
          arma::uword lda, const eT* b, arma::uword ldb, eT* c, arma::uword ldc) {
  const auto blas = [](arma::uword v) { return static_cast<arma::blas_int>(v); };
  const arma::blas_int M = blas(m), N = blas(n), K = blas(inner), LDA = blas(lda), LDB = blas(ldb), LDC = blas(ldc);
  const eT one = 1, zero = 0;
  arma::blas::gemm<eT>(transpose_a ? "T" : "N", transpose_b ? "T" : "N", &M, &N, &K, &one, a, &LDA, b, &LDB, &zero, c,
                       &LDC);
}

template <class eT>
void matmul_by_group(arma::Mat<eT>& out, const arma::Mat<eT>& Xr, const arma::Cube<eT>& W, const arma::uvec& offsets,
                     bool transpose) {
  const arma::uword width = transpose ? W.n_rows : W.n_cols;
  out.set_size(Xr.n_rows, width);  // every row is in one group
  parallel_for(offsets.n_elem - 1, layer_threads(Xr.n_rows, offsets.n_elem - 1, Xr.n_elem * width), [&](arma::uword e) {
    const arma::uword first = offsets(e), rows = offsets(e + 1) - first;
    if (rows == 0) return;
    gemm<eT>(false, transpose, rows, width, Xr.n_cols, Xr.memptr() + first, Xr.n_rows, W.slice_memptr(e), W.n_rows,
             out.memptr() + first, out.n_rows);
  });
}

template <class eT>
void cross_by_group(arma::Cube<eT>& out, const arma::Mat<eT>& Ar, const arma::Mat<eT>& Br, const arma::uvec& offsets) {
  out.set_size(Ar.n_cols, Br.n_cols, offsets.n_elem - 1);
  parallel_for(offsets.n_elem - 1, layer_threads(Ar.n_rows, offsets.n_elem - 1, Ar.n_elem * Br.n_cols),
               [&](arma::uword e) {
    const arma::uword first = offsets(e), rows = offsets(e + 1) - first;
    if (rows == 0) {
      out.slice(e).zeros();
      return;
    }
    gemm<eT>(true, false, Ar.n_cols, Br.n_cols, rows, Ar.memptr() + first, Ar.n_rows, Br.memptr() + first, Br.n_rows,
             out.slice_memptr(e), out.n_rows);
  });
}

template <class eT>
void gather(arma::Mat<eT>& out, const arma::Mat<eT>& X, const Routing& routing) {
  out.set_size(routing.n_assignments(), X.n_cols);
  for_blocks(X.n_cols, columns_per_task, layer_threads(routing, out.n_elem), [&](arma::uword first, arma::uword last) {
    for (arma::uword j = first; j <= last; ++j) {
      eT* to = out.colptr(j);
      const eT* from = X.colptr(j);
      for (arma::uword a = 0; a < routing.n_assignments(); ++a) to[a] = from[routing.token(a)];
    }
  });
}

template <class eT>
void scatter(arma::Mat<eT>& out, const arma::Mat<eT>& Hr, const Routing& routing, arma::uword n_tokens,
             bool weighted) {
  out.zeros(n_tokens, Hr.n_cols);
  const arma::Col<eT> w = weighted ? arma::conv_to<arma::Col<eT>>::from(routing.weight)
                                   : arma::Col<eT>(routing.n_assignments(), arma::fill::ones);
  // Column by column (contiguous in column-major storage); within an element
  // the sum runs in assignment order, as the contract says.
  for_blocks(Hr.n_cols, columns_per_task, layer_threads(routing, Hr.n_elem), [&](arma::uword first, arma::uword last) {
    for (arma::uword j = first; j <= last; ++j) {
      eT* to = out.colptr(j);
      const eT* from = Hr.colptr(j);
      for (arma::uword a = 0; a < routing.n_assignments(); ++a) to[routing.token(a)] += w(a) * from[a];
    }
  });
}

class CpuLayerKernels final : public LayerKernels {
 public:
  void row_softmax(arma::mat& P, arma::vec& lse, const arma::mat& A) const override { row_softmax_of(P, lse, A); }
  void row_topk(arma::umat& index, arma::mat& value, const arma::mat& A, arma::uword k) const override {
    topk(index, value, A, k);
  }
  void gather_rows(arma::mat& out, const arma::mat& X, const Routing& routing) const override {
    gather(out, X, routing);
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
    gather(out, X, routing);
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
