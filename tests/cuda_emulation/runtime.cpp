// Host emulation of the CUDA runtime: the device, errors, synchronization,
// streams and events. Work runs synchronously when it is issued, so every
// synchronization is immediate.
#include <chrono>
#include <cstdio>
#include <mutex>

#include "cuda_runtime_api.h"
#include "moe_emulation/handles.hpp"
#include "moe_emulation/runtime_state.hpp"

struct CUstream_st {};
struct CUevent_st {
  bool recorded = false;
  std::chrono::steady_clock::time_point time;
};

namespace moe::emulation {
namespace {

thread_local cudaError_t last_error = cudaSuccess;

Handles<CUstream_st>& streams() { return live_handles<CUstream_st>(); }
Handles<CUevent_st>& events() { return live_handles<CUevent_st>(); }

bool valid_event(cudaEvent_t event) { return events().contains(event); }

// Said once per process, so that no test log passes for a GPU run.
void announce_emulation() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::fprintf(stderr,
                 "moe CUDA emulation: the CUDA backend runs on the host emulation of tests/cuda_emulation "
                 "(one emulated device, no GPU)\n");
  });
}

}  // namespace

cudaError_t record_error(cudaError_t error) {
  if (error != cudaSuccess) last_error = error;
  return error;
}

bool valid_stream(cudaStream_t stream) { return stream == nullptr || streams().contains(stream); }

}  // namespace moe::emulation

using moe::emulation::record_error;
using moe::emulation::valid_stream;

cudaError_t cudaGetDeviceCount(int* count) {
  if (count == nullptr) return record_error(cudaErrorInvalidValue);
  moe::emulation::announce_emulation();
  *count = 1;
  return cudaSuccess;
}

cudaError_t cudaGetDevice(int* device) {
  if (device == nullptr) return record_error(cudaErrorInvalidValue);
  *device = 0;
  return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* properties, int device) {
  if (properties == nullptr) return record_error(cudaErrorInvalidValue);
  if (device != 0) return record_error(cudaErrorInvalidDevice);
  moe::emulation::announce_emulation();
  *properties = cudaDeviceProp{};
  std::snprintf(properties->name, sizeof properties->name, "moe host emulation of CUDA (not a GPU)");
  properties->totalGlobalMem = std::size_t{1} << 30;  // nominal: host memory is the limit
  properties->major = 9;                               // the compute capability the backend targets
  properties->multiProcessorCount = 1;
  properties->maxThreadsPerBlock = 1024;
  properties->warpSize = 32;
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }

cudaError_t cudaGetLastError() {
  const cudaError_t error = moe::emulation::last_error;
  moe::emulation::last_error = cudaSuccess;
  return error;
}

cudaError_t cudaPeekAtLastError() { return moe::emulation::last_error; }

const char* cudaGetErrorString(cudaError_t error) {
  switch (error) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInvalidMemcpyDirection: return "invalid copy direction for memcpy";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
  }
  return "unrecognized error code";
}

cudaError_t cudaStreamCreate(cudaStream_t* stream) {
  if (stream == nullptr) return record_error(cudaErrorInvalidValue);
  *stream = moe::emulation::streams().create();
  return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  return moe::emulation::streams().destroy(stream) ? cudaSuccess : record_error(cudaErrorInvalidResourceHandle);
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  return valid_stream(stream) ? cudaSuccess : record_error(cudaErrorInvalidResourceHandle);
}

cudaError_t cudaEventCreate(cudaEvent_t* event) {
  if (event == nullptr) return record_error(cudaErrorInvalidValue);
  *event = moe::emulation::events().create();
  return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
  return moe::emulation::events().destroy(event) ? cudaSuccess : record_error(cudaErrorInvalidResourceHandle);
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  if (!moe::emulation::valid_event(event) || !valid_stream(stream)) return record_error(cudaErrorInvalidResourceHandle);
  event->recorded = true;
  event->time = std::chrono::steady_clock::now();
  return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  return moe::emulation::valid_event(event) ? cudaSuccess : record_error(cudaErrorInvalidResourceHandle);
}

cudaError_t cudaEventElapsedTime(float* milliseconds, cudaEvent_t start, cudaEvent_t end) {
  if (milliseconds == nullptr) return record_error(cudaErrorInvalidValue);
  if (!moe::emulation::valid_event(start) || !moe::emulation::valid_event(end) || !start->recorded ||
      !end->recorded)
    return record_error(cudaErrorInvalidResourceHandle);
  *milliseconds = std::chrono::duration<float, std::milli>(end->time - start->time).count();
  return cudaSuccess;
}
