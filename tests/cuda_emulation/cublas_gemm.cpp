// Host emulation of cuBLAS: the matrix products (gemm; its Ex, strided,
// batched and grouped forms). One reference product serves them all: op(A) and
// op(B) are read into dense column-major arrays of the accumulation type (fp64
// for the 64F compute types, fp32 for the 32F ones), multiplied, and C is
// written in its own type (bf16 rounded to nearest even). As in BLAS, C is not
// read when beta = 0.
#include <cmath>
#include <cstring>
#include <vector>

#include "cuda_bf16.h"
#include "moe_emulation/cublas_context.hpp"
#include "moe_emulation/device_memory.hpp"

namespace moe::emulation {
namespace {

struct Shape {
  cublasOperation_t transa, transb;
  int m, n, k, lda, ldb, ldc;
};

struct Types {
  cudaDataType_t a, b, c;
  cublasComputeType_t compute;
};

constexpr Types kDoubles{CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F};
constexpr Types kFloats{CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F};

std::size_t element_bytes(cudaDataType_t type) {
  switch (type) {
    case CUDA_R_64F: return sizeof(double);
    case CUDA_R_32F: return sizeof(float);
    case CUDA_R_16BF: return sizeof(__nv_bfloat16);
  }
  return 0;
}

bool computes_in_double(cublasComputeType_t compute) {
  return compute == CUBLAS_COMPUTE_64F || compute == CUBLAS_COMPUTE_64F_PEDANTIC;
}

bool computes_in_float(cublasComputeType_t compute) {
  return compute == CUBLAS_COMPUTE_32F || compute == CUBLAS_COMPUTE_32F_PEDANTIC ||
         compute == CUBLAS_COMPUTE_32F_FAST_TF32;
}

// alpha and beta have the compute type's precision.
std::size_t scalar_bytes(cublasComputeType_t compute) {
  return computes_in_double(compute) ? sizeof(double) : sizeof(float);
}

// The rows of cublasGemmEx's table of type combinations that are emulated.
bool supported(const Types& t) {
  if (t.a != t.b) return false;
  if (computes_in_double(t.compute)) return t.a == CUDA_R_64F && t.c == CUDA_R_64F;
  if (!computes_in_float(t.compute)) return false;
  if (t.a == CUDA_R_32F) return t.c == CUDA_R_32F;
  return t.a == CUDA_R_16BF && (t.c == CUDA_R_16BF || t.c == CUDA_R_32F);
}

int stored_rows_a(const Shape& s) { return s.transa == CUBLAS_OP_N ? s.m : s.k; }
int stored_rows_b(const Shape& s) { return s.transb == CUBLAS_OP_N ? s.k : s.n; }

cublasStatus_t validate(const Shape& s) {
  if (!valid_operation(s.transa) || !valid_operation(s.transb)) return CUBLAS_STATUS_INVALID_VALUE;
  if (s.m < 0 || s.n < 0 || s.k < 0) return CUBLAS_STATUS_INVALID_VALUE;
  if (!valid_leading_dimension(s.lda, stored_rows_a(s)) || !valid_leading_dimension(s.ldb, stored_rows_b(s)) ||
      !valid_leading_dimension(s.ldc, s.m))
    return CUBLAS_STATUS_INVALID_VALUE;
  return CUBLAS_STATUS_SUCCESS;
}

// A float rounded to TF32 (10 explicit mantissa bits), to nearest even: what
// tensor cores may do to fp32 inputs under the TF32 compute type or math mode.
float round_to_tf32(float value) {
  if (!std::isfinite(value)) return value;
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  bits = (bits + 0xFFFu + ((bits >> 13) & 1u)) & ~0x1FFFu;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

template <class Acc>
Acc load(cudaDataType_t type, const void* base, std::size_t index, bool tf32) {
  switch (type) {
    case CUDA_R_64F: return static_cast<Acc>(static_cast<const double*>(base)[index]);
    case CUDA_R_32F: {
      const float value = static_cast<const float*>(base)[index];
      return static_cast<Acc>(tf32 ? round_to_tf32(value) : value);
    }
    case CUDA_R_16BF: return static_cast<Acc>(__bfloat162float(static_cast<const __nv_bfloat16*>(base)[index]));
  }
  return Acc(0);
}

template <class Acc>
void store(cudaDataType_t type, void* base, std::size_t index, Acc value) {
  switch (type) {
    case CUDA_R_64F: static_cast<double*>(base)[index] = static_cast<double>(value); return;
    case CUDA_R_32F: static_cast<float*>(base)[index] = static_cast<float>(value); return;
    case CUDA_R_16BF: static_cast<__nv_bfloat16*>(base)[index] = __float2bfloat16(static_cast<float>(value)); return;
  }
}

// op(X) (rows×cols) of the matrix stored at X with leading dimension ld, as a
// dense column-major array.
template <class Acc>
std::vector<Acc> read_operand(const void* X, cudaDataType_t type, cublasOperation_t op, int rows, int cols, int ld,
                              bool tf32) {
  std::vector<Acc> out(static_cast<std::size_t>(rows) * cols);
  const std::size_t stride = static_cast<std::size_t>(ld);
  for (std::size_t j = 0; j < static_cast<std::size_t>(cols); ++j)
    for (std::size_t i = 0; i < static_cast<std::size_t>(rows); ++i)
      out[i + j * rows] = load<Acc>(type, X, op == CUBLAS_OP_N ? i + j * stride : j + i * stride, tf32);
  return out;
}

// C = alpha·op(A)·op(B) + beta·C, accumulated in Acc; m, n > 0.
template <class Acc>
void multiply(const Shape& s, const Types& t, bool tf32, Acc alpha, const void* A, const void* B, Acc beta,
              void* C) {
  const std::size_t m = s.m, n = s.n, k = s.k;
  std::vector<Acc> product(m * n, Acc(0));
  if (alpha != Acc(0) && k > 0) {
    const std::vector<Acc> a = read_operand<Acc>(A, t.a, s.transa, s.m, s.k, s.lda, tf32);
    const std::vector<Acc> b = read_operand<Acc>(B, t.b, s.transb, s.k, s.n, s.ldb, tf32);
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t l = 0; l < k; ++l) {
        const Acc factor = b[l + j * k];
        const Acc* column = &a[l * m];
        Acc* out = &product[j * m];
        for (std::size_t i = 0; i < m; ++i) out[i] += column[i] * factor;
      }
  }
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t at = i + j * static_cast<std::size_t>(s.ldc);
      Acc value = alpha * product[i + j * m];
      if (beta != Acc(0)) value += beta * load<Acc>(t.c, C, at, false);
      store<Acc>(t.c, C, at, value);
    }
}

// Aborts unless the matrices that the product touches are device memory and
// the scalars host memory.
void check_pointers(const char* api, const Shape& s, const Types& t, const void* alpha, const void* A,
                    const void* B, const void* beta, const void* C) {
  require_host_range(alpha, scalar_bytes(t.compute), api, "alpha");
  require_host_range(beta, scalar_bytes(t.compute), api, "beta");
  if (s.m == 0 || s.n == 0) return;
  if (s.k > 0) {
    require_device_matrix(A, element_bytes(t.a), stored_rows_a(s), s.transa == CUBLAS_OP_N ? s.k : s.m, s.lda, api,
                          "A");
    require_device_matrix(B, element_bytes(t.b), stored_rows_b(s), s.transb == CUBLAS_OP_N ? s.n : s.k, s.ldb, api,
                          "B");
  }
  require_device_matrix(C, element_bytes(t.c), s.m, s.n, s.ldc, api, "C");
}

// One validated product.
void run_product(const char* api, cublasHandle_t handle, const Shape& s, const Types& t, const void* alpha,
                 const void* A, const void* B, const void* beta, void* C) {
  check_pointers(api, s, t, alpha, A, B, beta, C);
  if (s.m == 0 || s.n == 0) return;
  if (computes_in_double(t.compute)) {
    multiply<double>(s, t, false, *static_cast<const double*>(alpha), A, B, *static_cast<const double*>(beta), C);
    return;
  }
  const bool tf32 = t.compute == CUBLAS_COMPUTE_32F_FAST_TF32 ||
                    (t.compute == CUBLAS_COMPUTE_32F && handle->math == CUBLAS_TF32_TENSOR_OP_MATH);
  multiply<float>(s, t, tf32, *static_cast<const float*>(alpha), A, B, *static_cast<const float*>(beta), C);
}

// The checks every product makes before it runs.
cublasStatus_t admit(cublasHandle_t handle, const Shape& s, const Types& t) {
  if (!valid_handle(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  const cublasStatus_t status = validate(s);
  if (status != CUBLAS_STATUS_SUCCESS) return status;
  return supported(t) ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_NOT_SUPPORTED;
}

cublasStatus_t gemm(const char* api, cublasHandle_t handle, const Shape& s, const Types& t, const void* alpha,
                    const void* A, const void* B, const void* beta, void* C) {
  const cublasStatus_t status = admit(handle, s, t);
  if (status == CUBLAS_STATUS_SUCCESS) run_product(api, handle, s, t, alpha, A, B, beta, C);
  return status;
}

// The element `elements` places after base (a batch's matrix).
const void* offset(const void* base, long long elements, cudaDataType_t type) {
  return static_cast<const char*>(base) + elements * static_cast<long long>(element_bytes(type));
}
void* offset(void* base, long long elements, cudaDataType_t type) {
  return static_cast<char*>(base) + elements * static_cast<long long>(element_bytes(type));
}

cublasStatus_t strided_gemm(const char* api, cublasHandle_t handle, const Shape& s, const Types& t,
                            const void* alpha, const void* A, long long stride_a, const void* B, long long stride_b,
                            const void* beta, void* C, long long stride_c, int batch) {
  const cublasStatus_t status = admit(handle, s, t);
  if (status != CUBLAS_STATUS_SUCCESS) return status;
  if (batch < 0) return CUBLAS_STATUS_INVALID_VALUE;
  for (long long i = 0; i < batch; ++i)
    run_product(api, handle, s, t, alpha, offset(A, i * stride_a, t.a), offset(B, i * stride_b, t.b), beta,
                offset(C, i * stride_c, t.c));
  return CUBLAS_STATUS_SUCCESS;
}

// Pointer arrays (device memory, one entry per product).
cublasStatus_t batched_gemm(const char* api, cublasHandle_t handle, const Shape& s, const Types& t,
                            const void* alpha, const void* const A[], const void* const B[], const void* beta,
                            void* const C[], int batch) {
  const cublasStatus_t status = admit(handle, s, t);
  if (status != CUBLAS_STATUS_SUCCESS) return status;
  if (batch < 0) return CUBLAS_STATUS_INVALID_VALUE;
  const std::size_t array_bytes = static_cast<std::size_t>(batch) * sizeof(void*);
  require_device_range(A, array_bytes, api, "Aarray");
  require_device_range(B, array_bytes, api, "Barray");
  require_device_range(C, array_bytes, api, "Carray");
  for (int i = 0; i < batch; ++i) run_product(api, handle, s, t, alpha, A[i], B[i], beta, C[i]);
  return CUBLAS_STATUS_SUCCESS;
}

// The per-group arguments of the grouped products (host arrays of group_count
// entries; alpha and beta of the compute type's precision).
struct Groups {
  const cublasOperation_t* transa;
  const cublasOperation_t* transb;
  const int *m, *n, *k, *lda, *ldb, *ldc, *size;
  const void* alpha;
  const void* beta;
  int count;

  Shape shape(int g) const { return Shape{transa[g], transb[g], m[g], n[g], k[g], lda[g], ldb[g], ldc[g]}; }
};

void check_group_arrays(const char* api, const Groups& groups, const Types& t) {
  const std::size_t count = static_cast<std::size_t>(groups.count), ints = count * sizeof(int);
  for (const void* array : {static_cast<const void*>(groups.m), static_cast<const void*>(groups.n),
                            static_cast<const void*>(groups.k), static_cast<const void*>(groups.lda),
                            static_cast<const void*>(groups.ldb), static_cast<const void*>(groups.ldc),
                            static_cast<const void*>(groups.size)})
    require_host_range(array, ints, api, "a per-group size array");
  require_host_range(groups.transa, count * sizeof(cublasOperation_t), api, "transa_array");
  require_host_range(groups.transb, count * sizeof(cublasOperation_t), api, "transb_array");
  require_host_range(groups.alpha, count * scalar_bytes(t.compute), api, "alpha_array");
  require_host_range(groups.beta, count * scalar_bytes(t.compute), api, "beta_array");
}

cublasStatus_t grouped_gemm(const char* api, cublasHandle_t handle, const Groups& groups, const Types& t,
                            const void* const A[], const void* const B[], void* const C[]) {
  if (!valid_handle(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (groups.count < 0) return CUBLAS_STATUS_INVALID_VALUE;
  check_group_arrays(api, groups, t);
  if (!supported(t)) return CUBLAS_STATUS_NOT_SUPPORTED;
  std::size_t products = 0;
  for (int g = 0; g < groups.count; ++g) {
    if (groups.size[g] < 0 || validate(groups.shape(g)) != CUBLAS_STATUS_SUCCESS) return CUBLAS_STATUS_INVALID_VALUE;
    products += static_cast<std::size_t>(groups.size[g]);
  }
  require_device_range(A, products * sizeof(void*), api, "Aarray");
  require_device_range(B, products * sizeof(void*), api, "Barray");
  require_device_range(C, products * sizeof(void*), api, "Carray");
  const std::size_t scalar = scalar_bytes(t.compute);
  std::size_t next = 0;
  for (int g = 0; g < groups.count; ++g) {
    const void* alpha = static_cast<const char*>(groups.alpha) + g * scalar;
    const void* beta = static_cast<const char*>(groups.beta) + g * scalar;
    for (int i = 0; i < groups.size[g]; ++i, ++next)
      run_product(api, handle, groups.shape(g), t, alpha, A[next], B[next], beta, C[next]);
  }
  return CUBLAS_STATUS_SUCCESS;
}

}  // namespace
}  // namespace moe::emulation

using moe::emulation::Groups;
using moe::emulation::Shape;
using moe::emulation::Types;

cublasStatus_t cublasDgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const double* alpha, const double* A, int lda, const double* B, int ldb,
                           const double* beta, double* C, int ldc) {
  return moe::emulation::gemm("cublasDgemm", handle, Shape{transa, transb, m, n, k, lda, ldb, ldc},
                              moe::emulation::kDoubles, alpha, A, B, beta, C);
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const float* alpha, const float* A, int lda, const float* B, int ldb,
                           const float* beta, float* C, int ldc) {
  return moe::emulation::gemm("cublasSgemm", handle, Shape{transa, transb, m, n, k, lda, ldb, ldc},
                              moe::emulation::kFloats, alpha, A, B, beta, C);
}

cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                            int k, const void* alpha, const void* A, cudaDataType Atype, int lda, const void* B,
                            cudaDataType Btype, int ldb, const void* beta, void* C, cudaDataType Ctype, int ldc,
                            cublasComputeType_t computeType, cublasGemmAlgo_t) {
  return moe::emulation::gemm("cublasGemmEx", handle, Shape{transa, transb, m, n, k, lda, ldb, ldc},
                              Types{Atype, Btype, Ctype, computeType}, alpha, A, B, beta, C);
}

cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                         int m, int n, int k, const double* alpha, const double* A, int lda,
                                         long long int strideA, const double* B, int ldb, long long int strideB,
                                         const double* beta, double* C, int ldc, long long int strideC,
                                         int batchCount) {
  return moe::emulation::strided_gemm("cublasDgemmStridedBatched", handle,
                                      Shape{transa, transb, m, n, k, lda, ldb, ldc}, moe::emulation::kDoubles,
                                      alpha, A, strideA, B, strideB, beta, C, strideC, batchCount);
}

cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                         int m, int n, int k, const float* alpha, const float* A, int lda,
                                         long long int strideA, const float* B, int ldb, long long int strideB,
                                         const float* beta, float* C, int ldc, long long int strideC,
                                         int batchCount) {
  return moe::emulation::strided_gemm("cublasSgemmStridedBatched", handle,
                                      Shape{transa, transb, m, n, k, lda, ldb, ldc}, moe::emulation::kFloats,
                                      alpha, A, strideA, B, strideB, beta, C, strideC, batchCount);
}

cublasStatus_t cublasGemmStridedBatchedEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                          int m, int n, int k, const void* alpha, const void* A, cudaDataType Atype,
                                          int lda, long long int strideA, const void* B, cudaDataType Btype, int ldb,
                                          long long int strideB, const void* beta, void* C, cudaDataType Ctype,
                                          int ldc, long long int strideC, int batchCount,
                                          cublasComputeType_t computeType, cublasGemmAlgo_t) {
  return moe::emulation::strided_gemm("cublasGemmStridedBatchedEx", handle,
                                      Shape{transa, transb, m, n, k, lda, ldb, ldc},
                                      Types{Atype, Btype, Ctype, computeType}, alpha, A, strideA, B, strideB, beta,
                                      C, strideC, batchCount);
}

