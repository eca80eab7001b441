#include "moe/nn/generation.hpp"

#include <algorithm>

#include "moe/error.hpp"

namespace moe::nn {
namespace {

// The scores of the token after the last of `text`.
template <class eT>
arma::rowvec next_scores(LanguageModel<eT>& model, const arma::uvec& text, const LayerKernels& kernels,
                         const SCMoEOptions* scmoe) {
  const arma::uword T = model.options().context, used = std::min(T, text.n_elem);
  arma::uvec window(T, arma::fill::zeros);
  window.head(used) = text.tail(used);
  const arma::mat scores = scmoe ? scmoe_scores(model, window, *scmoe, kernels)
                                 : arma::conv_to<arma::mat>::from(model.forward(window, inference_pass(kernels)));
  return scores.row(used - 1);
}

}  // namespace

template <class eT>
arma::uvec generate_greedy(LanguageModel<eT>& model, const arma::uvec& prompt, arma::uword count,
                           const LayerKernels& kernels, const SCMoEOptions* scmoe) {
  require(!prompt.is_empty(), "generate_greedy", "the prompt needs at least one token");
  require(prompt.max() < model.options().vocabulary, "generate_greedy", "the prompt has a code outside the vocabulary");
  arma::uvec text(prompt.n_elem + count);
  text.head(prompt.n_elem) = prompt;
  for (arma::uword i = prompt.n_elem; i < text.n_elem; ++i)
    text(i) = next_scores(model, text.head(i), kernels, scmoe).index_max();
  return text;
}

template arma::uvec generate_greedy(LanguageModel<double>&, const arma::uvec&, arma::uword, const LayerKernels&,
                                    const SCMoEOptions*);
template arma::uvec generate_greedy(LanguageModel<float>&, const arma::uvec&, arma::uword, const LayerKernels&,
                                    const SCMoEOptions*);

}  // namespace moe::nn
