// Host emulation of cuSOLVER: Cholesky factorization and solve (single and
// batched) by LAPACK's dpotrf and dpotrs from the BLAS library.
#include <cstddef>

#include "cusolverDn.h"
#include "moe_emulation/device_memory.hpp"
#include "moe_emulation/handles.hpp"
#include "moe_emulation/runtime_state.hpp"

struct cusolverDnContext {
  cudaStream_t stream = nullptr;
};

// LAPACK (Fortran; the trailing arguments are the lengths of the character arguments).
extern "C" {
void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info, std::size_t uplo_length);
void dpotrs_(const char* uplo, const int* n, const int* nrhs, const double* a, const int* lda, double* b,
             const int* ldb, int* info, std::size_t uplo_length);
}

namespace moe::emulation {
namespace {

bool valid_handle(cusolverDnHandle_t handle) { return live_handles<cusolverDnContext>().contains(handle); }

bool valid_fill(cublasFillMode_t uplo) { return uplo == CUBLAS_FILL_MODE_LOWER || uplo == CUBLAS_FILL_MODE_UPPER; }

char lapack_fill(cublasFillMode_t uplo) { return uplo == CUBLAS_FILL_MODE_LOWER ? 'L' : 'U'; }

bool valid_leading_dimension(int ld, int n) { return ld >= (n > 1 ? n : 1); }

// The workspace cusolverDnDpotrf asks for, in doubles (any positive size will do on the host).
int potrf_workspace(int n) { return n > 1 ? n : 1; }

// Factorizes the n×n matrix at A in place; 0, or the order of the first minor
// that is not positive definite.
int factorize(cublasFillMode_t uplo, int n, double* A, int lda, const char* api) {
  require_device_matrix(A, sizeof(double), n, n, lda, api, "A");
  const char fill = lapack_fill(uplo);
  int info = 0;
  if (n > 0) dpotrf_(&fill, &n, A, &lda, &info, 1);
  return info;
}

void solve(cublasFillMode_t uplo, int n, int nrhs, const double* A, int lda, double* B, int ldb, const char* api) {
  require_device_matrix(A, sizeof(double), n, n, lda, api, "A");
  require_device_matrix(B, sizeof(double), n, nrhs, ldb, api, "B");
  const char fill = lapack_fill(uplo);
  int info = 0;
  if (n > 0 && nrhs > 0) dpotrs_(&fill, &n, &nrhs, A, &lda, B, &ldb, &info, 1);
  if (info != 0) abort_misuse(api, "dpotrs rejected an argument that the emulation let through");
}

}  // namespace
}  // namespace moe::emulation

using moe::emulation::require_device_range;

cusolverStatus_t cusolverDnCreate(cusolverDnHandle_t* handle) {
  if (handle == nullptr) return CUSOLVER_STATUS_INVALID_VALUE;
  *handle = moe::emulation::live_handles<cusolverDnContext>().create();
  return CUSOLVER_STATUS_SUCCESS;
}

cusolverStatus_t cusolverDnDestroy(cusolverDnHandle_t handle) {
  return moe::emulation::live_handles<cusolverDnContext>().destroy(handle) ? CUSOLVER_STATUS_SUCCESS
                                                                          : CUSOLVER_STATUS_NOT_INITIALIZED;
}

cusolverStatus_t cusolverDnSetStream(cusolverDnHandle_t handle, cudaStream_t stream) {
  if (!moe::emulation::valid_handle(handle)) return CUSOLVER_STATUS_NOT_INITIALIZED;
  if (!moe::emulation::valid_stream(stream)) return CUSOLVER_STATUS_INVALID_VALUE;
  handle->stream = stream;
  return CUSOLVER_STATUS_SUCCESS;
}

cusolverStatus_t cusolverDnDpotrf_bufferSize(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, double*,
                                             int lda, int* Lwork) {
  if (!moe::emulation::valid_handle(handle)) return CUSOLVER_STATUS_NOT_INITIALIZED;
  if (!moe::emulation::valid_fill(uplo) || n < 0 || !moe::emulation::valid_leading_dimension(lda, n))
    return CUSOLVER_STATUS_INVALID_VALUE;
  moe::emulation::require_host_range(Lwork, sizeof(int), "cusolverDnDpotrf_bufferSize", "Lwork");
  *Lwork = moe::emulation::potrf_workspace(n);
  return CUSOLVER_STATUS_SUCCESS;
}

