#include "blas.hpp"

#include <climits>

#include "moe/error.hpp"

namespace moe::cuda {
namespace {

cublasOperation_t op(bool transpose) { return transpose ? CUBLAS_OP_T : CUBLAS_OP_N; }

}  // namespace

int blas_int(std::size_t value, const char* who) {
  require(value <= static_cast<std::size_t>(INT_MAX), who, "a dimension exceeds the int range of cuBLAS");
  return static_cast<int>(value);
}

void gemm(cublasHandle_t blas, bool trans_a, bool trans_b, std::size_t rows, std::size_t cols, std::size_t inner,
          const double* A, std::size_t lda, const double* B, std::size_t ldb, double beta, double* C, std::size_t ldc,
          const char* who) {
  const double one = 1.0;
  MOE_CUDA_CHECK(cublasDgemm(blas, op(trans_a), op(trans_b), blas_int(rows, who), blas_int(cols, who),
                             blas_int(inner, who), &one, A, blas_int(lda, who), B, blas_int(ldb, who), &beta, C,
                             blas_int(ldc, who)));
}

template <class T, class TC>
void gemm(cublasHandle_t blas, bool trans_a, bool trans_b, std::size_t rows, std::size_t cols, std::size_t inner,
          const T* A, std::size_t lda, const T* B, std::size_t ldb, Accum<T> beta, TC* C, std::size_t ldc,
          const char* who) {
  const Accum<T> one = 1;
  const int m = blas_int(rows, who), n = blas_int(cols, who), k = blas_int(inner, who);
  const int ia = blas_int(lda, who), ib = blas_int(ldb, who), ic = blas_int(ldc, who);
  MOE_CUDA_CHECK(cublasGemmEx(blas, op(trans_a), op(trans_b), m, n, k, &one, A, Precision<T>::kData, ia, B,
                              Precision<T>::kData, ib, &beta, C, Precision<TC>::kData, ic, CUBLAS_COMPUTE_32F,
                              CUBLAS_GEMM_DEFAULT));
}
template void gemm(cublasHandle_t, bool, bool, std::size_t, std::size_t, std::size_t, const float*, std::size_t,
                   const float*, std::size_t, float, float*, std::size_t, const char*);
template void gemm(cublasHandle_t, bool, bool, std::size_t, std::size_t, std::size_t, const bf16*, std::size_t,
                   const bf16*, std::size_t, float, bf16*, std::size_t, const char*);
template void gemm(cublasHandle_t, bool, bool, std::size_t, std::size_t, std::size_t, const bf16*, std::size_t,
                   const bf16*, std::size_t, float, float*, std::size_t, const char*);

}  // namespace moe::cuda
