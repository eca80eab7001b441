#pragma once
// Internal to the CUDA backend: the sparse MoE layer's forward and backward
// with its weights and activations on the device (docs/ARCHITECTURE.md section 4, the CPU
// reference in src/nn/sparse_moe.cpp and router.cpp). S is the stored type:
// float (fp32 throughout) or bf16 (bf16 weights, activations and gradients,
// every product accumulated in fp32; routing math in fp32).
//
// Forward: router logits by GEMM; top-k per token over the logits (−∞ where
// expert dropout removed a pair); gates (softmax over the chosen logits, or
// sigmoid); the pairs sorted by expert, stable (cub radix sort), group offsets
// downloaded (E+1 integers, the only synchronization); gather; grouped GEMM
// with W1 (one cuBLAS call for all experts); activation; grouped GEMM with W2;
// gate-weighted combine, each token summing its assignments in order (no
// atomics). Backward: the reverse, with the weight gradients as grouped
// cross-products (exactly zero for an expert without tokens), and the router's
// logit gradient (plus the auxiliary losses' part, given by the host) by a
// per-token kernel. Same inputs, same bits.
//
// The activations are row-major — each token's (and each routed pair's) row
// contiguous, i.e. the column-major transpose d×n — so that gathering and
// combining rows reads and writes contiguous memory; the GEMMs take the
// transposes through their operation flags.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cuda_util.hpp"
#include "precision.hpp"

namespace moe::cuda {

struct SparseMoEShape {
  std::size_t d = 0, experts = 0, expert_size = 0;  ///< d, E, G
  bool softmax_router = false;                      ///< softmax top-k (else σ-MoE's sigmoid)
  bool gelu = false;                                ///< GELU (else ReLU)
};

template <class S>
class DeviceSparseMoE {
 public:
  explicit DeviceSparseMoE(const SparseMoEShape& shape);
  ~DeviceSparseMoE();
  DeviceSparseMoE(const DeviceSparseMoE&) = delete;
  DeviceSparseMoE& operator=(const DeviceSparseMoE&) = delete;

  /// Copies fp32 host weights to the device (rounded to S): W1 d×G×E, W2
  /// G×d×E, router d×E, column-major as Armadillo stores them.
  void set_weights(const float* W1, const float* W2, const float* router);

  /// Y = layer(X) with k experts per token.  X, Y: n×d row-major on the device; X must
  /// stay unchanged until backward.  dropped: n×E on the device (nonzero: the
  /// pair is removed before the top-k) or null.  With `probabilities`, the
  /// softmax of the logits is kept for mean_probabilities() and the auxiliary
  /// part of backward.
  void forward(const S* X, std::size_t n, std::size_t k, S* Y, const std::uint8_t* dropped, bool probabilities);

  /// From dY (n×d row-major, device): dX (n×d row-major, device) and the weight gradients
  /// (dW1(), dW2(), d_router()). aux_row: host E-vector c, the gradient of the
  /// auxiliary losses with respect to each token's probabilities (needs
  /// forward with probabilities), or null.
  void backward(const S* dY, const float* aux_row, S* dX);

  /// After forward: the group boundaries (E+1) of the routed pairs sorted by expert.
  const std::vector<std::uint64_t>& offsets() const { return offsets_; }
  /// After forward: per routed pair, its token and gate (host, offsets().back() each).
  void download_routing(std::uint64_t* token, float* weight) const;
  /// After forward with probabilities: the batch mean of the softmax of the logits (host, E).
  std::vector<float> mean_probabilities() const;

  const S* W1() const { return W1_.get(); }
  const S* W2() const { return W2_.get(); }
  const S* router() const { return router_.get(); }
  const S* dW1() const { return dW1_.get(); }
  const S* dW2() const { return dW2_.get(); }
  const S* d_router() const { return d_router_.get(); }

 private:
  void route(const std::uint8_t* dropped);
  void sort_pairs_by_expert();
  void router_backward(const float* aux_row, S* dX);

  SparseMoEShape shape_;
  cublasHandle_t blas_ = nullptr;
  DeviceBuffer<S> W1_, W2_, router_, dW1_, dW2_, d_router_;
  // Per pass: n tokens, k choices each, `live` routed pairs (sorted first).
  const S* X_ = nullptr;
  std::size_t n_ = 0, k_ = 0, live_ = 0;
  bool probabilities_ = false;
  std::vector<std::uint64_t> offsets_;
  // Routing (fp32 and indices), by token or pair.
  DeviceBuffer<float> logits_, scores_, probs_, lse_, chosen_score_, gate_, weight_, dgate_, dlogits_, aux_row_;
  DeviceBuffer<std::uint64_t> chosen_, pair_, sorted_pair_, token_, position_, starts_, device_offsets_;
  DeviceBuffer<std::uint32_t> key_, sorted_key_;
  DeviceBuffer<unsigned char> sort_workspace_;
  // Activations and their gradients, by assignment (S).
  DeviceBuffer<S> Xr_, H_, A_, O_, dO_, dH_, dXr_, dlogits_s_;
};

}  // namespace moe::cuda
