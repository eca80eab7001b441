#pragma once
// Internal to the CUDA backend's host code: the routed operations and the
// device layer take row-major matrices (each token's row contiguous), the host
// holds Armadillo's column-major ones; a matrix goes up as its transpose and
// comes back transposed.

#include <armadillo>
#include <cstddef>

#include "cuda_util.hpp"

namespace moe::cuda {

/// M (rows×cols, column-major) as a row-major matrix on the device.
template <class eT>
DeviceBuffer<eT> upload_rows(const arma::Mat<eT>& M) {
  const arma::Mat<eT> transposed = M.t();
  return DeviceBuffer<eT>(transposed.memptr(), transposed.n_elem);
}

/// A row-major rows×cols matrix on the device, as a column-major one.
template <class eT>
arma::Mat<eT> download_rows(const DeviceBuffer<eT>& buffer, std::size_t rows, std::size_t cols) {
  arma::Mat<eT> transposed(cols, rows);
  buffer.download(transposed.memptr());
  return transposed.t();
}

}  // namespace moe::cuda
