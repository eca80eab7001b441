#include "sparse_moe_device.hpp"

#include <type_traits>

#include "blas.hpp"
#include "device_kernels.hpp"
#include "grouped_gemm.hpp"
#include "layer_kernels.hpp"
#include "moe/error.hpp"

namespace moe::cuda {
namespace {

// fp32 host values as a device buffer of S.
template <class S>
DeviceBuffer<S> upload_as(const float* host, std::size_t count) {
  DeviceBuffer<float> staged(host, count);
  if constexpr (std::is_same_v<S, float>) {
    return staged;
  } else {
    DeviceBuffer<S> out(count);
    launch::convert(out.get(), staged.get(), count);
    return out;
  }
}

// Bits that hold every sort key 0..E (E: the key of the pairs not routed).
int key_bits(std::size_t E) {
  int bits = 1;
  while ((std::size_t{1} << bits) <= E) ++bits;
  return bits;
}

}  // namespace

template <class S>
DeviceSparseMoE<S>::DeviceSparseMoE(const SparseMoEShape& shape)
    : shape_(shape),
      dW1_(shape.d * shape.expert_size * shape.experts),
      dW2_(shape.expert_size * shape.d * shape.experts),
      d_router_(shape.d * shape.experts) {
  require(shape.d >= 1 && shape.experts >= 1 && shape.expert_size >= 1, "DeviceSparseMoE",
          "d, the number of experts and their size must be at least 1");
  MOE_CUDA_CHECK(cublasCreate(&blas_));
}

template <class S>
DeviceSparseMoE<S>::~DeviceSparseMoE() {
  cublasDestroy(blas_);  // no throw from a destructor
}

template <class S>
void DeviceSparseMoE<S>::set_weights(const float* W1, const float* W2, const float* router) {
  W1_ = upload_as<S>(W1, dW1_.size());
  W2_ = upload_as<S>(W2, dW2_.size());
  router_ = upload_as<S>(router, d_router_.size());
}

template <class S>
void DeviceSparseMoE<S>::forward(const S* X, std::size_t n, std::size_t k, S* Y, const std::uint8_t* dropped,
                                 bool probabilities) {
  require(W1_.get() != nullptr, "DeviceSparseMoE::forward", "set_weights first");
  require(n >= 1 && k >= 1 && k <= shape_.experts, "DeviceSparseMoE::forward",
          "needs at least one token and 1 ≤ k ≤ the number of experts");
  X_ = X;
  n_ = n;
  k_ = k;
  probabilities_ = probabilities;
  route(dropped);
  const std::size_t A = live_, d = shape_.d, G = shape_.expert_size, E = shape_.experts;
  Xr_.reserve(A * d);
  H_.reserve(A * G);
  A_.reserve(A * G);
  O_.reserve(A * d);
  launch::gather_rows(Xr_.get(), X, token_.get(), A, d);
  grouped_matmul(blas_, H_.get(), Xr_.get(), W1_.get(), d, G, offsets_.data(), E, false);
  launch::activate(A_.get(), H_.get(), A * G, shape_.gelu);
  grouped_matmul(blas_, O_.get(), A_.get(), W2_.get(), G, d, offsets_.data(), E, false);
  launch::scatter_rows(Y, O_.get(), weight_.get(), position_.get(), starts_.get(), n, A, d);
}

template <class S>
void DeviceSparseMoE<S>::route(const std::uint8_t* dropped) {
  const std::size_t n = n_, k = k_, E = shape_.experts, pairs = n * k;
  logits_.reserve(n * E);
  // logits (n×E, column-major) = X Wr, X row-major: (Xᵀ as stored)ᵀ Wr
  gemm<S, float>(blas_, true, false, n, E, shape_.d, X_, shape_.d, router_.get(), shape_.d, 0.0f, logits_.get(), n,
                 "DeviceSparseMoE::forward");
  const float* scores = logits_.get();
  if (dropped != nullptr) {
    scores_.reserve(n * E);
    launch::drop_scores(scores_.get(), logits_.get(), dropped, n * E);
    scores = scores_.get();
  }
  if (probabilities_) {
    probs_.reserve(n * E);
    lse_.reserve(n);
    launch::row_softmax(probs_.get(), lse_.get(), logits_.get(), n, E);
  }
  chosen_.reserve(pairs);
  chosen_score_.reserve(pairs);
  gate_.reserve(pairs);
  key_.reserve(pairs);
  pair_.reserve(pairs);
  launch::row_topk(chosen_.get(), chosen_score_.get(), scores, n, E, k);
  launch::route_gates(gate_.get(), key_.get(), pair_.get(), logits_.get(), chosen_.get(), chosen_score_.get(), n, E,
                      k, shape_.softmax_router);
  sort_pairs_by_expert();
  token_.reserve(live_);
  weight_.reserve(live_);
  position_.reserve(pairs);
  starts_.reserve(n + 1);
  launch::index_assignments(token_.get(), weight_.get(), position_.get(), sorted_pair_.get(), gate_.get(), pairs,
                            live_, k);
  launch::arithmetic_sequence(starts_.get(), n + 1, k);
}

template <class S>
void DeviceSparseMoE<S>::sort_pairs_by_expert() {
  const std::size_t pairs = n_ * k_, E = shape_.experts;
  const std::size_t bytes = launch::sort_workspace_bytes(pairs);
  sort_workspace_.reserve(bytes);
  sorted_key_.reserve(pairs);
  sorted_pair_.reserve(pairs);
  launch::sort_by_key(sort_workspace_.get(), bytes, key_.get(), sorted_key_.get(), pair_.get(), sorted_pair_.get(),
                      pairs, key_bits(E));
  device_offsets_.reserve(E + 1);
  launch::expert_offsets(device_offsets_.get(), sorted_key_.get(), pairs, E);
  offsets_.resize(E + 1);
  MOE_CUDA_CHECK(cudaMemcpy(offsets_.data(), device_offsets_.get(), (E + 1) * sizeof(std::uint64_t),
                            cudaMemcpyDeviceToHost));
  live_ = offsets_[E];
}

template <class S>
void DeviceSparseMoE<S>::backward(const S* dY, const float* aux_row, S* dX) {
  require(X_ != nullptr, "DeviceSparseMoE::backward", "forward first");
  const std::size_t A = live_, n = n_, d = shape_.d, G = shape_.expert_size, E = shape_.experts;
  const std::uint64_t* offsets = offsets_.data();
  dO_.reserve(A * d);
  dgate_.reserve(A);
  dH_.reserve(A * G);
  dXr_.reserve(A * d);
  launch::gather_rows(dO_.get(), dY, token_.get(), A, d, weight_.get());  // gate-weighted
  launch::gathered_row_dot(dgate_.get(), O_.get(), dY, token_.get(), A, d);
  grouped_cross(blas_, dW2_.get(), A_.get(), dO_.get(), G, d, offsets, E);
  grouped_matmul(blas_, dH_.get(), dO_.get(), W2_.get(), d, G, offsets, E, true);
  launch::activation_backward(dH_.get(), H_.get(), dH_.get(), A * G, shape_.gelu);
  grouped_cross(blas_, dW1_.get(), Xr_.get(), dH_.get(), d, G, offsets, E);
  grouped_matmul(blas_, dXr_.get(), dH_.get(), W1_.get(), G, d, offsets, E, true);
  launch::scatter_rows(dX, dXr_.get(), static_cast<const float*>(nullptr), position_.get(), starts_.get(), n, A, d);
  router_backward(aux_row, dX);
}

template <class S>
void DeviceSparseMoE<S>::router_backward(const float* aux_row, S* dX) {
  require(aux_row == nullptr || probabilities_, "DeviceSparseMoE::backward",
          "the auxiliary gradient needs forward with probabilities");
  const std::size_t n = n_, d = shape_.d, E = shape_.experts;
  dlogits_.reserve(n * E);
  if (aux_row != nullptr) aux_row_ = DeviceBuffer<float>(aux_row, E);
  launch::router_logit_gradient(dlogits_.get(), probs_.get(), aux_row != nullptr ? aux_row_.get() : nullptr,
                                chosen_.get(), gate_.get(), position_.get(), dgate_.get(), n, E, k_, live_,
                                shape_.softmax_router);
  const S* dL;
  if constexpr (std::is_same_v<S, float>) {
    dL = dlogits_.get();
  } else {
    dlogits_s_.reserve(n * E);
    launch::convert(dlogits_s_.get(), dlogits_.get(), n * E);
    dL = dlogits_s_.get();
  }
  const char* who = "DeviceSparseMoE::backward";
  gemm<S>(blas_, false, false, d, E, n, X_, d, dL, n, 0.0f, d_router_.get(), d, who);  // Xᵀ dL
  gemm<S>(blas_, false, true, d, n, E, router_.get(), d, dL, n, 1.0f, dX, d, who);     // (dX += dL Wᵀ)ᵀ, row-major dX
}

template <class S>
void DeviceSparseMoE<S>::download_routing(std::uint64_t* token, float* weight) const {
  if (live_ == 0) return;
  MOE_CUDA_CHECK(cudaMemcpy(token, token_.get(), live_ * sizeof(std::uint64_t), cudaMemcpyDeviceToHost));
  MOE_CUDA_CHECK(cudaMemcpy(weight, weight_.get(), live_ * sizeof(float), cudaMemcpyDeviceToHost));
}

// P̄ = Pᵀ 1 / n by cuBLAS (a deterministic reduction).
template <class S>
std::vector<float> DeviceSparseMoE<S>::mean_probabilities() const {
  require(probabilities_, "DeviceSparseMoE::mean_probabilities", "needs forward with probabilities");
  const std::size_t n = n_, E = shape_.experts;
  DeviceBuffer<float> ones(n), mean(E);
  launch::fill(ones.get(), n, 1.0f);
  const float scale = 1.0f / static_cast<float>(n), zero = 0.0f;
  const char* who = "DeviceSparseMoE::mean_probabilities";
  MOE_CUDA_CHECK(cublasSgemv(blas_, CUBLAS_OP_T, blas_int(n, who), blas_int(E, who), &scale, probs_.get(),
                             blas_int(n, who), ones.get(), 1, &zero, mean.get(), 1));
  std::vector<float> out(E);
  mean.download(out.data());
  return out;
}

template class DeviceSparseMoE<float>;
template class DeviceSparseMoE<bf16>;

}  // namespace moe::cuda
