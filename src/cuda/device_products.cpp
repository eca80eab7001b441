#include "device_products.hpp"

#include <algorithm>

#include "../gram_pairs.h"
#include "device_kernels.hpp"

namespace moe::cuda {
namespace {

// The rows of K formed at once: at most this many doubles (64 MiB).
constexpr std::size_t kBlockDoubles = std::size_t{1} << 23;

}  // namespace

void add_weighted_gram(cublasHandle_t blas, double* half, double beta, const double* D, std::size_t ldd,
                       const double* W, std::size_t ldw, std::size_t rows, std::size_t p, std::size_t m,
                       DeviceBuffer<double>& scratch) {
  const std::size_t pairs = p * (p + 1) / 2;
  if (pairs == 0 || m == 0) return;
  if (rows == 0) {  // an empty sum
    if (beta == 0.0) MOE_CUDA_CHECK(cudaMemset(half, 0, pairs * m * sizeof(double)));
    return;
  }
  const std::size_t block = std::clamp<std::size_t>(kBlockDoubles / pairs, 1, rows);
  double* K = scratch.reserve(block * pairs);
  for (std::size_t start = 0; start < rows; start += block) {
    const std::size_t count = std::min(block, rows - start);
    launch::khatri_rao_square(K, D + start, ldd, count, p);
    gemm(blas, true, false, pairs, m, count, K, count, W + start, ldw, start == 0 ? beta : 1.0, half, pairs,
         "moe::cuda::add_weighted_gram");
  }
}

arma::cube gram_slices(const double* half, std::size_t p, std::size_t m) {
  arma::mat H(p * (p + 1) / 2, m);
  if (!H.is_empty())
    MOE_CUDA_CHECK(cudaMemcpy(H.memptr(), half, H.n_elem * sizeof(double), cudaMemcpyDeviceToHost));
  return symmetric_from_pairs(H, p);
}

}  // namespace moe::cuda
