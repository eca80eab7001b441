#pragma once
/// @file scmoe.hpp
/// Self-contrast inference (SCMoE, Shi et al. 2024), training-free: the same
/// network runs twice, with strong routing (top-k, k = 2 by default) giving
/// logits z_s and weak routing (only the expert of rank r, gate 1) giving z_w;
/// the prediction scores are (1 + β) z_s − β z_w on the classes that are
/// plausible under the strong pass (p_s ≥ α · max p_s), −∞ elsewhere. For a
/// language model the classes are the next token at every position.

#include "moe/nn/examples.hpp"
#include "moe/nn/language_model.hpp"
#include "moe/nn/network.hpp"

namespace moe::nn {

struct SCMoEOptions {
  double beta = 0.5;           ///< β ≥ 0: contrast strength (0: the strong pass alone)
  double alpha = 0.1;          ///< α ∈ (0, 1]: adaptive plausibility threshold
  arma::uword strong_k = 2;    ///< experts per token in the strong pass
  arma::uword weak_rank = 2;   ///< rank of the single expert of the weak pass (1 = best)
};

/// (1 + β) strong − β weak where softmax(strong) ≥ α · its row maximum, −∞
/// elsewhere.  strong, weak: n×C.
arma::mat contrastive_scores(const arma::mat& strong, const arma::mat& weak, double beta, double alpha);

/// SCMoE scores of `network` for inputs X (n×C), computed in fp64.
template <class eT>
arma::mat scmoe_scores(Network<eT>& network, const Mat<eT>& X, const SCMoEOptions& options, const LayerKernels& kernels);

/// SCMoE scores of a language model at every position of `tokens` (B·T codes):
/// (B·T)×V, computed in fp64.
template <class eT>
arma::mat scmoe_scores(LanguageModel<eT>& model, const arma::uvec& tokens, const SCMoEOptions& options,
                       const LayerKernels& kernels);

struct SCMoEEvaluation {
  double accuracy = 0.0;         ///< argmax of the SCMoE scores
  double strong_accuracy = 0.0;  ///< argmax of the strong pass alone (plain top-k inference)
  double coverage = 0.0;         ///< share of examples whose label is in the plausible set
  double seconds = 0.0;          ///< SCMoE inference time (both passes and the combination)
  double strong_seconds = 0.0;   ///< strong pass alone
};

/// SCMoE against plain top-k inference on `examples`.
template <class eT>
SCMoEEvaluation evaluate_scmoe(Network<eT>& network, const Examples& examples, const SCMoEOptions& options,
                               const LayerKernels& kernels, arma::uword batch = 1000);

/// SCMoE against plain top-k inference on next-token prediction. SCMoE's
/// distribution is the softmax of its scores over the plausible tokens, so its
/// bits are finite only where the next token is plausible: they are reported
/// on those positions, with the strong pass's on the same positions and on all.
struct LanguageSCMoEEvaluation {
  double accuracy = 0.0;             ///< next token = argmax of the SCMoE scores
  double strong_accuracy = 0.0;      ///< next token = argmax of the strong pass
  double coverage = 0.0;             ///< share of positions whose next token is plausible
  double bits = 0.0;                 ///< SCMoE's bits per token on the covered positions
  double strong_bits_covered = 0.0;  ///< the strong pass's, on the same positions
  double strong_bits = 0.0;          ///< the strong pass's, on all positions
  double seconds = 0.0;              ///< SCMoE inference time
  double strong_seconds = 0.0;       ///< strong pass alone
  arma::uword positions = 0;         ///< positions scored
};

/// Over the first `windows` non-overlapping windows of `text` (0: all).
template <class eT>
LanguageSCMoEEvaluation evaluate_language_scmoe(LanguageModel<eT>& model, const arma::uvec& text,
                                                const SCMoEOptions& options, const LayerKernels& kernels,
                                                arma::uword windows = 0, arma::uword batch = 64);

}  // namespace moe::nn