cusolverStatus_t cusolverDnDpotrf(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, double* A, int lda,
                                  double* workspace, int Lwork, int* devInfo) {
  const char* api = "cusolverDnDpotrf";
  if (!moe::emulation::valid_handle(handle)) return CUSOLVER_STATUS_NOT_INITIALIZED;
  if (!moe::emulation::valid_fill(uplo) || n < 0 || !moe::emulation::valid_leading_dimension(lda, n) ||
      Lwork < moe::emulation::potrf_workspace(n))
    return CUSOLVER_STATUS_INVALID_VALUE;
  require_device_range(workspace, static_cast<std::size_t>(Lwork) * sizeof(double), api, "workspace");
  require_device_range(devInfo, sizeof(int), api, "devInfo");
  *devInfo = moe::emulation::factorize(uplo, n, A, lda, api);
  return CUSOLVER_STATUS_SUCCESS;
}

cusolverStatus_t cusolverDnDpotrs(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, int nrhs, const double* A,
                                  int lda, double* B, int ldb, int* devInfo) {
  const char* api = "cusolverDnDpotrs";
  if (!moe::emulation::valid_handle(handle)) return CUSOLVER_STATUS_NOT_INITIALIZED;
  if (!moe::emulation::valid_fill(uplo) || n < 0 || nrhs < 0 || !moe::emulation::valid_leading_dimension(lda, n) ||
      !moe::emulation::valid_leading_dimension(ldb, n))
    return CUSOLVER_STATUS_INVALID_VALUE;
  require_device_range(devInfo, sizeof(int), api, "devInfo");
  moe::emulation::solve(uplo, n, nrhs, A, lda, B, ldb, api);
  *devInfo = 0;
  return CUSOLVER_STATUS_SUCCESS;
}

cusolverStatus_t cusolverDnDpotrfBatched(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, double* Aarray[],
                                         int lda, int* infoArray, int batchSize) {
  const char* api = "cusolverDnDpotrfBatched";
  if (!moe::emulation::valid_handle(handle)) return CUSOLVER_STATUS_NOT_INITIALIZED;
  if (!moe::emulation::valid_fill(uplo) || n < 0 || !moe::emulation::valid_leading_dimension(lda, n) ||
      batchSize < 0)
    return CUSOLVER_STATUS_INVALID_VALUE;
  const std::size_t batch = static_cast<std::size_t>(batchSize);
  require_device_range(Aarray, batch * sizeof(double*), api, "Aarray");
  require_device_range(infoArray, batch * sizeof(int), api, "infoArray");
  for (std::size_t j = 0; j < batch; ++j) infoArray[j] = moe::emulation::factorize(uplo, n, Aarray[j], lda, api);
  return CUSOLVER_STATUS_SUCCESS;
}

cusolverStatus_t cusolverDnDpotrsBatched(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, int nrhs,
                                         double* Aarray[], int lda, double* Barray[], int ldb, int* info,
                                         int batchSize) {
  const char* api = "cusolverDnDpotrsBatched";
  if (!moe::emulation::valid_handle(handle)) return CUSOLVER_STATUS_NOT_INITIALIZED;
  if (!moe::emulation::valid_fill(uplo) || n < 0 || nrhs != 1 || !moe::emulation::valid_leading_dimension(lda, n) ||
      !moe::emulation::valid_leading_dimension(ldb, n) || batchSize < 0)
    return CUSOLVER_STATUS_INVALID_VALUE;
  const std::size_t batch = static_cast<std::size_t>(batchSize);
  require_device_range(Aarray, batch * sizeof(double*), api, "Aarray");
  require_device_range(Barray, batch * sizeof(double*), api, "Barray");
  require_device_range(info, sizeof(int), api, "info");
  for (std::size_t j = 0; j < batch; ++j) moe::emulation::solve(uplo, n, nrhs, Aarray[j], lda, Barray[j], ldb, api);
  *info = 0;
  return CUSOLVER_STATUS_SUCCESS;
}
