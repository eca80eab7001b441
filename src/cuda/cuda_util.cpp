#include "cuda_util.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace moe::cuda {
namespace {

// "src/cuda/x.cpp" from a full path: the file's name and its two parents at most.
const char* short_path(const char* file) {
  const char* start = file;
  int slashes = 0;
  for (const char* c = file + std::strlen(file); c > file; --c)
    if (c[-1] == '/' && ++slashes == 3) {
      start = c;
      break;
    }
  return start;
}

}  // namespace

void throw_failure(const char* call, const char* detail, const char* file, int line) {
  throw std::runtime_error(std::string("moe CUDA backend: ") + call + " failed at " + short_path(file) + ":" +
                           std::to_string(line) + ": " + detail);
}

void check(cudaError_t status, const char* call, const char* file, int line) {
  if (status != cudaSuccess) throw_failure(call, cudaGetErrorString(status), file, line);
}

void check(cublasStatus_t status, const char* call, const char* file, int line) {
  if (status != CUBLAS_STATUS_SUCCESS) throw_failure(call, cublasGetStatusString(status), file, line);
}

void check(cusolverStatus_t status, const char* call, const char* file, int line) {
  if (status != CUSOLVER_STATUS_SUCCESS)
    throw_failure(call, ("cusolverStatus_t " + std::to_string(static_cast<int>(status))).c_str(), file, line);
}

}  // namespace moe::cuda
