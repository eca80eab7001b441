#pragma once
// Internal to the CUDA backend: the weighted Gram matrices of a design on
// device memory, which CudaKernels and the resident EM posterior share.
// Matrices are column-major with the leading dimensions given.
//
// All m Gram matrices Dᵀ diag(w_j) D come from one GEMM, Kᵀ W, where row i of K
// holds the products D(i, a)·D(i, b), a ≥ b (the row-wise Khatri–Rao square of
// D without its repeated half, p(p+1)/2 columns): K does not depend on the
// weights, the GEMM runs on the tensor cores, and only the p(p+1)/2 distinct
// entries of each matrix are computed. K is formed a block of rows at a time.

#include <armadillo>
#include <cstddef>

#include "blas.hpp"

namespace moe::cuda {

/// half = beta·half + Kᵀ W over `rows` rows: column j of half holds the
/// distinct entries of Dᵀ diag(W.col(j)) D, in the order of
/// launch::khatri_rao_square.  half: p(p+1)/2 × m;  D: rows×p (leading
/// dimension ldd);  W: rows×m (leading dimension ldw). `scratch` holds K's
/// blocks (grown as needed, kept by the caller between calls).
void add_weighted_gram(cublasHandle_t blas, double* half, double beta, const double* D, std::size_t ldd,
                       const double* W, std::size_t ldw, std::size_t rows, std::size_t p, std::size_t m,
                       DeviceBuffer<double>& scratch);

/// The m symmetric p×p matrices whose distinct entries `half` (p(p+1)/2 × m,
/// on the device) holds.
arma::cube gram_slices(const double* half, std::size_t p, std::size_t m);

}  // namespace moe::cuda
