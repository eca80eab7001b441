// The CUDA backend's own kernels (see device_kernels.hpp): one thread per output
// element or per row, grid-stride loops, fp64 throughout. Simple by design: the
// per-row kernels suit the narrow matrices of the estimators (m = K experts).
#include "device_kernels.hpp"

#include <algorithm>

#include "cuda_util.hpp"

namespace moe::cuda::launch {
namespace {

constexpr unsigned kThreads = 256;

// Enough blocks to cover `total` threads, at most 4096 (the loops stride).
unsigned blocks_for(std::size_t total) {
  const std::size_t wanted = (total + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::min<std::size_t>(wanted, 4096));
}

__device__ std::size_t first_index() { return blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; }
__device__ std::size_t stride() { return gridDim.x * static_cast<std::size_t>(blockDim.x); }

__global__ void scale_rows_stacked_kernel(double* out, const double* X, std::size_t ldx, const double* W,
                                          std::size_t ldw, std::size_t rows, std::size_t p, std::size_t m) {
  const std::size_t total = rows * m * p;
  for (std::size_t idx = first_index(); idx < total; idx += stride()) {
    const std::size_t i = idx % rows, column = idx / rows;
    const std::size_t j = column / p, c = column % p;
    out[idx] = X[i + c * ldx] * W[i + j * ldw];
  }
}

__global__ void row_softmax_kernel(double* P, double* lse, const double* A, std::size_t n, std::size_t m) {
  for (std::size_t i = first_index(); i < n; i += stride()) {
    double top = A[i];
    for (std::size_t j = 1; j < m; ++j) top = A[i + j * n] > top ? A[i + j * n] : top;
    double total = 0.0;
    for (std::size_t j = 0; j < m; ++j) total += exp(A[i + j * n] - top);
    for (std::size_t j = 0; j < m; ++j) P[i + j * n] = exp(A[i + j * n] - top) / total;
    lse[i] = top + log(total);
  }
}

// Rank r takes the largest entry in the order (value descending, column
// ascending) among those after rank r − 1's entry in that order: k passes over
// the row, no per-thread state beyond the previous pick.
__global__ void row_topk_kernel(std::uint64_t* index, double* value, const double* A, std::size_t n,
                                std::size_t m, std::size_t k) {
  for (std::size_t i = first_index(); i < n; i += stride()) {
    double previous_value = 0.0;
    std::size_t previous_column = 0;
    for (std::size_t r = 0; r < k; ++r) {
      std::size_t best_column = m;
      double best_value = 0.0;
      for (std::size_t j = 0; j < m; ++j) {
        const double v = A[i + j * n];
        const bool after = r == 0 || v < previous_value || (v == previous_value && j > previous_column);
        if (after && (best_column == m || v > best_value)) {
          best_column = j;
          best_value = v;
        }
      }
      index[i + r * n] = best_column;
      value[i + r * n] = best_value;
      previous_value = best_value;
      previous_column = best_column;
    }
  }
}

__global__ void gather_rows_kernel(double* out, const double* X, const std::uint64_t* token, std::size_t A,
                                   std::size_t n, std::size_t d) {
  const std::size_t total = A * d;
  for (std::size_t idx = first_index(); idx < total; idx += stride()) {
    const std::size_t a = idx % A, c = idx / A;
    out[idx] = X[token[a] + c * n];
  }
}

__global__ void scatter_rows_kernel(double* out, const double* Hr, const double* weight,
                                    const std::uint64_t* order, const std::uint64_t* starts, std::size_t n,
                                    std::size_t A, std::size_t d) {
  const std::size_t total = n * d;
  for (std::size_t idx = first_index(); idx < total; idx += stride()) {
    const std::size_t t = idx % n, c = idx / n;
    double sum = 0.0;
    for (std::uint64_t s = starts[t]; s < starts[t + 1]; ++s) {
      const std::uint64_t a = order[s];
      const double h = Hr[a + c * A];
      sum = __dadd_rn(sum, weight != nullptr ? __dmul_rn(weight[a], h) : h);
    }
    out[idx] = sum;
  }
}

void check_launch(const char* kernel, const char* file, int line) {
  check(cudaGetLastError(), kernel, file, line);
}

}  // namespace

void scale_rows_stacked(double* out, const double* X, std::size_t ldx, const double* W, std::size_t ldw,
                        std::size_t rows, std::size_t p, std::size_t m) {
  if (rows == 0 || p == 0 || m == 0) return;
  scale_rows_stacked_kernel<<<blocks_for(rows * m * p), kThreads>>>(out, X, ldx, W, ldw, rows, p, m);
  check_launch("scale_rows_stacked_kernel", __FILE__, __LINE__);
}

void row_softmax(double* P, double* lse, const double* A, std::size_t n, std::size_t m) {
  if (n == 0 || m == 0) return;
  row_softmax_kernel<<<blocks_for(n), kThreads>>>(P, lse, A, n, m);
  check_launch("row_softmax_kernel", __FILE__, __LINE__);
}

void row_topk(std::uint64_t* index, double* value, const double* A, std::size_t n, std::size_t m,
              std::size_t k) {
  if (n == 0 || k == 0) return;
  row_topk_kernel<<<blocks_for(n), kThreads>>>(index, value, A, n, m, k);
  check_launch("row_topk_kernel", __FILE__, __LINE__);
}

void gather_rows(double* out, const double* X, const std::uint64_t* token, std::size_t A, std::size_t n,
                 std::size_t d) {
  if (A == 0 || d == 0) return;
  gather_rows_kernel<<<blocks_for(A * d), kThreads>>>(out, X, token, A, n, d);
  check_launch("gather_rows_kernel", __FILE__, __LINE__);
}

void scatter_rows(double* out, const double* Hr, const double* weight, const std::uint64_t* order,
                  const std::uint64_t* starts, std::size_t n, std::size_t A, std::size_t d) {
  if (n == 0 || d == 0) return;
  scatter_rows_kernel<<<blocks_for(n * d), kThreads>>>(out, Hr, weight, order, starts, n, A, d);
  check_launch("scatter_rows_kernel", __FILE__, __LINE__);
}

}  // namespace moe::cuda::launch
