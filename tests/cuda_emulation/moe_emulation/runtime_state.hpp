#pragma once
// Host emulation of the CUDA API (a test double): the runtime's per-thread last
// error and its streams, shared by the emulated runtime and the launcher.

#include "cuda_runtime_api.h"

namespace moe::emulation {

/// Remembers `error` as this thread's last error (cudaGetLastError) unless it is
/// cudaSuccess, and returns it.
cudaError_t record_error(cudaError_t error);

/// True for the default stream (0) and for streams created and not destroyed.
bool valid_stream(cudaStream_t stream);

}  // namespace moe::emulation
