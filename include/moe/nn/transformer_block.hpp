#pragma once
/// @file transformer_block.hpp
/// A pre-LayerNorm decoder block of a transformer:
///   H = X + Drop(Attention(LayerNorm₁(X))),   Y = H + Drop(FFN(LayerNorm₂(H))),
/// with causal self-attention (attention.hpp) and a feed-forward part that is
/// any Layer: the dense FFN (dense_ffn.hpp) or the sparse MoE layer
/// (sparse_moe.hpp) with its routers and options. Rows are stacked sequences
/// of `context` tokens, as the attention takes them; the block's auxiliary
/// loss is its feed-forward part's. Drop is residual dropout (dropout.hpp),
/// active in training passes only.

#include <memory>

#include "moe/nn/attention.hpp"
#include "moe/nn/dropout.hpp"
#include "moe/nn/layer_norm.hpp"

namespace moe::nn {

template <class eT>
class TransformerBlock : public Layer<eT> {
 public:
  /// d features, `heads` heads, sequences of `context` tokens, the
  /// feed-forward layer (d → d) that the block owns, and the residual dropout.
  TransformerBlock(arma::uword d, arma::uword heads, arma::uword context, std::unique_ptr<Layer<eT>> ffn, Rng& rng,
                   double dropout = 0.0, bool alibi = false);

  Mat<eT> forward(const Mat<eT>& X, const Pass& pass) override;
  Mat<eT> backward(const Mat<eT>& dY) override;
  /// "attention_norm.", "attention.", "ffn_norm.", "ffn." + the layers' own names.
  void parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) override;
  double auxiliary_loss() const override { return ffn_->auxiliary_loss(); }

  /// The feed-forward layer (for routing statistics).
  const Layer<eT>& ffn() const { return *ffn_; }

 private:
  LayerNorm<eT> attention_norm_;
  CausalSelfAttention<eT> attention_;
  LayerNorm<eT> ffn_norm_;
  std::unique_ptr<Layer<eT>> ffn_;
  Dropout<eT> attention_dropout_, ffn_dropout_;
};

}  // namespace moe::nn
