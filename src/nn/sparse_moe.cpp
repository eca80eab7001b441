#include "moe/nn/sparse_moe.hpp"

#include <cmath>

#include "moe/error.hpp"

namespace moe::nn {

SparseMoE::SparseMoE(arma::uword d, const SparseMoEOptions& options, Rng& rng)
    : router(d, options.experts, options.router, rng),
      W1(d, options.expert_size, options.experts),
      dW1(d, options.expert_size, options.experts, arma::fill::zeros),
      W2(options.expert_size, d, options.experts),
      dW2(options.expert_size, d, options.experts, arma::fill::zeros),
      options_(options) {
  require(options.expert_size >= 1, "SparseMoE", "experts need at least one hidden unit");
  const double sd1 = 1.0 / std::sqrt(static_cast<double>(d));
  const double sd2 = 1.0 / std::sqrt(static_cast<double>(options.experts * options.expert_size));
  W1.imbue([&] { return sd1 * rng.normal(); });
  W2.imbue([&] { return sd2 * rng.normal(); });
  require(options.simsmoe.alpha >= 0.0 && options.simsmoe.threshold >= 0.0 && options.simsmoe.threshold < 1.0,
          "SparseMoE", "SimSMoE needs alpha ≥ 0 and a threshold in [0, 1)");
}

arma::mat SparseMoE::forward(const arma::mat& X, const Pass& pass) {
  kernels_ = pass.kernels;
  const Routing& routing = router.forward(X, pass).routing;
  kernels_->gather_rows(Xr_, X, routing);
  kernels_->grouped_matmul(H_, Xr_, W1, routing.offsets, false);
  A_ = activate(options_.activation, H_);
  kernels_->grouped_matmul(O_, A_, W2, routing.offsets, false);
  arma::mat Y;
  kernels_->scatter_add(Y, O_, routing, X.n_rows, true);
  similarity_loss_ = 0.0;
  penalized_.clear();
  if (pass.training && options_.simsmoe.alpha > 0.0) add_similarity_penalty(X);
  return Y;
}

arma::mat SparseMoE::expert_output(arma::uword e, const arma::mat& X) const {
  return activate(options_.activation, X * W1.slice(e)) * W2.slice(e);
}

namespace {

// The `count` expert pairs (i < j) chosen together for the most tokens, most
// first; pairs never chosen together are left out.
std::vector<std::pair<arma::uword, arma::uword>> most_co_selected(const arma::mat& gate, arma::uword count) {
  const arma::mat chosen = arma::conv_to<arma::mat>::from(gate != 0.0);
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

void SparseMoE::add_similarity_penalty(const arma::mat& X) {
  const SimSMoEOptions& o = options_.simsmoe;
  const arma::mat& gate = router.decision().gate;
  for (const auto& [i, j] : most_co_selected(gate, o.pairs)) {
    arma::uvec tokens = arma::find((gate.col(i) != 0.0) + (gate.col(j) != 0.0));
    if (tokens.n_elem < 2) continue;
    if (tokens.n_elem > o.tokens) tokens = tokens.head(o.tokens);
    PenalizedPair p{i, j, X.rows(tokens), {}, {}};
    const double similarity = cka(expert_output(i, p.X), expert_output(j, p.X), o.cka, &p.d_first, &p.d_second);
    if (similarity <= o.threshold) continue;
    similarity_loss_ += o.alpha * similarity;
    p.d_first *= o.alpha;
    p.d_second *= o.alpha;
    penalized_.push_back(std::move(p));
  }
}

void SparseMoE::add_expert_gradient(arma::uword e, const arma::mat& X, const arma::mat& dOut) {
  const arma::mat H = X * W1.slice(e);
  const arma::mat A = activate(options_.activation, H);
  dW2.slice(e) += A.t() * dOut;
  dW1.slice(e) += X.t() * activation_backward(options_.activation, H, dOut * W2.slice(e).t());
}

arma::mat SparseMoE::backward(const arma::mat& dY) {
  const Routing& routing = router.decision().routing;
  arma::mat dO;  // dL/d(expert output) before the gate: gathered dY
  kernels_->gather_rows(dO, dY, routing);

  arma::mat dgate(arma::size(router.decision().gate), arma::fill::zeros);
  const arma::vec dweight = arma::sum(O_ % dO, 1);
  for (arma::uword e = 0; e < routing.n_experts(); ++e)
    for (arma::uword a = routing.offsets(e); a < routing.offsets(e + 1); ++a)
      dgate(routing.token(a), e) = dweight(a);

  dO.each_col() %= routing.weight;
  kernels_->grouped_cross(dW2, A_, dO, routing.offsets);
  arma::mat dA;
  kernels_->grouped_matmul(dA, dO, W2, routing.offsets, true);
  const arma::mat dH = activation_backward(options_.activation, H_, dA);
  kernels_->grouped_cross(dW1, Xr_, dH, routing.offsets);
  arma::mat dXr, dX;
  kernels_->grouped_matmul(dXr, dH, W1, routing.offsets, true);
  kernels_->scatter_add(dX, dXr, routing, dY.n_rows, false);
  for (const PenalizedPair& p : penalized_) {  // inputs detached: weights only
    add_expert_gradient(p.first, p.X, p.d_first);
    add_expert_gradient(p.second, p.X, p.d_second);
  }
  return dX + router.backward(dgate);
}

void SparseMoE::parameters(std::vector<Parameter>& out, const std::string& prefix) {
  router.parameters(out, prefix);
  out.push_back(parameter(prefix + "w1", W1, dW1, true));
  out.push_back(parameter(prefix + "w2", W2, dW2, true));
}

double collapse_score(const SparseMoE& layer, const CkaOptions& options) {
  if (layer.W1.n_slices < 2) return 0.0;
  std::vector<arma::mat> outputs;
  for (arma::uword e = 0; e < layer.W1.n_slices; ++e) outputs.push_back(layer.expert_output(e, layer.router.input()));
  return mean_pairwise_cka(outputs, options);
}

}  // namespace moe::nn
