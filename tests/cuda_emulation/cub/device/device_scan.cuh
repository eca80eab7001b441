#pragma once
// Host emulation of CUB (a test double, see moe_emulation/launch.hpp):
// cub::DeviceScan::ExclusiveSum and InclusiveSum over device arrays, summed in
// the input's type as CUB does; d_in = d_out (in place) is allowed.

#include <cstddef>
#include <type_traits>
#include <vector>

#include "cuda_runtime_api.h"
#include "moe_emulation/temp_storage.hpp"

namespace cub {

struct DeviceScan {
  template <typename InputT, typename OutputT, typename NumItemsT>
  static cudaError_t ExclusiveSum(void* d_temp_storage, std::size_t& temp_storage_bytes, InputT* d_in,
                                  OutputT* d_out, NumItemsT num_items, cudaStream_t stream = 0) {
    (void)stream;
    return scan("cub::DeviceScan::ExclusiveSum", false, d_temp_storage, temp_storage_bytes, d_in, d_out, num_items);
  }

  template <typename InputT, typename OutputT, typename NumItemsT>
  static cudaError_t InclusiveSum(void* d_temp_storage, std::size_t& temp_storage_bytes, InputT* d_in,
                                  OutputT* d_out, NumItemsT num_items, cudaStream_t stream = 0) {
    (void)stream;
    return scan("cub::DeviceScan::InclusiveSum", true, d_temp_storage, temp_storage_bytes, d_in, d_out, num_items);
  }

 private:
  template <typename InputT, typename OutputT, typename NumItemsT>
  static cudaError_t scan(const char* api, bool inclusive, void* d_temp_storage, std::size_t& temp_storage_bytes,
                          InputT* d_in, OutputT* d_out, NumItemsT num_items) {
    using Sum = std::remove_const_t<InputT>;
    if (moe::emulation::is_negative(num_items)) return cudaErrorInvalidValue;
    const std::size_t n = static_cast<std::size_t>(num_items);
    const std::size_t required = 256 + 16 * ((n + 255) / 256);  // one tile descriptor per 256 items
    if (moe::emulation::is_size_query(d_temp_storage, temp_storage_bytes, required)) return cudaSuccess;
    const cudaError_t storage = moe::emulation::check_temp_storage(d_temp_storage, temp_storage_bytes, required, api);
    if (storage != cudaSuccess || n == 0) return storage;
    moe::emulation::require_device_range(d_in, n * sizeof(InputT), api, "d_in");
    moe::emulation::require_device_range(d_out, n * sizeof(OutputT), api, "d_out");
    const std::vector<Sum> input(d_in, d_in + n);  // read first: the scan may be in place
    Sum running{};
    for (std::size_t i = 0; i < n; ++i) {
      if (inclusive) running = running + input[i];
      d_out[i] = static_cast<OutputT>(running);
      if (!inclusive) running = running + input[i];
    }
    return cudaSuccess;
  }
};

}  // namespace cub
