// The host emulation of CUDA against plain reference loops, and its strictness:
// a test double that accepted what a GPU rejects would hide the bugs it is for.
// Built into moe_tests only in MOE_CUDA_EMULATION builds (suite CudaEmulation).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cub/cub.cuh>
#include <limits>
#include <vector>

#include "cublas_v2.h"
#include "cuda_bf16.h"
#include "cusolverDn.h"
#include "moe_emulation/launch.hpp"

namespace {

// Device copy of a host vector, freed with the object.
template <class T>
class Device {
 public:
  explicit Device(const std::vector<T>& host) : size_(host.size()) {
    EXPECT_EQ(cudaMalloc(&data_, size_ * sizeof(T)), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(data_, host.data(), size_ * sizeof(T), cudaMemcpyHostToDevice), cudaSuccess);
  }
  ~Device() { cudaFree(data_); }
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  T* get() const { return data_; }
  std::vector<T> download() const {
    std::vector<T> host(size_);
    EXPECT_EQ(cudaMemcpy(host.data(), data_, size_ * sizeof(T), cudaMemcpyDeviceToHost), cudaSuccess);
    return host;
  }

 private:
  T* data_ = nullptr;
  std::size_t size_;
};

std::vector<double> sequence(std::size_t count, double scale) {
  std::vector<double> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = scale * std::sin(1.0 + 0.7 * static_cast<double>(i));
  return out;
}

class CudaEmulationBlas : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(cublasCreate(&handle_), CUBLAS_STATUS_SUCCESS); }
  void TearDown() override { EXPECT_EQ(cublasDestroy(handle_), CUBLAS_STATUS_SUCCESS); }
  cublasHandle_t handle_ = nullptr;
};

// Element (i, j) of op(X), X column-major with leading dimension ld.
double op_element(const std::vector<double>& X, bool transposed, int ld, int i, int j) {
  return transposed ? X[j + i * ld] : X[i + j * ld];
}

TEST_F(CudaEmulationBlas, DgemmMatchesLoopsWithTransposesAndPaddedLeadingDimensions) {
  const int m = 5, n = 3, k = 4;
  for (const bool ta : {false, true})
    for (const bool tb : {false, true}) {
      const int lda = (ta ? k : m) + 2, ldb = (tb ? n : k) + 1, ldc = m + 3;
      const std::vector<double> A = sequence(lda * (ta ? m : k), 1.0), B = sequence(ldb * (tb ? k : n), 2.0);
      std::vector<double> C(ldc * n, std::numeric_limits<double>::quiet_NaN());  // beta = 0: never read
      const Device<double> dA(A), dB(B), dC(C);
      const double alpha = 1.5, beta = 0.0;
      ASSERT_EQ(cublasDgemm(handle_, ta ? CUBLAS_OP_T : CUBLAS_OP_N, tb ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k, &alpha,
                            dA.get(), lda, dB.get(), ldb, &beta, dC.get(), ldc),
                CUBLAS_STATUS_SUCCESS);
      const std::vector<double> got = dC.download();
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < m; ++i) {
          double expected = 0.0;
          for (int l = 0; l < k; ++l) expected += op_element(A, ta, lda, i, l) * op_element(B, tb, ldb, l, j);
          EXPECT_NEAR(got[i + j * ldc], alpha * expected, 1e-13) << "ta " << ta << " tb " << tb;
        }
      EXPECT_TRUE(std::isnan(got[m + 1]));  // padding rows of C untouched
    }
}

