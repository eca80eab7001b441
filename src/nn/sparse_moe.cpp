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
      options_(options) {
  require(options.expert_size >= 1, "SparseMoE", "experts need at least one hidden unit");
  const double sd1 = 1.0 / std::sqrt(static_cast<double>(d));
  const double sd2 = 1.0 / std::sqrt(static_cast<double>(options.experts * options.expert_size));
  W1.imbue([&] { return static_cast<eT>(sd1 * rng.normal()); });
  W2.imbue([&] { return static_cast<eT>(sd2 * rng.normal()); });
  require(options.simsmoe.alpha >= 0.0 && options.simsmoe.threshold >= 0.0 && options.simsmoe.threshold < 1.0,
          "SparseMoE", "SimSMoE needs alpha ≥ 0 and a threshold in [0, 1)");
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

namespace {

// The `count` expert pairs (i < j) chosen together for the most tokens, most
// first; pairs never chosen together are left out.
template <class eT>
std::vector<std::pair<arma::uword, arma::uword>> most_co_selected(const Mat<eT>& gate, arma::uword count) {
  const arma::mat chosen = arma::conv_to<arma::mat>::from(gate != eT(0));
  arma::mat together = arma::trimatu(chosen.t() * chosen, 1);
  std::vector<std::pair<arma::uword, arma::uword>> pairs;
  while (pairs.size() < count && together.max() > 0.0) {
    const arma::uword at = together.index_max();
    pairs.emplace_back(at % together.n_rows, at / together.n_rows);
    together(at) = 0.0;
  }
  return pairs;
}

}  // namespace

template <class eT>
void SparseMoE<eT>::add_similarity_penalty(const Mat<eT>& X) {
  const SimSMoEOptions& o = options_.simsmoe;
  const Mat<eT>& gate = router.decision().gate;
  for (const auto& [i, j] : most_co_selected(gate, o.pairs)) {
    arma::uvec tokens = arma::find((gate.col(i) != eT(0)) + (gate.col(j) != eT(0)));
    if (tokens.n_elem < 2) continue;
    if (tokens.n_elem > o.tokens) tokens = tokens.head(o.tokens);
    PenalizedPair p{i, j, X.rows(tokens), {}, {}};
    arma::mat d_first, d_second;  // CKA in fp64
    const double similarity = cka(arma::conv_to<arma::mat>::from(expert_output(i, p.X)),
                                  arma::conv_to<arma::mat>::from(expert_output(j, p.X)), o.cka, &d_first, &d_second);
    if (similarity <= o.threshold) continue;
    similarity_loss_ += o.alpha * similarity;
    p.d_first = arma::conv_to<Mat<eT>>::from(o.alpha * d_first);
    p.d_second = arma::conv_to<Mat<eT>>::from(o.alpha * d_second);
    penalized_.push_back(std::move(p));
  }
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
  for (const PenalizedPair& p : penalized_) {  // inputs detached: weights only
    add_expert_gradient(p.first, p.X, p.d_first);
    add_expert_gradient(p.second, p.X, p.d_second);
  }
  return dX + router.backward(dgate);
}

template <class eT>
void SparseMoE<eT>::parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) {
  router.parameters(out, prefix);
  out.push_back(parameter(prefix + "w1", W1, dW1, true));
  out.push_back(parameter(prefix + "w2", W2, dW2, true));
}

template <class eT>
double collapse_score(const SparseMoE<eT>& layer, const CkaOptions& options) {
  if (layer.W1.n_slices < 2) return 0.0;
  std::vector<arma::mat> outputs;
  for (arma::uword e = 0; e < layer.W1.n_slices; ++e)
    outputs.push_back(arma::conv_to<arma::mat>::from(layer.expert_output(e, layer.router.input())));
  return mean_pairwise_cka(outputs, options);
}

template class SparseMoE<double>;
template class SparseMoE<float>;
template double collapse_score(const SparseMoE<double>&, const CkaOptions&);
template double collapse_score(const SparseMoE<float>&, const CkaOptions&);

}  // namespace moe::nn
