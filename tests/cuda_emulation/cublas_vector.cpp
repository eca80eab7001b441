// Host emulation of cuBLAS: level 1 (dot, axpy, scal, nrm2), gemv and geam, in
// double and float, with BLAS semantics (negative increments run from the far
// end; y and C are not read when beta = 0).
#include <cmath>
#include <vector>

#include "moe_emulation/cublas_context.hpp"
#include "moe_emulation/device_memory.hpp"

namespace moe::emulation {
namespace {

template <class T>
void require_vector(const char* api, const T* x, int n, int inc, const char* argument) {
  if (n > 0) require_device_range(x, vector_span(n, inc) * sizeof(T), api, argument);
}

template <class T>
cublasStatus_t dot(const char* api, cublasHandle_t handle, int n, const T* x, int incx, const T* y, int incy,
                   T* result) {
  if (!valid_handle(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  require_host_range(result, sizeof(T), api, "result");
  T sum = 0;
  if (n > 0) {
    require_vector(api, x, n, incx, "x");
    require_vector(api, y, n, incy, "y");
    for (int i = 0; i < n; ++i) sum += x[strided(i, n, incx)] * y[strided(i, n, incy)];
  }
  *result = sum;
  return CUBLAS_STATUS_SUCCESS;
}

template <class T>
cublasStatus_t scal(const char* api, cublasHandle_t handle, int n, const T* alpha, T* x, int incx) {
  if (!valid_handle(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  require_host_range(alpha, sizeof(T), api, "alpha");
  if (n <= 0 || incx <= 0) return CUBLAS_STATUS_SUCCESS;  // BLAS: nothing to do
  require_vector(api, x, n, incx, "x");
  for (int i = 0; i < n; ++i) x[strided(i, n, incx)] *= *alpha;
  return CUBLAS_STATUS_SUCCESS;
}

// y = alpha·op(A)·x + beta·y.
template <class T>
cublasStatus_t gemv(const char* api, cublasHandle_t handle, cublasOperation_t trans, int m, int n, const T* alpha,
                    const T* A, int lda, const T* x, int incx, const T* beta, T* y, int incy) {
  if (!valid_handle(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (!valid_operation(trans) || m < 0 || n < 0 || !valid_leading_dimension(lda, m) || incx == 0 || incy == 0)
    return CUBLAS_STATUS_INVALID_VALUE;
  require_host_range(alpha, sizeof(T), api, "alpha");
  require_host_range(beta, sizeof(T), api, "beta");
  if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;  // BLAS: y unchanged
  const bool transposed = trans != CUBLAS_OP_N;
  const int x_length = transposed ? m : n, y_length = transposed ? n : m;
  require_device_matrix(A, sizeof(T), m, n, lda, api, "A");
  require_vector(api, x, x_length, incx, "x");
  require_vector(api, y, y_length, incy, "y");
  for (int r = 0; r < y_length; ++r) {
    T sum = 0;
    for (int c = 0; c < x_length; ++c) {
      const std::size_t at = transposed ? c + static_cast<std::size_t>(r) * lda : r + static_cast<std::size_t>(c) * lda;
      sum += A[at] * x[strided(c, x_length, incx)];
    }
    T& out = y[strided(r, y_length, incy)];
    out = *beta == T(0) ? *alpha * sum : *alpha * sum + *beta * out;
  }
  return CUBLAS_STATUS_SUCCESS;
}

// Element (i, j) of op(X), X stored with leading dimension ld.
template <class T>
T element(const T* X, cublasOperation_t op, int ld, int i, int j) {
  return op == CUBLAS_OP_N ? X[i + static_cast<std::size_t>(j) * ld] : X[j + static_cast<std::size_t>(i) * ld];
}

// In place is allowed only as C = A (or B) with the same leading dimension and no transpose.
template <class T>
bool valid_aliasing(const T* X, cublasOperation_t op, int ld, const T* C, int ldc) {
  return X != C || (op == CUBLAS_OP_N && ld == ldc);
}

// C = alpha·op(A) + beta·op(B); an operand whose scalar is 0 is not read.
template <class T>
cublasStatus_t geam(const char* api, cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m,
                    int n, const T* alpha, const T* A, int lda, const T* beta, const T* B, int ldb, T* C, int ldc) {
  if (!valid_handle(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  const int a_rows = transa == CUBLAS_OP_N ? m : n, b_rows = transb == CUBLAS_OP_N ? m : n;
  if (!valid_operation(transa) || !valid_operation(transb) || m < 0 || n < 0 ||
      !valid_leading_dimension(lda, a_rows) || !valid_leading_dimension(ldb, b_rows) ||
      !valid_leading_dimension(ldc, m) || !valid_aliasing(A, transa, lda, C, ldc) ||
      !valid_aliasing(B, transb, ldb, C, ldc))
    return CUBLAS_STATUS_INVALID_VALUE;
  require_host_range(alpha, sizeof(T), api, "alpha");
  require_host_range(beta, sizeof(T), api, "beta");
  if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
  const bool read_a = *alpha != T(0), read_b = *beta != T(0);
  if (read_a) require_device_matrix(A, sizeof(T), a_rows, transa == CUBLAS_OP_N ? n : m, lda, api, "A");
  if (read_b) require_device_matrix(B, sizeof(T), b_rows, transb == CUBLAS_OP_N ? n : m, ldb, api, "B");
  require_device_matrix(C, sizeof(T), m, n, ldc, api, "C");
  std::vector<T> result(static_cast<std::size_t>(m) * n);  // then written: C may be A or B
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i)
      result[i + static_cast<std::size_t>(j) * m] = (read_a ? *alpha * element(A, transa, lda, i, j) : T(0)) +
                                                    (read_b ? *beta * element(B, transb, ldb, i, j) : T(0));
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) C[i + static_cast<std::size_t>(j) * ldc] = result[i + static_cast<std::size_t>(j) * m];
  return CUBLAS_STATUS_SUCCESS;
}

}  // namespace
}  // namespace moe::emulation

cublasStatus_t cublasDdot(cublasHandle_t handle, int n, const double* x, int incx, const double* y, int incy,
                          double* result) {
  return moe::emulation::dot("cublasDdot", handle, n, x, incx, y, incy, result);
}

cublasStatus_t cublasSdot(cublasHandle_t handle, int n, const float* x, int incx, const float* y, int incy,
                          float* result) {
  return moe::emulation::dot("cublasSdot", handle, n, x, incx, y, incy, result);
}

cublasStatus_t cublasDaxpy(cublasHandle_t handle, int n, const double* alpha, const double* x, int incx, double* y,
                           int incy) {
  const char* api = "cublasDaxpy";
  if (!moe::emulation::valid_handle(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  moe::emulation::require_host_range(alpha, sizeof(double), api, "alpha");
  if (n <= 0) return CUBLAS_STATUS_SUCCESS;
  moe::emulation::require_vector(api, x, n, incx, "x");
  moe::emulation::require_vector(api, y, n, incy, "y");
  for (int i = 0; i < n; ++i)
    y[moe::emulation::strided(i, n, incy)] += *alpha * x[moe::emulation::strided(i, n, incx)];
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDscal(cublasHandle_t handle, int n, const double* alpha, double* x, int incx) {
  return moe::emulation::scal("cublasDscal", handle, n, alpha, x, incx);
}

cublasStatus_t cublasSscal(cublasHandle_t handle, int n, const float* alpha, float* x, int incx) {
  return moe::emulation::scal("cublasSscal", handle, n, alpha, x, incx);
}

// Scaled by the largest magnitude, so that no square overflows or underflows.
cublasStatus_t cublasDnrm2(cublasHandle_t handle, int n, const double* x, int incx, double* result) {
  const char* api = "cublasDnrm2";
  if (!moe::emulation::valid_handle(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  moe::emulation::require_host_range(result, sizeof(double), api, "result");
  *result = 0.0;
  if (n <= 0 || incx <= 0) return CUBLAS_STATUS_SUCCESS;
  moe::emulation::require_vector(api, x, n, incx, "x");
  double scale = 0.0;
  for (int i = 0; i < n; ++i) scale = std::fmax(scale, std::fabs(x[moe::emulation::strided(i, n, incx)]));
  if (scale == 0.0 || !std::isfinite(scale)) {
    *result = scale;
    return CUBLAS_STATUS_SUCCESS;
  }
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double scaled = x[moe::emulation::strided(i, n, incx)] / scale;
    sum += scaled * scaled;
  }
  *result = scale * std::sqrt(sum);
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDgemv(cublasHandle_t handle, cublasOperation_t trans, int m, int n, const double* alpha,
                           const double* A, int lda, const double* x, int incx, const double* beta, double* y,
                           int incy) {
  return moe::emulation::gemv("cublasDgemv", handle, trans, m, n, alpha, A, lda, x, incx, beta, y, incy);
}

cublasStatus_t cublasSgemv(cublasHandle_t handle, cublasOperation_t trans, int m, int n, const float* alpha,
                           const float* A, int lda, const float* x, int incx, const float* beta, float* y, int incy) {
  return moe::emulation::gemv("cublasSgemv", handle, trans, m, n, alpha, A, lda, x, incx, beta, y, incy);
}

cublasStatus_t cublasDgeam(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           const double* alpha, const double* A, int lda, const double* beta, const double* B,
                           int ldb, double* C, int ldc) {
  return moe::emulation::geam("cublasDgeam", handle, transa, transb, m, n, alpha, A, lda, beta, B, ldb, C, ldc);
}

cublasStatus_t cublasSgeam(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           const float* alpha, const float* A, int lda, const float* beta, const float* B, int ldb,
                           float* C, int ldc) {
  return moe::emulation::geam("cublasSgeam", handle, transa, transb, m, n, alpha, A, lda, beta, B, ldb, C, ldc);
}
