#include "device_products.hpp"

#include <algorithm>

#include "device_kernels.hpp"

namespace moe::cuda {
void weighted_gram_stacked(cublasHandle_t blas, double* stacked, double beta, const double* X, std::size_t ldx,
                           const double* W, std::size_t ldw, std::size_t rows, std::size_t p, std::size_t m,
                           double* scaled, std::size_t block_rows) {
  const std::size_t width = m * p;
  for (std::size_t start = 0; start < rows; start += block_rows) {
    const std::size_t count = std::min(block_rows, rows - start);
    launch::scale_rows_stacked(scaled, X + start, ldx, W + start, ldw, count, p, m);
    gemm(blas, true, false, width, p, count, scaled, count, X + start, ldx, start == 0 ? beta : 1.0, stacked, width,
         "moe::cuda::weighted_gram_stacked");
  }
}

arma::cube symmetric_slices(const double* stacked, std::size_t p, std::size_t m) {
  arma::mat S(m * p, p);
  if (!S.is_empty())
    MOE_CUDA_CHECK(cudaMemcpy(S.memptr(), stacked, S.n_elem * sizeof(double), cudaMemcpyDeviceToHost));
  arma::cube out(p, p, m);
  for (std::size_t j = 0; j < m; ++j) {
    const arma::mat slice = S.rows(j * p, (j + 1) * p - 1);
    out.slice(j) = 0.5 * (slice + slice.t());
  }
  return out;
}

}  // namespace moe::cuda
