#pragma once
// Host emulation of CUDA's cuda_runtime.h (a test double, see
// moe_emulation/launch.hpp): the runtime API, the function qualifiers as
// nothing, the built-in launch variables, and the device math the kernels use.
// Kernels run as plain C++ functions; launch them with MOE_LAUNCH (src/cuda/launch.hpp).
// What is not here (shared memory, __syncthreads, shuffles, atomics) does not
// compile, on purpose: the sequential emulation could not run it faithfully.

#include <math.h>  // exp, log, log1p, isnan, expf, fmaxf, INFINITY, ...: device math, unqualified as in CUDA

#include <cmath>

#include "cuda_runtime_api.h"

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)

// Per (emulated) thread: set by the launcher before each kernel call.
inline thread_local uint3 threadIdx{0, 0, 0};
inline thread_local uint3 blockIdx{0, 0, 0};
inline thread_local dim3 blockDim{1, 1, 1};
inline thread_local dim3 gridDim{1, 1, 1};

// Arithmetic with round-to-nearest and no contraction into fused multiply-add
// (the project builds without -ffp-contract on x86-64 SSE, which has no FMA).
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
