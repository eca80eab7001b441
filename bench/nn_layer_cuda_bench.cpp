// Forward + backward time on the CUDA device of the sparse MoE layer (the
// device-resident DeviceSparseMoE of src/cuda, weights and activations on the
// device, gradients left there) against a dense FFN d → k·G → d (ReLU) on
// cuBLAS in the same precision, in one process; times from cudaEvents.
//
//   nn_layer_cuda_bench CONFIG PRECISION [REPEATS]
//     CONFIG: A (T=16384 d=1024 E=64 k=4 G=1024), B (T=16384 d=1024 E=512 k=8
//             G=128), or T,d,E,k,G (e.g. 300,16,8,2,4 for a smoke test)
//     PRECISION: fp32 (fp32 storage and compute) | bf16 (bf16 storage, fp32
//                accumulation; routing in fp32)
// Prints one JSON object: the shapes and the median seconds of each layer.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "cuda/blas.hpp"
#include "cuda/device_timing.hpp"
#include "cuda/layer_kernels.hpp"
#include "cuda/sparse_moe_device.hpp"
#include "layer_shape.hpp"
#include "moe/backend.hpp"
#include "moe/rng.hpp"

namespace {

using moe::cuda::DeviceBuffer;

using Shape = moe::bench::LayerShape;

// `count` normal draws times `scale`, on the device as S.
template <class S>
DeviceBuffer<S> random_device(std::size_t count, double scale, moe::Rng& rng) {
  std::vector<float> host(count);
  for (float& x : host) x = static_cast<float>(scale * rng.normal());
  DeviceBuffer<float> staged(host.data(), count);
  if constexpr (std::is_same_v<S, float>) {
    return staged;
  } else {
    DeviceBuffer<S> out(count);
    moe::cuda::launch::convert(out.get(), staged.get(), count);
    return out;
  }
}

// Median seconds (cudaEvents) of `repeats` runs of step() after one warm-up.
double median_seconds(const std::function<void()>& step, int repeats) {
  std::vector<double> times = moe::cuda::device_seconds(step, repeats);
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

// The dense FFN Y = relu(X W1) W2 with F = k·G hidden units and its backward
// (dW1, dW2, dX), six cuBLAS products and two element-wise kernels.
template <class S>
struct DenseFFN {
  std::size_t T, d, F;
  cublasHandle_t blas;
  DeviceBuffer<S> W1, W2, H, A, Y, dH, dW1, dW2, dX;

  DenseFFN(const Shape& s, cublasHandle_t handle, moe::Rng& rng)
      : T(s.T), d(s.d), F(s.k * s.G), blas(handle),
        W1(random_device<S>(s.d * F, 1.0 / std::sqrt(double(s.d)), rng)),
        W2(random_device<S>(F * s.d, 1.0 / std::sqrt(double(F)), rng)),
        H(T * F), A(T * F), Y(T * d), dH(T * F), dW1(d * F), dW2(F * d), dX(T * d) {}

  void step(const S* X, const S* dY) {
    using moe::cuda::gemm;
    const char* who = "dense FFN";
    gemm<S>(blas, false, false, T, F, d, X, T, W1.get(), d, 0.0f, H.get(), T, who);
    moe::cuda::launch::activate(A.get(), H.get(), T * F, false);
    gemm<S>(blas, false, false, T, d, F, A.get(), T, W2.get(), F, 0.0f, Y.get(), T, who);
    gemm<S>(blas, true, false, F, d, T, A.get(), T, dY, T, 0.0f, dW2.get(), F, who);     // Aᵀ dY
    gemm<S>(blas, false, true, T, F, d, dY, T, W2.get(), F, 0.0f, dH.get(), T, who);     // dY W2ᵀ
    moe::cuda::launch::activation_backward(dH.get(), H.get(), dH.get(), T * F, false);
    gemm<S>(blas, true, false, d, F, T, X, T, dH.get(), T, 0.0f, dW1.get(), d, who);     // Xᵀ dH
    gemm<S>(blas, false, true, T, d, F, dH.get(), T, W1.get(), d, 0.0f, dX.get(), T, who);  // dH W1ᵀ
  }
};

template <class S>
void run(const Shape& s, int repeats, const char* precision) {
  moe::Rng rng(1);
  moe::cuda::SparseMoEShape shape;
  shape.d = s.d;
  shape.experts = s.E;
  shape.expert_size = s.G;
  shape.softmax_router = true;  // top-k softmax, as the PyTorch peer (bench/nn/torch_layer.py)
  moe::cuda::DeviceSparseMoE<S> sparse(shape);
  {  // σ-MoE's initialization (as SparseMoE's constructor)
    std::vector<float> W1(s.d * s.G * s.E), W2(s.G * s.d * s.E), router(s.d * s.E);
    for (float& w : W1) w = static_cast<float>(rng.normal() / std::sqrt(double(s.d)));
    for (float& w : W2) w = static_cast<float>(rng.normal() / std::sqrt(double(s.E * s.G)));
    for (float& w : router) w = static_cast<float>(rng.normal() / std::sqrt(double(s.d)));
    sparse.set_weights(W1.data(), W2.data(), router.data());
  }
  const DeviceBuffer<S> X = random_device<S>(s.T * s.d, 1.0, rng), dY = random_device<S>(s.T * s.d, 1.0, rng);
  DeviceBuffer<S> Y(s.T * s.d), dX(s.T * s.d);
  const double t_sparse = median_seconds(
      [&] {
        sparse.forward(X.get(), s.T, s.k, Y.get(), nullptr, false);
        sparse.backward(dY.get(), nullptr, dX.get());
      },
      repeats);
  cublasHandle_t blas;
  MOE_CUDA_CHECK(cublasCreate(&blas));
  double t_dense = 0.0;
  {
    DenseFFN<S> dense(s, blas, rng);
    t_dense = median_seconds([&] { dense.step(X.get(), dY.get()); }, repeats);
  }
  cublasDestroy(blas);
  std::printf("{\"T\": %zu, \"d\": %zu, \"E\": %zu, \"k\": %zu, \"G\": %zu, \"precision\": \"%s\", "
              "\"device\": \"cuda\", \"impl\": \"device_layer\", \"router\": \"softmax\", \"dense_impl\": \"cublas\", "
              "\"repeats\": %d, "
              "\"moe_seconds\": %.6g, \"dense_seconds\": %.6g, \"ratio\": %.4g}\n",
              s.T, s.d, s.E, s.k, s.G, precision, repeats, t_sparse, t_dense, t_sparse / t_dense);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 3) throw std::invalid_argument("usage: nn_layer_cuda_bench CONFIG fp32|bf16 [REPEATS]");
    const Shape shape = moe::bench::parse_layer_shape(argv[1]);
    const std::string precision = argv[2];
    const int repeats = argc > 3 ? std::max(1, std::stoi(argv[3])) : 5;
    moe::kernels_for("cuda");  // a clear error without a usable device
    if (precision == "fp32")
      run<float>(shape, repeats, "fp32");
    else if (precision == "bf16")
      run<moe::cuda::bf16>(shape, repeats, "bf16");
    else
      throw std::invalid_argument("PRECISION must be fp32 or bf16");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nn_layer_cuda_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
