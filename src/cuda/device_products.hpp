#pragma once
// Internal to the CUDA backend: the weighted Gram matrices of a design on
// device memory, which CudaKernels and the resident EM posterior share.
// Matrices are column-major with the leading dimensions given.

#include <armadillo>
#include <cstddef>

#include "blas.hpp"

namespace moe::cuda {

/// stacked = beta·stacked + Σ over the `rows` rows of [X∘w_1, …, X∘w_m]ᵀ X, where
/// X∘w_j scales row i of X by W(i, j): block j of stacked's rows is
/// Xᵀ diag(W.col(j)) X.  stacked: m·p × p (leading dimension m·p);  X: rows×p
/// (leading dimension ldx);  W: rows×m (leading dimension ldw). `scaled` is
/// device scratch of block_rows·m·p doubles: the rows go block_rows at a time.
void weighted_gram_stacked(cublasHandle_t blas, double* stacked, double beta, const double* X, std::size_t ldx,
                           const double* W, std::size_t ldw, std::size_t rows, std::size_t p, std::size_t m,
                           double* scaled, std::size_t block_rows);

/// The m slices (p×p) of a stacked Gram matrix on the device, each made exactly
/// symmetric as the CPU backend makes them: (B + Bᵀ)/2.
arma::cube symmetric_slices(const double* stacked, std::size_t p, std::size_t m);

}  // namespace moe::cuda
