// Host emulation of the CUDA API: device memory (cudaMalloc, cudaFree, cudaMemcpy,
// cudaMemset) as tracked host allocations, and the pointer checks of
// moe_emulation/device_memory.hpp.
#include "moe_emulation/device_memory.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "cuda_runtime_api.h"
#include "moe_emulation/runtime_state.hpp"

namespace moe::emulation {
namespace {

// cudaMalloc's alignment.
constexpr std::size_t kAlignment = 256;
// Fresh allocations are filled with this byte (NaN doubles and floats, −1
// integers), so that reading device memory never written shows up as it would
// on a GPU, where cudaMalloc does not clear memory.
constexpr unsigned char kFreshByte = 0xFF;

class Allocations {
 public:
  void add(const void* start, std::size_t bytes) {
    const std::lock_guard<std::mutex> lock(mutex_);
    sizes_[address(start)] = bytes;
  }
  /// False when `start` is not the start of a live allocation.
  bool remove(const void* start) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return sizes_.erase(address(start)) == 1;
  }
  /// Bytes of the live allocation from `pointer` to its end; 0 when `pointer`
  /// is in no live allocation.
  std::size_t bytes_from(const void* pointer) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::uintptr_t at = address(pointer);
    auto next = sizes_.upper_bound(at);
    if (next == sizes_.begin()) return 0;
    const auto& [start, bytes] = *std::prev(next);
    return at < start + bytes ? start + bytes - at : 0;
  }

 private:
  static std::uintptr_t address(const void* pointer) { return reinterpret_cast<std::uintptr_t>(pointer); }

  mutable std::mutex mutex_;
  std::map<std::uintptr_t, std::size_t> sizes_;  // start → bytes
};

Allocations& allocations() {
  static Allocations* const live = new Allocations();  // never destroyed: frees may come at exit
  return *live;
}

std::string describe(const void* pointer) {
  char text[32];
  std::snprintf(text, sizeof text, "%p", pointer);
  return text;
}

// Checks both sides of a copy against its kind (cudaMemcpyDefault: any side).
void check_copy(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind, const char* api) {
  const bool to_device = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
  const bool from_device = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
  if (kind == cudaMemcpyDefault) {
    if (is_device_pointer(destination)) require_device_range(destination, bytes, api, "destination");
    if (is_device_pointer(source)) require_device_range(source, bytes, api, "source");
    return;
  }
  if (to_device)
    require_device_range(destination, bytes, api, "destination");
  else
    require_host_range(destination, bytes, api, "destination");
  if (from_device)
    require_device_range(source, bytes, api, "source");
  else
    require_host_range(source, bytes, api, "source");
}

// cudaMemcpy's ranges must not overlap (memmove would hide it).
void check_disjoint(const void* destination, const void* source, std::size_t bytes, const char* api) {
  const auto* d = static_cast<const unsigned char*>(destination);
  const auto* s = static_cast<const unsigned char*>(source);
  if (d < s + bytes && s < d + bytes) abort_misuse(api, "source and destination overlap");
}

bool valid_kind(cudaMemcpyKind kind) { return kind >= cudaMemcpyHostToHost && kind <= cudaMemcpyDefault; }

}  // namespace

void abort_misuse(const char* api, const std::string& message) {
  std::fprintf(stderr, "moe CUDA emulation: %s: %s\n", api, message.c_str());
  std::fflush(stderr);
  std::abort();
}

bool is_device_pointer(const void* pointer) { return allocations().bytes_from(pointer) > 0; }

void require_device_range(const void* pointer, std::size_t bytes, const char* api, const char* argument) {
  if (bytes == 0) return;
  const std::size_t available = allocations().bytes_from(pointer);
  if (available == 0)
    abort_misuse(api, std::string(argument) + " (" + describe(pointer) + ") is not device memory");
  if (available < bytes)
    abort_misuse(api, std::string(argument) + " needs " + std::to_string(bytes) + " bytes but its allocation has " +
                          std::to_string(available) + " from there");
}

void require_host_range(const void* pointer, std::size_t bytes, const char* api, const char* argument) {
  if (bytes == 0) return;
  if (pointer == nullptr) abort_misuse(api, std::string(argument) + " is null");
  const auto* first = static_cast<const unsigned char*>(pointer);
  if (is_device_pointer(first) || is_device_pointer(first + bytes - 1))
    abort_misuse(api, std::string(argument) + " (" + describe(pointer) + ") is device memory, host memory expected");
}

void require_device_matrix(const void* pointer, std::size_t element_bytes, std::size_t rows, std::size_t cols,
                           std::size_t ld, const char* api, const char* argument) {
  if (rows == 0 || cols == 0) return;
  require_device_range(pointer, ((cols - 1) * ld + rows) * element_bytes, api, argument);
}

}  // namespace moe::emulation

using moe::emulation::record_error;

cudaError_t cudaMalloc(void** pointer, std::size_t bytes) {
  if (pointer == nullptr) return record_error(cudaErrorInvalidValue);
  *pointer = nullptr;
  if (bytes == 0) return cudaSuccess;  // as the real runtime: success and a null pointer
  const std::size_t rounded = (bytes + moe::emulation::kAlignment - 1) / moe::emulation::kAlignment *
                              moe::emulation::kAlignment;
  void* memory = std::aligned_alloc(moe::emulation::kAlignment, rounded);
  if (memory == nullptr) return record_error(cudaErrorMemoryAllocation);
  std::memset(memory, moe::emulation::kFreshByte, bytes);
  moe::emulation::allocations().add(memory, bytes);
  *pointer = memory;
  return cudaSuccess;
}

cudaError_t cudaFree(void* pointer) {
  if (pointer == nullptr) return cudaSuccess;
  if (!moe::emulation::allocations().remove(pointer))
    moe::emulation::abort_misuse("cudaFree", moe::emulation::describe(pointer) +
                                                 " is not the start of a live allocation (freed twice, or never "
                                                 "allocated by cudaMalloc)");
  std::free(pointer);
  return cudaSuccess;
}

cudaError_t cudaMemcpy(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind) {
  if (!moe::emulation::valid_kind(kind)) return record_error(cudaErrorInvalidMemcpyDirection);
  if (bytes == 0) return cudaSuccess;
  moe::emulation::check_copy(destination, source, bytes, kind, "cudaMemcpy");
  moe::emulation::check_disjoint(destination, source, bytes, "cudaMemcpy");
  std::memcpy(destination, source, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream) {
  if (!moe::emulation::valid_stream(stream)) return record_error(cudaErrorInvalidResourceHandle);
  return cudaMemcpy(destination, source, bytes, kind);
}

cudaError_t cudaMemset(void* pointer, int value, std::size_t bytes) {
  moe::emulation::require_device_range(pointer, bytes, "cudaMemset", "destination");
  if (bytes > 0) std::memset(pointer, value, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemsetAsync(void* pointer, int value, std::size_t bytes, cudaStream_t stream) {
  if (!moe::emulation::valid_stream(stream)) return record_error(cudaErrorInvalidResourceHandle);
  return cudaMemset(pointer, value, bytes);
}
