// Kernels of the sparse MoE layer on the device (see layer_kernels.hpp): one
// thread per element, per row or per expert, grid-stride loops (grid.hpp).
#include "layer_kernels.hpp"

#include <cub/device/device_radix_sort.cuh>

#include <climits>
#include <cmath>
#include <type_traits>

#include "device_math.hpp"
#include "grid.hpp"

namespace moe::cuda::launch {
namespace {

using grid::first_index;
using grid::stride;

constexpr std::uint64_t kNoAssignment = ~std::uint64_t{0};

__global__ void drop_scores_kernel(float* scores, const float* logits, const std::uint8_t* dropped,
                                   std::size_t count) {
  for (std::size_t i = first_index(); i < count; i += stride()) scores[i] = dropped[i] != 0 ? -INFINITY : logits[i];
}

// One thread per token, as the CPU router: softmax relative to the first
// (largest) chosen logit, renormalized over the chosen experts; or sigmoid.
__global__ void route_gates_kernel(float* gate, std::uint32_t* key, std::uint64_t* pair, const float* logits,
                                   const std::uint64_t* index, const float* chosen_score, std::size_t n,
                                   std::size_t E, std::size_t k, bool softmax) {
  for (std::size_t t = first_index(); t < n; t += stride()) {
    const float top = logits[t + index[t] * n];
    float total = 0.0f;
    for (std::size_t j = 0; j < k; ++j) {
      const float l = logits[t + index[t + j * n] * n];
      const bool dropped = !isfinite(chosen_score[t + j * n]);
      const float g = dropped ? 0.0f : softmax ? expf(l - top) : 1.0f / (1.0f + expf(-l));
      gate[t * k + j] = g;
      total += g;
    }
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t p = t * k + j;
      if (softmax && total > 0.0f) gate[p] /= total;
      key[p] = gate[p] != 0.0f ? static_cast<std::uint32_t>(index[t + j * n]) : static_cast<std::uint32_t>(E);
      pair[p] = p;
    }
  }
}

// One thread per expert e ≤ E: binary search for the first key ≥ e.
__global__ void expert_offsets_kernel(std::uint64_t* offsets, const std::uint32_t* sorted_key, std::size_t count,
                                      std::size_t E) {
  for (std::size_t e = first_index(); e <= E; e += stride()) {
    std::size_t low = 0, high = count;
    while (low < high) {
      const std::size_t middle = low + (high - low) / 2;
      if (sorted_key[middle] < e)
        low = middle + 1;
      else
        high = middle;
    }
    offsets[e] = low;
  }
}

__global__ void index_assignments_kernel(std::uint64_t* token, float* weight, std::uint64_t* position,
                                         const std::uint64_t* sorted_pair, const float* gate, std::size_t count,
                                         std::size_t live, std::size_t k) {
  for (std::size_t a = first_index(); a < count; a += stride()) {
    const std::uint64_t p = sorted_pair[a];
    position[p] = a < live ? a : kNoAssignment;
    if (a >= live) continue;
    token[a] = p / k;
    weight[a] = gate[p];
  }
}

__global__ void arithmetic_sequence_kernel(std::uint64_t* out, std::size_t count, std::uint64_t step) {
  for (std::size_t i = first_index(); i < count; i += stride()) out[i] = i * step;
}

__global__ void fill_kernel(float* out, std::size_t count, float value) {
  for (std::size_t i = first_index(); i < count; i += stride()) out[i] = value;
}

// GELU, tanh approximation (as activation.cpp), in fp32.
constexpr float kGeluC = 0.7978845608028654f;
constexpr float kGeluA = 0.044715f;

__device__ float gelu(float h) { return 0.5f * h * (1.0f + tanhf(kGeluC * (h + kGeluA * h * h * h))); }

__device__ float gelu_derivative(float h) {
  const float t = tanhf(kGeluC * (h + kGeluA * h * h * h));
  return 0.5f * (1.0f + t) + 0.5f * h * (1.0f - t * t) * kGeluC * (1.0f + 3.0f * kGeluA * h * h);
}

template <class T>
__global__ void activate_kernel(T* A, const T* H, std::size_t count, bool gelu_on) {
  for (std::size_t i = first_index(); i < count; i += stride()) {
    const float h = math::widen(H[i]);
    A[i] = math::narrow<T>(gelu_on ? gelu(h) : (h > 0.0f ? h : 0.0f));
  }
}

template <class T>
__global__ void activation_backward_kernel(T* dH, const T* H, const T* dA, std::size_t count, bool gelu_on) {
  for (std::size_t i = first_index(); i < count; i += stride()) {
    const float h = math::widen(H[i]), da = math::widen(dA[i]);
    dH[i] = math::narrow<T>(gelu_on ? da * gelu_derivative(h) : (h > 0.0f ? da : 0.0f));
  }
}

template <class T>
__global__ void gathered_row_dot_kernel(float* out, const T* O, const T* dY, const std::uint64_t* token,
                                        std::size_t A, std::size_t d) {
  for (std::size_t a = first_index(); a < A; a += stride()) {
    float sum = 0.0f;
    for (std::size_t c = 0; c < d; ++c) sum += math::widen(O[c + a * d]) * math::widen(dY[c + token[a] * d]);
    out[a] = sum;
  }
}

// One thread per token: its row of dL/dlogits.
__global__ void router_logit_gradient_kernel(float* dL, const float* P, const float* aux_row,
                                             const std::uint64_t* index, const float* gate,
                                             const std::uint64_t* position, const float* dgate_of, std::size_t n,
                                             std::size_t E, std::size_t k, std::size_t live, bool softmax) {
  for (std::size_t t = first_index(); t < n; t += stride()) {
    float shared = 0.0f;  // rowsum(P ∘ c)
    if (aux_row != nullptr)
      for (std::size_t e = 0; e < E; ++e) shared += P[t + e * n] * aux_row[e];
    for (std::size_t e = 0; e < E; ++e) dL[t + e * n] = aux_row != nullptr ? P[t + e * n] * (aux_row[e] - shared) : 0.0f;
    float weighted = 0.0f;  // Σ_j g_j · dgate_j, the softmax's shared term
    for (std::size_t j = 0; j < k; ++j) {
      const std::uint64_t a = position[t * k + j];
      if (a < live) weighted += gate[t * k + j] * dgate_of[a];
    }
    for (std::size_t j = 0; j < k; ++j) {
      const std::uint64_t a = position[t * k + j];
      if (a >= live) continue;
      const float g = gate[t * k + j], dg = dgate_of[a];
      dL[t + index[t + j * n] * n] += softmax ? g * (dg - weighted) : dg * g * (1.0f - g);
    }
  }
}

// The type convert() reads when it writes To: fp32 for bf16 and the reverse.
template <class To>
using ConvertedFrom = std::conditional_t<std::is_same_v<To, bf16>, float, bf16>;

__device__ inline float convert_to(float, bf16 x) { return __bfloat162float(x); }
__device__ inline bf16 convert_to(bf16, float x) { return __float2bfloat16(x); }

template <class To>
__global__ void convert_kernel(To* out, const ConvertedFrom<To>* in, std::size_t count) {
  for (std::size_t i = first_index(); i < count; i += stride()) out[i] = convert_to(To{}, in[i]);
}

}  // namespace