cublasStatus_t cublasGemmBatchedEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m,
                                   int n, int k, const void* alpha, const void* const Aarray[], cudaDataType Atype,
                                   int lda, const void* const Barray[], cudaDataType Btype, int ldb,
                                   const void* beta, void* const Carray[], cudaDataType Ctype, int ldc,
                                   int batchCount, cublasComputeType_t computeType, cublasGemmAlgo_t) {
  return moe::emulation::batched_gemm("cublasGemmBatchedEx", handle, Shape{transa, transb, m, n, k, lda, ldb, ldc},
                                      Types{Atype, Btype, Ctype, computeType}, alpha, Aarray, Barray, beta, Carray,
                                      batchCount);
}

cublasStatus_t cublasSgemmGroupedBatched(cublasHandle_t handle, const cublasOperation_t transa_array[],
                                         const cublasOperation_t transb_array[], const int m_array[],
                                         const int n_array[], const int k_array[], const float alpha_array[],
                                         const float* const Aarray[], const int lda_array[],
                                         const float* const Barray[], const int ldb_array[],
                                         const float beta_array[], float* const Carray[], const int ldc_array[],
                                         int group_count, const int group_size[]) {
  const Groups groups{transa_array, transb_array, m_array, n_array, k_array, lda_array, ldb_array, ldc_array,
                      group_size, alpha_array, beta_array, group_count};
  return moe::emulation::grouped_gemm("cublasSgemmGroupedBatched", handle, groups, moe::emulation::kFloats,
                                      reinterpret_cast<const void* const*>(Aarray),
                                      reinterpret_cast<const void* const*>(Barray),
                                      reinterpret_cast<void* const*>(Carray));
}

