// The CUDA backend of moe::Kernels: fp64 throughout, with the semantics of the
// CPU reference (kernels_cpu.cpp). Dense products run on cuBLAS, the Cholesky
// solves on cuSOLVER, the row-wise and routed operations on the kernels of
// device_kernels.cu. Each of these calls copies its inputs to the device and its
// result back, and serializes on one mutex, so the one cuBLAS and cuSOLVER handle
// are never used by two threads at once. Data that stay on the device live
// behind posterior() (resident_posterior.hpp: EM) and sparse_moe_device()
// (sparse_moe_device.hpp: the sparse layer).
#include "kernels_cuda.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "cuda_util.hpp"
#include "device_kernels.hpp"
#include "device_products.hpp"
#include "grouped_gemm.hpp"
#include "moe/error.hpp"
#include "resident_posterior.hpp"
#include "row_transfer.hpp"
#include "sparse_moe_cuda.hpp"

namespace moe::cuda {
namespace {

static_assert(sizeof(arma::uword) == sizeof(std::uint64_t),
              "the CUDA backend copies arma::uword indices as 64-bit integers");

using Doubles = DeviceBuffer<double>;
using Indices = DeviceBuffer<std::uint64_t>;

Doubles upload(const arma::mat& M) { return Doubles(M.memptr(), M.n_elem); }
Doubles upload(const arma::cube& C) { return Doubles(C.memptr(), C.n_elem); }

Indices upload(const arma::uvec& v) {
  Indices out(v.n_elem);
  if (v.n_elem > 0)
    MOE_CUDA_CHECK(cudaMemcpy(out.get(), v.memptr(), v.n_elem * sizeof(std::uint64_t), cudaMemcpyHostToDevice));
  return out;
}

// Device pointers base + j·stride, j < count, as a device array (cuSOLVER's batches).
DeviceBuffer<double*> slice_pointers(double* base, std::size_t stride, std::size_t count) {
  std::vector<double*> pointers(count);
  for (std::size_t j = 0; j < count; ++j) pointers[j] = base + j * stride;
  return DeviceBuffer<double*>(pointers.data(), count);
}

// Group boundaries that a grouped kernel can trust: E+1 ≥ 1 nondecreasing
// values, the last at most `rows`.
void check_offsets(const arma::uvec& offsets, arma::uword rows, const char* who) {
  require(offsets.n_elem >= 1, who, "offsets needs at least one element");
  for (arma::uword e = 0; e + 1 < offsets.n_elem; ++e)
    require(offsets(e) <= offsets(e + 1), who, "offsets must be nondecreasing");
  require(offsets(offsets.n_elem - 1) <= rows, who, "offsets point past the last row");
}

// Assignments by token: those of token t are order[starts[t], starts[t+1]), in
// assignment order (a stable counting sort).
struct TokenIndex {
  std::vector<std::uint64_t> starts, order;
};

TokenIndex by_token(const arma::uvec& token, std::size_t n_tokens) {
  TokenIndex index{std::vector<std::uint64_t>(n_tokens + 1, 0), std::vector<std::uint64_t>(token.n_elem)};
  for (const arma::uword t : token) ++index.starts[t + 1];
  for (std::size_t t = 0; t < n_tokens; ++t) index.starts[t + 1] += index.starts[t];
  std::vector<std::uint64_t> next(index.starts.begin(), index.starts.end() - 1);
  for (std::size_t a = 0; a < token.n_elem; ++a) index.order[next[token(a)]++] = a;
  return index;
}

// Both seams on one object, which shares the cuBLAS handle and its lock: the
// dense kernels of the classical models and the layer kernels of moe_nn.
class CudaKernels final : public Kernels, public nn::LayerKernels {
 public:
  CudaKernels() {
    MOE_CUDA_CHECK(cublasCreate(&blas_));
    const cusolverStatus_t status = cusolverDnCreate(&solver_);
    if (status != CUSOLVER_STATUS_SUCCESS) cublasDestroy(blas_);
    MOE_CUDA_CHECK(status);
  }
  // The one instance lives until the process ends (see cuda_kernels()).
  CudaKernels(const CudaKernels&) = delete;
  CudaKernels& operator=(const CudaKernels&) = delete;

  void weighted_gram(arma::cube& out, const arma::mat& X, const arma::mat& W) const override {
    require(W.n_rows == X.n_rows, "CudaKernels::weighted_gram", "X and W need the same number of rows");
    const std::size_t n = X.n_rows, p = X.n_cols, m = W.n_cols;
    out.zeros(p, p, m);
    if (out.is_empty() || n == 0) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    const Doubles dX = upload(X), dW = upload(W);
    Doubles half(p * (p + 1) / 2 * m), scratch;
    add_weighted_gram(blas_, half.get(), 0.0, dX.get(), n, dW.get(), n, n, p, m, scratch);
    out = gram_slices(half.get(), p, m);
  }

