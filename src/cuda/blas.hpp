#pragma once
// Internal to the CUDA backend: single dense products on cuBLAS in the
// precisions of precision.hpp: fp64 (cublasDgemm), and fp32 and bf16, both
// accumulated in fp32 (CUBLAS_COMPUTE_32F: no TF32).

#include <cstddef>

#include "cuda_util.hpp"
#include "precision.hpp"

namespace moe::cuda {

/// A dimension as cuBLAS's int; throws std::invalid_argument beyond INT_MAX.
int blas_int(std::size_t value, const char* who);

/// C = op(A)·op(B) + beta·C, column-major, on the default stream. C: rows×cols;
/// op(A): rows×inner;  op(B): inner×cols; lda, ldb, ldc as stored. A and B hold
/// T (float or bf16); C holds TC (T, or fp32 for a bf16 product).
template <class T, class TC = T>
void gemm(cublasHandle_t blas, bool trans_a, bool trans_b, std::size_t rows, std::size_t cols, std::size_t inner,
          const T* A, std::size_t lda, const T* B, std::size_t ldb, Accum<T> beta, TC* C, std::size_t ldc,
          const char* who);

/// The same in fp64.
void gemm(cublasHandle_t blas, bool trans_a, bool trans_b, std::size_t rows, std::size_t cols, std::size_t inner,
          const double* A, std::size_t lda, const double* B, std::size_t ldb, double beta, double* C, std::size_t ldc,
          const char* who);

}  // namespace moe::cuda