void drop_scores(float* scores, const float* logits, const std::uint8_t* dropped, std::size_t count) {
  if (count == 0) return;
  MOE_LAUNCH_OVER(count, drop_scores_kernel, scores, logits, dropped, count);
}

void route_gates(float* gate, std::uint32_t* key, std::uint64_t* pair, const float* logits,
                 const std::uint64_t* index, const float* chosen_score, std::size_t n, std::size_t E, std::size_t k,
                 bool softmax) {
  if (n == 0 || k == 0) return;
  MOE_LAUNCH_OVER(n, route_gates_kernel, gate, key, pair, logits, index, chosen_score, n, E, k, softmax);
}

std::size_t sort_workspace_bytes(std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX)) throw_failure("sort_workspace_bytes", "too many pairs", __FILE__, __LINE__);
  std::size_t bytes = 0;
  MOE_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, bytes, static_cast<const std::uint32_t*>(nullptr),
                                                 static_cast<std::uint32_t*>(nullptr),
                                                 static_cast<const std::uint64_t*>(nullptr),
                                                 static_cast<std::uint64_t*>(nullptr), static_cast<int>(count)));
  return bytes;
}

void sort_by_key(void* workspace, std::size_t workspace_bytes, const std::uint32_t* key_in, std::uint32_t* key_out,
                 const std::uint64_t* value_in, std::uint64_t* value_out, std::size_t count, int bits) {
  if (count == 0) return;
  MOE_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(workspace, workspace_bytes, key_in, key_out, value_in, value_out,
                                                 static_cast<int>(count), 0, bits));
}

