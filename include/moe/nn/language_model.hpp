#pragma once
/// @file language_model.hpp
/// A causal language model over token codes (bytes of a text): the token's
/// embedding (plus its position's, when learned), L pre-LayerNorm transformer blocks
/// (transformer_block.hpp) whose feed-forward part is the dense FFN or the
/// sparse MoE layer, a final LayerNorm, and a head to next-token logits at
/// every position, either its own affine layer or the embedding's transpose
/// plus a bias (weight tying).
///
/// Input: B sequences of T = context token codes, stacked (rows bT .. bT + T − 1
/// are sequence b); the logits of row t predict the token after position t.

#include <memory>
#include <string>

#include "moe/nn/linear.hpp"
#include "moe/nn/network.hpp"
#include "moe/nn/transformer_block.hpp"

namespace moe::nn {

/// Where the model's positional information comes from: learned position
/// vectors added to the input, ALiBi's recency bias in every attention layer
/// (attention.hpp), or both (the default: at small budgets on Austen both
/// learn faster than either, bench/RESULTS.md §19).
enum class Positions { learned, alibi, both };

/// "learned", "alibi" or "both"; throws std::invalid_argument otherwise.
Positions positions_from_name(const std::string& name);
const char* positions_name(Positions positions);

struct LanguageModelOptions {
  arma::uword vocabulary = 256;  ///< V, the token codes 0 .. V − 1
  arma::uword context = 128;     ///< T, tokens per sequence
  arma::uword width = 128;       ///< d, the residual stream
  arma::uword heads = 4;         ///< attention heads (d a multiple of them)
  arma::uword blocks = 2;        ///< L
  BlockKind block = BlockKind::moe;
  SparseMoEOptions moe;          ///< the dense block uses its E·G and activation
  Positions positions = Positions::both;
  bool tie_weights = false;      ///< the head is the embedding's transpose (plus a bias)
  double dropout = 0.0;          ///< residual dropout of every block, training passes only
  std::uint64_t seed = 1;        ///< initialization
};

/// Checks sizes and ranges; throws std::invalid_argument("moe::LanguageModel(): ...").
void validate(const LanguageModelOptions& options);

template <class eT>
class LanguageModel {
 public:
  explicit LanguageModel(const LanguageModelOptions& options);

  /// Next-token logits.  tokens: B·T codes below V;  returns (B·T)×V.
  Mat<eT> forward(const arma::uvec& tokens, const Pass& pass);
  /// Sets every parameter gradient from dL/dlogits (plus the auxiliary losses).
  void backward(const Mat<eT>& dlogits);
  /// All parameters: "embedding", "positions" (when learned), "block0.attention.query", ...,
  /// "final_norm.gain", "head.weight" (untied) and "head.bias".
  std::vector<Parameter<eT>> parameters();
  /// The sparse MoE layers of the blocks (none with dense blocks).
  std::vector<const SparseMoE<eT>*> moe_layers() const;
  /// Sum of the blocks' weighted auxiliary losses of the last forward pass.
  double auxiliary_loss() const;
  const LanguageModelOptions& options() const { return options_; }

 private:
  LanguageModelOptions options_;
  Rng init_;
  Mat<eT> embedding_, dembedding_;  ///< V×d
  Mat<eT> positions_, dpositions_;  ///< T×d when learned; empty otherwise
  std::vector<std::unique_ptr<TransformerBlock<eT>>> blocks_;
  LayerNorm<eT> final_norm_;
  Linear<eT> head_;                 ///< d×V; with tied weights only its bias is used
  arma::uvec tokens_;               ///< of the last forward pass
  Mat<eT> normalized_;              ///< the final LayerNorm's output (for the tied head's gradient)
};

}  // namespace moe::nn
