#pragma once
/// @file generation.hpp
/// Greedy decoding with a causal language model: each new token is the argmax
/// of the next-token scores given the last T tokens at most (the context
/// window slides; a shorter text is padded after its end, which causal
/// attention never lets the scored position see). The scores are the model's
/// logits, or SCMoE's self-contrast scores (scmoe.hpp).

#include "moe/nn/scmoe.hpp"

namespace moe::nn {

/// `prompt` (at least one code below the vocabulary) followed by `count`
/// greedy tokens; with `scmoe`, chosen by SCMoE's scores.
template <class eT>
arma::uvec generate_greedy(LanguageModel<eT>& model, const arma::uvec& prompt, arma::uword count,
                           const LayerKernels& kernels, const SCMoEOptions* scmoe = nullptr);

}  // namespace moe::nn
