#include "moe/nn/scmoe.hpp"

#include <chrono>

#include "moe/error.hpp"
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

template <class eT>
arma::mat scmoe_scores(Network<eT>& network, const Mat<eT>& X, const SCMoEOptions& options, const LayerKernels& kernels) {
  validate(options);
  const auto logits = [&](RouteOverride route) {
    return arma::conv_to<arma::mat>::from(network.forward(X, inference_pass(kernels, route)));
  };
  return contrastive_scores(logits({options.strong_k, 0}), logits({0, options.weak_rank}), options.beta, options.alpha);
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
template SCMoEEvaluation evaluate_scmoe(Network<double>&, const Examples&, const SCMoEOptions&, const LayerKernels&,
                                        arma::uword);
template SCMoEEvaluation evaluate_scmoe(Network<float>&, const Examples&, const SCMoEOptions&, const LayerKernels&,
                                        arma::uword);

}  // namespace moe::nn
