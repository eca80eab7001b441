#pragma once
// Internal to the CUDA backend: the launchers of the backend's own kernels
// (device_kernels.cu). Every pointer is device memory; matrices are column-major
// (element (i, j) of an r-row matrix at [i + j·r], or [i + j·ld] where a leading
// dimension is given). Each launcher queues its kernel on the default stream and
// throws std::runtime_error when the launch fails; an empty problem launches
// nothing. No Armadillo type appears here; T is double or float, and for the
// routed operations also bf16 (accumulated in fp32, precision.hpp).
// The routed operations (gather_rows, scatter_rows) take their matrices
// row-major instead (element (i, c) of an r×d matrix at [c + i·d]: each token's
// or assignment's row is contiguous), so that moving rows reads and writes
// contiguous memory.

#include <cstddef>
#include <cstdint>

#include "precision.hpp"

namespace moe::cuda::launch {

/// out(i, pair(a, b)) = D(i, a) · D(i, b) for 0 ≤ b ≤ a < p, the pairs numbered
/// column by column down the lower triangle (pair(a, b) = b(2p + 1 − b)/2 + a − b):
/// the row-wise Khatri–Rao square of D without its repeated half.
/// out: rows × p(p+1)/2 (leading dimension rows);  D: rows×p (leading dimension ldd).
void khatri_rao_square(double* out, const double* D, std::size_t ldd, std::size_t rows, std::size_t p);

/// Per row i: lse(i) = max_j A(i, j) + log Σ_j exp(A(i, j) − max), P(i, j) =
/// exp(A(i, j) − max) / Σ.  P: n×m;  lse: n;  A: n×m, m ≥ 1.  T: double, float.
template <class T>
void row_softmax(T* P, T* lse, const T* A, std::size_t n, std::size_t m);

/// Per row, the k largest entries, largest first, ties to the lower column.
/// index, value: n×k;  A: n×m without NaN;  1 ≤ k ≤ m.  T: double, float.
template <class T>
void row_topk(std::uint64_t* index, T* value, const T* A, std::size_t n, std::size_t m, std::size_t k);

/// out(a, c) = X(token(a), c), times weight(a) when weight is not null.
/// out: A×d;  X: n×d, both row-major;  token: A, values < n;  weight: A or null.
template <class T>
void gather_rows(T* out, const T* X, const std::uint64_t* token, std::size_t A, std::size_t d,
                 const Accum<T>* weight = nullptr);

/// out(t, c) = Σ_s w_a · Hr(a, c) over a = order(s), s in [starts(t), starts(t+1)),
/// summed in that order without fused multiply-add (w_a = 1 when weight is null);
/// entries of order not below A stand for no assignment and are skipped.
/// out: n×d;  Hr: A×d, both row-major;  weight: A or null;  order: assignments by token, in
/// assignment order within a token;  starts: n+1.
template <class T>
void scatter_rows(T* out, const T* Hr, const Accum<T>* weight, const std::uint64_t* order,
                  const std::uint64_t* starts, std::size_t n, std::size_t A, std::size_t d);

}  // namespace moe::cuda::launch
