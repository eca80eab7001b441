#include "moe/nn/sparse_moe.hpp"

#include <cmath>
#include <type_traits>

#include "moe/error.hpp"

namespace moe::nn {

template <class eT>
SparseMoE<eT>::SparseMoE(arma::uword d, const SparseMoEOptions& options, Rng& rng)
    : router(d, options.experts, options.router, rng),
      W1(d, options.expert_size, options.experts),
      dW1(d, options.expert_size, options.experts, arma::fill::zeros),
      W2(options.expert_size, d, options.experts),
      dW2(options.expert_size, d, options.experts, arma::fill::zeros),
      options_(options),
      co_selection_(options.experts) {
  require(options.expert_size >= 1, "SparseMoE", "experts need at least one hidden unit");
  const double sd1 = 1.0 / std::sqrt(static_cast<double>(d));
  const double sd2 = 1.0 / std::sqrt(static_cast<double>(options.experts * options.expert_size));
  W1.imbue([&] { return static_cast<eT>(sd1 * rng.normal()); });
  W2.imbue([&] { return static_cast<eT>(sd2 * rng.normal()); });
  require(options.simsmoe.alpha >= 0.0 && options.simsmoe.threshold >= 0.0 && options.simsmoe.threshold < 1.0,
          "SparseMoE", "SimSMoE needs alpha ≥ 0 and a threshold in [0, 1)");
  require(options.simsmoe.frequency >= 0.0, "SparseMoE", "SimSMoE's co-selection frequency must be ≥ 0");
  if (options.simsmoe.alpha > 0.0 && projects()) init_projection(d);
}

// U(−1/√d, 1/√d) as torch.nn.Linear (its bias cannot change CKA: left out),
// from a stream of its own, so that turning SimSMoE on leaves the model's
// initialization as it was.
template <class eT>
void SparseMoE<eT>::init_projection(arma::uword d) {
  Rng head(kProjectionSeed);
  const double bound = 1.0 / std::sqrt(static_cast<double>(d));
  projection_.set_size(d, options_.experts);
  projection_.imbue([&] { return static_cast<eT>(bound * (2.0 * head.uniform() - 1.0)); });
  d_projection_.zeros(d, options_.experts);
}

SimSMoERule simsmoe_rule_from_name(const std::string& name) {
  if (name == "counted") return SimSMoERule::counted;
  if (name == "batch") return SimSMoERule::batch;
  require(false, "simsmoe_rule_from_name", "unknown SimSMoE rule '" + name + "' (use counted or batch)");
  return SimSMoERule::counted;
}

template <class eT>
Mat<eT> SparseMoE<eT>::forward(const Mat<eT>& X, const Pass& pass) {
  kernels_ = pass.kernels;
  similarity_loss_ = 0.0;
  penalized_.clear();
  on_device_ = use_device(pass);
  if constexpr (std::is_same_v<eT, float>)
    if (on_device_) return device_forward(X, pass);
  const Routing& routing = router.forward(X, pass).routing;
  kernels_->gather_rows(Xr_, X, routing);
  kernels_->grouped_matmul(H_, Xr_, W1, routing.offsets, false);
  A_ = activate(options_.activation, H_);
  kernels_->grouped_matmul(O_, A_, W2, routing.offsets, false);
  Mat<eT> Y;
  kernels_->scatter_add(Y, O_, routing, X.n_rows, true);
  if (pass.training && options_.simsmoe.alpha > 0.0) add_similarity_penalty(X);
  return Y;
}

template <class eT>
bool SparseMoE<eT>::use_device(const Pass& pass) {
  if (!std::is_same_v<eT, float> || pass.route.rank > 0 || router.options().members > 1 ||
      options_.simsmoe.alpha > 0.0)
    return false;
  if (device_owner_ != pass.kernels) {
    device_ = pass.kernels->sparse_moe_device(W1.n_rows, options_);
    device_owner_ = pass.kernels;
  }
  return device_ != nullptr;
}

template <class eT>
template <class E>
Mat<E> SparseMoE<eT>::device_forward(const Mat<E>& X, const Pass& pass) {
  const arma::uword k = pass.route.k > 0 ? pass.route.k : router.options().k;
  Mat<E> Y;
  Routing routing;
  arma::rowvec mean_prob;
  device_->forward(X, W1, W2, router.W, k, router.expert_dropout_mask(X.n_rows, pass), router.needs_probabilities(),
                   Y, routing, mean_prob);
  router.record(X, std::move(routing), std::move(mean_prob));
  return Y;
}

template <class eT>
template <class E>
Mat<E> SparseMoE<eT>::device_backward(const Mat<E>& dY) {
  Mat<E> dX;
  device_->backward(dY, router.auxiliary_row(), dX, dW1, dW2, router.dW);
  return dX;
}

template <class eT>
Mat<eT> SparseMoE<eT>::expert_output(arma::uword e, const Mat<eT>& X) const {
  return activate(options_.activation, Mat<eT>(X * W1.slice(e))) * W2.slice(e);
}

template <class eT>
std::vector<ExpertPair> SparseMoE<eT>::flagged_pairs(const arma::mat& chosen) {
  const SimSMoEOptions& o = options_.simsmoe;
  if (o.rule == SimSMoERule::batch) return most_co_selected(chosen, o.pairs);
  co_selection_.record(chosen);
  return co_selection_.flag(o.frequency);
}

template <class eT>
arma::uvec SparseMoE<eT>::compared_tokens(const arma::mat& chosen, const ExpertPair& pair) const {
  const arma::vec first = chosen.col(pair.first), second = chosen.col(pair.second);
  const arma::vec routed = options_.simsmoe.rule == SimSMoERule::counted ? arma::vec(first % second)  // both
                                                                         : arma::vec(first + second);  // either
  const arma::uvec tokens = arma::find(routed);
  const arma::uword cap = options_.simsmoe.tokens;
  return cap > 0 && tokens.n_elem > cap ? arma::uvec(tokens.head(cap)) : tokens;
}

template <class eT>
void SparseMoE<eT>::add_similarity_penalty(const Mat<eT>& X) {
  const arma::mat chosen = arma::conv_to<arma::mat>::from(router.decision().gate != eT(0));
  for (const ExpertPair& pair : flagged_pairs(chosen)) {
    const arma::uvec tokens = compared_tokens(chosen, pair);
    if (tokens.n_elem >= 2) penalize(pair, X.rows(tokens));
  }
}

// α·CKA of the pair's outputs on X (projected when projects()), when above the
// threshold; CKA in fp64.
template <class eT>
void SparseMoE<eT>::penalize(const ExpertPair& pair, Mat<eT> X) {
  const SimSMoEOptions& o = options_.simsmoe;
  const arma::mat first = arma::conv_to<arma::mat>::from(expert_output(pair.first, X));
  const arma::mat second = arma::conv_to<arma::mat>::from(expert_output(pair.second, X));
  const arma::mat P = projects() ? arma::conv_to<arma::mat>::from(projection_) : arma::mat();
  arma::mat d_first, d_second;
  const double similarity = projects() ? cka(first * P, second * P, o.cka, &d_first, &d_second)
                                       : cka(first, second, o.cka, &d_first, &d_second);
  if (similarity <= o.threshold) return;
  similarity_loss_ += o.alpha * similarity;
  PenalizedPair p{pair.first, pair.second, std::move(X), {}, {}, {}};
  if (projects()) {
    p.d_projection = arma::conv_to<Mat<eT>>::from(o.alpha * (first.t() * d_first + second.t() * d_second));
    d_first *= P.t();
    d_second *= P.t();
  }
  p.d_first = arma::conv_to<Mat<eT>>::from(o.alpha * d_first);
  p.d_second = arma::conv_to<Mat<eT>>::from(o.alpha * d_second);
  penalized_.push_back(std::move(p));
}

template <class eT>
void SparseMoE<eT>::add_expert_gradient(arma::uword e, const Mat<eT>& X, const Mat<eT>& dOut) {
  const Mat<eT> H = X * W1.slice(e);
  const Mat<eT> A = activate(options_.activation, H);
  dW2.slice(e) += A.t() * dOut;
  dW1.slice(e) += X.t() * activation_backward(options_.activation, H, Mat<eT>(dOut * W2.slice(e).t()));
}

template <class eT>
Mat<eT> SparseMoE<eT>::backward(const Mat<eT>& dY) {
  if constexpr (std::is_same_v<eT, float>)
    if (on_device_) return device_backward(dY);
  const Routing& routing = router.decision().routing;
  Mat<eT>& dO = dO_;  // dL/d(expert output) before the gate: gathered dY
  kernels_->gather_rows(dO, dY, routing);

  Mat<eT> dgate(arma::size(router.decision().gate), arma::fill::zeros);
  const arma::Col<eT> dweight = arma::sum(O_ % dO, 1);
  for (arma::uword e = 0; e < routing.n_experts(); ++e)
    for (arma::uword a = routing.offsets(e); a < routing.offsets(e + 1); ++a)
      dgate(routing.token(a), e) = dweight(a);

  dO.each_col() %= arma::conv_to<arma::Col<eT>>::from(routing.weight);
  kernels_->grouped_cross(dW2, A_, dO, routing.offsets);
  kernels_->grouped_matmul(dA_, dO, W2, routing.offsets, true);
  const Mat<eT> dH = activation_backward(options_.activation, H_, dA_);
  kernels_->grouped_cross(dW1, Xr_, dH, routing.offsets);
  Mat<eT> dX;
  kernels_->grouped_matmul(dXr_, dH, W1, routing.offsets, true);
  kernels_->scatter_add(dX, dXr_, routing, dY.n_rows, false);
  d_projection_.zeros();
  for (const PenalizedPair& p : penalized_) {  // inputs detached: weights only
    add_expert_gradient(p.first, p.X, p.d_first);
    add_expert_gradient(p.second, p.X, p.d_second);
    if (projects()) d_projection_ += p.d_projection;
  }
  return dX + router.backward(dgate);
}

template <class eT>
void SparseMoE<eT>::parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) {
  router.parameters(out, prefix);
  out.push_back(parameter(prefix + "w1", W1, dW1, true));
  out.push_back(parameter(prefix + "w2", W2, dW2, true));
  if (projection_.is_empty()) return;
  Parameter<eT> head = parameter(prefix + "simsmoe_projection", projection_, d_projection_, true);
  head.saved = false;
  out.push_back(head);
}

template <class eT>
double collapse_score(const SparseMoE<eT>& layer, const CkaOptions& options) {
  if (layer.W1.n_slices < 2) return 0.0;
  std::vector<arma::mat> outputs;
  for (arma::uword e = 0; e < layer.W1.n_slices; ++e)
    outputs.push_back(arma::conv_to<arma::mat>::from(layer.expert_output(e, layer.router.input())));
  return mean_pairwise_cka(outputs, options);
}

template <class eT>
double mean_collapse_score(const std::vector<const SparseMoE<eT>*>& layers) {
  double total = 0.0;
  for (const SparseMoE<eT>* layer : layers) total += collapse_score(*layer);
  return layers.empty() ? 0.0 : total / static_cast<double>(layers.size());
}

template class SparseMoE<double>;
template class SparseMoE<float>;
template double collapse_score(const SparseMoE<double>&, const CkaOptions&);
template double collapse_score(const SparseMoE<float>&, const CkaOptions&);
template double mean_collapse_score(const std::vector<const SparseMoE<double>*>&);
template double mean_collapse_score(const std::vector<const SparseMoE<float>*>&);

}  // namespace moe::nn
