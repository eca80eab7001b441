// Grouped products on cuBLAS's grouped batched GEMM: every nonempty expert is a
// group of one problem (its own row count); the problem list is built on the
// host, the matrix pointers are copied to the device for the one call.
#include "grouped_gemm.hpp"

#include <type_traits>
#include <vector>

#include "blas.hpp"

namespace moe::cuda {
namespace {

// The matrix pointers of one call on the device, in a buffer this thread keeps
// for its later calls (cudaMalloc and cudaFree at every call would synchronize
// the device). Reuse is safe: the copy into the buffer is queued on the default
// stream behind the previous call's GEMMs, which read it.
const void* const* device_pointers(const std::vector<const void*>& host) {
  static thread_local DeviceBuffer<const void*>* const buffer = new DeviceBuffer<const void*>();  // never freed
  buffer->reserve(host.size());
  MOE_CUDA_CHECK(cudaMemcpy(buffer->get(), host.data(), host.size() * sizeof(const void*), cudaMemcpyHostToDevice));
  return buffer->get();
}

// The problems of one grouped call, one per nonempty expert: C_g = op(A_g)·op(B_g).
template <class T>
struct Problems {
  std::vector<cublasOperation_t> trans_a, trans_b;
  std::vector<int> m, n, k, lda, ldb, ldc;
  std::vector<const T*> A, B;
  std::vector<T*> C;

  void add(bool ta, bool tb, std::size_t rows, std::size_t cols, std::size_t inner, const T* a, std::size_t la,
           const T* b, std::size_t lb, T* c, std::size_t lc, const char* who) {
    trans_a.push_back(ta ? CUBLAS_OP_T : CUBLAS_OP_N);
    trans_b.push_back(tb ? CUBLAS_OP_T : CUBLAS_OP_N);
    m.push_back(blas_int(rows, who));
    n.push_back(blas_int(cols, who));
    k.push_back(blas_int(inner, who));
    lda.push_back(blas_int(la, who));
    ldb.push_back(blas_int(lb, who));
    ldc.push_back(blas_int(lc, who));
    A.push_back(a);
    B.push_back(b);
    C.push_back(c);
  }

  // C_g = op(A_g)·op(B_g) for every problem, in one call.
  void run(cublasHandle_t blas) const {
    const std::size_t count = C.size();
    if (count == 0) return;
    const int groups = static_cast<int>(count);
    std::vector<const void*> pointers(A.begin(), A.end());  // A's, then B's, then C's
    pointers.insert(pointers.end(), B.begin(), B.end());
    pointers.insert(pointers.end(), C.begin(), C.end());
    const void* const* a = device_pointers(pointers);
    const void* const* b = a + count;
    void* const* c = const_cast<void* const*>(a + 2 * count);  // C's were stored as const only to share the buffer
    const std::vector<Accum<T>> one(count, Accum<T>(1)), zero(count, Accum<T>(0));
    const std::vector<int> group_size(count, 1);
    if constexpr (std::is_same_v<T, double>) {
      MOE_CUDA_CHECK(cublasDgemmGroupedBatched(
          blas, trans_a.data(), trans_b.data(), m.data(), n.data(), k.data(), one.data(),
          reinterpret_cast<const double* const*>(a), lda.data(), reinterpret_cast<const double* const*>(b), ldb.data(),
          zero.data(), reinterpret_cast<double* const*>(c), ldc.data(), groups, group_size.data()));
    } else {
      MOE_CUDA_CHECK(cublasGemmGroupedBatchedEx(blas, trans_a.data(), trans_b.data(), m.data(), n.data(), k.data(),
                                                one.data(), a, Precision<T>::kData, lda.data(), b, Precision<T>::kData,
                                                ldb.data(), zero.data(), c, Precision<T>::kData, ldc.data(), groups,
                                                group_size.data(), CUBLAS_COMPUTE_32F));
    }
  }
};

}  // namespace

// A row-major r×c matrix is its column-major c×r transpose, and a group's rows
// are the columns [first, first + count) of it: the products below are written
// for the transposes.
template <class T>
void grouped_matmul(cublasHandle_t blas, T* out, const T* Xr, const T* W, std::size_t d_in, std::size_t d_out,
                    const std::uint64_t* offsets, std::size_t E, bool transpose) {
  const char* who = "grouped_matmul";
  if (d_in == 0 || d_out == 0) return;
  Problems<T> problems;
  for (std::size_t e = 0; e < E; ++e) {
    const std::size_t first = offsets[e], count = offsets[e + 1] - offsets[e];
    if (count == 0) continue;
    // out_eᵀ (d_out×count) = op(W_e)ᵀ Xr_eᵀ: W_e is d_in×d_out (transposed when
    // `transpose`: d_out×d_in), column-major.
    problems.add(!transpose, false, d_out, count, d_in, W + e * d_in * d_out, transpose ? d_out : d_in,
                 Xr + first * d_in, d_in, out + first * d_out, d_out, who);
  }
  problems.run(blas);
}

template <class T>
void grouped_cross(cublasHandle_t blas, T* out, const T* Ar, const T* Br, std::size_t d_a, std::size_t d_b,
                   const std::uint64_t* offsets, std::size_t E) {
  const char* who = "grouped_cross";
  const std::size_t slice = d_a * d_b;
  if (slice == 0) return;
  Problems<T> problems;
  for (std::size_t e = 0; e < E; ++e) {
    const std::size_t first = offsets[e], count = offsets[e + 1] - offsets[e];
    if (count == 0)
      MOE_CUDA_CHECK(cudaMemset(out + e * slice, 0, slice * sizeof(T)));  // all-zero bits: +0 in every type
    else  // out_e = Ar_eᵀ Br_e = (Ar_eᵀ)(Br_eᵀ)ᵀ with the transposes d_a×count and d_b×count
      problems.add(false, true, d_a, d_b, count, Ar + first * d_a, d_a, Br + first * d_b, d_b, out + e * slice, d_a,
                   who);
  }
  problems.run(blas);
}

template void grouped_matmul(cublasHandle_t, double*, const double*, const double*, std::size_t, std::size_t,
                             const std::uint64_t*, std::size_t, bool);
template void grouped_matmul(cublasHandle_t, float*, const float*, const float*, std::size_t, std::size_t,
                             const std::uint64_t*, std::size_t, bool);
template void grouped_matmul(cublasHandle_t, bf16*, const bf16*, const bf16*, std::size_t, std::size_t,
                             const std::uint64_t*, std::size_t, bool);
template void grouped_cross(cublasHandle_t, double*, const double*, const double*, std::size_t, std::size_t,
                            const std::uint64_t*, std::size_t);
template void grouped_cross(cublasHandle_t, float*, const float*, const float*, std::size_t, std::size_t,
                            const std::uint64_t*, std::size_t);
template void grouped_cross(cublasHandle_t, bf16*, const bf16*, const bf16*, std::size_t, std::size_t,
                            const std::uint64_t*, std::size_t);

}  // namespace moe::cuda