TEST_F(CudaEmulationBlas, RejectsWhatCublasRejects) {
  const Device<double> A(std::vector<double>(64, 1.0));
  const double one = 1.0;
  // lda below the rows of A as stored (op(A) = Aᵀ is 2×4, so A is 4×2: lda ≥ 4).
  EXPECT_EQ(cublasDgemm(handle_, CUBLAS_OP_T, CUBLAS_OP_N, 2, 2, 4, &one, A.get(), 2, A.get(), 4, &one, A.get(), 2),
            CUBLAS_STATUS_INVALID_VALUE);
  EXPECT_EQ(cublasDgemm(handle_, CUBLAS_OP_N, CUBLAS_OP_N, -1, 2, 2, &one, A.get(), 1, A.get(), 2, &one, A.get(), 1),
            CUBLAS_STATUS_INVALID_VALUE);
  EXPECT_EQ(cublasGemmEx(handle_, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, &one, A.get(), CUDA_R_64F, 2, A.get(),
                         CUDA_R_64F, 2, &one, A.get(), CUDA_R_64F, 2, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
            CUBLAS_STATUS_NOT_SUPPORTED);
  double result = 0.0;
  EXPECT_EQ(cublasDdot(nullptr, 2, A.get(), 1, A.get(), 1, &result), CUBLAS_STATUS_NOT_INITIALIZED);
}

TEST_F(CudaEmulationBlas, GemmExRoundsBf16OutputsToNearestEven) {
  const std::vector<__nv_bfloat16> A = {__float2bfloat16(1.0f)}, B = {__float2bfloat16(1.0f)};
  const Device<__nv_bfloat16> dA(A), dB(B), dC(std::vector<__nv_bfloat16>(1));
  const float alpha = 1.0f + 1.0f / 256.0f, beta = 0.0f;  // halfway between two bf16 values: even wins
  ASSERT_EQ(cublasGemmEx(handle_, CUBLAS_OP_N, CUBLAS_OP_N, 1, 1, 1, &alpha, dA.get(), CUDA_R_16BF, 1, dB.get(),
                         CUDA_R_16BF, 1, &beta, dC.get(), CUDA_R_16BF, 1, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
            CUBLAS_STATUS_SUCCESS);
  EXPECT_EQ(__bfloat162float(dC.download()[0]), 1.0f);
  EXPECT_EQ(__bfloat162float(__float2bfloat16(1.0f + 3.0f / 256.0f)), 1.0f + 4.0f / 256.0f);
  EXPECT_TRUE(std::isnan(__bfloat162float(__float2bfloat16(std::numeric_limits<float>::quiet_NaN()))));
}

// Two groups of different shapes: group 0 holds two products, group 1 one.
TEST_F(CudaEmulationBlas, DgemmGroupedBatchedRunsEveryProductOfEveryGroup) {
  const std::vector<double> X = sequence(64, 1.0);
  const Device<double> dX(X), dC(std::vector<double>(64, 0.0));
  const std::vector<const double*> A = {dX.get(), dX.get() + 8, dX.get() + 16};
  const std::vector<const double*> B = {dX.get() + 24, dX.get() + 32, dX.get() + 40};
  const std::vector<double*> C = {dC.get(), dC.get() + 16, dC.get() + 32};
  const Device<const double*> dA(A), dB(B);
  const Device<double*> dCs(C);
  const cublasOperation_t ta[] = {CUBLAS_OP_N, CUBLAS_OP_T}, tb[] = {CUBLAS_OP_N, CUBLAS_OP_N};
  const int m[] = {2, 3}, n[] = {2, 1}, k[] = {3, 2}, lda[] = {2, 2}, ldb[] = {3, 2}, ldc[] = {2, 3}, size[] = {2, 1};
  const double alpha[] = {1.0, 2.0}, beta[] = {0.0, 0.0};
  ASSERT_EQ(cublasDgemmGroupedBatched(handle_, ta, tb, m, n, k, alpha, dA.get(), lda, dB.get(), ldb, beta, dCs.get(),
                                      ldc, 2, size),
            CUBLAS_STATUS_SUCCESS);
  const std::vector<double> got = dC.download();
  const int base_a[] = {0, 8, 16}, base_b[] = {24, 32, 40}, base_c[] = {0, 16, 32}, group[] = {0, 0, 1};
  for (int p = 0; p < 3; ++p) {
    const int g = group[p];
    for (int j = 0; j < n[g]; ++j)
      for (int i = 0; i < m[g]; ++i) {
        double expected = 0.0;
        for (int l = 0; l < k[g]; ++l) {
          const double a = ta[g] == CUBLAS_OP_T ? X[base_a[p] + l + i * lda[g]] : X[base_a[p] + i + l * lda[g]];
          expected += a * X[base_b[p] + l + j * ldb[g]];
        }
        EXPECT_NEAR(got[base_c[p] + i + j * ldc[g]], alpha[g] * expected, 1e-13) << "product " << p;
      }
  }
}

TEST(CudaEmulation, PotrfBatchedReportsTheOrderOfTheFailingMinor) {
  cusolverDnHandle_t solver = nullptr;
  ASSERT_EQ(cusolverDnCreate(&solver), CUSOLVER_STATUS_SUCCESS);
  // Slice 0: SPD; slice 1: its 2×2 leading minor is singular.
  const Device<double> A(std::vector<double>{4, 2, 2, 3, 1, 1, 1, 1});
  const Device<double*> slices(std::vector<double*>{A.get(), A.get() + 4});
  const Device<int> info(std::vector<int>(2, -7));
  ASSERT_EQ(cusolverDnDpotrfBatched(solver, CUBLAS_FILL_MODE_LOWER, 2, slices.get(), 2, info.get(), 2),
            CUSOLVER_STATUS_SUCCESS);
  EXPECT_EQ(info.download(), (std::vector<int>{0, 2}));
  const Device<double> b(std::vector<double>{2, 1});
  const Device<double*> columns(std::vector<double*>{b.get()});
  const Device<int> solve_info(std::vector<int>{-7});
  EXPECT_EQ(cusolverDnDpotrsBatched(solver, CUBLAS_FILL_MODE_LOWER, 2, 2, slices.get(), 2, columns.get(), 2,
                                    solve_info.get(), 1),
            CUSOLVER_STATUS_INVALID_VALUE);  // cuSOLVER's batched solve takes one right-hand side
  ASSERT_EQ(cusolverDnDpotrsBatched(solver, CUBLAS_FILL_MODE_LOWER, 2, 1, slices.get(), 2, columns.get(), 2,
                                    solve_info.get(), 1),
            CUSOLVER_STATUS_SUCCESS);
  const std::vector<double> x = b.download();  // [4 2; 2 3] x = [2; 1]
  EXPECT_NEAR(4 * x[0] + 2 * x[1], 2.0, 1e-14);
  EXPECT_NEAR(2 * x[0] + 3 * x[1], 1.0, 1e-14);
  EXPECT_EQ(solve_info.download()[0], 0);
  EXPECT_EQ(cusolverDnDestroy(solver), CUSOLVER_STATUS_SUCCESS);
}

TEST(CudaEmulation, SortPairsIsStableOnTheChosenBitsAndSizesItsStorage) {
  const std::vector<std::uint32_t> keys = {3, 1, 0x10002, 2, 1, 0};
  const std::vector<std::uint64_t> values = {0, 1, 2, 3, 4, 5};
  const Device<std::uint32_t> keys_in(keys), keys_out(std::vector<std::uint32_t>(6));
  const Device<std::uint64_t> values_in(values), values_out(std::vector<std::uint64_t>(6));
  std::size_t bytes = 0;
  ASSERT_EQ(cub::DeviceRadixSort::SortPairs(nullptr, bytes, keys_in.get(), keys_out.get(), values_in.get(),
                                            values_out.get(), 6, 0, 16),
            cudaSuccess);
  ASSERT_GT(bytes, 0u);
  const Device<std::uint8_t> storage{std::vector<std::uint8_t>(bytes)};
  std::size_t too_few = bytes - 1;
  EXPECT_EQ(cub::DeviceRadixSort::SortPairs(storage.get(), too_few, keys_in.get(), keys_out.get(), values_in.get(),
                                            values_out.get(), 6, 0, 16),
            cudaErrorInvalidValue);
  ASSERT_EQ(cub::DeviceRadixSort::SortPairs(storage.get(), bytes, keys_in.get(), keys_out.get(), values_in.get(),
                                            values_out.get(), 6, 0, 16),
            cudaSuccess);
  // By the low 16 bits 0x10002 is 2; ties keep their order.
  EXPECT_EQ(keys_out.download(), (std::vector<std::uint32_t>{0, 1, 1, 0x10002, 2, 3}));
  EXPECT_EQ(values_out.download(), (std::vector<std::uint64_t>{5, 1, 4, 2, 3, 0}));
}

TEST(CudaEmulation, ScansInPlaceAndOutOfPlace) {
  const Device<std::uint64_t> in(std::vector<std::uint64_t>{3, 0, 2, 5}), out(std::vector<std::uint64_t>(4));
  std::size_t bytes = 0;
  ASSERT_EQ(cub::DeviceScan::ExclusiveSum(nullptr, bytes, in.get(), out.get(), 4), cudaSuccess);
  const Device<std::uint8_t> storage{std::vector<std::uint8_t>(bytes)};
  ASSERT_EQ(cub::DeviceScan::ExclusiveSum(storage.get(), bytes, in.get(), out.get(), 4), cudaSuccess);
  EXPECT_EQ(out.download(), (std::vector<std::uint64_t>{0, 3, 3, 5}));
  ASSERT_EQ(cub::DeviceScan::InclusiveSum(storage.get(), bytes, in.get(), in.get(), 4), cudaSuccess);
  EXPECT_EQ(in.download(), (std::vector<std::uint64_t>{3, 3, 5, 10}));
}

__global__ void record_coordinates_kernel(unsigned* out, unsigned width) {
  const unsigned x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
  out[x + y * width] = 1000 * y + x + 1;
}

TEST(CudaEmulation, LauncherRunsEveryThreadOfATwoDimensionalGrid) {
  const dim3 grid(3, 2), block(4, 5);
  const unsigned width = 12, height = 10;
  const Device<unsigned> out(std::vector<unsigned>(width * height, 0));
  moe::emulation::launcher(record_coordinates_kernel, grid, block)(out.get(), width);
  ASSERT_EQ(cudaGetLastError(), cudaSuccess);
  const std::vector<unsigned> got = out.download();
  for (unsigned y = 0; y < height; ++y)
    for (unsigned x = 0; x < width; ++x) EXPECT_EQ(got[x + y * width], 1000 * y + x + 1);
  moe::emulation::launcher(record_coordinates_kernel, 0u, 256u)(out.get(), width);  // no blocks
  EXPECT_EQ(cudaPeekAtLastError(), cudaErrorInvalidConfiguration);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);  // and clears it
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
}

// What a GPU would crash on, or silently get wrong, aborts with a message.
TEST(CudaEmulationDeathTest, MisusedPointersAbort) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::vector<double> host(4, 0.0);
  EXPECT_DEATH(cudaMemcpy(host.data(), host.data() + 2, 2 * sizeof(double), cudaMemcpyDeviceToHost),
               "cudaMemcpy: source .* is not device memory");
  EXPECT_DEATH(
      {
        void* p = nullptr;
        cudaMalloc(&p, 8);
        cudaFree(p);
        cudaFree(p);
      },
      "cudaFree: .* not the start of a live allocation");
  EXPECT_DEATH(
      {
        cublasHandle_t handle;
        cublasCreate(&handle);
        const Device<double> small(std::vector<double>(5, 1.0));  // a 2×3 C with ldc 2 needs 6
        const double one = 1.0;
        cublasDgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 2, 3, 1, &one, small.get(), 2, small.get(), 1, &one,
                    small.get(), 2);
      },
      "cublasDgemm: C needs 48 bytes but its allocation has 40");
  EXPECT_DEATH(moe::emulation::launcher(record_coordinates_kernel, 1u, 1u)(reinterpret_cast<unsigned*>(host.data()), 1u),
               "argument 0 is a pointer to host memory");
}

}  // namespace
