#pragma once
// Host emulation of cuBLAS (a test double): the state behind a cublasHandle_t
// and the argument checks shared by the emulated cuBLAS routines.

#include <cstddef>

#include "cublas_api.h"

struct cublasContext {
  cudaStream_t stream = nullptr;
  cublasMath_t math = CUBLAS_DEFAULT_MATH;
};

namespace moe::emulation {

/// True for a handle from cublasCreate not yet destroyed.
bool valid_handle(cublasHandle_t handle);

/// CUBLAS_OP_N, _T or _C (which is _T for real matrices).
inline bool valid_operation(cublasOperation_t op) {
  return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C;
}

/// The leading dimension is at least max(1, rows as stored).
inline bool valid_leading_dimension(int ld, int rows) { return ld >= (rows > 1 ? rows : 1); }

/// Element i of the n-vector at x with increment inc (≠ 0): BLAS order, so a
/// negative increment starts from the far end.
inline std::size_t strided(std::size_t i, int n, int inc) {
  return inc > 0 ? i * static_cast<std::size_t>(inc) : (static_cast<std::size_t>(n) - 1 - i) * static_cast<std::size_t>(-inc);
}

/// Elements an n-vector with increment inc spans (n > 0).
inline std::size_t vector_span(int n, int inc) {
  return (static_cast<std::size_t>(n) - 1) * static_cast<std::size_t>(inc > 0 ? inc : -inc) + 1;
}

}  // namespace moe::emulation
