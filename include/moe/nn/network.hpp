#pragma once
/// @file network.hpp
/// The model the trainer fits: input projection → L residual blocks
/// h ← h + FFN(LayerNorm(h)) → LayerNorm → linear head (class logits). FFN is
/// a SparseMoE layer or, for the baseline at equal parameter count, a dense
/// feed-forward layer with d_ff = E·G.

#include <memory>
#include <string>

#include "moe/nn/layer_norm.hpp"
#include "moe/nn/linear.hpp"
#include "moe/nn/sparse_moe.hpp"

namespace moe::nn {

enum class BlockKind { dense, moe };

struct NetworkOptions {
  arma::uword inputs = 784;
  arma::uword classes = 10;
  arma::uword width = 128;   ///< d, the residual stream
  arma::uword blocks = 2;    ///< L
  BlockKind block = BlockKind::moe;
  SparseMoEOptions moe;      ///< the dense block uses its E·G and activation
  arma::uword members = 1;   ///< E³ ensemble members M (MoE blocks only)
  std::uint64_t seed = 1;    ///< initialization
};

/// Checks sizes and ranges; throws std::invalid_argument("moe::Network(): ...").
void validate(const NetworkOptions& options);

template <class eT>
class Network {
 public:
  explicit Network(const NetworkOptions& options);

  /// Class logits of every member.  X: n×inputs;  returns (M·n)×classes,
  /// member-major (rows m·n .. m·n + n − 1 are member m's).
  Mat<eT> forward(const Mat<eT>& X, const Pass& pass);
  /// Log of the members' mean class probabilities.  X: n×inputs;  returns n×classes.
  Mat<eT> log_probabilities(const Mat<eT>& X, const Pass& pass);
  /// Sets every parameter gradient from dL/dlogits (plus the auxiliary losses).
  void backward(const Mat<eT>& dlogits);
  /// All parameters, named "input.weight", "block0.norm.gain", "block0.ffn.w1", ...
  std::vector<Parameter<eT>> parameters();
  /// Sum of the blocks' weighted auxiliary losses of the last forward pass.
  double auxiliary_loss() const;
  /// The MoE layers (empty for a dense network), for routing statistics.
  std::vector<const SparseMoE<eT>*> moe_layers() const;
  const NetworkOptions& options() const { return options_; }

 private:
  struct Block {
    LayerNorm<eT> norm;
    std::unique_ptr<Layer<eT>> ffn;
  };
  NetworkOptions options_;
  Rng init_;  // draws the initial weights, in member order
  Linear<eT> input_;
  std::vector<Block> blocks_;
  LayerNorm<eT> final_norm_;
  Linear<eT> head_;
};

/// The feed-forward layer of a block of width d: the sparse MoE layer with
/// `moe`, or for BlockKind::dense the dense FFN with d_ff = E·G and moe's
/// activation (the baseline at equal parameters).
template <class eT>
std::unique_ptr<Layer<eT>> make_feed_forward(BlockKind kind, arma::uword d, const SparseMoEOptions& moe, Rng& rng);

/// Number of scalar parameters.
template <class eT>
arma::uword parameter_count(Network<eT>& network);

/// Floating-point operations (multiply and add counted apart) of one example's
/// forward pass through the matrix products: input projection, routers,
/// experts (k of them) or dense FFNs, head — times M after the tiling.
double flops_per_example(const NetworkOptions& options);

}  // namespace moe::nn
