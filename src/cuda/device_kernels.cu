// The CUDA backend's own kernels (see device_kernels.hpp): one thread per output
// element or per row, grid-stride loops (grid.hpp). Simple by design: the
// per-row kernels suit narrow matrices (m = K experts of the estimators, or the
// E experts of a routing layer).
#include "device_kernels.hpp"

#include "device_math.hpp"
#include "grid.hpp"

namespace moe::cuda::launch {
namespace {

using grid::first_index;
using grid::stride;

// One thread per (row i, column b): the products D(i, a)·D(i, b) for a ≥ b, at
// the pair's column of the lower triangle in column-major order.
__global__ void khatri_rao_square_kernel(double* out, const double* D, std::size_t ldd, std::size_t rows,
                                         std::size_t p) {
  for (std::size_t idx = first_index(); idx < rows * p; idx += stride()) {
    const std::size_t i = idx % rows, b = idx / rows;
    const std::size_t first_pair = b * (2 * p + 1 - b) / 2;  // pairs of the columns before b
    const double d_b = D[i + b * ldd];
    for (std::size_t a = b; a < p; ++a) out[i + (first_pair + a - b) * rows] = D[i + a * ldd] * d_b;
  }
}

template <class T>
__global__ void row_softmax_kernel(T* P, T* lse, const T* A, std::size_t n, std::size_t m) {
  for (std::size_t i = first_index(); i < n; i += stride()) {
    T top = A[i];
    for (std::size_t j = 1; j < m; ++j) top = A[i + j * n] > top ? A[i + j * n] : top;
    T total = 0;
    for (std::size_t j = 0; j < m; ++j) total += exp(A[i + j * n] - top);
    for (std::size_t j = 0; j < m; ++j) P[i + j * n] = exp(A[i + j * n] - top) / total;
    lse[i] = top + log(total);
  }
}

// The top-k kernels order entries by value, descending, then column, ascending.
// Up to this k, one pass over the row keeps the k best so far in a sorted list
// per thread; beyond it, k passes over the row.
constexpr std::size_t kListTopK = 16;

// An entry displaces only strictly smaller ones and moves only past strictly
// smaller ones, so of equal entries the one of the lower column, seen first,
// stays ahead.
template <class T>
__global__ void row_topk_list_kernel(std::uint64_t* index, T* value, const T* A, std::size_t n, std::size_t m,
                                     std::size_t k) {
  for (std::size_t i = first_index(); i < n; i += stride()) {
    T best[kListTopK];
    std::uint64_t column[kListTopK];
    std::size_t filled = 0;
    for (std::size_t j = 0; j < m; ++j) {
      const T v = A[i + j * n];
      if (filled == k && !(v > best[k - 1])) continue;
      std::size_t slot = filled < k ? filled++ : k - 1;  // a free slot, or the last entry's
      for (; slot > 0 && v > best[slot - 1]; --slot) {
        best[slot] = best[slot - 1];
        column[slot] = column[slot - 1];
      }
      best[slot] = v;
      column[slot] = j;
    }
    for (std::size_t r = 0; r < k; ++r) {
      index[i + r * n] = column[r];
      value[i + r * n] = best[r];
    }
  }
}

// Rank r takes the largest entry in the order among those after rank r − 1's
// entry: k passes over the row, no per-thread state beyond the previous pick.
template <class T>
__global__ void row_topk_kernel(std::uint64_t* index, T* value, const T* A, std::size_t n, std::size_t m,
                                std::size_t k) {
  for (std::size_t i = first_index(); i < n; i += stride()) {
    T previous_value = 0;
    std::size_t previous_column = 0;
    for (std::size_t r = 0; r < k; ++r) {
      std::size_t best_column = m;
      T best_value = 0;
      for (std::size_t j = 0; j < m; ++j) {
        const T v = A[i + j * n];
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

template <class T>
__global__ void gather_rows_kernel(T* out, const T* X, const std::uint64_t* token, std::size_t A, std::size_t d,
                                   const Accum<T>* weight) {
  const std::size_t total = A * d;
  for (std::size_t idx = first_index(); idx < total; idx += stride()) {
    const std::size_t c = idx % d, a = idx / d;
    const T x = X[c + token[a] * d];
    out[idx] = weight != nullptr ? math::narrow<T>(math::mul_rn(weight[a], math::widen(x))) : x;
  }
}

template <class T>
__global__ void scatter_rows_kernel(T* out, const T* Hr, const Accum<T>* weight, const std::uint64_t* order,
                                    const std::uint64_t* starts, std::size_t n, std::size_t A, std::size_t d) {
  const std::size_t total = n * d;
  for (std::size_t idx = first_index(); idx < total; idx += stride()) {
    const std::size_t c = idx % d, t = idx / d;
    Accum<T> sum = 0;
    for (std::uint64_t s = starts[t]; s < starts[t + 1]; ++s) {
      const std::uint64_t a = order[s];
      if (a >= A) continue;  // no assignment
      const Accum<T> h = math::widen(Hr[c + a * d]);
      sum = math::add_rn(sum, weight != nullptr ? math::mul_rn(weight[a], h) : h);
    }
    out[idx] = math::narrow<T>(sum);
  }
}

}  // namespace

void khatri_rao_square(double* out, const double* D, std::size_t ldd, std::size_t rows, std::size_t p) {
  if (rows == 0 || p == 0) return;
  MOE_LAUNCH_OVER(rows * p, khatri_rao_square_kernel, out, D, ldd, rows, p);
}

template <class T>
void row_softmax(T* P, T* lse, const T* A, std::size_t n, std::size_t m) {
  if (n == 0 || m == 0) return;
  MOE_LAUNCH_OVER(n, row_softmax_kernel<T>, P, lse, A, n, m);
}

template <class T>
void row_topk(std::uint64_t* index, T* value, const T* A, std::size_t n, std::size_t m, std::size_t k) {
  if (n == 0 || k == 0) return;
  if (k <= kListTopK)
    MOE_LAUNCH_OVER(n, row_topk_list_kernel<T>, index, value, A, n, m, k);
  else
    MOE_LAUNCH_OVER(n, row_topk_kernel<T>, index, value, A, n, m, k);
}

template <class T>
void gather_rows(T* out, const T* X, const std::uint64_t* token, std::size_t A, std::size_t d,
                 const Accum<T>* weight) {
  if (A == 0 || d == 0) return;
  MOE_LAUNCH_OVER(A * d, gather_rows_kernel<T>, out, X, token, A, d, weight);
}

template <class T>
void scatter_rows(T* out, const T* Hr, const Accum<T>* weight, const std::uint64_t* order,
                  const std::uint64_t* starts, std::size_t n, std::size_t A, std::size_t d) {
  if (n == 0 || d == 0) return;
  MOE_LAUNCH_OVER(n * d, scatter_rows_kernel<T>, out, Hr, weight, order, starts, n, A, d);
}

template void row_softmax(double*, double*, const double*, std::size_t, std::size_t);
template void row_softmax(float*, float*, const float*, std::size_t, std::size_t);
template void row_topk(std::uint64_t*, double*, const double*, std::size_t, std::size_t, std::size_t);
template void row_topk(std::uint64_t*, float*, const float*, std::size_t, std::size_t, std::size_t);
template void gather_rows(double*, const double*, const std::uint64_t*, std::size_t, std::size_t,
                          const double*);
template void gather_rows(float*, const float*, const std::uint64_t*, std::size_t, std::size_t,
                          const float*);
template void gather_rows(bf16*, const bf16*, const std::uint64_t*, std::size_t, std::size_t,
                          const float*);
template void scatter_rows(double*, const double*, const double*, const std::uint64_t*, const std::uint64_t*,
                           std::size_t, std::size_t, std::size_t);
template void scatter_rows(float*, const float*, const float*, const std::uint64_t*, const std::uint64_t*,
                           std::size_t, std::size_t, std::size_t);
template void scatter_rows(bf16*, const bf16*, const float*, const std::uint64_t*, const std::uint64_t*,
                           std::size_t, std::size_t, std::size_t);

}  // namespace moe::cuda::launch
