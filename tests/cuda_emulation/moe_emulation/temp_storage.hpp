#pragma once
// Host emulation of CUB (a test double): the two-phase temporary-storage
// protocol of CUB's device algorithms. A first call with d_temp_storage = null
// only sets temp_storage_bytes; the second gets that much device memory. The
// sizes grow with the number of items, as CUB's do, so that storage sized for
// fewer items is refused (cudaErrorInvalidValue).

#include <cstddef>
#include <string>
#include <type_traits>

#include "cuda_runtime_api.h"
#include "moe_emulation/device_memory.hpp"

namespace moe::emulation {

/// num_items < 0, for any integral type.
template <class NumItems>
bool is_negative(NumItems num_items) {
  if constexpr (std::is_signed_v<NumItems>) return num_items < 0;
  return false;
}

/// True (and temp_storage_bytes set to `required`) when this call only asks for the size.
inline bool is_size_query(const void* d_temp_storage, std::size_t& temp_storage_bytes, std::size_t required) {
  if (d_temp_storage != nullptr) return false;
  temp_storage_bytes = required;
  return true;
}

/// cudaSuccess when the storage is device memory of at least `required` bytes.
inline cudaError_t check_temp_storage(const void* d_temp_storage, std::size_t temp_storage_bytes,
                                      std::size_t required, const char* api) {
  require_device_range(d_temp_storage, temp_storage_bytes, api, "d_temp_storage");
  return temp_storage_bytes >= required ? cudaSuccess : cudaErrorInvalidValue;
}

/// Aborts when two device ranges of the same call overlap (CUB forbids it).
inline void require_disjoint(const void* a, const void* b, std::size_t bytes, const char* api, const char* what) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  if (bytes > 0 && x < y + bytes && y < x + bytes) abort_misuse(api, std::string(what) + " overlap");
}

}  // namespace moe::emulation
