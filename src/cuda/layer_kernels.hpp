#pragma once
// Internal to the CUDA backend: the launchers of the kernels that only the
// sparse MoE layer on the device (sparse_moe_device.hpp) needs: routing (gates,
// sort by expert, group offsets, assignment index), activations, conversions and
// the router's logit gradient. Same conventions as device_kernels.hpp: device
// pointers, column-major matrices, the default stream, an exception when a
// launch fails. A "pair" p = t·k + j is token t's j-th choice (rank order); an
// "assignment" a is a pair's place in the pairs sorted by expert (routing.hpp).
// Pairs whose gate is 0 (expert dropout removed them, or the gate underflowed)
// are not routed: they sort last under the key E and have no assignment.

#include <cstddef>
#include <cstdint>

#include "precision.hpp"

namespace moe::cuda::launch {

/// scores(i) = logits(i), or −∞ where dropped(i) ≠ 0; i < count.
void drop_scores(float* scores, const float* logits, const std::uint8_t* dropped, std::size_t count);

/// Gates of each token's chosen experts (index, chosen_score: n×k from row_topk
/// over the scores; a choice with score −∞ was dropped): softmax over the chosen
/// logits (softmax) or their sigmoid; gate, key, pair: n·k, by pair. key(p) is
/// the expert of pair p, or E when its gate is 0; pair(p) = p (the sort's values).
void route_gates(float* gate, std::uint32_t* key, std::uint64_t* pair, const float* logits,
                 const std::uint64_t* index, const float* chosen_score, std::size_t n, std::size_t E, std::size_t k,
                 bool softmax);

/// Bytes of workspace that sort_by_key needs for `count` pairs.
std::size_t sort_workspace_bytes(std::size_t count);
/// The (key, value) pairs sorted by key, stable (cub radix sort over the low
/// `bits` bits of the keys).
void sort_by_key(void* workspace, std::size_t workspace_bytes, const std::uint32_t* key_in, std::uint32_t* key_out,
                 const std::uint64_t* value_in, std::uint64_t* value_out, std::size_t count, int bits);

/// offsets(e) = how many sorted keys are below e, for e ≤ E.  offsets: E+1.
void expert_offsets(std::uint64_t* offsets, const std::uint32_t* sorted_key, std::size_t count, std::size_t E);

/// From the sorted pairs (count of them, the first `live` routed): per
/// assignment a < live its token and gate; per pair its assignment, or a value
/// ≥ live for a pair not routed.  token, weight: live;  position: count.
void index_assignments(std::uint64_t* token, float* weight, std::uint64_t* position,
                       const std::uint64_t* sorted_pair, const float* gate, std::size_t count, std::size_t live,
                       std::size_t k);

/// out(i) = i · step for i < count.
void arithmetic_sequence(std::uint64_t* out, std::size_t count, std::uint64_t step);
/// out(i) = value for i < count.
void fill(float* out, std::size_t count, float value);

/// A = act(H), element-wise: ReLU, or GELU (tanh approximation) when gelu.  T: float, bf16.
template <class T>
void activate(T* A, const T* H, std::size_t count, bool gelu);
/// dH = act'(H) ∘ dA, element-wise (dH may be dA).  T: float, bf16.
template <class T>
void activation_backward(T* dH, const T* H, const T* dA, std::size_t count, bool gelu);

/// out(a) = Σ_c O(a, c) · dY(token(a), c), in fp32: dL/dgate of assignment a.
/// O: A×d;  dY: n×d, both row-major (as device_kernels.hpp's routed operations);
/// token: A.  T: float, bf16.
template <class T>
void gathered_row_dot(float* out, const T* O, const T* dY, const std::uint64_t* token, std::size_t A,
                      std::size_t d);

/// dL/dlogits (n×E) of the router: the routed part from dL/dgate (dgate_of, by
/// assignment; pairs not routed count 0) through the softmax over the chosen
/// logits or the sigmoid, plus P ∘ (c − rowsum(P ∘ c)) for the auxiliary losses
/// when aux_row c (E) is not null (P: n×E softmax of the logits).
void router_logit_gradient(float* dL, const float* P, const float* aux_row, const std::uint64_t* index,
                           const float* gate, const std::uint64_t* position, const float* dgate_of, std::size_t n,
                           std::size_t E, std::size_t k, std::size_t live, bool softmax);

/// out(i) = in(i) rounded to To, i < count.  (To, From): (bf16, float), (float, bf16).
template <class To, class From>
void convert(To* out, const From* in, std::size_t count);

}  // namespace moe::cuda::launch
