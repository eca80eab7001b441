#pragma once
// Internal to the CUDA backend's .cu files: conversions between a stored type
// and its accumulator (precision.hpp), and additions and products rounded one
// at a time (no fused multiply-add), so that a sum does not depend on what the
// compiler contracts.

#include "precision.hpp"

namespace moe::cuda::math {

__device__ inline double widen(double x) { return x; }
__device__ inline float widen(float x) { return x; }
__device__ inline float widen(bf16 x) { return __bfloat162float(x); }

/// x rounded to the stored type T.
template <class T>
__device__ inline T narrow(Accum<T> x) {
  return static_cast<T>(x);
}
template <>
__device__ inline bf16 narrow<bf16>(float x) {
  return __float2bfloat16(x);
}

__device__ inline double add_rn(double a, double b) { return __dadd_rn(a, b); }
__device__ inline float add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ inline double mul_rn(double a, double b) { return __dmul_rn(a, b); }
__device__ inline float mul_rn(float a, float b) { return __fmul_rn(a, b); }

}  // namespace moe::cuda::math