  void cross(arma::mat& out, const arma::mat& X, const arma::mat& W) const override {
    require(W.n_rows == X.n_rows, "CudaKernels::cross", "X and W need the same number of rows");
    const std::size_t n = X.n_rows, p = X.n_cols, m = W.n_cols;
    out.zeros(p, m);
    if (out.is_empty() || n == 0) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    const Doubles dX = upload(X), dW = upload(W);
    Doubles result(p * m);
    gemm(blas_, true, false, p, m, n, dX.get(), n, dW.get(), n, 0.0, result.get(), p, "CudaKernels::cross");
    result.download(out.memptr());
  }

  // Batched Cholesky (lower) of every slice; any failed factorization: false.
  bool spd_solve(arma::mat& out, const arma::cube& A, const arma::mat& B) const override {
    require(A.n_rows == A.n_cols && B.n_rows == A.n_rows && B.n_cols == A.n_slices, "CudaKernels::spd_solve",
            "A must be p×p×m and B p×m");
    const std::size_t p = A.n_rows, m = A.n_slices;
    out.set_size(p, m);
    if (out.is_empty()) return true;
    const std::lock_guard<std::mutex> lock(mutex_);
    Doubles dA = upload(A), dB = upload(B);
    const DeviceBuffer<double*> a_slices = slice_pointers(dA.get(), p * p, m);
    const DeviceBuffer<double*> b_columns = slice_pointers(dB.get(), p, m);
    const int ip = blas_int(p, "CudaKernels::spd_solve"), im = blas_int(m, "CudaKernels::spd_solve");
    DeviceBuffer<int> info(m);
    MOE_CUDA_CHECK(cusolverDnDpotrfBatched(solver_, CUBLAS_FILL_MODE_LOWER, ip, a_slices.get(), ip, info.get(), im));
    std::vector<int> factor_info(m);
    info.download(factor_info.data());
    for (const int i : factor_info) {
      if (i < 0) throw_failure("cusolverDnDpotrfBatched", "invalid argument", __FILE__, __LINE__);
      if (i > 0) return false;  // a leading minor is not positive definite
    }
    DeviceBuffer<int> solve_info(1);
    MOE_CUDA_CHECK(cusolverDnDpotrsBatched(solver_, CUBLAS_FILL_MODE_LOWER, ip, 1, a_slices.get(), ip,
                                           b_columns.get(), ip, solve_info.get(), im));
    int solved = 0;
    solve_info.download(&solved);
    if (solved != 0) throw_failure("cusolverDnDpotrsBatched", "invalid argument", __FILE__, __LINE__);
    dB.download(out.memptr());
    return out.is_finite();
  }

  void row_softmax(arma::mat& P, arma::vec& lse, const arma::mat& A) const override {
    const std::size_t n = A.n_rows, m = A.n_cols;
    P.set_size(n, m);
    lse.set_size(n);
    if (m == 0) lse.fill(-std::numeric_limits<double>::infinity());  // log of an empty sum
    if (P.is_empty()) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    const Doubles dA = upload(A);
    Doubles dP(n * m), dlse(n);
    launch::row_softmax(dP.get(), dlse.get(), dA.get(), n, m);
    dP.download(P.memptr());
    dlse.download(lse.memptr());
  }

  void row_topk(arma::umat& index, arma::mat& value, const arma::mat& A, arma::uword k) const override {
    require(k <= A.n_cols, "CudaKernels::row_topk", "k is larger than the number of columns");
    require(!A.has_nan(), "CudaKernels::row_topk", "A has NaN");
    const std::size_t n = A.n_rows, m = A.n_cols;
    index.set_size(n, k);
    value.set_size(n, k);
    if (index.is_empty()) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    const Doubles dA = upload(A);
    Indices dindex(n * k);
    Doubles dvalue(n * k);
    launch::row_topk(dindex.get(), dvalue.get(), dA.get(), n, m, k);
    MOE_CUDA_CHECK(cudaMemcpy(index.memptr(), dindex.get(), n * k * sizeof(std::uint64_t), cudaMemcpyDeviceToHost));
    dvalue.download(value.memptr());
  }

  void gather_rows(arma::mat& out, const arma::mat& X, const nn::Routing& routing) const override {
    const std::size_t n_assign = routing.n_assignments(), n = X.n_rows, d = X.n_cols;
    require(n_assign == 0 || routing.token.max() < n, "CudaKernels::gather_rows", "a token is not a row of X");
    out.set_size(n_assign, d);
    if (out.is_empty()) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    const Doubles dX = upload_rows(X);
    const Indices token = upload(routing.token);
    Doubles result(n_assign * d);
    launch::gather_rows(result.get(), dX.get(), token.get(), n_assign, d);
    out = download_rows(result, n_assign, d);
  }

