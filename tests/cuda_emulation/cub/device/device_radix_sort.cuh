#pragma once
// Host emulation of CUB (a test double, see moe_emulation/launch.hpp):
// cub::DeviceRadixSort::SortPairs for integral keys, stable and ascending by
// the key bits [begin_bit, end_bit) as CUB orders them (signed keys by value).

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <type_traits>
#include <vector>

#include "cuda_runtime_api.h"
#include "moe_emulation/temp_storage.hpp"

namespace cub {

struct DeviceRadixSort {
  template <typename KeyT, typename ValueT, typename NumItemsT>
  static cudaError_t SortPairs(void* d_temp_storage, std::size_t& temp_storage_bytes, const KeyT* d_keys_in,
                               KeyT* d_keys_out, const ValueT* d_values_in, ValueT* d_values_out,
                               NumItemsT num_items, int begin_bit = 0, int end_bit = sizeof(KeyT) * 8,
                               cudaStream_t stream = 0) {
    static_assert(std::is_integral_v<KeyT>, "the emulated DeviceRadixSort sorts integral keys only");
    const char* api = "cub::DeviceRadixSort::SortPairs";
    if (moe::emulation::is_negative(num_items) || begin_bit < 0 || end_bit > static_cast<int>(sizeof(KeyT) * 8) ||
        begin_bit > end_bit)
      return cudaErrorInvalidValue;
    const std::size_t n = static_cast<std::size_t>(num_items);
    const std::size_t required = 256 + n * (sizeof(KeyT) + sizeof(ValueT));
    if (moe::emulation::is_size_query(d_temp_storage, temp_storage_bytes, required)) return cudaSuccess;
    const cudaError_t storage = moe::emulation::check_temp_storage(d_temp_storage, temp_storage_bytes, required, api);
    if (storage != cudaSuccess || n == 0) return storage;
    (void)stream;
    check_ranges(api, d_keys_in, d_keys_out, d_values_in, d_values_out, n);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return sort_bits(d_keys_in[a], begin_bit, end_bit) < sort_bits(d_keys_in[b], begin_bit, end_bit);
    });
    for (std::size_t i = 0; i < n; ++i) {
      d_keys_out[i] = d_keys_in[order[i]];
      d_values_out[i] = d_values_in[order[i]];
    }
    return cudaSuccess;
  }

 private:
  // The bits CUB sorts by: the key as unsigned, with the sign bit flipped for
  // signed types (so that negative keys come first), masked to [begin, end).
  template <typename KeyT>
  static unsigned long long sort_bits(KeyT key, int begin_bit, int end_bit) {
    using Bits = std::make_unsigned_t<KeyT>;
    Bits bits = static_cast<Bits>(key);
    if constexpr (std::is_signed_v<KeyT>) bits ^= Bits(Bits(1) << (sizeof(KeyT) * 8 - 1));
    const unsigned long long value = static_cast<unsigned long long>(bits) >> begin_bit;
    const int width = end_bit - begin_bit;
    return width >= 64 ? value : value & ((1ull << width) - 1);
  }

  template <typename KeyT, typename ValueT>
  static void check_ranges(const char* api, const KeyT* keys_in, const KeyT* keys_out, const ValueT* values_in,
                           const ValueT* values_out, std::size_t n) {
    moe::emulation::require_device_range(keys_in, n * sizeof(KeyT), api, "d_keys_in");
    moe::emulation::require_device_range(keys_out, n * sizeof(KeyT), api, "d_keys_out");
    moe::emulation::require_device_range(values_in, n * sizeof(ValueT), api, "d_values_in");
    moe::emulation::require_device_range(values_out, n * sizeof(ValueT), api, "d_values_out");
    moe::emulation::require_disjoint(keys_in, keys_out, n * sizeof(KeyT), api, "d_keys_in and d_keys_out");
    moe::emulation::require_disjoint(values_in, values_out, n * sizeof(ValueT), api, "d_values_in and d_values_out");
  }
};

}  // namespace cub
