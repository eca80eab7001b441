#pragma once
/// @file attention.hpp
/// Causal multi-head self-attention (Vaswani et al. 2017), the mixing layer of
/// a decoder-only transformer block. The rows are B sequences of T tokens each,
/// stacked (sequence b holds rows bT .. bT + T − 1); a token attends to itself
/// and the tokens before it in its own sequence only. With d = H d_h,
///   Q = X W_q,  K = X W_k,  V = X W_v                     (n×d each; head h: columns h d_h ..)
///   A_bh = softmax_rows(Q_bh K_bhᵀ / √d_h + M),  M_ij = −∞ for j > i
///   O_bh = A_bh V_bh,   Y = O W_o + 1 b_oᵀ.
/// With ALiBi (Press, Smith, Lewis 2022) the scores of head h = 1 .. H also get
/// a recency bias −m_h (i − j), m_h = 2^(−8h/H): each head starts out looking
/// at the recent tokens, at its own range. Otherwise the layer has no
/// positional information of its own (the model adds learned positions to its
/// input). The bias is constant, so backward is the same: with dO = dY W_oᵀ and per head
///   dV = Aᵀ dO,  dA = dO Vᵀ,  dS = A ∘ (dA − rowsum(dA ∘ A)),
///   dQ = dS K / √d_h,  dK = dSᵀ Q / √d_h,
/// and dX = dQ W_qᵀ + dK W_kᵀ + dV W_vᵀ.

#include "moe/nn/layer.hpp"
#include "moe/rng.hpp"

namespace moe::nn {

template <class eT>
class CausalSelfAttention : public Layer<eT> {
 public:
  /// d features in `heads` heads (d a multiple of heads), sequences of
  /// `context` tokens; W_q, W_k, W_v, W_o ~ N(0, 1/d), b_o = 0; ALiBi's bias
  /// when `alibi`. Throws std::invalid_argument for sizes that do not fit.
  CausalSelfAttention(arma::uword d, arma::uword heads, arma::uword context, Rng& rng, bool alibi = false);

  /// X: (B context)×d.
  Mat<eT> forward(const Mat<eT>& X, const Pass& pass) override;
  Mat<eT> backward(const Mat<eT>& dY) override;
  void parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) override;

  Mat<eT> Wq, dWq, Wk, dWk, Wv, dWv, Wo, dWo;  ///< d×d
  Row<eT> bo, dbo;                            ///< d

 private:
  arma::uword heads_, context_;
  arma::vec slopes_;   ///< ALiBi's m_h (empty: no bias)
  Mat<eT> distance_;   ///< T×T: i − j on and below the diagonal
  Mat<eT> X_, Q_, K_, V_, O_;  ///< n×d, of the last forward pass
  Cube<eT> A_;                 ///< T×T×(B H): the attention weights of sequence b, head h in slice b H + h
};

}  // namespace moe::nn