  // One grouped gemm over the experts with tokens, each on its block of rows.
  void grouped_matmul(arma::mat& out, const arma::mat& Xr, const arma::cube& W, const arma::uvec& offsets,
                      bool transpose) const override {
    const char* who = "CudaKernels::grouped_matmul";
    check_offsets(offsets, Xr.n_rows, who);
    const std::size_t rows = Xr.n_rows, d_in = Xr.n_cols, d_out = transpose ? W.n_rows : W.n_cols;
    require((transpose ? W.n_cols : W.n_rows) == d_in, who, "W does not match the columns of Xr");
    require(W.n_slices + 1 >= offsets.n_elem, who, "W has fewer slices than there are experts");
    out.zeros(rows, d_out);
    if (out.is_empty() || d_in == 0) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    const Doubles dX = upload_rows(Xr), dW = upload(W);
    Doubles result(rows * d_out);
    result.zero();
    const std::vector<std::uint64_t> groups(offsets.begin(), offsets.end());
    cuda::grouped_matmul(blas_, result.get(), dX.get(), dW.get(), d_in, d_out, groups.data(), groups.size() - 1,
                         transpose);
    out = download_rows(result, rows, d_out);
  }

  // One grouped gemm over the experts with tokens; the slices of the others are zero.
  void grouped_cross(arma::cube& out, const arma::mat& Ar, const arma::mat& Br,
                     const arma::uvec& offsets) const override {
    const char* who = "CudaKernels::grouped_cross";
    require(Ar.n_rows == Br.n_rows, who, "Ar and Br need the same number of rows");
    check_offsets(offsets, Ar.n_rows, who);
    const std::size_t d_a = Ar.n_cols, d_b = Br.n_cols;
    out.zeros(d_a, d_b, offsets.n_elem - 1);
    if (out.is_empty()) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    const Doubles dA = upload_rows(Ar), dB = upload_rows(Br);
    Doubles result(out.n_elem);
    const std::vector<std::uint64_t> groups(offsets.begin(), offsets.end());
    cuda::grouped_cross(blas_, result.get(), dA.get(), dB.get(), d_a, d_b, groups.data(), groups.size() - 1);
    result.download(out.memptr());
  }

  // One thread per (token, column) sums that token's assignments in assignment
  // order: deterministic, no atomics.
  void scatter_add(arma::mat& out, const arma::mat& Hr, const nn::Routing& routing, arma::uword n_tokens,
                   bool weighted) const override {
    const char* who = "CudaKernels::scatter_add";
    const std::size_t n_assign = routing.n_assignments(), d = Hr.n_cols;
    require(Hr.n_rows == n_assign, who, "Hr needs one row per assignment");
    require(!weighted || routing.weight.n_elem == n_assign, who, "routing needs one weight per assignment");
    require(n_assign == 0 || routing.token.max() < n_tokens, who, "a token is not below n_tokens");
    out.zeros(n_tokens, d);
    if (out.is_empty() || n_assign == 0) return;
    const TokenIndex index = by_token(routing.token, n_tokens);
    const std::lock_guard<std::mutex> lock(mutex_);
    const Doubles dH = upload_rows(Hr);
    const Doubles weight = weighted ? Doubles(routing.weight.memptr(), n_assign) : Doubles();  // null: w = 1
    const Indices order(index.order.data(), n_assign), starts(index.starts.data(), n_tokens + 1);
    Doubles result(n_tokens * d);
    launch::scatter_rows(result.get(), dH.get(), weight.get(), order.get(), starts.get(), n_tokens, n_assign, d);
    out = download_rows(result, n_tokens, d);
  }

  // EM with X, Z, y and the responsibilities resident on the device.
  std::unique_ptr<Posterior> posterior(const Dataset& data) const override {
    return resident_posterior(data, blas_, mutex_);
  }

  // The sparse MoE layer's forward and backward resident on the device (fp32).
  std::unique_ptr<nn::SparseMoEDevice> sparse_moe_device(arma::uword d,
                                                         const nn::SparseMoEOptions& options) const override {
    return make_sparse_moe_device(d, options);
  }

  const char* name() const override { return "cuda"; }

 private:
  cublasHandle_t blas_ = nullptr;
  cusolverDnHandle_t solver_ = nullptr;
  mutable std::mutex mutex_;
};

}  // namespace

std::string device_problem() noexcept {
  try {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      cudaGetLastError();  // clears the error, which is not sticky
      return std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status);
    }
    return count > 0 ? std::string() : std::string("no CUDA device");
  } catch (...) {
    return "unknown";
  }
}

namespace {

const CudaKernels& instance() {
  // Created once and never destroyed: destroying the cuBLAS and cuSOLVER handles
  // at exit could run after the CUDA runtime has shut down.
  static const CudaKernels* const kernels = new CudaKernels();
  return *kernels;
}

}  // namespace

const Kernels& cuda_kernels() { return instance(); }

const nn::LayerKernels& cuda_layer_kernels() { return instance(); }

}  // namespace moe::cuda