void expert_offsets(std::uint64_t* offsets, const std::uint32_t* sorted_key, std::size_t count, std::size_t E) {
  MOE_LAUNCH_OVER(E + 1, expert_offsets_kernel, offsets, sorted_key, count, E);
}

void index_assignments(std::uint64_t* token, float* weight, std::uint64_t* position,
                       const std::uint64_t* sorted_pair, const float* gate, std::size_t count, std::size_t live,
                       std::size_t k) {
  if (count == 0) return;
  MOE_LAUNCH_OVER(count, index_assignments_kernel, token, weight, position, sorted_pair, gate, count, live, k);
}

void arithmetic_sequence(std::uint64_t* out, std::size_t count, std::uint64_t step) {
  if (count == 0) return;
  MOE_LAUNCH_OVER(count, arithmetic_sequence_kernel, out, count, step);
}

void fill(float* out, std::size_t count, float value) {
  if (count == 0) return;
  MOE_LAUNCH_OVER(count, fill_kernel, out, count, value);
}

template <class T>
void activate(T* A, const T* H, std::size_t count, bool gelu) {
  if (count == 0) return;
  MOE_LAUNCH_OVER(count, activate_kernel<T>, A, H, count, gelu);
}

template <class T>
void activation_backward(T* dH, const T* H, const T* dA, std::size_t count, bool gelu) {
  if (count == 0) return;
  MOE_LAUNCH_OVER(count, activation_backward_kernel<T>, dH, H, dA, count, gelu);
}

template <class T>
void gathered_row_dot(float* out, const T* O, const T* dY, const std::uint64_t* token, std::size_t A,
                      std::size_t d) {
  if (A == 0) return;
  MOE_LAUNCH_OVER(A, gathered_row_dot_kernel<T>, out, O, dY, token, A, d);
}

void router_logit_gradient(float* dL, const float* P, const float* aux_row, const std::uint64_t* index,
                           const float* gate, const std::uint64_t* position, const float* dgate_of, std::size_t n,
                           std::size_t E, std::size_t k, std::size_t live, bool softmax) {
  if (n == 0 || E == 0) return;
  MOE_LAUNCH_OVER(n, router_logit_gradient_kernel, dL, P, aux_row, index, gate, position, dgate_of, n, E, k, live,
                  softmax);
}

template <class To, class From>
void convert(To* out, const From* in, std::size_t count) {
  static_assert(std::is_same_v<From, ConvertedFrom<To>>, "convert: float to bf16 or bf16 to float");
  if (count == 0) return;
  MOE_LAUNCH_OVER(count, convert_kernel<To>, out, in, count);
}

template void activate(float*, const float*, std::size_t, bool);
template void activate(bf16*, const bf16*, std::size_t, bool);
template void activation_backward(float*, const float*, const float*, std::size_t, bool);
template void activation_backward(bf16*, const bf16*, const bf16*, std::size_t, bool);
template void gathered_row_dot(float*, const float*, const float*, const std::uint64_t*, std::size_t, std::size_t);
template void gathered_row_dot(float*, const bf16*, const bf16*, const std::uint64_t*, std::size_t, std::size_t);
template void convert(bf16*, const float*, std::size_t);
template void convert(float*, const bf16*, std::size_t);

}  // namespace moe::cuda::launch
