#pragma once
// Internal to the CUDA backend (src/cuda): status checks that turn CUDA,
// cuBLAS and cuSOLVER failures into C++ exceptions, and an owning buffer of
// device memory. Included by the .cu and .cpp files of src/cuda only; it holds
// no Armadillo, so nvcc's host pass can read it.

#include <cublas_v2.h>
#include <cuda_runtime.h>  // explicit: nvcc adds it to .cu files itself, g++ (the host emulation) does not
#include <cusolverDn.h>

#include <cstddef>
#include <utility>

namespace moe::cuda {

/// Throws std::runtime_error("moe CUDA backend: <call> failed at <file>:<line>: <detail>").
[[noreturn]] void throw_failure(const char* call, const char* detail, const char* file, int line);

void check(cudaError_t status, const char* call, const char* file, int line);
void check(cublasStatus_t status, const char* call, const char* file, int line);
void check(cusolverStatus_t status, const char* call, const char* file, int line);

}  // namespace moe::cuda

/// Checks the status a CUDA runtime, cuBLAS or cuSOLVER call returns.
#define MOE_CUDA_CHECK(call) ::moe::cuda::check((call), #call, __FILE__, __LINE__)

namespace moe::cuda {

/// `count` elements of T in device memory, freed with the buffer; no memory is
/// allocated for count = 0 (get() is then null).
template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count) : count_(count) {
    if (count_ > 0) MOE_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count_ * sizeof(T)));
  }
  /// A copy of host[0, count).
  DeviceBuffer(const T* host, std::size_t count) : DeviceBuffer(count) { upload(host); }
  ~DeviceBuffer() {
    if (data_ != nullptr) cudaFree(data_);  // no throw from a destructor
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), count_(std::exchange(other.count_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(count_, other.count_);
    return *this;
  }

  T* get() const { return data_; }
  std::size_t size() const { return count_; }

  /// Grows the buffer to at least `count` elements (contents are not kept);
  /// scratch that lives across calls, as cudaMalloc and cudaFree are slow and
  /// synchronize. Returns get().
  T* reserve(std::size_t count) {
    if (count_ < count) *this = DeviceBuffer(count);
    return data_;
  }

  /// Copies host[0, size()) to the device.
  void upload(const T* host) {
    if (count_ > 0) MOE_CUDA_CHECK(cudaMemcpy(data_, host, count_ * sizeof(T), cudaMemcpyHostToDevice));
  }
  /// Copies the buffer to host[0, size()); waits for the work queued before it.
  void download(T* host) const {
    if (count_ > 0) MOE_CUDA_CHECK(cudaMemcpy(host, data_, count_ * sizeof(T), cudaMemcpyDeviceToHost));
  }
  /// Sets every byte to zero (0.0 for doubles).
  void zero() {
    if (count_ > 0) MOE_CUDA_CHECK(cudaMemset(data_, 0, count_ * sizeof(T)));
  }

 private:
  T* data_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace moe::cuda
