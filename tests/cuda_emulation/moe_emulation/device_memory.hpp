#pragma once
// Host emulation of the CUDA API (a test double): the checks that the emulated
// runtime, cuBLAS, cuSOLVER and CUB make on pointers. Device memory is host
// memory from cudaMalloc whose every allocation is tracked; a pointer that the
// real API would reject or crash on aborts the program with a message saying
// which call and which argument.

#include <cstddef>
#include <string>

namespace moe::emulation {

/// Prints "moe CUDA emulation: <api>: <message>" on standard error and aborts.
[[noreturn]] void abort_misuse(const char* api, const std::string& message);

/// True when `pointer` lies inside a live cudaMalloc allocation.
bool is_device_pointer(const void* pointer);

/// Aborts unless [pointer, pointer + bytes) lies inside one live allocation
/// (nothing to check for bytes = 0).
void require_device_range(const void* pointer, std::size_t bytes, const char* api, const char* argument);

/// Aborts when any of [pointer, pointer + bytes) is device memory (bytes > 0).
void require_host_range(const void* pointer, std::size_t bytes, const char* api, const char* argument);

/// The column-major rows×cols matrix of `element_bytes` elements at `pointer`
/// with leading dimension ld ≥ rows: checked as the range it spans.
void require_device_matrix(const void* pointer, std::size_t element_bytes, std::size_t rows, std::size_t cols,
                           std::size_t ld, const char* api, const char* argument);

}  // namespace moe::emulation
