#pragma once
// Internal to the CUDA backend: the grouped products over rows sorted by expert
// (kernels.hpp's grouped_matmul and grouped_cross), each ONE cuBLAS grouped
// batched GEMM over the experts that have rows, whatever E is. Used by the
// Kernels interface (fp64) and by the sparse MoE layer on the device (fp32,
// bf16 with fp32 accumulation). Device pointers; the routed matrices (Xr, out,
// Ar, Br) are row-major, one contiguous row per assignment (as the routed
// kernels of device_kernels.hpp), the weights and weight gradients column-major
// (as Armadillo's cubes); `offsets` (E+1 group boundaries in rows,
// nondecreasing) lives on the host.

#include <cstddef>
#include <cstdint>

#include "cuda_util.hpp"
#include "precision.hpp"

namespace moe::cuda {

/// Per expert e with rows: out.rows(group e) = Xr.rows(group e) · W_e, or · W_eᵀ
/// when transpose. Rows outside every group are left as they are.
/// out: rows×d_out;  Xr: rows×d_in;  W: d_in×d_out×E (transpose: d_out×d_in×E).
template <class T>
void grouped_matmul(cublasHandle_t blas, T* out, const T* Xr, const T* W, std::size_t d_in, std::size_t d_out,
                    const std::uint64_t* offsets, std::size_t E, bool transpose);

/// Per expert e: out_e = Ar.rows(group e)ᵀ · Br.rows(group e), exactly zero for
/// an expert without rows.  out: d_a×d_b×E;  Ar: rows×d_a;  Br: rows×d_b.
template <class T>
void grouped_cross(cublasHandle_t blas, T* out, const T* Ar, const T* Br, std::size_t d_a, std::size_t d_b,
                   const std::uint64_t* offsets, std::size_t E);

}  // namespace moe::cuda
