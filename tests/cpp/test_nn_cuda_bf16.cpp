// The bf16 sparse MoE layer on the CUDA device (DeviceSparseMoE<bf16>: bf16
// storage, fp32 accumulation, fp32 routing) against SparseMoE<float> on the CPU
// with the same bf16-representable input and weights: output and every
// gradient within kTolerance = 3e-2 · max(1, max |reference|) (one bf16
// rounding of H, act(H), the expert outputs and each gradient: 2^-8 relative,
// a few times over). Skipped without a CUDA device.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "cuda/layer_kernels.hpp"
#include "cuda/sparse_moe_device.hpp"
#include "moe/backend.hpp"
#include "moe/nn/sparse_moe.hpp"

namespace {

using moe::cuda::bf16;
using moe::cuda::DeviceBuffer;

constexpr double kTolerance = 3e-2;

// x rounded to the nearest bf16 (ties to even), as an fp32 value.
float round_to_bf16(float x) {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits = (bits + 0x7fffu + ((bits >> 16) & 1u)) & 0xffff0000u;
  std::memcpy(&x, &bits, sizeof bits);
  return x;
}

template <class T>
void round_all(T& values) {
  values.transform([](float x) { return round_to_bf16(x); });
}

DeviceBuffer<bf16> upload_bf16(const float* host, std::size_t count) {
  const DeviceBuffer<float> staged(host, count);
  DeviceBuffer<bf16> out(count);
  moe::cuda::launch::convert(out.get(), staged.get(), count);
  return out;
}

// A device bf16 array as fp32 host values.
std::vector<float> download_bf16(const bf16* device, std::size_t count) {
  DeviceBuffer<float> widened(count);
  moe::cuda::launch::convert(widened.get(), device, count);
  std::vector<float> out(count);
  widened.download(out.data());
  return out;
}

double relative_error(const std::vector<float>& a, const float* b, std::size_t count) {
  double diff = 0.0, scale = 1.0;
  for (std::size_t i = 0; i < count; ++i) {
    diff = std::max(diff, static_cast<double>(std::abs(a[i] - b[i])));
    scale = std::max(scale, static_cast<double>(std::abs(b[i])));
  }
  return diff / scale;
}

TEST(CudaSparseMoEBf16, MatchesTheFp32CpuLayerForBothRouters) {
  if (!moe::cuda_available()) GTEST_SKIP() << "no CUDA device";
  const arma::uword n = 300, d = 12, E = 6, G = 5, k = 2;
  for (const moe::nn::RouterKind kind : {moe::nn::RouterKind::softmax, moe::nn::RouterKind::sigma}) {
    const std::string what = moe::nn::router_name(kind);
    moe::nn::SparseMoEOptions o;
    o.experts = E;
    o.expert_size = G;
    o.router.kind = kind;
    o.router.k = k;
    moe::Rng rng(11);
    moe::nn::SparseMoE<float> cpu(d, o, rng);
    arma::fmat X(n, d), dY(n, d);
    X.imbue([&] { return static_cast<float>(rng.normal()); });
    dY.imbue([&] { return static_cast<float>(rng.normal()); });
    round_all(X);
    round_all(dY);
    round_all(cpu.W1);
    round_all(cpu.W2);
    round_all(cpu.router.W);
    const arma::fmat Y = cpu.forward(X, moe::nn::inference_pass(moe::nn::cpu_layer_kernels()));
    const arma::fmat dX = cpu.backward(dY);

    moe::cuda::SparseMoEShape shape;
    shape.d = d;
    shape.experts = E;
    shape.expert_size = G;
    shape.softmax_router = kind == moe::nn::RouterKind::softmax;
    moe::cuda::DeviceSparseMoE<bf16> gpu(shape);
    gpu.set_weights(cpu.W1.memptr(), cpu.W2.memptr(), cpu.router.W.memptr());
    // the device layer's activations are row-major: the transposes of the host's
    const arma::fmat Xt = X.t(), dYt = dY.t(), Yt = Y.t(), dXt = dX.t();
    const DeviceBuffer<bf16> X_in = upload_bf16(Xt.memptr(), Xt.n_elem), dY_in = upload_bf16(dYt.memptr(), dYt.n_elem);
    DeviceBuffer<bf16> Y_out(n * d), dX_out(n * d);
    gpu.forward(X_in.get(), n, k, Y_out.get(), nullptr, false);
    gpu.backward(dY_in.get(), nullptr, dX_out.get());

    EXPECT_LE(relative_error(download_bf16(Y_out.get(), n * d), Yt.memptr(), n * d), kTolerance) << what;
    EXPECT_LE(relative_error(download_bf16(dX_out.get(), n * d), dXt.memptr(), n * d), kTolerance) << what;
    EXPECT_LE(relative_error(download_bf16(gpu.dW1(), cpu.dW1.n_elem), cpu.dW1.memptr(), cpu.dW1.n_elem), kTolerance)
        << what;
    EXPECT_LE(relative_error(download_bf16(gpu.dW2(), cpu.dW2.n_elem), cpu.dW2.memptr(), cpu.dW2.n_elem), kTolerance)
        << what;
    EXPECT_LE(relative_error(download_bf16(gpu.d_router(), d * E), cpu.router.dW.memptr(), d * E), kTolerance) << what;
  }
}

}  // namespace
