#include "moe/nn/scmoe.hpp"

#include <chrono>
#include <cmath>

#include "moe/error.hpp"
#include "moe/nn/language_training.hpp"
#include "moe/nn/loss.hpp"

namespace moe::nn {
namespace {

void validate(const SCMoEOptions& o) {
  require(o.beta >= 0.0, "scmoe", "beta must be ≥ 0");
  require(o.alpha > 0.0 && o.alpha <= 1.0, "scmoe", "alpha must be in (0, 1]");
  require(o.strong_k >= 1 && o.weak_rank >= 1, "scmoe", "the strong k and the weak rank must be at least 1");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

arma::mat contrastive_scores(const arma::mat& strong, const arma::mat& weak, double beta, double alpha) {
  require(arma::size(strong) == arma::size(weak), "contrastive_scores", "strong and weak logits differ in shape");
  const arma::mat p = softmax_rows(strong);
  arma::mat scores = (1.0 + beta) * strong - beta * weak;
  const arma::vec threshold = alpha * arma::max(p, 1);
  for (arma::uword i = 0; i < p.n_rows; ++i)
    for (arma::uword c = 0; c < p.n_cols; ++c)
      if (p(i, c) < threshold(i)) scores(i, c) = -arma::datum::inf;
  return scores;
}

// The strong and weak passes of any model whose forward takes (input, pass).
template <class Model, class Input>
arma::mat contrast_passes(Model& model, const Input& input, const SCMoEOptions& options, const LayerKernels& kernels) {
  validate(options);
  const auto logits = [&](RouteOverride route) {
    return arma::conv_to<arma::mat>::from(model.forward(input, inference_pass(kernels, route)));
  };
  return contrastive_scores(logits({options.strong_k, 0}), logits({0, options.weak_rank}), options.beta, options.alpha);
}

template <class eT>
arma::mat scmoe_scores(Network<eT>& network, const Mat<eT>& X, const SCMoEOptions& options, const LayerKernels& kernels) {
  return contrast_passes(network, X, options, kernels);
}

template <class eT>
arma::mat scmoe_scores(LanguageModel<eT>& model, const arma::uvec& tokens, const SCMoEOptions& options,
                       const LayerKernels& kernels) {
  return contrast_passes(model, tokens, options, kernels);
}

namespace {

// Σ over `rows` of −log2 softmax(scores.row(i)) at targets(i) (cross_entropy's
// log-sum-exp: −∞ scores, the implausible tokens, have probability 0).
double bits_at(const arma::mat& scores, const arma::uvec& targets, const arma::uvec& rows) {
  if (rows.is_empty()) return 0.0;
  return cross_entropy(arma::mat(scores.rows(rows)), arma::uvec(targets(rows))) * static_cast<double>(rows.n_elem) /
         std::log(2.0);
}

}  // namespace

template <class eT>
LanguageSCMoEEvaluation evaluate_language_scmoe(LanguageModel<eT>& model, const arma::uvec& text,
                                                const SCMoEOptions& options, const LayerKernels& kernels,
                                                arma::uword windows, arma::uword batch) {
  validate(options);
  LanguageSCMoEEvaluation ev;
  const Pass strong = inference_pass(kernels, RouteOverride{options.strong_k, 0});
  double covered = 0.0;
  for_each_window_batch(text, model.options().context, windows, batch, [&](const arma::uvec& in, const arma::uvec& y) {
    auto t0 = std::chrono::steady_clock::now();
    const arma::mat z_strong = arma::conv_to<arma::mat>::from(model.forward(in, strong));
    ev.strong_seconds += seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const arma::mat scores = scmoe_scores(model, in, options, kernels);
    ev.seconds += seconds_since(t0);
    arma::uvec plausible(y.n_elem);
    for (arma::uword i = 0; i < y.n_elem; ++i) plausible(i) = std::isfinite(scores(i, y(i))) ? 1 : 0;
    const arma::uvec kept = arma::find(plausible), all = arma::regspace<arma::uvec>(0, y.n_elem - 1);
    ev.strong_accuracy += arma::accu(arma::index_max(z_strong, 1) == y);
    ev.accuracy += arma::accu(arma::index_max(scores, 1) == y);
    ev.bits += bits_at(scores, y, kept);
    ev.strong_bits_covered += bits_at(z_strong, y, kept);
    ev.strong_bits += bits_at(z_strong, y, all);
    covered += static_cast<double>(kept.n_elem);
    ev.positions += y.n_elem;
  });
  const double n = static_cast<double>(ev.positions);
  ev.accuracy /= n;
  ev.strong_accuracy /= n;
  ev.strong_bits /= n;
  ev.coverage = covered / n;
  ev.bits = covered > 0.0 ? ev.bits / covered : 0.0;
  ev.strong_bits_covered = covered > 0.0 ? ev.strong_bits_covered / covered : 0.0;
  return ev;
}

template <class eT>
SCMoEEvaluation evaluate_scmoe(Network<eT>& network, const Examples& examples, const SCMoEOptions& options,
                               const LayerKernels& kernels, arma::uword batch) {
  validate(options);
  SCMoEEvaluation ev;
  const Pass strong = inference_pass(kernels, RouteOverride{options.strong_k, 0});
  for (arma::uword start = 0; start < examples.size(); start += batch) {
    const arma::uvec rows = arma::regspace<arma::uvec>(start, std::min(examples.size(), start + batch) - 1);
    const Mat<eT> X = arma::conv_to<Mat<eT>>::from(examples.inputs(rows));
    const arma::uvec y = examples.labels(rows);
    auto t0 = std::chrono::steady_clock::now();
    const Mat<eT> z_strong = network.forward(X, strong);
    ev.strong_seconds += seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const arma::mat scores = scmoe_scores(network, X, options, kernels);
    ev.seconds += seconds_since(t0);
    ev.strong_accuracy += arma::accu(arma::index_max(z_strong, 1) == y);
    ev.accuracy += arma::accu(arma::index_max(scores, 1) == y);
    for (arma::uword i = 0; i < y.n_elem; ++i) ev.coverage += std::isfinite(scores(i, y(i))) ? 1.0 : 0.0;
  }
  const double n = static_cast<double>(examples.size());
  ev.accuracy /= n;
  ev.strong_accuracy /= n;
  ev.coverage /= n;
  return ev;
}

template arma::mat scmoe_scores(Network<double>&, const arma::mat&, const SCMoEOptions&, const LayerKernels&);
template arma::mat scmoe_scores(Network<float>&, const arma::fmat&, const SCMoEOptions&, const LayerKernels&);
template arma::mat scmoe_scores(LanguageModel<double>&, const arma::uvec&, const SCMoEOptions&, const LayerKernels&);
template arma::mat scmoe_scores(LanguageModel<float>&, const arma::uvec&, const SCMoEOptions&, const LayerKernels&);
template LanguageSCMoEEvaluation evaluate_language_scmoe(LanguageModel<double>&, const arma::uvec&,
                                                         const SCMoEOptions&, const LayerKernels&, arma::uword,
                                                         arma::uword);
template LanguageSCMoEEvaluation evaluate_language_scmoe(LanguageModel<float>&, const arma::uvec&,
                                                         const SCMoEOptions&, const LayerKernels&, arma::uword,
                                                         arma::uword);
template SCMoEEvaluation evaluate_scmoe(Network<double>&, const Examples&, const SCMoEOptions&, const LayerKernels&,
                                        arma::uword);
template SCMoEEvaluation evaluate_scmoe(Network<float>&, const Examples&, const SCMoEOptions&, const LayerKernels&,
                                        arma::uword);

}  // namespace moe::nn
