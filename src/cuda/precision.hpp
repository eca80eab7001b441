#pragma once
// Internal to the CUDA backend: the element types its kernels and GEMMs store
// (double, float, bf16) and the type each accumulates in: bf16 values are summed
// in fp32, the others in their own precision. Host-safe (no device code).

#include <cuda_bf16.h>
#include <library_types.h>

namespace moe::cuda {

using bf16 = __nv_bfloat16;

template <class T>
struct Precision;
template <>
struct Precision<double> {
  using Accum = double;
  static constexpr cudaDataType_t kData = CUDA_R_64F;
};
template <>
struct Precision<float> {
  using Accum = float;
  static constexpr cudaDataType_t kData = CUDA_R_32F;
};
template <>
struct Precision<bf16> {
  using Accum = float;
  static constexpr cudaDataType_t kData = CUDA_R_16BF;
};

/// The type a kernel accumulates T in (and takes weights and scales as).
template <class T>
using Accum = typename Precision<T>::Accum;

}  // namespace moe::cuda