cublasStatus_t cublasDgemmGroupedBatched(cublasHandle_t handle, const cublasOperation_t transa_array[],
                                         const cublasOperation_t transb_array[], const int m_array[],
                                         const int n_array[], const int k_array[], const double alpha_array[],
                                         const double* const Aarray[], const int lda_array[],
                                         const double* const Barray[], const int ldb_array[],
                                         const double beta_array[], double* const Carray[], const int ldc_array[],
                                         int group_count, const int group_size[]) {
  const Groups groups{transa_array, transb_array, m_array, n_array, k_array, lda_array, ldb_array, ldc_array,
                      group_size, alpha_array, beta_array, group_count};
  return moe::emulation::grouped_gemm("cublasDgemmGroupedBatched", handle, groups, moe::emulation::kDoubles,
                                      reinterpret_cast<const void* const*>(Aarray),
                                      reinterpret_cast<const void* const*>(Barray),
                                      reinterpret_cast<void* const*>(Carray));
}

cublasStatus_t cublasGemmGroupedBatchedEx(cublasHandle_t handle, const cublasOperation_t transa_array[],
                                          const cublasOperation_t transb_array[], const int m_array[],
                                          const int n_array[], const int k_array[], const void* alpha_array,
                                          const void* const Aarray[], cudaDataType_t Atype, const int lda_array[],
                                          const void* const Barray[], cudaDataType_t Btype, const int ldb_array[],
                                          const void* beta_array, void* const Carray[], cudaDataType_t Ctype,
                                          const int ldc_array[], int group_count, const int group_size[],
                                          cublasComputeType_t computeType) {
  const Groups groups{transa_array, transb_array, m_array, n_array, k_array, lda_array, ldb_array, ldc_array,
                      group_size, alpha_array, beta_array, group_count};
  return moe::emulation::grouped_gemm("cublasGemmGroupedBatchedEx", handle, groups,
                                      Types{Atype, Btype, Ctype, computeType}, Aarray, Barray, Carray);
}
